namespace SweepRunner.Core.Results;

/// <summary>
/// A score for the job a sweep plans under <paramref name="Label"/>, optionally for the LoRA it saved at
/// <paramref name="Epoch"/>. <paramref name="Source"/> says where it came from ("scores.csv line 4") for error messages.
/// </summary>
public sealed record LabelledScore(string Label, ScoreEntry Score, long? Epoch, string Source);

namespace SweepRunner.Core.Results;

/// <summary>
/// A scorer's pick between two previews of the same prompt, seed and epoch from different jobs:
/// <paramref name="ChosenPreviewId"/> is the one judged closer to the subject, and is one of the two; null when the
/// scorer judged them equally close (a tie).
/// </summary>
public sealed record PairwiseChoice(long FirstPreviewId, long SecondPreviewId, long? ChosenPreviewId, string Scorer);

namespace SweepRunner.Core.Results;

/// <summary>A recorded pairwise choice, with the jobs of both previews; <see cref="ChosenPreviewId"/> is null for a tie.</summary>
public sealed record StoredPairwiseChoice(
    long ChoiceId,
    long FirstPreviewId,
    string FirstJobId,
    long SecondPreviewId,
    string SecondJobId,
    long? ChosenPreviewId,
    string Scorer,
    DateTimeOffset ChosenAt)
{
    public bool IsTie => ChosenPreviewId is null;

    /// <summary>The job whose preview was chosen (for a tie, the first).</summary>
    public string WinnerJobId => ChosenPreviewId == SecondPreviewId ? SecondJobId : FirstJobId;

    /// <summary>The job whose preview was not chosen (for a tie, the second).</summary>
    public string LoserJobId => ChosenPreviewId == SecondPreviewId ? FirstJobId : SecondJobId;
}

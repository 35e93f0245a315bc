namespace SweepRunner.Core.Results;

/// <summary>A recorded pairwise choice, with the jobs of both previews.</summary>
public sealed record StoredPairwiseChoice(
    long ChoiceId,
    long FirstPreviewId,
    string FirstJobId,
    long SecondPreviewId,
    string SecondJobId,
    long ChosenPreviewId,
    string Scorer,
    DateTimeOffset ChosenAt)
{
    /// <summary>The job whose preview was chosen.</summary>
    public string WinnerJobId => ChosenPreviewId == FirstPreviewId ? FirstJobId : SecondJobId;

    /// <summary>The job whose preview was not chosen.</summary>
    public string LoserJobId => ChosenPreviewId == FirstPreviewId ? SecondJobId : FirstJobId;
}

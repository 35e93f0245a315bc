namespace SweepRunner.Web.Api;

// What the JSON API sends and receives (camelCase on the wire). Preview files are only ever named by id.

public sealed record SweepItem(string Name, int JobCount, DateTimeOffset UpdatedAt);

public sealed record SettingValue(string Key, string Value);

public sealed record PreviewView(
    long Id,
    long Epoch,
    int PromptIndex,
    string Prompt,
    long Seed,
    int Width,
    int Height,
    string Url,
    double? MyScore,
    string? MyNote,
    double? MeanScore,
    int ScoreCount)
{
    /// <summary>The preview's automatic scores (CLIP-I, DINO, CLIP-T), one per metric and model.</summary>
    public IReadOnlyList<AutoScoreView> AutoScores { get; init; } = [];
}

/// <summary>One automatic score of a preview: the metric's name, the model's short hash, the cosine similarity.</summary>
public sealed record AutoScoreView(string Metric, string Model, double Value);

public sealed record JobView(
    string Label,
    string JobId,
    string Title,
    IReadOnlyList<SettingValue> Diff,
    string State,
    bool IsBaseline,
    string? DuplicateOf,
    IReadOnlyList<PreviewView> Previews);

public sealed record GalleryView(string Sweep, string? BaselineLabel, IReadOnlyList<JobView> Jobs);

/// <summary>A preview in blind mode: the job is named only once this scorer has scored it blind.</summary>
public sealed record BlindItem(long Id, string Url, int Width, int Height, string Prompt, double? MyScore, string? MyNote, string? Label, string? Title)
{
    /// <summary>The preview's automatic scores, sent only once this scorer has scored it, so they cannot sway the score.</summary>
    public IReadOnlyList<AutoScoreView>? AutoScores { get; init; }
}

public sealed record BlindQueue(string Sweep, IReadOnlyList<BlindItem> Items);

public sealed record PairSide(long Id, string Url, int Width, int Height);

/// <summary>
/// The next pair to compare, or why there is none (<see cref="Left"/> and <see cref="Right"/> null). Both previews are of
/// <see cref="Epoch"/>; <see cref="ReferenceUrl"/> is a training image of the left job's dataset, null when none is on record.
/// </summary>
public sealed record PairView(string Sweep, PairSide? Left, PairSide? Right, string? Prompt, long? Epoch, string? ReferenceUrl, int ChoicesMade, string? Message);

/// <summary>
/// A job's score as the report and the export give it (ScorePolicy): the mean, count and standard error of the latest
/// scores of <see cref="DirectEpoch"/>, preview scores and scores from the command line alike; beside it the pairwise rating.
/// </summary>
public sealed record JobRating(
    string Label,
    string Title,
    string State,
    bool IsBaseline,
    double? DirectMean,
    int DirectCount,
    double? DirectStandardError,
    long? DirectEpoch,
    double? PairwiseRating,
    double? PairwiseLow,
    double? PairwiseHigh,
    int Comparisons);

public sealed record RatingsView(string Sweep, IReadOnlyList<JobRating> Jobs);

public sealed record ScoreRequest(long? PreviewId, string? Scorer, double? Value, bool Blind, string? Note);

public sealed record ScoreSaved(long ScoreId, long PreviewId, double Value, bool Blind, string Label, string Title)
{
    /// <summary>The preview's automatic scores, shown once the person has scored it.</summary>
    public IReadOnlyList<AutoScoreView> AutoScores { get; init; } = [];
}

/// <summary>A pick (<see cref="ChosenId"/> one of the two) or, with <see cref="Tie"/>, neither closer (no <see cref="ChosenId"/>).</summary>
public sealed record ChoiceRequest(long? LeftId, long? RightId, long? ChosenId, string? Scorer, bool Tie = false);

/// <summary>What was saved: the chosen job's label over the other's, or, for a tie, the left and right labels.</summary>
public sealed record ChoiceSaved(long ChoiceId, string WinnerLabel, string LoserLabel, bool Tie);

public sealed record ErrorView(string Error);

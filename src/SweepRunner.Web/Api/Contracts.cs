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
    int ScoreCount);

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
public sealed record BlindItem(long Id, string Url, int Width, int Height, double? MyScore, string? MyNote, string? Label, string? Title);

public sealed record BlindQueue(string Sweep, IReadOnlyList<BlindItem> Items);

public sealed record PairSide(long Id, string Url, int Width, int Height);

/// <summary>The next pair to compare, or why there is none (<see cref="Left"/> and <see cref="Right"/> null).</summary>
public sealed record PairView(string Sweep, PairSide? Left, PairSide? Right, string? Prompt, int ChoicesMade, string? Message);

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
    int Comparisons);

public sealed record RatingsView(string Sweep, IReadOnlyList<JobRating> Jobs);

public sealed record ScoreRequest(long? PreviewId, string? Scorer, double? Value, bool Blind, string? Note);

public sealed record ScoreSaved(long ScoreId, long PreviewId, double Value, bool Blind, string Label, string Title);

public sealed record ChoiceRequest(long? LeftId, long? RightId, long? ChosenId, string? Scorer);

public sealed record ChoiceSaved(long ChoiceId, string WinnerLabel, string LoserLabel);

public sealed record ErrorView(string Error);

namespace SweepRunner.Core.Sweeps;

/// <summary>A validated sweep file. Setting values are already normalized to their catalog types.</summary>
public sealed record SweepDefinition(
    string FilePath,
    string SourceText,
    string Name,
    string DatasetPath,
    IReadOnlyDictionary<string, object?> Base,
    IReadOnlyList<string> ImportNotes,
    IReadOnlyList<PlanBlock> Blocks,
    IReadOnlyList<Constraint> Constraints,
    double StepsPerSecond,
    string BaselineLabel)
{
    public string Directory => Path.GetDirectoryName(Path.GetFullPath(FilePath)) ?? ".";

    /// <summary>
    /// Where each optimizer_args value (as normalized) is first written, so that planning reports a job's arguments
    /// that its optimizer refuses at that place.
    /// </summary>
    public IReadOnlyDictionary<string, SourceMark> OptimizerArgsWrittenAt { get; init; } = new Dictionary<string, SourceMark>(StringComparer.Ordinal);

    /// <summary>The preview prompts of the kohya_ss import, when its sample_prompts held prompt text instead of a file path.</summary>
    public ImportedPrompts? ImportedPrompts { get; init; }

    /// <summary>Whether a job's sample_prompts value is the imported prompt text (otherwise it is a prompt file's path).</summary>
    public bool IsImportedPromptText(string samplePrompts) => ImportedPrompts is { } imported && imported.Text == samplePrompts;

    /// <summary>How many seeds every job trains with (<c>replicates:</c> at the top level), unless its block or pattern says otherwise.</summary>
    public int Replicates { get; init; } = 1;

    /// <summary>The models that score every preview automatically as it is rendered (<c>auto_scores:</c>); null for none.</summary>
    public AutoScoreModels? AutoScores { get; init; }

    /// <summary>Resolves a path written in the sweep file, relative to the file's folder.</summary>
    public string Resolve(string path) => Path.GetFullPath(Path.Combine(Directory, path));
}

/// <summary>
/// Settings varied together. A plain axis has one key; a paired (zipped) axis has several keys and
/// each row holds one value per key.
/// </summary>
public sealed record Axis(IReadOnlyList<string> Keys, IReadOnlyList<IReadOnlyList<object?>> Rows);

public abstract record PlanBlock(SourceMark Where, string Kind)
{
    /// <summary>How many seeds each job of the block trains with; null takes the sweep's <see cref="SweepDefinition.Replicates"/>.</summary>
    public int? Replicates { get; init; }
}

public sealed record GridBlock(SourceMark Where, IReadOnlyList<Axis> Axes) : PlanBlock(Where, "grid");

public sealed record OfatBlock(SourceMark Where, IReadOnlyList<Axis> Axes) : PlanBlock(Where, "ofat");

public sealed record ListPattern(SourceMark Where, string Label, IReadOnlyDictionary<string, object?> Settings)
{
    /// <summary>How many seeds the pattern trains with; null takes the sweep's <see cref="SweepDefinition.Replicates"/>.</summary>
    public int? Replicates { get; init; }
}

public sealed record ListBlock(SourceMark Where, IReadOnlyList<ListPattern> Patterns) : PlanBlock(Where, "list");

public enum Distribution { Uniform, LogUniform, IntUniform }

/// <summary>A random axis: either a set of levels (an <see cref="Axis"/>) or a continuous range.</summary>
public sealed record RandomAxis(Axis? Levels, string? Key, Distribution Distribution, double Low, double High);

public sealed record RandomBlock(SourceMark Where, int Count, int Seed, IReadOnlyList<RandomAxis> Axes) : PlanBlock(Where, "random");

public enum ConditionOperator { In, NotIn, Less, LessOrEqual, Greater, GreaterOrEqual }

public sealed record Condition(string Key, ConditionOperator Operator, IReadOnlyList<object?> Values);

/// <summary>
/// <c>exclude: {…}</c> drops jobs matching every condition; <c>where: {…}</c> with <c>require: {…}</c>
/// drops jobs that match <c>where</c> but not <c>require</c>.
/// </summary>
public sealed record Constraint(SourceMark Where, IReadOnlyList<Condition> When, IReadOnlyList<Condition>? Require)
{
    public string Describe() => Require == null
        ? $"exclude rule at line {Where.Line}"
        : $"where/require rule at line {Where.Line}";
}

/// <summary>The model folders (Hugging Face layout, absolute) of automatic scores: CLIP for CLIP-I and CLIP-T, DINOv2 for DINO.</summary>
public sealed record AutoScoreModels(string? Clip, string? Dino);

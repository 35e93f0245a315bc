using System.Text.Json;
using SweepRunner.Core.Previews;
using SweepRunner.Core.Settings;

namespace SweepRunner.Core.Running;

/// <summary>
/// Everything a worker needs to train one job, fixed when <c>sweeprunner run</c> plans the sweep: the job's
/// effective settings and step counts, and every path the sweep file names, already resolved against the sweep
/// file's folder. The supervisor stores it; the worker reads it back by sweep and job id and never opens the sweep
/// file, so editing the sweep file (or its preview prompt file) while a run goes on cannot change or break it.
/// </summary>
/// <param name="Settings">The job's effective settings as the planner gave them (values in their catalog types).</param>
/// <param name="DatasetFolder">The dataset folder, absolute; the worker scans it again with <paramref name="CaptionExtension"/>.</param>
/// <param name="CaptionExtension">The caption extension the plan scanned the dataset with (the sweep base's).</param>
/// <param name="DatasetFingerprint">The fingerprint of the dataset the job id was planned with; a worker that finds another refuses to train.</param>
/// <param name="BaseModel">The base model: <c>demo</c>, or the absolute path of a checkpoint file or diffusers folder.</param>
/// <param name="SamplePrompts">The preview prompt file as it was read at plan time; null when the job renders no previews.</param>
public sealed record JobSpec(
    string SweepName,
    string JobId,
    string Label,
    IReadOnlyDictionary<string, object?> Settings,
    long StepsPerEpoch,
    long TotalSteps,
    string DatasetFolder,
    string CaptionExtension,
    string DatasetFingerprint,
    string BaseModel,
    SamplePromptsSnapshot? SamplePrompts)
{
    /// <summary>The run's identity without its length (<see cref="Planning.RunPrefix.Key"/>), recorded in its training state; null for a length-dependent run.</summary>
    public string? PrefixKey { get; init; }

    /// <summary>The shorter job whose final training state this job starts from, or null to train from step 0.</summary>
    public Planning.JobContinuation? Continues { get; init; }

    /// <summary>The separate validation folder (validation_data_dir, absolute), or null when the job holds out part of its dataset or has no validation set.</summary>
    public string? ValidationFolder { get; init; }

    /// <summary>The models that score the job's previews once it has trained (the sweep's auto_scores:, or run --auto-scores); null for none.</summary>
    public Sweeps.AutoScoreModels? AutoScores { get; init; }

    /// <summary>The preview prompts the job renders, parsed from the snapshot of the prompt file.</summary>
    /// <exception cref="FileNotFoundException">The prompt file did not exist when the sweep was planned.</exception>
    public IReadOnlyList<SamplePrompt> PreviewPrompts() => SamplePrompts switch
    {
        null => [],
        { Text: null } missing => throw new FileNotFoundException($"Sample prompt file '{missing.Path}' does not exist.", missing.Path),
        { } file => SamplePromptFileParser.Parse(file.Text, file.Path).Prompts,
    };

    /// <summary>Reads settings written by <see cref="SettingsJson.Serialize"/> back into the catalog's types (whole numbers as long, numbers as double).</summary>
    public static SortedDictionary<string, object?> ParseSettings(string json)
    {
        using var document = JsonDocument.Parse(json);
        var settings = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            var value = property.Value;
            var type = SettingsCatalog.TryGet(property.Name, out var definition) ? definition.Type : (SettingType?)null;
            settings[property.Name] = value.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Number when type == SettingType.Integer => value.GetInt64(),
                JsonValueKind.Number when type == SettingType.Number => value.GetDouble(),
                JsonValueKind.Number => value.TryGetInt64(out var whole) ? whole : value.GetDouble(),
                JsonValueKind.String => value.GetString(),
                _ => throw new FormatException($"setting '{property.Name}' holds a JSON {value.ValueKind}, not a setting value"),
            };
        }
        return settings;
    }
}

/// <summary>A preview prompt file as read when the sweep was planned: its absolute path and text (null when it did not exist).</summary>
public sealed record SamplePromptsSnapshot(string Path, string? Text);

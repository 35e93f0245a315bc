using SweepRunner.Core.Previews;

namespace SweepRunner.Training.Trainer;

/// <summary>One LoRA training run.</summary>
/// <param name="Settings">Effective settings by sd-scripts key (Core's SettingsCatalog; integers as long, numbers as double).</param>
/// <param name="OutputFolder">Where LoRA files, previews (<c>sample/</c>) and the training state go.</param>
/// <param name="OutputName">File name stem: <c>{name}.safetensors</c>, <c>{name}-{epoch:06d}.safetensors</c>.</param>
/// <param name="PreviewPrompts">Preview prompts (kohya prompt file, parsed); empty for no previews.</param>
public sealed record TrainingJob(
    IReadOnlyDictionary<string, object?> Settings,
    string OutputFolder,
    string OutputName,
    IReadOnlyList<SamplePrompt> PreviewPrompts)
{
    /// <summary>A training state written by an earlier, interrupted run of this job to continue from; null starts afresh.</summary>
    public string? ResumeFrom { get; init; }

    /// <summary>
    /// The final training state of a shorter job whose run is this one's first part (same <see cref="PrefixKey"/>),
    /// to continue from its last step; used only when <see cref="ResumeFrom"/> is null.
    /// </summary>
    public string? ContinueFrom { get; init; }

    /// <summary>The run's identity without its length, written into every training state; null for a run that depends on its length.</summary>
    public string? PrefixKey { get; init; }

    /// <summary>Where to write the training state after the last step, for a longer job to continue; null writes none.</summary>
    public string? FinalStatePath { get; init; }

    /// <summary>Keys added to every LoRA file's metadata (after kohya's), e.g. what identifies the job that wrote it.</summary>
    public IReadOnlyDictionary<string, string> ExtraMetadata { get; init; } = new Dictionary<string, string>();

    /// <summary>The final LoRA file: <c>{name}.safetensors</c>.</summary>
    public string FinalLoraPath => Path.Combine(OutputFolder, OutputName + ".safetensors");

    /// <summary>Where this run's training state is written when it pauses or is cancelled.</summary>
    public string StatePath => Path.Combine(OutputFolder, OutputName + "-state.safetensors");
}

using SweepRunner.Core.Sweeps;

namespace SweepRunner.Core.Previews;

/// <summary>One preview prompt from a sample prompt file, with sd-scripts' defaults filled in.</summary>
/// <param name="LineNumber">1-based line in the file.</param>
/// <param name="Prompt">The prompt text (everything before the first " --").</param>
/// <param name="NegativePrompt">--n; null when absent.</param>
/// <param name="Width">--w, default 512 (<see cref="PreviewLimits"/> says which sizes a file may ask for).</param>
/// <param name="Height">--h, default 512.</param>
/// <param name="Seed">--d; null when absent (the job's seed plus the prompt's index is used).</param>
/// <param name="Steps">--s, default 30.</param>
/// <param name="GuidanceScale">--l, default 7.5.</param>
/// <param name="Sampler">--ss as its sd-scripts name; null means the run's sample_sampler (sd-scripts' default: ddim).</param>
public sealed record SamplePrompt(
    int LineNumber,
    string Prompt,
    string? NegativePrompt,
    int Width,
    int Height,
    long? Seed,
    int Steps,
    double GuidanceScale,
    string? Sampler)
{
    public const int DefaultSteps = 30;
    public const int DefaultSize = 512;
    public const double DefaultGuidanceScale = 7.5;
}

/// <summary>The prompts of a sample prompt file, what was ignored while reading it, and what is wrong with it.</summary>
/// <param name="Prompts">Prompts in file order (lines with errors hold the defaults or the refused values).</param>
/// <param name="Warnings">One line per ignored option, each naming the file and line.</param>
/// <param name="Errors">What makes the file unusable, each with its file and line; empty for a valid file.</param>
public sealed record SamplePromptFile(IReadOnlyList<SamplePrompt> Prompts, IReadOnlyList<string> Warnings, IReadOnlyList<SweepError> Errors)
{
    /// <summary>Throws <see cref="SweepValidationException"/> listing <see cref="Errors"/> when there are any.</summary>
    public SamplePromptFile ThrowIfInvalid() => Errors.Count == 0 ? this : throw new SweepValidationException(Errors);
}

namespace SweepRunner.Core.Previews;

/// <summary>One preview prompt from a sample prompt file, with sd-scripts' defaults filled in.</summary>
/// <param name="LineNumber">1-based line in the file.</param>
/// <param name="Prompt">The prompt text (everything before the first " --").</param>
/// <param name="NegativePrompt">--n; null when absent.</param>
/// <param name="Width">--w, default 512, rounded down to a multiple of 8 and at least 64 as sd-scripts does.</param>
/// <param name="Height">--h, default 512, rounded the same way.</param>
/// <param name="Seed">--d; null when absent (sd-scripts then draws a random seed).</param>
/// <param name="Steps">--s, default 30, clamped to 1…1000.</param>
/// <param name="GuidanceScale">--l, default 7.5.</param>
/// <param name="Sampler">--ss; null means the run's sample_sampler (sd-scripts' default: ddim).</param>
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

/// <summary>The prompts of a sample prompt file and what was ignored or adjusted while reading it.</summary>
/// <param name="Prompts">Prompts in file order.</param>
/// <param name="Warnings">One line per ignored or adjusted option, each naming the file and line.</param>
public sealed record SamplePromptFile(IReadOnlyList<SamplePrompt> Prompts, IReadOnlyList<string> Warnings);

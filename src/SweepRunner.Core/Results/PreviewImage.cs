namespace SweepRunner.Core.Results;

/// <summary>A preview image sampled at the end of an epoch, with everything needed to sample it again.</summary>
public sealed record PreviewImage(
    long Epoch,
    int PromptIndex,
    string Prompt,
    string NegativePrompt,
    long Seed,
    string Sampler,
    int SampleSteps,
    double CfgScale,
    int Width,
    int Height,
    ArtifactFile File);

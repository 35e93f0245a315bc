namespace SweepRunner.Core.Sweeps;

/// <summary>
/// Preview prompts written into a kohya_ss GUI config itself (its sample_prompts field) rather than in a prompt file.
/// The jobs' sample_prompts setting holds <see cref="Text"/>; <see cref="Source"/> names the config and field in messages.
/// </summary>
public sealed record ImportedPrompts(string Source, string Text);

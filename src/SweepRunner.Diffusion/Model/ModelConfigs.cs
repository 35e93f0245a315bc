namespace SweepRunner.Diffusion.Model;

/// <summary>
/// The named model configurations a checkpoint can declare in its safetensors metadata under
/// <see cref="MetadataKey"/> ("sd15", "tiny").
/// </summary>
public static class ModelConfigs
{
    /// <summary>The safetensors metadata key that names the configuration of a checkpoint SweepRunner wrote.</summary>
    public const string MetadataKey = "sweeprunner.config";

    public const string Sd15Name = "sd15";

    public const string TinyName = "tiny";

    /// <summary>The known configurations by name.</summary>
    public static IReadOnlyList<(string Name, DiffusionModelConfig Config)> All { get; } =
    [
        (Sd15Name, DiffusionModelConfig.Sd15),
        (TinyName, DiffusionModelConfig.Tiny),
    ];

    /// <summary>The configuration called <paramref name="name"/>, or null.</summary>
    public static DiffusionModelConfig? Find(string name) =>
        All.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal)).Config;

    /// <summary>The name of <paramref name="config"/> when it is one of the known configurations, else null.</summary>
    public static string? NameOf(DiffusionModelConfig config) =>
        All.FirstOrDefault(c => Equivalent(c.Config, config)).Name;

    // Records holding lists compare them by reference; compare the numbers.
    static bool Equivalent(DiffusionModelConfig a, DiffusionModelConfig b) =>
        ReferenceEquals(a, b)
        || (a.TextEncoder == b.TextEncoder
            && a.Unet with { BlockChannels = [], AttentionLevels = [] } == b.Unet with { BlockChannels = [], AttentionLevels = [] }
            && a.Unet.BlockChannels.SequenceEqual(b.Unet.BlockChannels)
            && a.Unet.AttentionLevels.SequenceEqual(b.Unet.AttentionLevels)
            && a.Vae with { BlockChannels = [] } == b.Vae with { BlockChannels = [] }
            && a.Vae.BlockChannels.SequenceEqual(b.Vae.BlockChannels));
}

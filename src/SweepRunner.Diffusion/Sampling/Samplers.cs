using SweepRunner.Diffusion.Schedulers;

namespace SweepRunner.Diffusion.Sampling;

/// <summary>The samplers SweepRunner implements.</summary>
public enum SamplerKind
{
    Ddim,
    Euler,
    EulerAncestral,
}

/// <summary>Sampler names as sd-scripts (--ss, sample_sampler) and AUTOMATIC1111 spell them.</summary>
public static class Samplers
{
    static readonly Dictionary<string, SamplerKind> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ddim"] = SamplerKind.Ddim,
        ["euler"] = SamplerKind.Euler,
        ["k_euler"] = SamplerKind.Euler,
        ["euler_a"] = SamplerKind.EulerAncestral,
        ["k_euler_a"] = SamplerKind.EulerAncestral,
        ["euler a"] = SamplerKind.EulerAncestral,
    };

    /// <summary>Parses "ddim", "euler", "k_euler", "euler_a", "k_euler_a" or AUTOMATIC1111's "DDIM", "Euler", "Euler a".</summary>
    /// <exception cref="NotSupportedException">For sd-scripts samplers SweepRunner does not implement.</exception>
    public static SamplerKind Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Names.TryGetValue(name.Trim(), out var kind)) return kind;
        throw new NotSupportedException(
            $"Sampler '{name}' is not available; use one of ddim (the sd-scripts default), euler, euler_a (also spelled k_euler, k_euler_a, \"Euler a\").");
    }

    /// <summary>The name sd-scripts uses.</summary>
    public static string SdScriptsName(this SamplerKind kind) => kind switch
    {
        SamplerKind.Ddim => "ddim",
        SamplerKind.Euler => "euler",
        SamplerKind.EulerAncestral => "euler_a",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>A sampler of <paramref name="kind"/> over <paramref name="schedule"/>; DDIM uses <paramref name="ddim"/> (SD 1.5's config by default).</summary>
    public static ISampler Create(SamplerKind kind, DdpmSchedule schedule, DdimOptions? ddim = null) => kind switch
    {
        SamplerKind.Ddim => new DdimSampler(schedule, ddim),
        SamplerKind.Euler => new EulerSampler(schedule, ancestral: false),
        SamplerKind.EulerAncestral => new EulerSampler(schedule, ancestral: true),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}

using SweepRunner.Core.Previews;
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
    /// <summary>Parses "ddim", "euler", "k_euler", "euler_a", "k_euler_a" or AUTOMATIC1111's "DDIM", "Euler", "Euler a" (<see cref="SamplerNames"/>).</summary>
    /// <exception cref="NotSupportedException">For sd-scripts samplers SweepRunner does not implement.</exception>
    public static SamplerKind Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (SamplerNames.TryNormalize(name, out var known))
        {
            return known switch
            {
                SamplerNames.Ddim => SamplerKind.Ddim,
                SamplerNames.Euler => SamplerKind.Euler,
                SamplerNames.EulerAncestral => SamplerKind.EulerAncestral,
                _ => throw new InvalidOperationException($"sampler '{known}' is named in SamplerNames but has no SamplerKind"),
            };
        }
        throw new NotSupportedException($"Sampler '{name}' is not available; {SamplerNames.Help}.");
    }

    /// <summary>The name sd-scripts uses.</summary>
    public static string SdScriptsName(this SamplerKind kind) => kind switch
    {
        SamplerKind.Ddim => SamplerNames.Ddim,
        SamplerKind.Euler => SamplerNames.Euler,
        SamplerKind.EulerAncestral => SamplerNames.EulerAncestral,
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

namespace SweepRunner.Core.Previews;

/// <summary>
/// The sampler names SweepRunner implements, as sd-scripts (<c>--ss</c>, <c>sample_sampler</c>) and AUTOMATIC1111 spell
/// them: the one list that plan checks prompt files against and the image pipeline maps to its samplers.
/// </summary>
public static class SamplerNames
{
    public const string Ddim = "ddim";
    public const string Euler = "euler";
    public const string EulerAncestral = "euler_a";

    /// <summary>sd-scripts' names of the implemented samplers (the values of <c>sample_sampler</c>).</summary>
    public static IReadOnlyList<string> SdScripts { get; } = [Ddim, EulerAncestral, Euler];

    static readonly Dictionary<string, string> Spellings = new(StringComparer.OrdinalIgnoreCase)
    {
        [Ddim] = Ddim,
        [Euler] = Euler,
        ["k_euler"] = Euler,
        [EulerAncestral] = EulerAncestral,
        ["k_euler_a"] = EulerAncestral,
        ["euler a"] = EulerAncestral,
    };

    /// <summary>What to write instead of a name that is not known.</summary>
    public const string Help = "use one of ddim (the sd-scripts default), euler, euler_a (also spelled k_euler, k_euler_a, \"Euler a\")";

    /// <summary>
    /// The sd-scripts name of <paramref name="name"/> ("ddim", "euler", "k_euler", "euler_a", "k_euler_a" or AUTOMATIC1111's
    /// "DDIM", "Euler", "Euler a"; case and surrounding spaces do not matter); false for samplers SweepRunner does not implement.
    /// </summary>
    public static bool TryNormalize(string? name, out string sdScriptsName)
    {
        if (name is not null && Spellings.TryGetValue(name.Trim(), out var known))
        {
            sdScriptsName = known;
            return true;
        }

        sdScriptsName = "";
        return false;
    }
}

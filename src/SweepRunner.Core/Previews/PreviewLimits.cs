using System.Globalization;

namespace SweepRunner.Core.Previews;

/// <summary>
/// What a preview (a prompt-file line, or <c>sweeprunner sample</c>) may ask for: the one definition of each rule, used
/// by <c>plan</c> to refuse a prompt file up front and by the image pipeline before it renders. The caps are far above
/// what SD 1.x previews use (512×512, 20–50 steps, CFG 5–12) and far below what would exhaust memory or time.
/// </summary>
public static class PreviewLimits
{
    /// <summary>SD 1.x image sides are multiples of 64: the VAE divides by 8 and the UNet halves the latents 3 times.</summary>
    public const int Sd1SizeMultiple = 64;

    /// <summary>The largest image side (SD 1.x models are trained at 512; 2048×2048 already needs tens of GB).</summary>
    public const int MaxSize = 2048;

    public const int MinSteps = 1;

    /// <summary>The most sampling steps (sd-scripts clamps to the same cap).</summary>
    public const int MaxSteps = 1000;

    public const double MinGuidanceScale = 0;

    /// <summary>The largest CFG scale (AUTOMATIC1111's slider ends at 30; images burn out long before).</summary>
    public const double MaxGuidanceScale = 30;

    /// <summary>The largest prompt file read: 1 MiB, thousands of prompts.</summary>
    public const long MaxPromptFileBytes = 1 << 20;

    /// <summary>True when <paramref name="value"/> is an image side a model whose sides are multiples of <paramref name="multiple"/> can take.</summary>
    public static bool IsValidSize(long value, int multiple = Sd1SizeMultiple) =>
        value >= multiple && value <= MaxSize && value % multiple == 0;

    /// <summary>The size rule in words: "a multiple of 64 between 64 and 2048".</summary>
    public static string SizeRule(int multiple = Sd1SizeMultiple) =>
        string.Create(CultureInfo.InvariantCulture, $"a multiple of {multiple} between {multiple} and {MaxSize}");

    /// <summary>The valid size nearest to <paramref name="value"/>, to suggest.</summary>
    public static int NearestSize(long value, int multiple = Sd1SizeMultiple)
    {
        var clamped = Math.Clamp(value, multiple, MaxSize / multiple * multiple);
        return (int)((clamped + multiple / 2) / multiple * multiple);
    }

    public static bool IsValidSteps(long steps) => steps is >= MinSteps and <= MaxSteps;

    public static string StepsRule { get; } = string.Create(CultureInfo.InvariantCulture, $"a whole number from {MinSteps} to {MaxSteps}");

    public static bool IsValidGuidanceScale(double scale) => double.IsFinite(scale) && scale is >= MinGuidanceScale and <= MaxGuidanceScale;

    public static string GuidanceScaleRule { get; } = string.Create(CultureInfo.InvariantCulture, $"a finite number from {MinGuidanceScale} to {MaxGuidanceScale}");

    /// <summary>Seeds seed a CPU generator through a non-negative 64-bit integer.</summary>
    public static bool IsValidSeed(long seed) => seed >= 0;

    public static string SeedRule { get; } = string.Create(CultureInfo.InvariantCulture, $"a whole number from 0 to {long.MaxValue}");
}

using static SweepRunner.Core.Settings.SettingsCatalog;

namespace SweepRunner.Core.Planning;

/// <summary>
/// The guess for a job no comparable run was measured for: the sweep's steps_per_second holds for the reference
/// step (one 512×512 image per batch, no gradient accumulation), and a step costs as many reference steps as it
/// processes reference images: train_batch_size × gradient_accumulation_steps × (width × height) / 512².
/// </summary>
public static class FallbackStepTime
{
    public const int ReferenceSide = 512;

    public static double RelativeCost(IReadOnlyDictionary<string, object?> settings)
    {
        var (width, height) = StepPlan.ResolutionOf(settings);
        var batch = Convert.ToDouble(settings.GetValueOrDefault(BatchSize) ?? 1L);
        var accumulation = Convert.ToDouble(settings.GetValueOrDefault(GradientAccumulation) ?? 1L);
        return batch * accumulation * width * height / ((double)ReferenceSide * ReferenceSide);
    }

    public static double SecondsPerStep(IReadOnlyDictionary<string, object?> settings, double stepsPerSecond) =>
        RelativeCost(settings) / stepsPerSecond;
}

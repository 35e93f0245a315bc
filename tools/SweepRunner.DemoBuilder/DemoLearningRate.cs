namespace SweepRunner.DemoBuilder;

/// <summary>Linear warm-up to the peak learning rate, then a cosine decay to a fraction of it at the last step.</summary>
public static class DemoLearningRate
{
    /// <param name="step">0-based step index.</param>
    public static double At(int step, int totalSteps, double peak, int warmupSteps, double finalFraction)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        if (step < warmupSteps)
            return peak * (step + 1) / warmupSteps;
        var progress = Math.Clamp((step - warmupSteps) / (double)Math.Max(1, totalSteps - warmupSteps - 1), 0, 1);
        var cosine = 0.5 * (1 + Math.Cos(Math.PI * progress));
        return peak * (finalFraction + (1 - finalFraction) * cosine);
    }
}

namespace SweepRunner.Training.Trainer;

/// <summary>
/// Dynamic loss scaling for fp16 training, as torch.cuda.amp.GradScaler does it: the loss is multiplied by the scale
/// before backward; a step whose gradients overflow is skipped and the scale halves; after
/// <see cref="GrowthInterval"/> good steps in a row it doubles.
/// </summary>
public sealed class LossScaler(double initialScale = 65536, double growthFactor = 2, double backoffFactor = 0.5, int growthInterval = 2000)
{
    public double Scale { get; private set; } = initialScale;

    public double GrowthFactor { get; } = growthFactor;

    public double BackoffFactor { get; } = backoffFactor;

    public int GrowthInterval { get; } = growthInterval;

    /// <summary>Good steps since the scale last changed.</summary>
    public int GoodSteps { get; private set; }

    /// <summary>Steps skipped for overflow.</summary>
    public long SkippedSteps { get; private set; }

    /// <summary>Records a step: overflowed (skipped, scale backs off) or good (scale may grow).</summary>
    public void Update(bool overflowed)
    {
        if (overflowed)
        {
            Scale *= BackoffFactor;
            GoodSteps = 0;
            SkippedSteps++;
            return;
        }
        if (++GoodSteps == GrowthInterval)
        {
            Scale *= GrowthFactor;
            GoodSteps = 0;
        }
    }

    /// <summary>Restores a saved state.</summary>
    public void Restore(double scale, int goodSteps, long skippedSteps)
    {
        Scale = scale;
        GoodSteps = goodSteps;
        SkippedSteps = skippedSteps;
    }
}

namespace SweepRunner.Training.Trainer;

/// <summary>Training produced a non-finite loss or non-finite LoRA weights; the attempt ended at <see cref="Step"/>.</summary>
public sealed class TrainingDivergedException(long step, string reason)
    : Exception($"Training diverged at step {step}: {reason}. Lower the learning rate or change the optimizer.")
{
    /// <summary>The optimizer step (1-based) during which it happened.</summary>
    public long Step { get; } = step;

    public string Reason { get; } = reason;
}

namespace SweepRunner.Core.Results;

/// <summary>
/// The loss on a job's validation set after <paramref name="Epoch"/> (reached at <paramref name="Step"/>): the mean over
/// its <paramref name="Images"/> images at the fixed timesteps and noise of <see cref="Datasets.ValidationSet"/>; null
/// when it was not a number.
/// </summary>
public sealed record ValidationLoss(long Epoch, long Step, double? Loss, int Images)
{
    /// <summary>The epoch with the lowest loss of <paramref name="losses"/> (the earliest of equal ones); null when none is a number.</summary>
    public static long? BestEpochOf(IEnumerable<ValidationLoss> losses) =>
        losses.Where(v => v.Loss is not null).OrderBy(v => v.Loss).ThenBy(v => v.Epoch).FirstOrDefault()?.Epoch;
}

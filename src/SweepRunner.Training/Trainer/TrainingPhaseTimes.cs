using System.Diagnostics;

namespace SweepRunner.Training.Trainer;

/// <summary>
/// Wall-clock seconds a run spent outside the training steps: encoding latents, rendering previews, and saving
/// LoRA files and training state. What is left of the run's time is training.
/// </summary>
public sealed class TrainingPhaseTimes
{
    public double CacheSeconds { get; private set; }

    public double SampleSeconds { get; private set; }

    public double SaveSeconds { get; private set; }

    internal void Reset() => (CacheSeconds, SampleSeconds, SaveSeconds) = (0, 0, 0);

    internal T Cache<T>(Func<T> work) => Measure(work, seconds => CacheSeconds += seconds);

    internal void Sample(Action work) => Measure(() => { work(); return 0; }, seconds => SampleSeconds += seconds);

    internal void Save(Action work) => Measure(() => { work(); return 0; }, seconds => SaveSeconds += seconds);

    static T Measure<T>(Func<T> work, Action<double> add)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return work();
        }
        finally
        {
            add(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }
}

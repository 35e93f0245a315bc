namespace SweepRunner.Core.Scoring;

/// <summary>Count, mean and standard error of the mean of a sample. The standard error needs at least 2 values.</summary>
public sealed record SampleSummary(int N, double? Mean, double? StandardError, double? StandardDeviation)
{
    public static readonly SampleSummary Empty = new(0, null, null, null);

    public static SampleSummary Of(IEnumerable<double> values)
    {
        var list = values.ToList();
        if (list.Count == 0)
        {
            return Empty;
        }

        var mean = list.Average();
        if (list.Count < 2)
        {
            return new SampleSummary(1, mean, null, null);
        }

        var variance = list.Sum(value => (value - mean) * (value - mean)) / (list.Count - 1);
        var deviation = Math.Sqrt(variance);
        return new SampleSummary(list.Count, mean, deviation / Math.Sqrt(list.Count), deviation);
    }
}

namespace SweepRunner.DemoBuilder;

/// <summary>Sums losses between progress reports; the mean of the last full window is a stage's final loss.</summary>
internal sealed class LossWindow
{
    double _sum;
    double _secondarySum;
    int _count;

    public void Add(double loss, double secondary = 0)
    {
        _sum += loss;
        _secondarySum += secondary;
        _count++;
    }

    public int Count => _count;

    /// <summary>Means since the last call, then starts a new window.</summary>
    public (double Loss, double Secondary) Flush()
    {
        if (_count == 0) throw new InvalidOperationException("No loss was added since the last report.");
        var means = (_sum / _count, _secondarySum / _count);
        _sum = 0;
        _secondarySum = 0;
        _count = 0;
        return means;
    }
}

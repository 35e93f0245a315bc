namespace SweepRunner.Core.Running;

/// <summary>
/// kohya's <c>avr_loss</c>: the mean step loss over the last <c>window</c> steps (sd-scripts uses one epoch's steps),
/// steadier than one step's loss, which the random timestep dominates.
/// </summary>
public sealed class MovingAverageLoss(int window)
{
    readonly Queue<double> _losses = new();
    double _sum;

    public double Add(double loss)
    {
        _losses.Enqueue(loss);
        _sum += loss;
        if (_losses.Count > Math.Max(1, window)) _sum -= _losses.Dequeue();
        return Value;
    }

    public double Value => _losses.Count == 0 ? double.NaN : _sum / _losses.Count;
}

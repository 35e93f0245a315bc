namespace SweepRunner.Core.Datasets;

/// <summary>
/// Aspect-ratio buckets as sd-scripts makes them: every resolution with sides from min to max in steps
/// of <c>step</c> whose area fits the training resolution's, plus the square; an image goes to the
/// bucket whose aspect ratio is nearest its own (the first such bucket in sorted order on ties).
/// </summary>
public sealed class Buckets
{
    public IReadOnlyList<(int Width, int Height)> Resolutions { get; }
    readonly double[] _ratios;

    public Buckets(int maxWidth, int maxHeight, int minSize, int maxSize, int step)
    {
        var area = (long)maxWidth * maxHeight;
        var set = new HashSet<(int, int)>();
        var side = (int)(Math.Sqrt(area) / step) * step;
        set.Add((side, side));
        for (var width = minSize; width <= maxSize; width += step)
        {
            var height = (int)Math.Min(maxSize, area / width / step * step);
            if (height >= minSize)
            {
                set.Add((width, height));
                set.Add((height, width));
            }
        }
        Resolutions = set.Order().ToList();
        _ratios = Resolutions.Select(r => (double)r.Width / r.Height).ToArray();
    }

    public int Select(int imageWidth, int imageHeight)
    {
        var ratio = (double)imageWidth / imageHeight;
        var best = 0;
        for (var i = 1; i < _ratios.Length; i++)
            if (Math.Abs(_ratios[i] - ratio) < Math.Abs(_ratios[best] - ratio)) best = i;
        return best;
    }
}

using SweepRunner.Core.Scoring;

namespace SweepRunner.Reports.Analysis;

/// <summary>A least-squares line y = Intercept + Slope·x over <see cref="N"/> points, with its coefficient of determination.</summary>
/// <param name="RSquared">1 − residual / total sum of squares; null when every y is the same.</param>
public sealed record LinearFit(double Slope, double Intercept, double? RSquared, int N)
{
    public double At(double x) => Intercept + Slope * x;

    /// <summary>The fit, or null with fewer than 2 points or when every x is the same (no slope can be told).</summary>
    public static LinearFit? Of(IReadOnlyList<(double X, double Y)> points)
    {
        if (points.Count < 2)
        {
            return null;
        }

        var meanX = points.Average(point => point.X);
        var meanY = points.Average(point => point.Y);
        var sxx = points.Sum(point => (point.X - meanX) * (point.X - meanX));
        if (sxx <= 0)
        {
            return null;
        }

        var sxy = points.Sum(point => (point.X - meanX) * (point.Y - meanY));
        var slope = sxy / sxx;
        var intercept = meanY - slope * meanX;
        var total = points.Sum(point => (point.Y - meanY) * (point.Y - meanY));
        var residual = points.Sum(point => Math.Pow(point.Y - (intercept + slope * point.X), 2));
        return new LinearFit(slope, intercept, total > 0 ? 1 - residual / total : null, points.Count);
    }
}

/// <summary>A difference of two means in units of its standard error, Welch-style: √(SE₁² + SE₂²).</summary>
public sealed record MeanDifference(double Difference, double? StandardError)
{
    /// <summary>|difference| / SE; infinite when the SE is 0 and the means differ, 0 when both are 0; null without an SE.</summary>
    public double? StandardErrors => StandardError switch
    {
        null => null,
        > 0 and var se => Math.Abs(Difference) / se,
        _ => Difference == 0 ? 0 : double.PositiveInfinity,
    };

    public static MeanDifference? Between(SampleSummary a, SampleSummary b)
    {
        if (a.Mean is not { } meanA || b.Mean is not { } meanB)
        {
            return null;
        }

        double? se = a.StandardError is { } seA && b.StandardError is { } seB ? Math.Sqrt(seA * seA + seB * seB) : null;
        return new MeanDifference(meanA - meanB, se);
    }
}

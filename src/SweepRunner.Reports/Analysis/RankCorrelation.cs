namespace SweepRunner.Reports.Analysis;

/// <summary>Spearman's ρ over n pairs with its 95% confidence interval; the interval is null with fewer than 4 pairs.</summary>
public sealed record RankCorrelation(double Rho, int N, double? Low, double? High)
{
    /// <summary>
    /// Spearman's rank correlation: Pearson's correlation of the ranks, ties given their mean rank. The interval is
    /// Fisher's z ± 1.96 standard errors back-transformed, with Bonett and Wright's (2000) standard error for ρ,
    /// √((1 + ρ²/2) / (n − 3)). Null with fewer than 3 pairs, or when either side has no spread.
    /// </summary>
    public static RankCorrelation? Of(IReadOnlyList<(double X, double Y)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var n = pairs.Count;
        if (n < 3) return null;
        var rx = Ranks(pairs.Select(p => p.X).ToList());
        var ry = Ranks(pairs.Select(p => p.Y).ToList());
        var mx = rx.Average();
        var my = ry.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < n; i++)
        {
            sxy += (rx[i] - mx) * (ry[i] - my);
            sxx += (rx[i] - mx) * (rx[i] - mx);
            syy += (ry[i] - my) * (ry[i] - my);
        }

        if (sxx == 0 || syy == 0) return null;
        var rho = Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1, 1);
        if (n < 4 || Math.Abs(rho) == 1) return new RankCorrelation(rho, n, n < 4 ? null : rho, n < 4 ? null : rho);
        var z = Math.Atanh(rho);
        var se = Math.Sqrt((1 + rho * rho / 2) / (n - 3));
        return new RankCorrelation(rho, n, Math.Tanh(z - 1.96 * se), Math.Tanh(z + 1.96 * se));
    }

    /// <summary>1-based ranks, ties sharing the mean of the ranks they span.</summary>
    public static double[] Ranks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]]) end++;
            var rank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++) ranks[order[k]] = rank;
            start = end + 1;
        }

        return ranks;
    }
}

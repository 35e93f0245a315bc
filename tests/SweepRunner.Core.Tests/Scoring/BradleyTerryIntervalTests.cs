using SweepRunner.Core.Scoring;

namespace SweepRunner.Core.Tests.Scoring;

/// <summary>How sure a pairwise rating is: its 95% interval, and ties as half a win for each side.</summary>
public sealed class BradleyTerryIntervalTests
{
    [Fact]
    public void The_interval_is_the_wald_interval_of_a_numerically_differentiated_log_likelihood()
    {
        // Three items, uneven games. The log-likelihood of the log-strengths (real games plus each item's virtual tie
        // against strength 1) is differentiated twice by central differences at the fit, inverted, and the variance of
        // θ_i − mean θ turned into the interval; the closed form in BradleyTerry must give the same bounds.
        var wins = new double[,] { { 0, 4, 1 }, { 2, 0, 3 }, { 0, 1, 0 } };
        var fitted = BradleyTerry.FitStrengths(wins).Select(strength => Math.Log(strength)).ToArray();

        var hessian = NumericHessian(theta => LogLikelihood(wins, theta), fitted, 1e-4);
        var covariance = Invert3(hessian.Select(row => row.Select(value => -value).ToArray()).ToArray());
        var intervals = BradleyTerry.Intervals(wins);

        for (var i = 0; i < 3; i++)
        {
            var c = Enumerable.Range(0, 3).Select(a => (a == i ? 1.0 : 0.0) - 1.0 / 3).ToArray();
            var variance = Enumerable.Range(0, 3).Sum(a => Enumerable.Range(0, 3).Sum(b => c[a] * covariance[a][b] * c[b]));
            var centre = fitted[i] - fitted.Average();
            var half = 1.959963984540054 * Math.Sqrt(variance);
            Assert.Equal(100 / (1 + Math.Exp(-centre)), intervals[i].Rating, precision: 9);
            Assert.Equal(100 / (1 + Math.Exp(-(centre - half))), intervals[i].Low, precision: 4);
            Assert.Equal(100 / (1 + Math.Exp(-(centre + half))), intervals[i].High, precision: 4);
            Assert.Equal(BradleyTerry.Ratings(wins)[i], intervals[i].Rating, precision: 9);
        }
    }

    [Fact]
    public void Ten_times_the_same_choices_narrow_the_interval_around_a_similar_rating()
    {
        var few = BradleyTerry.Fit(["a", "b"], Repeat(3, 1));
        var many = BradleyTerry.Fit(["a", "b"], Repeat(30, 10));

        Assert.True(few["a"].Low < few["a"].Rating && few["a"].Rating < few["a"].High);
        Assert.True(many["a"].High - many["a"].Low < (few["a"].High - few["a"].Low) / 2,
            $"{many["a"].Low}–{many["a"].High} is not much narrower than {few["a"].Low}–{few["a"].High}");
        Assert.True(many["a"].Low > 50, "thirty wins to ten is sure that a is better than average");
        Assert.True(few["a"].Low < 50, "three wins to one is not");
    }

    [Fact]
    public void A_tie_is_half_a_win_for_each_side()
    {
        var withTies = BradleyTerry.Fit(["a", "b", "c"], [new("a", "b", true), new("a", "b", true), new("c", "a", false)]);
        var halves = BradleyTerry.Intervals(new double[,] { { 0, 1, 0 }, { 1, 0, 0 }, { 1, 0, 0 } });

        Assert.Equal(halves[0], withTies["a"]);
        Assert.Equal(halves[1], withTies["b"]);
        Assert.Equal(halves[2], withTies["c"]);
        var onlyTies = BradleyTerry.Fit(["a", "b"], [new("a", "b", true), new("b", "a", true)]);
        Assert.Equal(50, onlyTies["a"].Rating, precision: 9);
        var none = BradleyTerry.Fit(["a", "b"], []);
        Assert.True(onlyTies["a"].High - onlyTies["a"].Low < none["a"].High - none["a"].Low, "two ties say more than nothing");
    }

    private static IEnumerable<PairComparison<string>> Repeat(int aWins, int bWins) =>
        Enumerable.Repeat(new PairComparison<string>("a", "b", false), aWins).Concat(Enumerable.Repeat(new PairComparison<string>("b", "a", false), bWins));

    private static double LogLikelihood(double[,] wins, double[] theta)
    {
        var sum = 0.0;
        for (var i = 0; i < theta.Length; i++)
        {
            sum += 0.5 * theta[i] - Math.Log(Math.Exp(theta[i]) + 1);
            for (var j = 0; j < theta.Length; j++)
            {
                if (i != j)
                {
                    sum += wins[i, j] * (theta[i] - Math.Log(Math.Exp(theta[i]) + Math.Exp(theta[j])));
                }
            }
        }

        return sum;
    }

    private static double[][] NumericHessian(Func<double[], double> f, double[] x, double h)
    {
        var n = x.Length;
        var result = new double[n][];
        for (var i = 0; i < n; i++)
        {
            result[i] = new double[n];
            for (var j = 0; j < n; j++)
            {
                double At(double di, double dj)
                {
                    var point = (double[])x.Clone();
                    point[i] += di;
                    point[j] += dj;
                    return f(point);
                }

                result[i][j] = (At(h, h) - At(h, -h) - At(-h, h) + At(-h, -h)) / (4 * h * h);
            }
        }

        return result;
    }

    private static double[][] Invert3(double[][] m)
    {
        double Minor(int r0, int r1, int c0, int c1) => m[r0][c0] * m[r1][c1] - m[r0][c1] * m[r1][c0];
        var det = m[0][0] * Minor(1, 2, 1, 2) - m[0][1] * Minor(1, 2, 0, 2) + m[0][2] * Minor(1, 2, 0, 1);
        var cofactors = new double[3][];
        for (var r = 0; r < 3; r++)
        {
            cofactors[r] = new double[3];
            for (var c = 0; c < 3; c++)
            {
                var rows = Enumerable.Range(0, 3).Where(k => k != r).ToArray();
                var cols = Enumerable.Range(0, 3).Where(k => k != c).ToArray();
                cofactors[r][c] = ((r + c) % 2 == 0 ? 1 : -1) * Minor(rows[0], rows[1], cols[0], cols[1]);
            }
        }

        return Enumerable.Range(0, 3).Select(r => Enumerable.Range(0, 3).Select(c => cofactors[c][r] / det).ToArray()).ToArray();
    }
}

using SweepRunner.Core.Scoring;
using SweepRunner.Reports.Analysis;

namespace SweepRunner.Reports.Tests.Analysis;

public sealed class StatisticsTests
{
    [Fact]
    public void Mean_and_standard_error_use_the_sample_standard_deviation()
    {
        var summary = SampleSummary.Of([2, 4, 6]);

        Assert.Equal(3, summary.N);
        Assert.Equal(4, summary.Mean!.Value, 12);
        Assert.Equal(2, summary.StandardDeviation!.Value, 12);
        Assert.Equal(2 / Math.Sqrt(3), summary.StandardError!.Value, 12);
    }

    [Fact]
    public void One_value_has_a_mean_but_no_standard_error_and_none_has_neither()
    {
        Assert.Equal(new SampleSummary(1, 7, null, null), SampleSummary.Of([7]));
        Assert.Equal(SampleSummary.Empty, SampleSummary.Of([]));
    }

    [Fact]
    public void Least_squares_slope_intercept_and_r_squared_match_a_hand_computation()
    {
        var exact = LinearFit.Of([(100, 12), (200, 22), (300, 32)])!;
        Assert.Equal((0.1, 2.0, 1.0), (Math.Round(exact.Slope, 12), Math.Round(exact.Intercept, 9), Math.Round(exact.RSquared!.Value, 12)));

        // x̄ = 2, ȳ = 2, Sxx = 2, Sxy = 1: slope 0.5, intercept 1; residuals −0.5, 1, −0.5: SSres 1.5 of SStot 2.
        var noisy = LinearFit.Of([(1, 1), (2, 3), (3, 2)])!;
        Assert.Equal(0.5, noisy.Slope, 12);
        Assert.Equal(1, noisy.Intercept, 12);
        Assert.Equal(0.25, noisy.RSquared!.Value, 12);
    }

    [Fact]
    public void No_fit_from_one_point_or_from_equal_step_counts()
    {
        Assert.Null(LinearFit.Of([(1, 1)]));
        Assert.Null(LinearFit.Of([(5, 1), (5, 3)]));
        Assert.Null(LinearFit.Of([(1, 4), (2, 4)])!.RSquared);
    }

    [Fact]
    public void Welch_difference_combines_both_standard_errors()
    {
        var difference = MeanDifference.Between(SampleSummary.Of([93, 95]), SampleSummary.Of([90, 88, 92]))!;

        Assert.Equal(4, difference.Difference, 12);
        Assert.Equal(Math.Sqrt(1 + 4.0 / 3), difference.StandardError!.Value, 12);
        Assert.Equal(Sureness.Likely, SweepAnalyzer.SurenessOf(difference));
        Assert.Equal(double.PositiveInfinity, MeanDifference.Between(SampleSummary.Of([5, 5]), SampleSummary.Of([3, 3]))!.StandardErrors);
        Assert.Null(MeanDifference.Between(SampleSummary.Of([5]), SampleSummary.Of([3, 3]))!.StandardErrors);
    }
}

using SweepRunner.Reports.Analysis;

namespace SweepRunner.Reports.Tests.Analysis;

public class RankCorrelationTests
{
    [Fact]
    public void TiesShareTheirMeanRank() =>
        Assert.Equal([1.0, 2.5, 2.5, 4.0], RankCorrelation.Ranks([10, 20, 20, 30]));

    [Fact]
    public void RhoIsPearsonsCorrelationOfTheRanksWithTheFisherInterval()
    {
        // Ranks x 1..6, y 2,1,4,3,6,5: Σd² = 6, ρ = 1 − 6·6 / (6·35) = 0.828571…
        var result = RankCorrelation.Of([(1, 20), (2, 10), (3, 40), (4, 30), (5, 60), (6, 50)])!;
        Assert.Equal(0.8285714285714286, result.Rho, 12);
        Assert.Equal(6, result.N);
        // z = atanh(0.828571) = 1.18356, se = √((1 + 0.343265) / 3) = 0.669146; tanh(z ± 1.96 se).
        Assert.Equal(-0.1273, result.Low!.Value, 3);
        Assert.Equal(0.9865, result.High!.Value, 3);
    }

    [Fact]
    public void AMonotoneButNonLinearRelationIsPerfectAndOppositeOrderIsMinusOne()
    {
        Assert.Equal(1.0, RankCorrelation.Of([(1, 1), (2, 8), (3, 27), (4, 64), (5, 125)])!.Rho, 12);
        Assert.Equal(-1.0, RankCorrelation.Of([(1, 5), (2, 4), (3, 3), (4, 2)])!.Rho, 12);
    }

    [Fact]
    public void TooFewPairsOrNoSpreadGiveNothing()
    {
        Assert.Null(RankCorrelation.Of([(1, 2), (2, 3)]));
        Assert.Null(RankCorrelation.Of([(1, 2), (2, 2), (3, 2)]));
        Assert.Null(RankCorrelation.Of([(1, 2), (2, 3), (3, 4)])!.Low);
    }
}

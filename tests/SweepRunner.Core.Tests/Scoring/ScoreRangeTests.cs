using SweepRunner.Core.Scoring;

namespace SweepRunner.Core.Tests.Scoring;

public sealed class ScoreRangeTests
{
    [Theory]
    [InlineData(0, true)]
    [InlineData(100, true)]
    [InlineData(62.5, true)]
    [InlineData(-0.5, false)]
    [InlineData(100.5, false)]
    [InlineData(double.NaN, false)]
    [InlineData(double.PositiveInfinity, false)]
    public void Scores_run_from_0_to_100_inclusive(double value, bool valid) => Assert.Equal(valid, ScoreRange.IsValid(value));

    [Theory]
    [InlineData("85", true, 85)]
    [InlineData("7.5", true, 7.5)]
    [InlineData("101", false, 101)]
    [InlineData("abc", false, 0)]
    [InlineData("", false, 0)]
    public void Text_is_read_as_an_invariant_number_in_the_range(string text, bool valid, double value)
    {
        Assert.Equal(valid, ScoreRange.TryParse(text, out var parsed));
        Assert.Equal(value, parsed);
    }

    [Fact]
    public void The_refusal_names_the_value_and_the_range() =>
        Assert.Equal("the score 170 is not a number from 0 to 100", ScoreRange.Problem(170));
}

using SweepRunner.Core.Running;

namespace SweepRunner.Core.Tests.Running;

public class MovingAverageLossTests
{
    [Fact]
    public void AveragesTheLastWindowOfSteps()
    {
        var average = new MovingAverageLoss(3);
        Assert.True(double.IsNaN(average.Value));
        Assert.Equal(1, average.Add(1));
        Assert.Equal(1.5, average.Add(2));
        Assert.Equal(2, average.Add(3));
        Assert.Equal(3, average.Add(4));
        Assert.Equal(4, average.Add(5));
    }
}

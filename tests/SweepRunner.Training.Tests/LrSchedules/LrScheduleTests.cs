using SweepRunner.Core.Settings;
using SweepRunner.Training.LrSchedules;
using SweepRunner.TestSupport;

namespace SweepRunner.Training.Tests.LrSchedules;

public class LrScheduleTests
{
    const double Tolerance = 1e-12;

    [Fact]
    public void ConstantIsOneAndIgnoresWarmup()
    {
        var schedule = new LrSchedule("constant", 10, 100);
        Assert.All(new long[] { 0, 5, 50, 99, 150 }, s => Assert.Equal(1.0, schedule.Multiplier(s)));
    }

    [Fact]
    public void ConstantWithWarmupRisesLinearlyFromZero()
    {
        var schedule = new LrSchedule("constant_with_warmup", 4, 100);
        Assert.Equal([0.0, 0.25, 0.5, 0.75, 1.0, 1.0], new long[] { 0, 1, 2, 3, 4, 99 }.Select(schedule.Multiplier));
    }

    [Fact]
    public void LinearFallsToZeroAtTheLastStep()
    {
        var schedule = new LrSchedule("linear", 10, 110);
        Assert.Equal(0.5, schedule.Multiplier(5), Tolerance);
        Assert.Equal(1.0, schedule.Multiplier(10), Tolerance);
        Assert.Equal(0.5, schedule.Multiplier(60), Tolerance);
        Assert.Equal(1.0 / 100, schedule.Multiplier(109), Tolerance);
        Assert.Equal(0.0, schedule.Multiplier(110), Tolerance);
        Assert.Equal(0.0, schedule.Multiplier(200), Tolerance);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(7L)]
    public void CosineIsHalfACosineWaveAfterWarmup(long warmup)
    {
        const long total = 1000;
        var schedule = new LrSchedule("cosine", warmup, total);
        for (var step = warmup; step <= total; step += 37)
        {
            var t = (double)(step - warmup) / (total - warmup);
            Assert.Equal((1 + Math.Cos(Math.PI * t)) / 2, schedule.Multiplier(step), Tolerance);
        }
        Assert.Equal(1.0, schedule.Multiplier(warmup), Tolerance);
        Assert.Equal(0.5, schedule.Multiplier(warmup + (total - warmup) / 2), 1e-2);
    }

    [Fact]
    public void CosineWithRestartsRestartsEachCycleAndEndsAtZero()
    {
        var schedule = new LrSchedule("cosine_with_restarts", 0, 300, NumCycles: 3);
        Assert.Equal(1.0, schedule.Multiplier(0), Tolerance);
        Assert.Equal(0.5, schedule.Multiplier(50), Tolerance);
        Assert.Equal(1.0, schedule.Multiplier(100), Tolerance);
        Assert.Equal(0.5, schedule.Multiplier(250), Tolerance);
        Assert.Equal((1 + Math.Cos(Math.PI * (3 * 299 / 300.0 % 1))) / 2, schedule.Multiplier(299), Tolerance);
        Assert.Equal(0.0, schedule.Multiplier(300));
    }

    [Fact]
    public void PolynomialDecaysToLrEndWithItsPower()
    {
        const double lr = 1e-3;
        var schedule = new LrSchedule("polynomial", 10, 110, Power: 2.0, InitialLearningRate: lr);
        Assert.Equal(0.5, schedule.Multiplier(5), Tolerance);
        for (long step = 10; step <= 110; step += 10)
        {
            var remaining = 1 - (step - 10) / 100.0;
            var expected = ((lr - 1e-7) * remaining * remaining + 1e-7) / lr;
            Assert.Equal(expected, schedule.Multiplier(step), Tolerance);
        }
        Assert.Equal(1e-7 / lr, schedule.Multiplier(111), Tolerance);
        Assert.Equal(lr * schedule.Multiplier(60), schedule.LearningRate(lr, 60), Tolerance);
    }

    [Fact]
    public void FromSettingsReadsTheJobsKeysAndRejectsUnknownSchedules()
    {
        var settings = TestSettings.With((SettingsCatalog.LrScheduler, "cosine_with_restarts"), (SettingsCatalog.LrWarmupSteps, 5L),
            (SettingsCatalog.LrCycles, 4L), (SettingsCatalog.LearningRate, 2e-4));
        var schedule = LrSchedule.FromSettings(settings, 500);
        Assert.Equal(new LrSchedule("cosine_with_restarts", 5, 500, 4, 1.0, 2e-4), schedule);

        settings[SettingsCatalog.LrScheduler] = "adafactor";
        Assert.Contains("lr_scheduler 'adafactor'", Assert.Throws<ArgumentException>(() => LrSchedule.FromSettings(settings, 10)).Message);
    }
}

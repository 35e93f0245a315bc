using SweepRunner.Reports.Analysis;
using SweepRunner.Reports.Charts;
using SweepRunner.Reports.Tests.Support;
using SweepRunner.Core.Results;
using static SweepRunner.Reports.Tests.Analysis.Jobs;

namespace SweepRunner.Reports.Tests.Charts;

public sealed class SweepChartsTests
{
    private static SweepAnalysis Study(bool scored) => SweepAnalyzer.Analyze(
    [
        Job("3", "", scored ? [90, 88, 92] : [], steps: 9000, seconds: 2700),
        Job("5", "network_alpha=64", scored ? [60, 55, 65] : [], steps: 9000, seconds: 2750),
        Job("6", "network_alpha=16", scored ? [60, 62, 58] : [], steps: 9000, seconds: 2650),
        Job("7", "train_batch_size=2", scored ? [93, 95] : [], steps: 4500, seconds: 1500),
        Job("13", "train_batch_size=4", scored ? [88] : [], steps: 2250, seconds: 800),
        Job("25", "optimizer_type=Lion", [], steps: 9000, seconds: 300, state: JobState.Diverged),
    ]);

    public static TheoryData<bool> Scored => new() { true, false };

    [Theory]
    [MemberData(nameof(Scored))]
    public void Every_chart_is_written_as_a_non_blank_png_with_text_and_an_svg_that_parses(bool scored)
    {
        using var folder = new TemporaryFolder();
        var analysis = Study(scored);
        var loss = analysis.Settings[0].Levels
            .Select(level => (level.Value, level.IsBaseline, (IReadOnlyList<LossPoint>)Enumerable.Range(0, 40)
                .Select(step => new LossPoint(step * 10, step / 10, step == 7 ? null : 0.2 / (1 + step * level.Value.Length) + 0.01 * (step % 3)))
                .ToList()))
            .ToList();

        var charts = new List<ChartFile>
        {
            SweepCharts.SettingScores(analysis.Settings[0], Path.Combine(folder.Path, "setting")),
            SweepCharts.SettingScores(analysis.Settings[1], Path.Combine(folder.Path, "batch")),
            SweepCharts.TimeVersusSteps(analysis, Path.Combine(folder.Path, "time")),
            SweepCharts.LossCurves("network_alpha: loss", loss, Path.Combine(folder.Path, "loss")),
            SweepCharts.ScoreVersusTime(analysis, Path.Combine(folder.Path, "pareto")),
            SweepCharts.Effects(analysis, Path.Combine(folder.Path, "effects")),
        };

        foreach (var chart in charts)
        {
            var stats = ChartImages.Read(chart.PngPath);
            Assert.Equal((SweepCharts.Width, SweepCharts.Height), (stats.Width, stats.Height));
            Assert.True(stats.DistinctColours >= 20, $"{chart.PngPath}: only {stats.DistinctColours} colours");
            Assert.True(stats.InkFraction > 0.01, $"{chart.PngPath}: only {stats.InkFraction:P1} of pixels are not white");
            Assert.True(stats.TitleInkFraction > 0.005, $"{chart.PngPath}: the title band is empty, so text did not render");
            var svg = ChartImages.ReadSvg(chart.SvgPath);
            Assert.Equal("svg", svg.DocumentElement!.LocalName);
        }

        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp", SearchOption.AllDirectories));
        Assert.Equal(12, Directory.GetFiles(folder.Path).Length);
    }

    [Fact]
    public void Loss_is_smoothed_by_an_exponential_moving_average_that_skips_non_finite_values()
    {
        var smoothed = SweepCharts.Smooth([new LossPoint(0, 0, 1.0), new LossPoint(10, 0, null), new LossPoint(20, 0, 0.0), new LossPoint(30, 0, double.PositiveInfinity)], smoothing: 0.5);

        Assert.Equal([(0.0, 1.0), (20.0, 0.5)], smoothed);
    }

    [Theory]
    [InlineData("network_alpha", "network-alpha")]
    [InlineData("learning_rate + optimizer_type", "learning-rate-optimizer-type")]
    [InlineData("../<x>", "x")]
    [InlineData("***", "setting")]
    public void Slugs_are_safe_file_names(string text, string slug) => Assert.Equal(slug, SweepCharts.Slug(text));
}

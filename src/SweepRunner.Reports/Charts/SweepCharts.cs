using SweepRunner.Core.Files;
using System.Globalization;
using System.Text;
using ScottPlot;
using SweepRunner.Reports.Analysis;
using SweepRunner.Core.Results;
using SweepRunner.Core.Scoring;

namespace SweepRunner.Reports.Charts;

/// <summary>The report's charts, each written atomically as PNG and SVG.</summary>
public static class SweepCharts
{
    public const int Width = 900;
    public const int Height = 540;

    /// <summary>Smoothing of the loss curves: each point keeps this much of the previous smoothed value (TensorBoard-style EMA).</summary>
    public const double LossSmoothing = 0.6;

    private static readonly Color BaselineColor = Color.FromHex("#d62728");
    private static readonly Color ScoreColor = Color.FromHex("#1f77b4");
    private static readonly Color TimeColor = Color.FromHex("#2ca02c");
    private static readonly Color MutedColor = Color.FromHex("#7f7f7f");

    /// <summary>Scores of a setting's levels: every individual score as a point, the mean ± SE, the baseline in red; training time on the right axis.</summary>
    public static ChartFile SettingScores(SettingAnalysis setting, string pathWithoutExtension)
    {
        var plot = NewPlot($"{setting.Name}: score by level");
        var positions = Enumerable.Range(0, setting.Levels.Count).Select(index => (double)index).ToArray();
        var jitter = new Random(17);
        for (var index = 0; index < setting.Levels.Count; index++)
        {
            var level = setting.Levels[index];
            var color = level.IsBaseline ? BaselineColor : ScoreColor;
            if (level.Scores.Count > 0)
            {
                var xs = level.Scores.Select(_ => index - 0.22 + jitter.NextDouble() * 0.12).ToArray();
                var points = plot.Add.ScatterPoints(xs, level.Scores.ToArray());
                points.Color = color.WithAlpha(0.55);
                points.MarkerSize = 7;
            }

            if (level.Score.Mean is { } mean)
            {
                var marker = plot.Add.Marker(index, mean, MarkerShape.FilledDiamond, 13, color);
                marker.LegendText = "";
                if (level.Score.StandardError is { } se)
                {
                    var bar = plot.Add.ErrorBar([(double)index], [mean], [se]);
                    bar.Color = color;
                    bar.LineWidth = 2;
                }
            }
        }

        var timed = setting.Levels.Select((level, index) => (index, level.MeanTrainSeconds)).Where(pair => pair.MeanTrainSeconds is not null).ToList();
        if (timed.Count > 0)
        {
            var times = plot.Add.Scatter(timed.Select(pair => pair.index + 0.25).ToArray(), timed.Select(pair => pair.MeanTrainSeconds!.Value).ToArray());
            times.Color = TimeColor;
            times.LineWidth = 0;
            times.MarkerShape = MarkerShape.FilledSquare;
            times.MarkerSize = 10;
            times.Axes.YAxis = plot.Axes.Right;
            times.LegendText = "training time (right axis)";
            plot.Axes.Right.Label.Text = "training time (s)";
            plot.Axes.Right.Label.ForeColor = TimeColor;
            // From zero, so that small differences in time do not look large.
            plot.Axes.SetLimitsY(0, timed.Max(pair => pair.MeanTrainSeconds!.Value) * 1.2, plot.Axes.Right);
        }

        var legendScore = plot.Add.Marker(double.NaN, double.NaN, MarkerShape.FilledDiamond, 11, ScoreColor);
        legendScore.LegendText = "mean ± SE";
        var legendBaseline = plot.Add.Marker(double.NaN, double.NaN, MarkerShape.FilledDiamond, 11, BaselineColor);
        legendBaseline.LegendText = "baseline";
        plot.ShowLegend(Alignment.LowerRight);

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            positions, setting.Levels.Select(level => Shorten(level.IsBaseline ? level.Value + " (baseline)" : level.Value)).ToArray());
        plot.Axes.SetLimitsX(-0.6, setting.Levels.Count - 0.4);
        plot.Axes.SetLimitsY(0, 100);
        plot.XLabel(setting.Name);
        plot.YLabel("score (0–100)");
        if (setting.Levels.All(level => level.Scores.Count == 0))
        {
            Note(plot, "no scores yet", (setting.Levels.Count - 1) / 2.0, 50);
        }
        else if (!setting.HasEnoughData)
        {
            Note(plot, "insufficient data", (setting.Levels.Count - 1) / 2.0, 92);
        }

        return Save(plot, pathWithoutExtension);
    }

    /// <summary>
    /// The automatic scores of a setting's levels: per score source, every preview's value as a point and the level's
    /// mean ± SE, sources side by side within each level (cosine similarities, so the axis runs −1…1 at most).
    /// </summary>
    public static ChartFile SettingAutoScores(SettingAnalysis setting, IReadOnlyList<AutoScoreSource> sources, string pathWithoutExtension)
    {
        var plot = NewPlot($"{setting.Name}: automatic scores by level");
        var palette = new ScottPlot.Palettes.Category10();
        var width = 0.6 / Math.Max(1, sources.Count);
        var all = new List<double>();
        for (var s = 0; s < sources.Count; s++)
        {
            var source = sources[s];
            var color = palette.GetColor(s);
            var legend = plot.Add.Marker(double.NaN, double.NaN, MarkerShape.FilledDiamond, 11, color);
            legend.LegendText = source.Name;
            for (var index = 0; index < setting.Levels.Count; index++)
            {
                var values = setting.Levels[index].Jobs.Select(source.Of).OfType<JobAutoScore>().SelectMany(score => score.Values).ToList();
                if (values.Count == 0)
                {
                    continue;
                }

                all.AddRange(values);
                var x = index - 0.3 + width * (s + 0.5);
                var points = plot.Add.ScatterPoints(values.Select(_ => x - width * 0.25).ToArray(), values.ToArray());
                points.Color = color.WithAlpha(0.5);
                points.MarkerSize = 6;
                var summary = SampleSummary.Of(values);
                plot.Add.Marker(x, summary.Mean!.Value, MarkerShape.FilledDiamond, 12, color);
                if (summary.StandardError is { } se)
                {
                    var bar = plot.Add.ErrorBar([x], [summary.Mean!.Value], [se]);
                    bar.Color = color;
                    bar.LineWidth = 2;
                }
            }
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, setting.Levels.Count).Select(index => (double)index).ToArray(),
            setting.Levels.Select(level => Shorten(level.IsBaseline ? level.Value + " (baseline)" : level.Value)).ToArray());
        plot.Axes.SetLimitsX(-0.6, setting.Levels.Count - 0.4);
        if (all.Count == 0)
        {
            Note(plot, "no automatic scores yet", 0.5, 0.5, relative: true);
        }
        else
        {
            var low = all.Min();
            var high = all.Max();
            var pad = Math.Max(0.02, (high - low) * 0.15);
            plot.Axes.SetLimitsY(Math.Max(-1, low - pad), Math.Min(1, high + pad));
            plot.ShowLegend(Alignment.LowerRight);
        }

        plot.XLabel(setting.Name);
        plot.YLabel("cosine similarity");
        return Save(plot, pathWithoutExtension);
    }

    /// <summary>Training time against total steps for every job with a time, and the fitted seconds per step.</summary>
    public static ChartFile TimeVersusSteps(SweepAnalysis analysis, string pathWithoutExtension)
    {
        var plot = NewPlot("training time vs total steps");
        foreach (var group in analysis.Jobs.Where(job => job.TrainSeconds is not null).GroupBy(job => job.State))
        {
            var points = plot.Add.ScatterPoints(group.Select(job => (double)job.TotalSteps).ToArray(), group.Select(job => job.TrainSeconds!.Value).ToArray());
            points.Color = group.Key == JobState.Succeeded ? ScoreColor : BaselineColor;
            points.MarkerSize = 9;
            points.LegendText = StoredNames.Of(group.Key);
        }

        if (analysis.SecondsPerStep is { } fit)
        {
            var steps = analysis.Jobs.Select(job => (double)job.TotalSteps).ToList();
            var low = steps.Min();
            var high = steps.Max();
            var line = plot.Add.Line(low, fit.At(low), high, fit.At(high));
            line.Color = MutedColor;
            line.LineWidth = 2;
            line.LinePattern = LinePattern.Dashed;
            line.LegendText = Invariant($"fit: {fit.Slope:0.###} s/step + {fit.Intercept:0.#} s") + (fit.RSquared is { } r2 ? Invariant($", R² = {r2:0.000}") : "");
        }
        else if (analysis.Jobs.Any(job => job.TrainSeconds is not null))
        {
            var note = plot.Add.Marker(double.NaN, double.NaN, MarkerShape.None, 0, MutedColor);
            note.LegendText = "no fit: needs 2 succeeded jobs with different step counts";
        }
        else
        {
            Note(plot, "no training times yet", 0.5, 0.5, relative: true);
        }

        plot.ShowLegend(Alignment.UpperLeft);
        plot.XLabel("total steps");
        plot.YLabel("training time (s)");
        return Save(plot, pathWithoutExtension);
    }

    /// <summary>The loss curves of a setting's jobs, EMA-smoothed, overlaid; non-finite losses are skipped.</summary>
    public static ChartFile LossCurves(string title, IReadOnlyList<(string Name, bool IsBaseline, IReadOnlyList<LossPoint> Loss)> curves, string pathWithoutExtension)
    {
        var plot = NewPlot(title);
        var palette = new ScottPlot.Palettes.Category10();
        var drawn = 0;
        for (var index = 0; index < curves.Count; index++)
        {
            var (name, isBaseline, loss) = curves[index];
            var smoothed = Smooth(loss);
            if (smoothed.Count == 0)
            {
                continue;
            }

            var scatter = plot.Add.Scatter(smoothed.Select(point => point.Step).ToArray(), smoothed.Select(point => point.Loss).ToArray());
            scatter.Color = isBaseline ? Colors.Black : palette.GetColor(index);
            scatter.LineWidth = isBaseline ? 3 : 2;
            scatter.MarkerSize = 0;
            scatter.LegendText = Shorten(name);
            drawn++;
        }

        if (drawn == 0)
        {
            Note(plot, "no loss logged yet", 0.5, 0.5, relative: true);
        }
        else
        {
            plot.ShowLegend(Alignment.UpperRight);
        }

        plot.XLabel("step");
        plot.YLabel(Invariant($"loss (EMA, smoothing {LossSmoothing})"));
        return Save(plot, pathWithoutExtension);
    }

    /// <summary>
    /// The validation loss of each job by epoch (not smoothed: the fixed timesteps and noise leave no noise to smooth), with
    /// each job's best epoch marked by a larger point.
    /// </summary>
    public static ChartFile ValidationCurves(string title, IReadOnlyList<(string Name, bool IsBaseline, IReadOnlyList<ValidationLoss> Losses)> curves, string pathWithoutExtension)
    {
        var plot = NewPlot(title);
        var palette = new ScottPlot.Palettes.Category10();
        var drawn = 0;
        for (var index = 0; index < curves.Count; index++)
        {
            var (name, isBaseline, losses) = curves[index];
            var points = losses.Where(loss => loss.Loss is not null).ToList();
            if (points.Count == 0)
            {
                continue;
            }

            var color = isBaseline ? Colors.Black : palette.GetColor(index);
            var line = plot.Add.Scatter(points.Select(point => (double)point.Epoch).ToArray(), points.Select(point => point.Loss!.Value).ToArray());
            line.Color = color;
            line.LineWidth = isBaseline ? 3 : 2;
            line.MarkerSize = 5;
            line.LegendText = Shorten(name);
            var best = points.MinBy(point => point.Loss!.Value)!;
            var marker = plot.Add.Marker(best.Epoch, best.Loss!.Value);
            marker.Color = color;
            marker.Size = 13;
            marker.Shape = MarkerShape.FilledDiamond;
            drawn++;
        }

        if (drawn == 0)
        {
            Note(plot, "no validation loss recorded yet", 0.5, 0.5, relative: true);
        }
        else
        {
            plot.ShowLegend(Alignment.UpperRight);
        }

        plot.XLabel("epoch");
        plot.YLabel("validation loss");
        return Save(plot, pathWithoutExtension);
    }

    /// <summary>Mean score against training time for every scored job, with the Pareto front drawn and labelled.</summary>
    public static ChartFile ScoreVersusTime(SweepAnalysis analysis, string pathWithoutExtension)
    {
        var plot = NewPlot("score vs GPU time (Pareto front highlighted)");
        if (analysis.ScoredJobs.Count == 0)
        {
            Note(plot, "no scored jobs with a measured training time yet", 0.5, 0.5, relative: true);
        }
        else
        {
            var front = analysis.ParetoFront.Select(job => job.Job.Label).ToHashSet(StringComparer.Ordinal);
            var others = analysis.ScoredJobs.Where(job => !front.Contains(job.Job.Label)).ToList();
            if (others.Count > 0)
            {
                var points = plot.Add.ScatterPoints(others.Select(job => job.TrainSeconds).ToArray(), others.Select(job => job.MeanScore).ToArray());
                points.Color = MutedColor;
                points.MarkerSize = 9;
                points.LegendText = "job";
            }

            var line = plot.Add.Scatter(analysis.ParetoFront.Select(job => job.TrainSeconds).ToArray(), analysis.ParetoFront.Select(job => job.MeanScore).ToArray());
            line.Color = BaselineColor;
            line.LineWidth = 2;
            line.MarkerSize = 11;
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.LegendText = "Pareto front";

            foreach (var job in analysis.ScoredJobs)
            {
                var label = plot.Add.Text(Shorten(job.Job.Label), job.TrainSeconds, job.MeanScore);
                label.LabelFontSize = 11;
                label.LabelFontColor = front.Contains(job.Job.Label) ? BaselineColor : Colors.Black;
                label.OffsetX = 6;
                label.OffsetY = -6;
            }

            plot.ShowLegend(Alignment.LowerRight);
            // Room on the right for the labels of the slowest jobs.
            var fastest = analysis.ScoredJobs.Min(job => job.TrainSeconds);
            var slowest = analysis.ScoredJobs.Max(job => job.TrainSeconds);
            var span = Math.Max(slowest - fastest, slowest * 0.1);
            plot.Axes.SetLimitsX(Math.Max(0, fastest - span * 0.1), slowest + span * 0.3);
            plot.Axes.SetLimitsY(0, 100);
        }

        plot.XLabel("training time (s)");
        plot.YLabel("mean score");
        return Save(plot, pathWithoutExtension);
    }

    /// <summary>The spread of level means per setting, largest first; settings without enough data are listed at zero and noted.</summary>
    public static ChartFile Effects(SweepAnalysis analysis, string pathWithoutExtension)
    {
        var plot = NewPlot("summary of effects: spread of level means per setting");
        var ordered = analysis.Settings
            .OrderByDescending(setting => setting.Spread ?? double.NegativeInfinity)
            .ThenBy(setting => setting.Name, StringComparer.Ordinal)
            .ToList();
        var bars = new List<Bar>();
        for (var index = 0; index < ordered.Count; index++)
        {
            var setting = ordered[index];
            var position = ordered.Count - 1 - index;
            bars.Add(new Bar
            {
                Position = position,
                Value = setting.Spread ?? 0,
                FillColor = setting.Spread is null ? MutedColor : ScoreColor,
                Label = setting.Spread is { } spread
                    ? Invariant($"{spread:0.0}") + (setting.EtaSquared is { } eta ? Invariant($" (η² {eta:0.00})") : "")
                    : "insufficient data",
            });
        }

        if (bars.Count > 0)
        {
            var barPlot = plot.Add.Bars(bars);
            barPlot.Horizontal = true;
            barPlot.ValueLabelStyle.FontSize = 12;
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                ordered.Select((_, index) => (double)(ordered.Count - 1 - index)).ToArray(), ordered.Select(setting => Shorten(setting.Name)).ToArray());
            plot.Axes.SetLimitsX(0, Math.Max(10, ordered.Max(setting => setting.Spread ?? 0) * 1.3));
            plot.Axes.SetLimitsY(-0.7, ordered.Count - 0.3);
        }
        else
        {
            Note(plot, "no varied settings", 0.5, 0.5, relative: true);
        }

        plot.XLabel("highest minus lowest level mean (score points)");
        return Save(plot, pathWithoutExtension);
    }

    /// <summary>Exponential moving average over the finite losses, in step order.</summary>
    public static IReadOnlyList<(double Step, double Loss)> Smooth(IReadOnlyList<LossPoint> loss, double smoothing = LossSmoothing)
    {
        var smoothed = new List<(double, double)>();
        double? last = null;
        foreach (var point in loss.OrderBy(point => point.Step))
        {
            if (point.Loss is not { } value || !double.IsFinite(value))
            {
                continue;
            }

            last = last is { } previous ? smoothing * previous + (1 - smoothing) * value : value;
            smoothed.Add((point.Step, last.Value));
        }

        return smoothed;
    }

    /// <summary>A file name part from any text: lower-case letters, digits and single dashes.</summary>
    public static string Slug(string text)
    {
        var builder = new StringBuilder();
        foreach (var character in text.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(character))
            {
                builder.Append(character);
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        var slug = builder.ToString().Trim('-');
        return slug.Length == 0 ? "setting" : slug.Length > 60 ? slug[..60].TrimEnd('-') : slug;
    }

    private static Plot NewPlot(string title)
    {
        ChartFonts.EnsureRegistered();
        var plot = new Plot();
        plot.Font.Set(ChartFonts.Family);
        plot.Legend.FontName = ChartFonts.Family;
        plot.Title(Shorten(title, 80));
        return plot;
    }

    private static void Note(Plot plot, string text, double x, double y, bool relative = false)
    {
        if (relative)
        {
            plot.Axes.SetLimits(0, 1, 0, 1);
        }

        var note = plot.Add.Text(text, x, y);
        note.LabelFontSize = 18;
        note.LabelFontColor = MutedColor;
        note.LabelAlignment = Alignment.MiddleCenter;
    }

    private static ChartFile Save(Plot plot, string pathWithoutExtension)
    {
        var png = pathWithoutExtension + ".png";
        var svg = pathWithoutExtension + ".svg";
        var pngBytes = plot.GetImageBytes(Width, Height, ImageFormat.Png);
        AtomicFile.Write(png, stream => stream.Write(pngBytes));
        var svgText = plot.GetSvgXml(Width, Height);
        AtomicFile.Write(svg, stream => stream.Write(new UTF8Encoding(false).GetBytes(svgText)));
        return new ChartFile(png, svg, Width, Height);
    }

    private static string Shorten(string text, int limit = 28) => text.Length <= limit ? text : text[..(limit - 1)] + "…";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

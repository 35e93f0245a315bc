using SweepRunner.Core.Files;
using System.Globalization;
using System.Text;
using SweepRunner.Reports.Analysis;
using SweepRunner.Reports.Charts;
using SweepRunner.Reports.Export;
using SweepRunner.Reports.Grids;
using SweepRunner.Core.Results;
using SweepRunner.Core.Settings;

namespace SweepRunner.Reports.Html;

/// <summary>A preview copied into the report's images/ folder.</summary>
public sealed record CopiedPreview(ReportPreview Preview, string RelativePath);

/// <summary>What one varied setting's section shows.</summary>
public sealed record SettingSection(
    SettingAnalysis Setting,
    string? GridPath,
    string? GridNote,
    string? GridReference,
    ChartFile ScoreChart,
    ChartFile LossChart,
    ChartFile? ValidationChart = null,
    ChartFile? AutoScoreChart = null);

/// <summary>The files of a written report, as paths relative to its folder, and where its index is.</summary>
public sealed record ReportResult(string Folder, string IndexPath, IReadOnlyList<string> Files);

/// <summary>
/// Writes a sweep's report folder: index.html, images/ (copies of the previews shown), charts/ (PNG + SVG),
/// grids/ (one comparison grid per varied setting), data.csv and data.json. Every file is written atomically,
/// and every link in index.html is relative, so the folder can be zipped and opened anywhere.
/// </summary>
public static class SweepReportWriter
{
    /// <summary>The grid's columns: the epochs of this prompt.</summary>
    public const int GridPrompt = 0;

    public static ReportResult Write(SweepReportData data, string resultsFolder, string outputFolder, DateTimeOffset generatedAt, IProgress<string>? progress = null)
    {
        var folder = Path.GetFullPath(outputFolder);
        Directory.CreateDirectory(folder);
        var files = new List<string>();
        var jobs = ReportJob.From(data);
        var analysis = SweepAnalyzer.Analyze(jobs.Where(job => !job.IsDuplicate).Select(job => job.Analysis).ToList());
        var byLabel = jobs.ToDictionary(job => job.Label, StringComparer.Ordinal);

        progress?.Report("copying previews");
        var images = CopyPreviews(jobs, resultsFolder, folder, files);

        progress?.Report($"drawing charts for {analysis.Settings.Count} setting(s)");
        var chartsFolder = Path.Combine(folder, "charts");
        var sections = new List<SettingSection>();
        var slugs = new HashSet<string>(StringComparer.Ordinal);
        var validated = data.Jobs.Any(job => job.Validation.Count > 0);
        foreach (var setting in analysis.Settings)
        {
            var slug = UniqueSlug(setting.Name, slugs);
            var scoreChart = SweepCharts.SettingScores(setting, Path.Combine(chartsFolder, $"{slug}-scores"));
            var curves = setting.Levels
                .SelectMany(level => level.Jobs.Select(job => (Name: $"{level.Value} · {job.Label}", level.IsBaseline, byLabel[job.Label].Detail.Loss)))
                .Select(curve => (curve.Name, curve.IsBaseline, (IReadOnlyList<LossPoint>)curve.Loss))
                .ToList();
            var lossChart = SweepCharts.LossCurves($"{setting.Name}: training loss", curves, Path.Combine(chartsFolder, $"{slug}-loss"));
            files.AddRange([.. Relative(folder, scoreChart), .. Relative(folder, lossChart)]);
            ChartFile? validationChart = null;
            if (validated)
            {
                validationChart = SweepCharts.ValidationCurves($"{setting.Name}: validation loss",
                    setting.Levels.SelectMany(level => level.Jobs.Select(job => ($"{level.Value} · {job.Label}", level.IsBaseline, byLabel[job.Label].Detail.Validation))).ToList(),
                    Path.Combine(chartsFolder, $"{slug}-validation"));
                files.AddRange(Relative(folder, validationChart));
            }

            ChartFile? autoChart = null;
            if (analysis.AutoSources.Count > 0)
            {
                autoChart = SweepCharts.SettingAutoScores(setting, analysis.AutoSources, Path.Combine(chartsFolder, $"{slug}-auto-scores"));
                files.AddRange(Relative(folder, autoChart));
            }

            progress?.Report($"rendering the grid of {setting.Name}");
            var (gridPath, gridNote, gridReference) = RenderGrid(setting, byLabel, images, folder, slug);
            if (gridPath is not null)
            {
                files.Add(gridPath);
            }

            sections.Add(new SettingSection(setting, gridPath, gridNote, gridReference, scoreChart, lossChart, validationChart, autoChart));
        }

        var summaryCharts = new[]
        {
            SweepCharts.Effects(analysis, Path.Combine(chartsFolder, "summary-effects")),
            SweepCharts.ScoreVersusTime(analysis, Path.Combine(chartsFolder, "score-vs-time")),
            SweepCharts.TimeVersusSteps(analysis, Path.Combine(chartsFolder, "time-vs-steps")),
        };
        files.AddRange(summaryCharts.SelectMany(chart => Relative(folder, chart)));

        progress?.Report("writing data.csv, data.json and index.html");
        CsvExportWriter.WriteFile(data.Export, Path.Combine(folder, "data.csv"));
        JsonExportWriter.WriteFile(data.Export, Path.Combine(folder, "data.json"));
        files.AddRange(["data.csv", "data.json"]);

        var page = new ReportPage(data.Export.SweepName, generatedAt, jobs, analysis, sections, images, summaryCharts, folder).Render();
        var index = Path.Combine(folder, "index.html");
        AtomicFile.Write(index, stream => stream.Write(new UTF8Encoding(false).GetBytes(page)));
        files.Add("index.html");
        return new ReportResult(folder, index, files);
    }

    private static Dictionary<(string Label, long Epoch, int Prompt), CopiedPreview> CopyPreviews(
        IReadOnlyList<ReportJob> jobs, string resultsFolder, string folder, List<string> files)
    {
        var copies = new Dictionary<(string, long, int), CopiedPreview>();
        var root = Path.GetFullPath(resultsFolder);
        foreach (var job in jobs.Where(job => !job.IsDuplicate))
        {
            var previews = job.Detail.Previews;
            var finalEpoch = previews.Count == 0 ? -1 : previews.Max(preview => preview.Epoch);
            var jobFolder = $"{SweepCharts.Slug(job.Label)}-{job.Row.JobId[..Math.Min(8, job.Row.JobId.Length)]}";
            foreach (var preview in previews.Where(preview => preview.PromptIndex == GridPrompt || preview.Epoch == finalEpoch))
            {
                var source = Path.GetFullPath(preview.RelativePath, root);
                if (!File.Exists(source))
                {
                    continue;
                }

                var relative = string.Create(CultureInfo.InvariantCulture, $"images/{jobFolder}/e{preview.Epoch:000000}_p{preview.PromptIndex:00}{Path.GetExtension(source).ToLowerInvariant()}");
                AtomicFile.Write(Path.Combine(folder, relative), target =>
                {
                    using var input = File.OpenRead(source);
                    input.CopyTo(target);
                });
                files.Add(relative);
                copies[(job.Label, preview.Epoch, preview.PromptIndex)] = new CopiedPreview(preview, relative);
            }
        }

        return copies;
    }

    private static (string? Path, string? Note, string? Reference) RenderGrid(
        SettingAnalysis setting,
        IReadOnlyDictionary<string, ReportJob> byLabel,
        IReadOnlyDictionary<(string Label, long Epoch, int Prompt), CopiedPreview> images,
        string folder,
        string slug)
    {
        var rows = setting.Levels.SelectMany(level => level.Jobs.Select(job => (Level: level, Job: byLabel[job.Label]))).ToList();
        var epochs = rows
            .SelectMany(row => row.Job.Detail.Previews.Where(preview => preview.PromptIndex == GridPrompt).Select(preview => preview.Epoch))
            .Distinct()
            .Order()
            .ToList();
        if (epochs.Count == 0)
        {
            return (null, "no previews recorded yet for these jobs", null);
        }

        // The no-LoRA reference: a preview rendered before training (sample_at_first) is the base model's image,
        // since a new LoRA's up weights are zero. The baseline's is preferred; its epoch-0 column is left out when
        // every job's epoch-0 image is that same file, as it would only repeat the reference row.
        var reference = rows.OrderByDescending(row => row.Level.IsBaseline)
            .Select(row => images.GetValueOrDefault((row.Job.Label, 0L, GridPrompt)) is { } copy ? (row.Job, Copy: copy) : default)
            .FirstOrDefault(candidate => candidate.Copy is not null);
        if (reference.Copy is not null && rows.All(row => images.GetValueOrDefault((row.Job.Label, 0L, GridPrompt)) is { } copy && SameFile(folder, copy, reference.Copy)))
        {
            epochs.Remove(0);
        }

        var gridRows = rows.Select(row =>
        {
            var label = $"{setting.Name}: {row.Level.Value}{(row.Level.IsBaseline ? " (baseline)" : "")}";
            if (row.Level.Jobs.Count > 1)
            {
                // Seed replicates of a level sit in consecutive rows, each naming its seed.
                label += row.Job.Analysis.ReplicateGroup is not null && row.Job.Analysis.Settings.TryGetValue(SettingsCatalog.Seed, out var seed)
                    ? $" [{row.Job.Label}, seed {seed}]"
                    : $" [{row.Job.Label}]";
            }

            var cells = epochs.Select(epoch => images.TryGetValue((row.Job.Label, epoch, GridPrompt), out var copy)
                    ? new GridCell(Path.Combine(folder, copy.RelativePath))
                    : new GridCell(null, BlankReason(row.Job)))
                .ToList();
            return new GridRow(label, cells);
        }).ToList();

        string referenceNote;
        if (reference.Copy is not null && epochs.Count > 0)
        {
            gridRows.Insert(0, new GridRow($"no LoRA (base model, {reference.Job.Label} before training)",
                epochs.Select(_ => new GridCell(Path.Combine(folder, reference.Copy.RelativePath))).ToList()));
            referenceNote = $"The first row is the base model without a LoRA: {reference.Job.Label}'s preview before training, the same prompt and seed.";
        }
        else
        {
            referenceNote = "No no-LoRA row: no job rendered previews before training (set sample_at_first: true for one).";
        }

        var spec = new ComparisonGridSpec(
            setting.Name,
            $"epoch (prompt {GridPrompt})",
            epochs.Select(epoch => epoch.ToString(CultureInfo.InvariantCulture)).ToList(),
            gridRows);
        var relative = $"grids/{slug}.png";
        ComparisonGridRenderer.Render(spec, Path.Combine(folder, relative), new GridLimits(MaxWidth: 2400, MaxHeight: 4096, MaxCellSize: 256));
        return (relative, null, referenceNote);
    }

    private static bool SameFile(string folder, CopiedPreview first, CopiedPreview second) =>
        first.RelativePath == second.RelativePath
        || File.ReadAllBytes(Path.Combine(folder, first.RelativePath)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(folder, second.RelativePath)));

    /// <summary>Why a grid cell is blank: the job's failure, or that it has not been trained or sampled.</summary>
    public static string BlankReason(ReportJob job) => job.FailureReason is { } reason
        ? (reason.Length > 80 ? reason[..79] + "…" : reason)
        : job.Row.State switch
        {
            JobState.Planned => "not trained yet",
            JobState.Running => "running",
            _ => "no preview",
        };

    private static string UniqueSlug(string name, HashSet<string> taken)
    {
        var slug = SweepCharts.Slug(name);
        var candidate = slug;
        for (var index = 2; !taken.Add(candidate); index++)
        {
            candidate = string.Create(CultureInfo.InvariantCulture, $"{slug}-{index}");
        }

        return candidate;
    }

    private static IEnumerable<string> Relative(string folder, ChartFile chart) =>
        [Path.GetRelativePath(folder, chart.PngPath).Replace('\\', '/'), Path.GetRelativePath(folder, chart.SvgPath).Replace('\\', '/')];
}

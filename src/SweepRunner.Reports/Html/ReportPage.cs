using System.Globalization;
using System.Text;
using SweepRunner.Reports.Analysis;
using SweepRunner.Reports.Charts;
using SweepRunner.Core.Results;
using SweepRunner.Core.Scoring;
using SweepRunner.Core.Text;
using static SweepRunner.Reports.Html.HtmlText;

namespace SweepRunner.Reports.Html;

/// <summary>
/// The report's index.html: summary, one section per varied setting, failures, the full job table. Self-contained:
/// inline CSS, no scripts, relative links only. Every text that comes from users is HTML-encoded.
/// </summary>
internal sealed class ReportPage(
    string sweepName,
    DateTimeOffset generatedAt,
    IReadOnlyList<ReportJob> jobs,
    SweepAnalysis analysis,
    IReadOnlyList<SettingSection> sections,
    IReadOnlyDictionary<(string Label, long Epoch, int Prompt), CopiedPreview> images,
    IReadOnlyList<ChartFile> summaryCharts,
    string folder)
{
    private const int TopJobs = 5;

    private const string Css =
        """
        body { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; margin: 0 auto; max-width: 1200px; padding: 1rem 1.5rem 3rem; color: #1b1b1b; background: #fff; line-height: 1.4; }
        h1 { margin-bottom: .2rem; } h2 { border-bottom: 2px solid #ddd; padding-bottom: .2rem; margin-top: 2.2rem; } h3 { margin-top: 1.4rem; }
        .meta { color: #555; margin-top: 0; }
        table { border-collapse: collapse; margin: .6rem 0 1rem; font-size: .9rem; }
        th, td { border: 1px solid #d4d4d4; padding: .25rem .5rem; text-align: left; vertical-align: top; }
        th { background: #f3f3f3; } td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        tr.baseline td { background: #fff4f4; }
        .verdict { padding: .5rem .8rem; border-left: 4px solid #1f77b4; background: #f4f8fc; }
        .verdict.insufficientdata { border-color: #999; background: #f6f6f6; } .verdict.likely { border-color: #e6a100; } .verdict.clear { border-color: #2ca02c; }
        .charts { display: flex; flex-wrap: wrap; gap: .8rem; } .charts figure { margin: 0; flex: 1 1 460px; }
        figure img { max-width: 100%; height: auto; border: 1px solid #e2e2e2; } figcaption { font-size: .85rem; color: #555; }
        .grid img { max-width: 100%; height: auto; border: 1px solid #e2e2e2; }
        .thumbs img { width: 64px; height: 64px; object-fit: contain; image-rendering: pixelated; border: 1px solid #ddd; margin-right: 2px; }
        .failed { color: #b00020; } .muted { color: #666; } code { font-size: .88em; }
        nav ul { columns: 2; } @media (max-width: 700px) { nav ul { columns: 1; } }
        """;

    private readonly StringBuilder _html = new();

    private readonly bool _validated = jobs.Any(job => job.Detail.Validation.Count > 0);

    private readonly bool _autoScored = analysis.AutoSources.Count > 0;

    public string Render()
    {
        Line("<!DOCTYPE html>");
        Line("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        Line("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        Line($"<title>Sweep report: {Encode(sweepName)}</title>");
        Line($"<style>{Css}</style></head><body>");
        Line($"<h1>Sweep report: {Encode(sweepName)}</h1>");
        var distinct = jobs.Where(job => !job.IsDuplicate).ToList();
        Line($"<p class=\"meta\">Generated {Encode(generatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture))} · "
             + $"{distinct.Count} job(s), {distinct.Count(job => job.Row.State == JobState.Succeeded)} succeeded, "
             + $"{distinct.Count(job => job.FailureReason is not null)} failed or diverged, {distinct.Count(job => job.CountedScores.Count > 0)} scored · "
             + $"design: {(analysis.Design == DesignKind.FullGrid ? "full grid" : "one factor at a time around the baseline")} · "
             + "<a href=\"data.csv\">data.csv</a> · <a href=\"data.json\">data.json</a></p>");
        Navigation();
        Summary();
        Agreement();
        foreach (var section in sections)
        {
            Setting(section);
        }

        Failures();
        JobTable();
        Line("<p class=\"muted\">Verdicts compare the best level's mean score with the baseline's (or, without a baseline, with the runner-up) "
             + "in standard errors of the difference, √(SE₁² + SE₂²): under 2 SE is not distinguishable, 2–3 SE likely, 3 SE or more clear. "
             + "A level needs 2 or more scores and a setting 2 or more such levels. η² (between-level over total sum of squares) is given only for full grids.</p>");
        Line("</body></html>");
        return _html.ToString();
    }

    private void Navigation()
    {
        Line("<nav><ul>");
        Line("<li><a href=\"#summary\">Summary</a></li>");
        foreach (var section in sections)
        {
            Line($"<li><a href=\"#{Anchor(section.Setting.Name)}\">{Encode(section.Setting.Name)}</a> <span class=\"muted\">({Encode(SweepAnalyzer.Word(section.Setting.Verdict.Sureness))})</span></li>");
        }

        if (analysis.AutoSources.Count > 0)
        {
            Line("<li><a href=\"#agreement\">Automatic scores against people</a></li>");
        }

        Line("<li><a href=\"#failures\">Failures and divergences</a></li><li><a href=\"#jobs\">All jobs</a></li>");
        Line("</ul></nav>");
    }

    /// <summary>Per automatic score, Spearman's ρ with the human scores over jobs: pooled, then per scorer.</summary>
    private void Agreement()
    {
        if (analysis.AutoSources.Count == 0)
        {
            return;
        }

        Line("<h2 id=\"agreement\">Automatic scores against people</h2>");
        Line("<p>Spearman's rank correlation over jobs between each automatic score (the mean over a job's scored previews) and the human scores "
             + "(the job's score, then each scorer's mean), with a 95% interval (Fisher's z, Bonett–Wright standard error). "
             + "A metric whose interval stays well above 0 ranks these jobs as the people did, on this subject; one whose interval spans 0 cannot stand in for them.</p>");
        Line("<table><tr><th>automatic score</th><th>model</th><th>against</th><th>jobs</th><th>ρ</th><th>95% interval</th></tr>");
        foreach (var agreement in analysis.Agreements)
        {
            var correlation = agreement.Correlation;
            var rho = correlation is null ? "–" : Number(correlation.Rho, "0.00");
            var interval = correlation?.Low is { } low && correlation.High is { } high
                ? $"{Number(low, "0.00")} to {Number(high, "0.00")}"
                : agreement.Jobs < 4 ? "needs 4 or more jobs" : "–";
            Line($"<tr><td>{Encode(agreement.Source.Name)}</td><td><code>{Encode(agreement.Source.ModelSha256[..12])}</code></td>"
                 + $"<td>{(agreement.Scorer is null ? "all scorers (the job's score)" : Encode(agreement.Scorer))}</td><td class=\"num\">{agreement.Jobs}</td>"
                 + $"<td class=\"num\">{rho}</td><td class=\"num\">{interval}</td></tr>");
        }

        Line("</table>");
    }

    private void Summary()
    {
        Line("<h2 id=\"summary\">Summary</h2>");
        if (!analysis.HasScores)
        {
            Line("<p class=\"verdict insufficientdata\">No scores yet: score the previews, then render the report again. "
                 + "Charts and tables below show training times and losses only.</p>");
        }

        Line("<h3>Recommended settings</h3>");
        if (analysis.Recommendations.Count == 0)
        {
            Line("<p class=\"muted\">None yet: no setting has 2 or more levels with 2 or more scores each.</p>");
        }
        else
        {
            Line("<table><tr><th>setting</th><th>value</th><th>how sure</th><th>why</th></tr>");
            foreach (var recommendation in analysis.Recommendations)
            {
                Line($"<tr><td>{Encode(recommendation.Setting)}</td><td>{Encode(recommendation.Value)}{(recommendation.KeepsBaseline ? " <span class=\"muted\">(keep the baseline)</span>" : "")}</td>"
                     + $"<td>{Encode(SweepAnalyzer.Word(recommendation.Sureness))}</td><td>{Encode(recommendation.Reason)}</td></tr>");
            }

            Line("</table>");
        }

        Line("<h3>Best jobs by mean score</h3>");
        if (analysis.BestByScore.Count == 0)
        {
            Line("<p class=\"muted\">No job has a score yet.</p>");
        }
        else
        {
            Line("<table><tr><th>job</th><th>mean ± SE</th><th>n</th><th>epoch</th><th>pairwise rating</th><th>training time</th></tr>");
            foreach (var job in analysis.BestByScore.Take(TopJobs))
            {
                var score = ReportOf(job).Score;
                Line($"<tr><td>{Encode(Describe(job))}</td><td class=\"num\">{MeanText(job.ScoreSummary)}</td><td class=\"num\">{job.ScoreSummary.N}</td>"
                     + $"<td class=\"num\">{score.Epoch?.ToString(CultureInfo.InvariantCulture) ?? "–"}</td><td class=\"num\">{PairwiseText(score.Pairwise)}</td><td class=\"num\">{Seconds(job.TrainSeconds)}</td></tr>");
            }

            Line("</table>");
        }

        PairwiseRatings();

        var hour = TrainingHour.Name(analysis.BestByScorePerTrainingHour.Select(job => ReportOf(job.Job).Detail.Device));
        Line($"<h3>Best jobs by score per {hour}</h3>");
        if (analysis.BestByScorePerTrainingHour.Count == 0)
        {
            Line("<p class=\"muted\">No job has both a score and a measured training time yet.</p>");
        }
        else
        {
            Line($"<table><tr><th>job</th><th>score per {hour}</th><th>mean score</th><th>training time</th><th>on the Pareto front</th></tr>");
            var front = analysis.ParetoFront.Select(job => job.Job.Label).ToHashSet(StringComparer.Ordinal);
            foreach (var job in analysis.BestByScorePerTrainingHour.Take(TopJobs))
            {
                Line($"<tr><td>{Encode(Describe(job.Job))}</td><td class=\"num\">{Number(job.ScorePerTrainingHour)}</td><td class=\"num\">{Number(job.MeanScore)}</td>"
                     + $"<td class=\"num\">{Seconds(job.TrainSeconds)}</td><td>{(front.Contains(job.Job.Label) ? "yes" : "")}</td></tr>");
            }

            Line("</table>");
        }

        var fit = analysis.SecondsPerStep;
        Line(fit is null
            ? "<p>Seconds per step: no fit yet (needs 2 succeeded jobs with different step counts).</p>"
            : $"<p>Seconds per step (least squares of training time on total steps over {fit.N} succeeded jobs): <b>{Number(fit.Slope, "0.####")} s/step</b>, "
              + $"intercept {Number(fit.Intercept)} s, R² = {Number(fit.RSquared, "0.000")}.</p>");
        Charts(summaryCharts, ["Spread of level means per setting, largest first", "Mean score against training time; the Pareto front in red", "Training time against total steps, with the fit"]);
    }

    private void Setting(SettingSection section)
    {
        var setting = section.Setting;
        Line($"<h2 id=\"{Anchor(setting.Name)}\">{Encode(setting.Name)}</h2>");
        Line($"<p class=\"verdict {setting.Verdict.Sureness.ToString().ToLowerInvariant()}\"><b>Verdict ({Encode(SweepAnalyzer.Word(setting.Verdict.Sureness))}):</b> {Encode(setting.Verdict.Text)}</p>");
        if (setting.LossVerdict is { } lossVerdict)
            Line($"<p class=\"verdict\"><b>Over seeds:</b> {Encode(lossVerdict)}. Each level's seed replicates count as one observation each.</p>");
        foreach (var auto in setting.AutoVerdicts)
            Line($"<p class=\"verdict {auto.Verdict.Sureness.ToString().ToLowerInvariant()}\"><b>By {Encode(auto.Source.Name)} ({Encode(SweepAnalyzer.Word(auto.Verdict.Sureness))}):</b> {Encode(auto.Verdict.Text)}</p>");
        var extra = new List<string>();
        if (setting.Spread is { } spread)
        {
            extra.Add($"spread of level means {Number(spread)} points");
        }

        if (setting.EtaSquared is { } eta)
        {
            extra.Add($"η² = {Number(eta, "0.00")}");
        }

        if (extra.Count > 0)
        {
            Line($"<p>{string.Join(" · ", extra)}</p>");
        }

        if (section.GridPath is { } grid)
        {
            var prompt = setting.Levels.SelectMany(level => level.Jobs)
                .SelectMany(job => jobs.First(j => j.Label == job.Label).Detail.Previews)
                .FirstOrDefault(preview => preview.PromptIndex == SweepReportWriter.GridPrompt)?.Prompt;
            Line($"<figure class=\"grid\"><a href=\"{Link(grid)}\"><img src=\"{Link(grid)}\" alt=\"{Encode($"comparison grid of {setting.Name}")}\"></a>"
                 + $"<figcaption>Rows: the jobs of this setting, baseline included. Columns: the epochs of prompt {SweepReportWriter.GridPrompt}"
                 + (prompt is null ? "" : $" (“{Encode(prompt)}”)") + $". Blank cells say why a job has no image. {Encode(section.GridReference)}</figcaption></figure>");
        }
        else
        {
            Line($"<p class=\"muted\">No grid: {Encode(section.GridNote)}.</p>");
        }

        Charts([section.ScoreChart, section.LossChart], ["Scores by level: points are individual scores, diamonds mean ± SE, red the baseline; squares the training time (right axis)", "Training loss, EMA-smoothed"]);
        if (section.AutoScoreChart is { } autoChart)
            Charts([autoChart], ["Automatic scores by level: points are previews, diamonds mean ± SE, one colour per score"]);
        if (section.ValidationChart is { } validationChart)
            Charts([validationChart], ["Validation loss by epoch: the held-out images at fixed timesteps and noise, the same for every job; a diamond marks each job's best epoch"]);

        Line("<table><tr><th>level</th><th>job</th><th>state</th><th>n</th><th>mean ± SE</th><th>scores</th><th>epoch</th><th>other epochs (not counted)</th>"
             + $"<th>pairwise rating</th><th>training time</th><th>total steps</th>{(_validated ? "<th>validation loss (best epoch)</th>" : "")}{(_autoScored ? "<th>automatic scores</th>" : "")}<th>notes</th></tr>");
        foreach (var level in setting.Levels)
        {
            foreach (var job in level.Jobs)
            {
                var report = ReportOf(job);
                var notes = report.CountedScores.Where(score => !string.IsNullOrWhiteSpace(score.Note)).Select(score => $"{Encode(score.Scorer)}: {Encode(score.Note)}");
                Line($"<tr{(level.IsBaseline ? " class=\"baseline\"" : "")}><td>{Encode(level.Value)}{(level.IsBaseline ? " (baseline)" : "")}</td><td>{Encode(job.Label)}</td>"
                     + $"<td>{StateText(report)}</td><td class=\"num\">{job.ScoreSummary.N}</td><td class=\"num\">{MeanText(job.ScoreSummary)}</td>"
                     + $"<td>{string.Join(", ", job.Scores.Select(score => Number(score, "0.#")))}</td>"
                     + $"<td class=\"num\">{report.Score.Epoch?.ToString(CultureInfo.InvariantCulture) ?? "–"}</td><td>{OtherEpochsText(report.Score)}</td>"
                     + $"<td class=\"num\">{PairwiseText(report.Score.Pairwise)}</td><td class=\"num\">{Seconds(job.TrainSeconds)}</td>"
                     + $"<td class=\"num\">{job.TotalSteps}</td>{ValidationCell(report)}{AutoScoreCell(job)}<td>{string.Join("<br>", notes)}</td></tr>");
            }

            if (level.Jobs.Count > 1)
            {
                var seeds = setting.BySeeds
                    ? $"between seeds: score {SweepAnalyzer.SeedMean(level.SeedScores)}; final loss {SweepAnalyzer.SeedMean(level.SeedLoss)}"
                    : "";
                Line($"<tr><td colspan=\"3\"><i>level {Encode(level.Value)}</i></td><td class=\"num\">{level.Score.N}</td><td class=\"num\">{MeanText(level.Score)}</td><td colspan=\"4\">{Encode(seeds)}</td><td class=\"num\">{Seconds(level.MeanTrainSeconds)}</td><td></td>{(_validated ? "<td></td>" : "")}{(_autoScored ? "<td></td>" : "")}<td></td></tr>");
            }
        }

        Line("</table>");
    }

    private void Failures()
    {
        Line("<h2 id=\"failures\">Failures and divergences</h2>");
        var failed = jobs.Where(job => !job.IsDuplicate && (job.FailureReason is not null || job.Detail.Failures.Count > 0)).ToList();
        if (failed.Count == 0)
        {
            Line("<p class=\"muted\">No attempt failed or diverged.</p>");
            return;
        }

        Line("<table><tr><th>job</th><th>state now</th><th>attempt</th><th>outcome</th><th>reason</th></tr>");
        foreach (var job in failed)
        {
            foreach (var failure in job.Detail.Failures)
            {
                Line($"<tr><td>{Encode(job.Describe())}</td><td>{StateText(job)}</td><td class=\"num\">{failure.AttemptId}</td>"
                     + $"<td class=\"failed\">{Encode(StoredNames.Of(failure.Outcome))}</td><td><code>{Encode(failure.ErrorText ?? "(no error text)")}</code></td></tr>");
            }
        }

        Line("</table>");
    }

    private void JobTable()
    {
        Line("<h2 id=\"jobs\">All jobs</h2>");
        Line("<table><tr><th>label</th><th>differs from base</th><th>state</th><th>job id</th><th>total steps</th><th>training time</th><th>final loss</th><th>n</th><th>mean ± SE</th>"
             + $"<th>epoch</th><th>pairwise rating</th>{(_validated ? "<th>validation loss (best epoch)</th>" : "")}<th>final previews</th></tr>");
        foreach (var job in jobs)
        {
            var diff = DiffText.Of(job.Analysis.Diff);
            var state = job.IsDuplicate ? $"duplicate of {Encode(job.Row.DuplicateOfLabel)}" : StateText(job);
            Line($"<tr{(job.Analysis.IsBaseline ? " class=\"baseline\"" : "")}><td>{Encode(job.Label)}</td><td>{Encode(diff)}</td><td>{state}</td><td><code>{Encode(job.Row.JobId[..Math.Min(16, job.Row.JobId.Length)])}</code></td>"
                 + $"<td class=\"num\">{job.Row.TotalSteps}</td><td class=\"num\">{Seconds(job.Detail.TrainSeconds)}</td><td class=\"num\">{Number(job.Row.FinalLoss, "0.0000")}</td>"
                 + $"<td class=\"num\">{job.Analysis.ScoreSummary.N}</td><td class=\"num\">{MeanText(job.Analysis.ScoreSummary)}</td>"
                 + $"<td class=\"num\">{job.Score.Epoch?.ToString(CultureInfo.InvariantCulture) ?? "–"}</td><td class=\"num\">{PairwiseText(job.Score.Pairwise)}</td>{(job.IsDuplicate ? (_validated ? "<td></td>" : "") : ValidationCell(job))}<td class=\"thumbs\">{Thumbnails(job)}</td></tr>");
        }

        Line("</table>");
    }

    private string Thumbnails(ReportJob job)
    {
        if (job.IsDuplicate || job.Detail.Previews.Count == 0)
        {
            return "";
        }

        var finalEpoch = job.Detail.Previews.Max(preview => preview.Epoch);
        var builder = new StringBuilder();
        foreach (var preview in job.Detail.Previews.Where(preview => preview.Epoch == finalEpoch).OrderBy(preview => preview.PromptIndex))
        {
            if (images.TryGetValue((job.Label, preview.Epoch, preview.PromptIndex), out var copy))
            {
                var title = string.Create(CultureInfo.InvariantCulture, $"epoch {preview.Epoch}, prompt {preview.PromptIndex}, seed {preview.Seed}: {preview.Prompt}");
                builder.Append(CultureInfo.InvariantCulture, $"<a href=\"{Link(copy.RelativePath)}\"><img src=\"{Link(copy.RelativePath)}\" alt=\"{Encode(title)}\" title=\"{Encode(title)}\"></a>");
            }
        }

        return builder.ToString();
    }

    /// <summary>The job's automatic scores, "CLIP-I 0.812 · DINO 0.654"; empty when the sweep has none.</summary>
    private string AutoScoreCell(AnalysisJob job)
    {
        if (!_autoScored)
        {
            return "";
        }

        var parts = analysis.AutoSources.Select(source => source.Of(job) is { } score ? $"{Encode(source.Name)} {Number(score.Mean, "0.000")}" : null).OfType<string>().ToList();
        return $"<td class=\"num\">{(parts.Count == 0 ? "–" : string.Join(" · ", parts))}</td>";
    }

    /// <summary>The last validation loss and the best epoch's (its epoch and loss); empty when the sweep has no validation set.</summary>
    private string ValidationCell(ReportJob job)
    {
        if (!_validated)
        {
            return "";
        }

        var losses = job.Detail.Validation;
        if (losses.Count == 0)
        {
            return "<td class=\"num\">–</td>";
        }

        var last = losses[^1];
        var best = job.Detail.BestEpoch is { } epoch ? losses.First(loss => loss.Epoch == epoch) : null;
        var bestText = best is null ? "" : $" (best {Number(best.Loss, "0.0000")} at epoch {best.Epoch.ToString(CultureInfo.InvariantCulture)})";
        return $"<td class=\"num\">{Number(last.Loss, "0.0000")}{bestText}</td>";
    }

    private void Charts(IReadOnlyList<ChartFile> charts, IReadOnlyList<string> captions)
    {
        Line("<div class=\"charts\">");
        for (var index = 0; index < charts.Count; index++)
        {
            var png = Link(Path.GetRelativePath(folder, charts[index].PngPath));
            var svg = Link(Path.GetRelativePath(folder, charts[index].SvgPath));
            Line($"<figure><a href=\"{png}\"><img src=\"{png}\" width=\"{charts[index].Width}\" height=\"{charts[index].Height}\" alt=\"{Encode(captions[index])}\"></a>"
                 + $"<figcaption>{Encode(captions[index])} · <a href=\"{svg}\">SVG</a></figcaption></figure>");
        }

        Line("</div>");
    }

    private static string Describe(AnalysisJob job) => ReportJob.Describe(job);

    private ReportJob ReportOf(AnalysisJob job) => jobs.First(report => report.Label == job.Label);

    /// <summary>Pairwise ratings beside the direct scores: every job that took part in a choice, highest first.</summary>
    private void PairwiseRatings()
    {
        Line("<h3 id=\"pairwise\">Pairwise ratings</h3>");
        var rated = jobs.Where(job => !job.IsDuplicate && job.Score.Pairwise.Rating is not null)
            .OrderByDescending(job => job.Score.Pairwise.Rating)
            .ToList();
        if (rated.Count == 0)
        {
            Line("<p class=\"muted\">No pairwise choices yet: compare previews in the scoring page's pairwise mode.</p>");
            return;
        }

        Line("<table><tr><th>job</th><th>pairwise rating</th><th>95% interval</th><th>comparisons</th><th>mean ± SE (direct scores)</th><th>n</th></tr>");
        foreach (var job in rated)
        {
            Line($"<tr><td>{Encode(job.Describe())}</td><td class=\"num\">{Number(job.Score.Pairwise.Rating)}</td><td class=\"num\">{IntervalText(job.Score.Pairwise)}</td><td class=\"num\">{job.Score.Pairwise.Comparisons}</td>"
                 + $"<td class=\"num\">{MeanText(job.Score.Summary)}</td><td class=\"num\">{job.Score.Summary.N}</td></tr>");
        }

        Line("</table>");
        Line("<p class=\"muted\">The pairwise rating is a Bradley–Terry fit of every choice between two of the sweep's jobs: "
             + "100 × the chance of being picked over an average job of the sweep; a tie counts half a win for each side. The 95% interval "
             + "(Wald, from the fit's information) says how sure the rating is: few comparisons give a wide one. Elsewhere a rating reads "
             + "“rating [interval] (comparisons)”.</p>");
    }

    private static string PairwiseText(PairwiseStanding pairwise) => pairwise.Rating is { } rating
        ? string.Create(CultureInfo.InvariantCulture, $"{Number(rating)} [{IntervalText(pairwise)}] ({pairwise.Comparisons})")
        : "–";

    private static string IntervalText(PairwiseStanding pairwise) => pairwise is { Low: { } low, High: { } high }
        ? $"{Number(low)}–{Number(high)}"
        : "–";

    private static string OtherEpochsText(JobScore score) => string.Join("<br>", score.OtherEpochs.Select(epoch =>
        string.Create(CultureInfo.InvariantCulture, $"epoch {epoch.Epoch}: {MeanText(epoch.Summary)} (n = {epoch.Summary.N})")));

    private static string StateText(ReportJob job) => job.FailureReason is not null
        ? $"<span class=\"failed\">{Encode(StoredNames.Of(job.Row.State))}</span>"
        : Encode(StoredNames.Of(job.Row.State));

    private static string MeanText(SampleSummary summary) => summary.Mean is null
        ? "–"
        : summary.StandardError is { } se ? $"{Number(summary.Mean)} ± {Number(se)}" : Number(summary.Mean);

    private static string Anchor(string name) => "setting-" + SweepCharts.Slug(name);

    private void Line(string text) => _html.Append(text).Append('\n');
}

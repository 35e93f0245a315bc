using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SweepRunner.Core.Results;
using SweepRunner.Core.Scoring;
using SweepRunner.Core.Text;

namespace SweepRunner.Web.Api;

/// <summary>The JSON API of the scoring page. Every call reads the store afresh, so a running sweep's new previews show up.</summary>
internal sealed class ScoringApi(IScoringStore store, ReferenceImages references)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/sweeps", ListSweepsAsync);
        routes.MapGet("/api/sweeps/{sweep}/gallery", GalleryAsync);
        routes.MapGet("/api/sweeps/{sweep}/blind", BlindAsync);
        routes.MapGet("/api/sweeps/{sweep}/pair", PairAsync);
        routes.MapGet("/api/sweeps/{sweep}/ratings", RatingsAsync);
        routes.MapPost("/api/sweeps/{sweep}/scores", AddScoreAsync);
        routes.MapPost("/api/sweeps/{sweep}/pairwise", AddChoiceAsync);
    }

    private async Task<IResult> ListSweepsAsync(CancellationToken cancellationToken)
    {
        var sweeps = await store.ListSweepsAsync(cancellationToken);
        return Ok(sweeps.Select(sweep => new SweepItem(sweep.Name, sweep.JobCount, sweep.UpdatedAt)).ToList());
    }

    private Task<IResult> GalleryAsync(string sweep, string? scorer, CancellationToken cancellationToken) => Guard(sweep, async () =>
    {
        if (ScoreText.ControlProblem(scorer, "scorer", allowTabAndNewline: false) is { } problem)
        {
            return BadRequest(problem);
        }

        var gallery = await store.GetSweepGalleryAsync(sweep, cancellationToken);
        var scores = await store.GetLatestPreviewScoresAsync(sweep, cancellationToken);
        var byPreview = scores.ToLookup(score => score.PreviewId!.Value);
        var autoScores = AutoScoresByPreview(await store.GetAutoScoresAsync(sweep, cancellationToken));
        var jobs = gallery.Jobs.Select(job =>
        {
            var diff = Diff(job.DiffJson);
            var previews = job.Previews.Select(preview =>
            {
                var all = byPreview[preview.PreviewId].ToList();
                var mine = scorer is null ? null : all.FirstOrDefault(score => score.Scorer == scorer);
                return new PreviewView(
                    preview.PreviewId,
                    preview.Image.Epoch,
                    preview.Image.PromptIndex,
                    preview.Image.Prompt,
                    preview.Image.Seed,
                    preview.Image.Width,
                    preview.Image.Height,
                    ImageUrl(preview.PreviewId),
                    mine?.Value,
                    mine?.Note,
                    all.Count == 0 ? null : all.Average(score => score.Value),
                    all.Count)
                {
                    AutoScores = autoScores[preview.PreviewId].ToList(),
                };
            }).ToList();
            return new JobView(job.Label, job.JobId, DiffText.OfJson(job.DiffJson), diff, StoredNames.Of(job.State), diff.Count == 0, job.DuplicateOfLabel, previews);
        }).ToList();
        return Ok(new GalleryView(gallery.Sweep, jobs.FirstOrDefault(job => job.IsBaseline)?.Label, jobs));
    });

    private static ILookup<long, AutoScoreView> AutoScoresByPreview(IReadOnlyList<AutoScore> scores) =>
        scores.OrderBy(score => score.Metric).ThenBy(score => score.ModelSha256, StringComparer.Ordinal)
            .ToLookup(score => score.PreviewId, score => new AutoScoreView(score.Metric.DisplayName(), score.ModelSha256[..8], Rounding.Significant(score.Value)));

    private Task<IResult> BlindAsync(string sweep, string? scorer, CancellationToken cancellationToken) => Guard(sweep, async () =>
    {
        if (ScorerProblem(scorer) is { } problem)
        {
            return BadRequest(problem);
        }

        var gallery = await store.GetSweepGalleryAsync(sweep, cancellationToken);
        var mine = (await store.GetLatestPreviewScoresAsync(sweep, cancellationToken))
            .Where(score => score.Scorer == scorer && score.Blind)
            .ToDictionary(score => score.PreviewId!.Value);
        var autoScores = AutoScoresByPreview(await store.GetAutoScoresAsync(sweep, cancellationToken));
        var items = UniquePreviews(gallery)
            .OrderBy(entry => ShuffleKey(sweep, scorer!, entry.Preview.PreviewId))
            .Select(entry =>
            {
                var scored = mine.GetValueOrDefault(entry.Preview.PreviewId);
                return new BlindItem(
                    entry.Preview.PreviewId,
                    ImageUrl(entry.Preview.PreviewId),
                    entry.Preview.Image.Width,
                    entry.Preview.Image.Height,
                    entry.Preview.Image.Prompt,
                    scored?.Value,
                    scored?.Note,
                    scored is null ? null : entry.Job.Label,
                    scored is null ? null : DiffText.OfJson(entry.Job.DiffJson))
                {
                    AutoScores = scored is null ? null : autoScores[entry.Preview.PreviewId].ToList(),
                };
            })
            .ToList();
        return Ok(new BlindQueue(gallery.Sweep, items));
    });

    private Task<IResult> PairAsync(string sweep, string? scorer, string? skip, CancellationToken cancellationToken) => Guard(sweep, async () =>
    {
        if (ScorerProblem(scorer) is { } problem)
        {
            return BadRequest(problem);
        }

        var gallery = await store.GetSweepGalleryAsync(sweep, cancellationToken);
        var choices = (await store.GetPairwiseChoicesAsync(sweep, cancellationToken)).Where(choice => choice.Scorer == scorer).ToList();
        var previews = UniquePreviews(gallery).Select(entry => entry.Preview).ToList();
        var pair = PairPicker.Pick(previews, choices.Select(choice => (choice.FirstPreviewId, choice.SecondPreviewId)), Random.Shared, SkippedPair(skip));
        if (pair is not var (left, right))
        {
            return Ok(new PairView(gallery.Sweep, null, null, null, null, null, choices.Count,
                "No pair to compare yet: pairs need previews of the same epoch, prompt and seed from two jobs. Reload when the sweep has made more previews."));
        }

        var reference = await references.FindAsync(sweep, left.PreviewId, cancellationToken) is null ? null : ReferenceImages.Url(gallery.Sweep, left.PreviewId);
        return Ok(new PairView(gallery.Sweep, Side(left), Side(right), left.Image.Prompt, left.Image.Epoch, reference, choices.Count, null));
    });

    // The job's score is the report's and the export's: ScorePolicy over preview scores and scores given with
    // 'sweeprunner score', one epoch per job, beside the pairwise rating over the sweep's jobs.
    private Task<IResult> RatingsAsync(string sweep, CancellationToken cancellationToken) => Guard(sweep, async () =>
    {
        var gallery = await store.GetSweepGalleryAsync(sweep, cancellationToken);
        var scores = ScorePolicy.Of(await store.GetSweepScoringAsync(sweep, cancellationToken));
        var jobs = gallery.Jobs.Select(job =>
        {
            var score = scores.GetValueOrDefault(job.JobId, JobScore.None);
            return new JobRating(
                job.Label,
                DiffText.OfJson(job.DiffJson),
                StoredNames.Of(job.State),
                Diff(job.DiffJson).Count == 0,
                score.Summary.Mean,
                score.Summary.N,
                score.Summary.StandardError,
                score.Epoch,
                score.Pairwise.Rating,
                score.Pairwise.Low,
                score.Pairwise.High,
                score.Pairwise.Comparisons);
        }).ToList();
        return Ok(new RatingsView(gallery.Sweep, jobs));
    });

    private Task<IResult> AddScoreAsync(string sweep, HttpRequest request, CancellationToken cancellationToken) => Guard(sweep, async () =>
    {
        var (body, bodyProblem) = await ReadBodyAsync<ScoreRequest>(request, cancellationToken);
        if (body is null)
        {
            return BadRequest(bodyProblem!);
        }

        var problem = ScorerProblem(body.Scorer)
            ?? (body.PreviewId is null ? "give the previewId of the preview to score" : null)
            ?? (body.Value is not { } value || !ScoreRange.IsValid(value)
                ? ScoreRange.Problem(body.Value?.ToString(CultureInfo.InvariantCulture) ?? "(none given)")
                : null)
            ?? ScoreText.NoteProblem(body.Note, "note");
        if (problem is not null)
        {
            return BadRequest(problem);
        }

        var gallery = await store.GetSweepGalleryAsync(sweep, cancellationToken);
        var job = JobOfPreview(gallery, body.PreviewId!.Value);
        if (job is null)
        {
            return BadRequest($"no preview with id {body.PreviewId} in sweep '{sweep}'; reload the page");
        }

        var note = string.IsNullOrWhiteSpace(body.Note) ? null : body.Note.Trim();
        var scoreId = await store.AddPreviewScoreAsync(body.PreviewId.Value, new ScoreEntry(body.Scorer!.Trim(), body.Value!.Value, body.Blind, note), cancellationToken);
        var autoScores = AutoScoresByPreview(await store.GetAutoScoresAsync(sweep, cancellationToken))[body.PreviewId.Value].ToList();
        return Ok(new ScoreSaved(scoreId, body.PreviewId.Value, body.Value.Value, body.Blind, job.Label, DiffText.OfJson(job.DiffJson)) { AutoScores = autoScores });
    });

    private Task<IResult> AddChoiceAsync(string sweep, HttpRequest request, CancellationToken cancellationToken) => Guard(sweep, async () =>
    {
        var (body, bodyProblem) = await ReadBodyAsync<ChoiceRequest>(request, cancellationToken);
        if (body is null)
        {
            return BadRequest(bodyProblem!);
        }

        if (ScorerProblem(body.Scorer) is { } scorerProblem)
        {
            return BadRequest(scorerProblem);
        }

        if (body is not { LeftId: { } leftId, RightId: { } rightId } || (body.ChosenId is null) != body.Tie)
        {
            return BadRequest("give leftId, rightId and either chosenId (one of the two) or tie: true (neither is closer)");
        }

        if (body.ChosenId is { } chosenId && chosenId != leftId && chosenId != rightId)
        {
            return BadRequest($"the chosen preview {chosenId} is neither {leftId} nor {rightId}");
        }

        var gallery = await store.GetSweepGalleryAsync(sweep, cancellationToken);
        var previews = gallery.Jobs.SelectMany(job => job.Previews).DistinctBy(preview => preview.PreviewId).ToDictionary(preview => preview.PreviewId);
        if (!previews.TryGetValue(leftId, out var left) || !previews.TryGetValue(rightId, out var right))
        {
            return BadRequest($"previews {leftId} and {rightId} must both be previews of sweep '{sweep}'; reload the page");
        }

        if (left.JobId == right.JobId || PairPicker.GroupOf(left) != PairPicker.GroupOf(right))
        {
            return BadRequest($"previews {leftId} and {rightId} cannot be compared: a pair is the same epoch, prompt and seed from two different jobs");
        }

        var choiceId = await store.AddPairwiseChoiceAsync(new PairwiseChoice(leftId, rightId, body.ChosenId, body.Scorer!.Trim()), cancellationToken);
        var winner = body.ChosenId == rightId ? right : left;
        var loser = body.ChosenId == rightId ? left : right;
        return Ok(new ChoiceSaved(choiceId, LabelOf(gallery, winner.JobId), LabelOf(gallery, loser.JobId), body.Tie));
    });

    /// <summary>The pair the scorer skipped ("ID,ID"), to be offered something else next; null when none or unreadable.</summary>
    private static (long, long)? SkippedPair(string? skip)
    {
        var parts = skip?.Split(',');
        return parts is [var first, var second]
               && long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var a)
               && long.TryParse(second, NumberStyles.None, CultureInfo.InvariantCulture, out var b)
            ? (a, b)
            : null;
    }

    private static IReadOnlyList<SettingValue> Diff(string diffJson) =>
        DiffText.Values(diffJson).Select(pair => new SettingValue(pair.Key, pair.Value)).ToList();

    public static string ImageUrl(long previewId) => string.Create(CultureInfo.InvariantCulture, $"/images/{previewId}");

    private static IEnumerable<(GalleryJob Job, StoredPreview Preview)> UniquePreviews(SweepGallery gallery) =>
        gallery.Jobs.SelectMany(job => job.Previews.Select(preview => (job, preview))).DistinctBy(entry => entry.preview.PreviewId);

    private static GalleryJob? JobOfPreview(SweepGallery gallery, long previewId) =>
        gallery.Jobs.FirstOrDefault(job => job.Previews.Any(preview => preview.PreviewId == previewId));

    private static string LabelOf(SweepGallery gallery, string jobId) => gallery.Jobs.First(job => job.JobId == jobId).Label;

    private static PairSide Side(StoredPreview preview) =>
        new(preview.PreviewId, ImageUrl(preview.PreviewId), preview.Image.Width, preview.Image.Height);

    /// <summary>A stable order per scorer and sweep that tells nothing about the jobs (FNV-1a of the three).</summary>
    private static ulong ShuffleKey(string sweep, string scorer, long previewId)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{sweep}\n{scorer}\n{previewId}")))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }

    private static string? ScorerProblem(string? scorer) =>
        string.IsNullOrWhiteSpace(scorer) ? "give the scorer's name (scorer)" : ScoreText.ScorerProblem(scorer, "scorer");

    private static async Task<(T? Body, string? Problem)> ReadBodyAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, "send the request body as JSON (Content-Type: application/json)");
        }

        try
        {
            var body = await request.ReadFromJsonAsync<T>(Json, cancellationToken);
            return body is null ? (null, "the request body is empty") : (body, null);
        }
        catch (JsonException exception)
        {
            return (null, $"the request body is not valid JSON for this call: {exception.Message}");
        }
    }

    /// <summary>
    /// Turns the store's refusals into answers: 404 for a sweep the database does not hold, 400 otherwise. The page
    /// writes the 404 itself and takes file paths out of the store's messages: they are for the command line, and
    /// where the database lies is nothing a browser needs to know.
    /// </summary>
    private async Task<IResult> Guard(string sweep, Func<Task<IResult>> handler)
    {
        try
        {
            return await handler();
        }
        catch (ResultsStoreException exception)
        {
            var names = (await store.ListSweepsAsync()).Select(summary => summary.Name).ToList();
            if (names.Contains(sweep, StringComparer.Ordinal))
            {
                return BadRequest(WithoutPaths(exception.Message, store.ResultsFolder));
            }

            var known = names.Count == 0 ? "it holds no sweep yet" : "it holds: " + string.Join(", ", names);
            return Results.Json(
                new ErrorView($"no sweep named '{sweep}' in this results folder ({known}); pick one at the top of the page, " +
                              "or register it with 'sweeprunner plan <sweep file> --save'"),
                Json,
                statusCode: StatusCodes.Status404NotFound);
        }
    }

    /// <summary>The store's message without the file it starts with ("/…/sweeprunner.db: …") or the results folder's path.</summary>
    internal static string WithoutPaths(string message, string resultsFolder)
    {
        var colon = message.IndexOf(": ", StringComparison.Ordinal);
        if (colon > 0 && Path.IsPathRooted(message[..colon]))
        {
            message = message[(colon + 2)..];
        }

        var folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(resultsFolder));
        return folder.Length > 1
            ? Regex.Replace(message, Regex.Escape(folder) + @"(?=[/\\\s'"":,;)]|$)", "the results folder", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))
            : message;
    }

    private static IResult Ok<T>(T value) => Results.Json(value, Json);

    private static IResult BadRequest(string message) => Results.Json(new ErrorView(message), Json, statusCode: StatusCodes.Status400BadRequest);
}

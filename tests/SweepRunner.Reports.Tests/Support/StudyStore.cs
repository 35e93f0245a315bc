using System.Globalization;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SweepRunner.Store;
using SweepRunner.Core.Results;
using SweepRunner.Core.Scoring;

namespace SweepRunner.Reports.Tests.Support;

/// <summary>
/// A small one-factor sweep written through the store's own API into a results folder, with real PNG previews:
/// a baseline, two alphas, a paired job that diverged, a job that failed and one never trained. Scores optional; with
/// <c>sampleAtFirst</c> every trained job also has epoch-0 previews, all the same solid <see cref="NoLoraColour"/> image,
/// as a sweep with sample_at_first gives (a new LoRA changes nothing).
/// </summary>
public static class StudyStore
{
    public const string SweepName = "study";
    public const string ScriptNote = "<script>alert(1)</script>";
    public static readonly Rgba32 NoLoraColour = new(250, 0, 250);

    private const string BaseSettings = """{"learning_rate":0.001,"network_alpha":16,"network_dim":16,"optimizer_type":"AdamW"}""";

    /// <summary>The validation loss of each validated job by epoch, when the study is created with a validation set.</summary>
    public static readonly IReadOnlyDictionary<string, double[]> ValidationLosses = new Dictionary<string, double[]>
    {
        ["base"] = [0.30, 0.25],
        ["alpha-1"] = [0.31, 0.33],
        ["alpha-64"] = [0.28, 0.27],
    };

    /// <summary>The models of the automatic scores, when the study is created with them.</summary>
    public static readonly string ClipModel = new('c', 64), DinoModel = new('d', 64);

    /// <summary>Each job's automatic scores by metric: its final previews score the value ∓ 0.01 (prompt 0, prompt 1).</summary>
    public static readonly IReadOnlyDictionary<string, (double ClipI, double Dino)> AutoScores = new Dictionary<string, (double, double)>
    {
        ["base"] = (0.80, 0.60),
        ["alpha-1"] = (0.70, 0.65),
        ["alpha-64"] = (0.82, 0.50),
        ["<i>lion</i>"] = (0.30, 0.55),
    };

    public static async Task<ResultsStore> CreateAsync(string resultsFolder, bool withScores = true, bool sampleAtFirst = false, string device = "cpu",
        bool withValidation = false, bool withAutoScores = false)
    {
        var study = new Study(sampleAtFirst, device, withValidation);
        var store = await ResultsStore.OpenAsync(resultsFolder);
        await store.RegisterSweepAsync(new SweepRegistration(SweepName, "sweeps/study.yaml", "name: study\n",
        [
            Job("base", "{}", 80, 60),
            Job("alpha-1", """{"network_alpha":1}""", 80, 60),
            Job("alpha-64", """{"network_alpha":64}""", 80, 60),
            Job("<i>lion</i>", """{"learning_rate":100,"optimizer_type":"Lion"}""", 80, 60),
            Job("batch-8", """{"train_batch_size":8}""", 40, 30),
            Job("dim-32", """{"network_dim":32}""", 80, 60),
        ]));

        await TrainAsync(store, study, resultsFolder, "base", epochs: 2, seconds: 40, colour: new Rgba32(200, 60, 60));
        await TrainAsync(store, study, resultsFolder, "alpha-1", epochs: 2, seconds: 42, colour: new Rgba32(60, 160, 60));
        await TrainAsync(store, study, resultsFolder, "alpha-64", epochs: 2, seconds: 41, colour: new Rgba32(60, 60, 200));
        await TrainAsync(store, study, resultsFolder, "<i>lion</i>", epochs: 1, seconds: 9, colour: new Rgba32(20, 20, 20),
            outcome: AttemptOutcome.Diverged, error: "training diverged at step 23: loss is NaN");
        var failed = await store.StartAttemptAsync(new AttemptStart(JobId("batch-8"), "host", 7, device));
        await store.FinishAttemptAsync(failed, AttemptOutcome.Failed, "out of memory: batch of 8 at 64×64 & <more>", new PhaseTimings(1, 0, 0.5, 0, 0));

        if (withAutoScores)
        {
            foreach (var (label, (clipI, dino)) in AutoScores)
            {
                var previews = await store.GetPreviewsAsync(JobId(label));
                var last = previews.Max(preview => preview.Image.Epoch);
                await store.RecordAutoScoresAsync(previews.Where(preview => preview.Image.Epoch == last)
                    .SelectMany(preview => new[]
                    {
                        new AutoScore(preview.PreviewId, AutoMetric.ClipI, ClipModel, clipI + (preview.Image.PromptIndex == 0 ? -0.01 : 0.01)),
                        new AutoScore(preview.PreviewId, AutoMetric.Dino, DinoModel, dino + (preview.Image.PromptIndex == 0 ? -0.01 : 0.01)),
                    }).ToList());
            }
        }

        if (withScores)
        {
            await ScoreAsync(store, "base", [(80, null), (85, "close"), (90, null)]);
            await ScoreAsync(store, "alpha-1", [(60, null), (62, ScriptNote), (58, null)]);
            await ScoreAsync(store, "alpha-64", [(84, null), (88, "sharp"), (86, null)]);
            await store.AddJobScoreAsync(JobId("<i>lion</i>"), new ScoreEntry("alice", 0, Blind: true, "black images"));
        }

        return store;
    }

    private sealed record Study(bool SampleAtFirst, string Device, bool WithValidation);

    public static string JobId(string label) => "job-" + string.Concat(label.Where(char.IsAsciiLetterOrDigit));

    private static JobRegistration Job(string label, string diff, long steps, double estimate)
    {
        // The effective settings: the base with the diff's keys replaced or added.
        var merged = System.Text.Json.JsonSerializer.Serialize(
            System.Text.Json.JsonDocument.Parse(BaseSettings).RootElement.EnumerateObject()
                .Concat(System.Text.Json.JsonDocument.Parse(diff).RootElement.EnumerateObject())
                .GroupBy(property => property.Name)
                .ToDictionary(group => group.Key, group => group.Last().Value));
        return new JobRegistration(JobId(label), label, merged, diff, null, steps / 4, steps, estimate);
    }

    private static async Task TrainAsync(
        ResultsStore store, Study study, string resultsFolder, string label, int epochs, double seconds, Rgba32 colour,
        AttemptOutcome outcome = AttemptOutcome.Succeeded, string? error = null)
    {
        var attempt = await store.StartAttemptAsync(new AttemptStart(JobId(label), "host", 1, study.Device));
        await store.AddMetricsAsync(attempt, Enumerable.Range(1, 8 * epochs)
            .Select(step => new MetricPoint(step * 5, (step - 1) / 8 + 1, 0.2 / step + 0.02 * (step % 3), 1e-3, 4))
            .ToList());
        if (study.WithValidation && ValidationLosses.TryGetValue(label, out var losses))
            for (var epoch = 1; epoch <= losses.Length; epoch++)
                await store.RecordValidationLossAsync(attempt, new ValidationLoss(epoch, epoch * 40, losses[epoch - 1], 2));
        for (var epoch = study.SampleAtFirst ? 0 : 1; epoch <= epochs; epoch++)
        {
            for (var prompt = 0; prompt < 2; prompt++)
            {
                var relative = string.Create(CultureInfo.InvariantCulture, $"{SweepName}/{JobId(label)}/sample/{JobId(label)}_e{epoch:000000}_{prompt:00}.png");
                var path = Path.Combine(resultsFolder, relative);
                WritePng(path, colour, epoch, prompt);
                await store.RecordPreviewAsync(attempt, new PreviewImage(epoch, prompt, prompt == 0 ? "a photo of sks person" : "sks person <on> a \"beach\"",
                    "", 42 + prompt, "ddim", 20, 7.5, 64, 64, ArtifactFile.Describe(resultsFolder, path)));
            }
        }

        await store.FinishAttemptAsync(attempt, outcome, error, new PhaseTimings(0.5, 0.2, seconds, 1, 0.1));
    }

    private static async Task ScoreAsync(ResultsStore store, string label, IReadOnlyList<(double Value, string? Note)> scores)
    {
        var previews = (await store.GetPreviewsAsync(JobId(label))).Where(preview => preview.Image.Epoch == 2).ToList();
        for (var index = 0; index < scores.Count; index++)
        {
            var preview = previews[index % previews.Count];
            await store.AddPreviewScoreAsync(preview.PreviewId, new ScoreEntry($"scorer{index}", scores[index].Value, Blind: true, scores[index].Note));
        }
    }

    private static void WritePng(string path, Rgba32 colour, int epoch, int prompt)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (epoch == 0)
        {
            using var before = new Image<Rgba32>(64, 64, NoLoraColour);
            before.SaveAsPng(path);
            return;
        }

        using var image = new Image<Rgba32>(64, 64, new Rgba32(240, 240, 240));
        var size = 12 + epoch * 10;
        for (var y = 32 - size / 2; y < 32 + size / 2; y++)
        {
            for (var x = 32 - size / 2 + prompt * 4; x < 32 + size / 2; x++)
            {
                image[x, y] = colour;
            }
        }

        image.SaveAsPng(path);
    }
}

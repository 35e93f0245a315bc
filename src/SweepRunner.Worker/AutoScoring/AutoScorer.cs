using System.Security.Cryptography;
using SweepRunner.Core.Datasets;
using SweepRunner.Core.Results;
using SweepRunner.Core.Running;
using SweepRunner.Core.Scoring;
using SweepRunner.Diffusion.ImageEncoders;
using SweepRunner.Diffusion.Pipeline;
using SweepRunner.Store;

namespace SweepRunner.Worker.AutoScoring;

/// <summary>What one scoring pass did: new scores per metric, and the training images embedded (not found in the cache).</summary>
public sealed record AutoScoreSummary(IReadOnlyDictionary<AutoMetric, int> Scored, int ReferencesEmbedded);

/// <summary>
/// Scores previews as the DreamBooth paper measures subject and prompt fidelity: CLIP-I and DINO are the mean cosine
/// similarity of a preview's image embedding to the embeddings of its job's training images (the images it trains on,
/// so those held out by validation_split are not among them), CLIP-T the cosine similarity of its CLIP image embedding
/// to the embedding of its prompt (the text with A1111 weights like <c>(word:1.2)</c> removed). Training images are
/// embedded once per model and image content and kept in the results database. What a model has scored already is
/// skipped, so running again adds only what is missing.
/// </summary>
public sealed class AutoScorer(ResultsStore store, IImageEmbedder? clip, ITextEmbedder? clipText, IImageEmbedder? dino)
{
    /// <summary>Previews embedded per batch.</summary>
    public int BatchSize { get; init; } = 8;

    readonly Dictionary<(string Folder, string Extension), DatasetInfo> _datasets = new();
    int _referencesEmbedded;

    /// <summary>Scores every preview of the sweep that a given model has not scored yet, job by job.</summary>
    public async Task<AutoScoreSummary> ScoreSweepAsync(string sweepName, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var scored = new Dictionary<AutoMetric, int>();
        foreach (var (metric, embedder) in Sources())
        {
            var previews = await store.GetPreviewsWithoutAutoScoreAsync(sweepName, metric, embedder.ModelSha256, cancellationToken);
            var done = 0;
            foreach (var job in previews.GroupBy(preview => preview.JobId, StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var spec = await store.GetJobSpecAsync(sweepName, job.Key, cancellationToken);
                scored[metric] = scored.GetValueOrDefault(metric) + await ScoreAsync(metric, embedder, spec, job.ToList(), cancellationToken);
                done += job.Count();
                progress?.Report($"{metric.DisplayName()}: {done}/{previews.Count} preview(s) scored ({spec.Label})");
            }
        }

        return new AutoScoreSummary(scored, _referencesEmbedded);
    }

    /// <summary>Scores the given previews of one job by every metric this scorer has a model for (previews already scored are kept).</summary>
    public async Task<int> ScorePreviewsAsync(JobSpec spec, IReadOnlyList<StoredPreview> previews, CancellationToken cancellationToken = default)
    {
        var added = 0;
        foreach (var (metric, embedder) in Sources())
            added += await ScoreAsync(metric, embedder, spec, previews, cancellationToken);
        return added;
    }

    IEnumerable<(AutoMetric Metric, IImageEmbedder Embedder)> Sources()
    {
        if (clip is not null) yield return (AutoMetric.ClipI, clip);
        if (dino is not null) yield return (AutoMetric.Dino, dino);
        if (clip is not null && clipText is not null) yield return (AutoMetric.ClipT, clip);
    }

    async Task<int> ScoreAsync(AutoMetric metric, IImageEmbedder embedder, JobSpec spec, IReadOnlyList<StoredPreview> previews, CancellationToken cancellationToken)
    {
        var references = metric == AutoMetric.ClipT ? [] : await ReferenceEmbeddingsAsync(embedder, spec, cancellationToken);
        var added = 0;
        foreach (var batch in previews.Chunk(BatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var images = embedder.EmbedImages(batch.Select(preview => Path.GetFullPath(preview.Image.File.RelativePath, store.ResultsFolder)).ToList());
            IReadOnlyList<float[]>? texts = metric == AutoMetric.ClipT
                ? clipText!.EmbedTexts(batch.Select(preview => PlainText(preview.Image.Prompt)).ToList())
                : null;
            var scores = batch.Select((preview, i) => new AutoScore(preview.PreviewId, metric, embedder.ModelSha256,
                texts is not null ? Cosine(images[i], texts[i]) : references.Average(reference => Cosine(images[i], reference)))).ToList();
            added += await store.RecordAutoScoresAsync(scores, cancellationToken);
        }

        return added;
    }

    /// <summary>The embeddings of the job's training images under this model, from the cache or computed and cached.</summary>
    async Task<IReadOnlyList<float[]>> ReferenceEmbeddingsAsync(IImageEmbedder embedder, JobSpec spec, CancellationToken cancellationToken)
    {
        var key = (spec.DatasetFolder, spec.CaptionExtension);
        if (!_datasets.TryGetValue(key, out var dataset)) _datasets[key] = dataset = DatasetScanner.Scan(spec.DatasetFolder, spec.CaptionExtension);
        var training = ValidationSet.Split(dataset, spec.Settings).Training;
        var paths = training.Folders.SelectMany(folder => folder.Images).Select(image => Path.Combine(training.Path, image.RelativePath)).ToList();
        if (paths.Count == 0) throw new InvalidOperationException($"job '{spec.Label}' has no training images in '{spec.DatasetFolder}' to compare its previews with");
        var embeddings = new float[paths.Count][];
        var missing = new List<(int Index, string Hash)>();
        for (var i = 0; i < paths.Count; i++)
        {
            var hash = HashOf(paths[i]);
            if (await store.GetImageEmbeddingAsync(embedder.ModelSha256, hash, cancellationToken) is { } cached) embeddings[i] = cached;
            else missing.Add((i, hash));
        }

        foreach (var batch in missing.Chunk(BatchSize))
        {
            var computed = embedder.EmbedImages(batch.Select(entry => paths[entry.Index]).ToList());
            for (var k = 0; k < batch.Length; k++)
            {
                embeddings[batch[k].Index] = computed[k];
                await store.RecordImageEmbeddingAsync(embedder.ModelSha256, batch[k].Hash, computed[k], cancellationToken);
                _referencesEmbedded++;
            }
        }

        return embeddings;
    }

    /// <summary>The prompt as CLIP should read it: A1111 attention weights dropped, the words kept.</summary>
    public static string PlainText(string prompt) => string.Concat(PromptAttention.Parse(prompt).Select(segment => segment.Text)).Trim();

    /// <summary>Cosine similarity; the embeddings are normalised already, but a stored one is renormalised to be safe.</summary>
    public static double Cosine(float[] a, float[] b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"embeddings of {a.Length} and {b.Length} numbers cannot be compared");
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }

        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }

    static string HashOf(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}

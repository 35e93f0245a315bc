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
    // Per model and set of training images: their embeddings, so a sweep's jobs read and hash the images once.
    readonly Dictionary<(string Model, string Images), IReadOnlyList<float[]>> _references = new();
    int _referencesEmbedded;

    /// <summary>Scores every preview of the sweep that a given model has not scored yet, job by job.</summary>
    public async Task<AutoScoreSummary> ScoreSweepAsync(string sweepName, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var scored = new Dictionary<AutoMetric, int>();
        foreach (var (embedder, metrics) in Models())
        {
            // Which of this model's metrics each preview still lacks: one image embedding serves them all.
            var missing = new Dictionary<long, HashSet<AutoMetric>>();
            var previews = new Dictionary<long, StoredPreview>();
            foreach (var metric in metrics)
                foreach (var preview in await store.GetPreviewsWithoutAutoScoreAsync(sweepName, metric, embedder.ModelSha256, cancellationToken))
                {
                    previews[preview.PreviewId] = preview;
                    (missing.TryGetValue(preview.PreviewId, out var set) ? set : missing[preview.PreviewId] = []).Add(metric);
                }

            var done = 0;
            foreach (var job in previews.Values.OrderBy(preview => preview.PreviewId).GroupBy(preview => preview.JobId, StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var spec = await store.GetJobSpecAsync(sweepName, job.Key, cancellationToken);
                var added = await ScoreAsync(embedder, metrics, spec, job.ToList(), (preview, metric) => missing[preview.PreviewId].Contains(metric), cancellationToken);
                foreach (var (metric, count) in added) scored[metric] = scored.GetValueOrDefault(metric) + count;
                done += job.Count();
                progress?.Report($"{embedder.ModelSha256[..8]} ({string.Join(", ", metrics.Select(m => m.DisplayName()))}): {done}/{previews.Count} preview(s) scored ({spec.Label})");
            }
        }

        return new AutoScoreSummary(scored, _referencesEmbedded);
    }

    /// <summary>Scores the given previews of one job by every metric this scorer has a model for (previews already scored are kept).</summary>
    public async Task<int> ScorePreviewsAsync(JobSpec spec, IReadOnlyList<StoredPreview> previews, CancellationToken cancellationToken = default)
    {
        var added = 0;
        foreach (var (embedder, metrics) in Models())
            added += (await ScoreAsync(embedder, metrics, spec, previews, (_, _) => true, cancellationToken)).Values.Sum();
        return added;
    }

    /// <summary>Each model with the metrics its image embedding serves: CLIP's for CLIP-I and CLIP-T, DINOv2's for DINO.</summary>
    IEnumerable<(IImageEmbedder Embedder, AutoMetric[] Metrics)> Models()
    {
        if (clip is not null) yield return (clip, clipText is not null ? [AutoMetric.ClipI, AutoMetric.ClipT] : [AutoMetric.ClipI]);
        if (dino is not null) yield return (dino, [AutoMetric.Dino]);
    }

    /// <summary>Embeds each preview once with <paramref name="embedder"/> and records the <paramref name="wanted"/> scores of its metrics.</summary>
    /// <returns>New scores per metric.</returns>
    async Task<Dictionary<AutoMetric, int>> ScoreAsync(IImageEmbedder embedder, AutoMetric[] metrics, JobSpec spec, IReadOnlyList<StoredPreview> previews,
        Func<StoredPreview, AutoMetric, bool> wanted, CancellationToken cancellationToken)
    {
        var needsReferences = metrics.Any(metric => metric != AutoMetric.ClipT && previews.Any(preview => wanted(preview, metric)));
        var references = needsReferences ? await ReferenceEmbeddingsAsync(embedder, spec, cancellationToken) : [];
        var added = new Dictionary<AutoMetric, int>();
        foreach (var batch in previews.Chunk(BatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var images = embedder.EmbedImages(batch.Select(preview => Path.GetFullPath(preview.Image.File.RelativePath, store.ResultsFolder)).ToList());
            var texts = metrics.Contains(AutoMetric.ClipT) && batch.Any(preview => wanted(preview, AutoMetric.ClipT))
                ? clipText!.EmbedTexts(batch.Select(preview => PlainText(preview.Image.Prompt)).ToList())
                : null;
            foreach (var metric in metrics)
            {
                var scores = batch.Select((preview, i) => (Preview: preview, Index: i)).Where(entry => wanted(entry.Preview, metric))
                    .Select(entry => new AutoScore(entry.Preview.PreviewId, metric, embedder.ModelSha256, metric == AutoMetric.ClipT
                        ? Cosine(images[entry.Index], texts![entry.Index])
                        : references.Average(reference => Cosine(images[entry.Index], reference))))
                    .ToList();
                if (scores.Count > 0) added[metric] = added.GetValueOrDefault(metric) + await store.RecordAutoScoresAsync(scores, cancellationToken);
            }
        }

        return added;
    }

    /// <summary>The embeddings of the job's training images under this model: from memory, else the database cache, else computed and cached.</summary>
    async Task<IReadOnlyList<float[]>> ReferenceEmbeddingsAsync(IImageEmbedder embedder, JobSpec spec, CancellationToken cancellationToken)
    {
        var key = (spec.DatasetFolder, spec.CaptionExtension);
        if (!_datasets.TryGetValue(key, out var dataset)) _datasets[key] = dataset = DatasetScanner.Scan(spec.DatasetFolder, spec.CaptionExtension);
        var training = ValidationSet.Split(dataset, spec.Settings).Training;
        var paths = training.Folders.SelectMany(folder => folder.Images).Select(image => Path.Combine(training.Path, image.RelativePath)).ToList();
        if (paths.Count == 0) throw new InvalidOperationException($"job '{spec.Label}' has no training images in '{spec.DatasetFolder}' to compare its previews with");
        var memoryKey = (embedder.ModelSha256, string.Join('\n', paths));
        if (_references.TryGetValue(memoryKey, out var known)) return known;

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

        _references[memoryKey] = embeddings;
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

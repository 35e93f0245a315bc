using SweepRunner.Core.Sweeps;
using SweepRunner.Diffusion.ImageEncoders;
using SweepRunner.Store;
using static TorchSharp.torch;

namespace SweepRunner.Worker.AutoScoring;

/// <summary>The CLIP and DINOv2 encoders of a run over one results store, loaded once per folder and kept while jobs go on.</summary>
public sealed class AutoScoreEncoders(ResultsStore store, Device device) : IDisposable
{
    readonly Dictionary<string, ClipEmbedder> _clip = new(StringComparer.Ordinal);
    readonly Dictionary<string, DinoEmbedder> _dino = new(StringComparer.Ordinal);
    // One scorer per set of models, so the training images' embeddings stay in memory from job to job.
    readonly Dictionary<AutoScoreModels, AutoScorer> _scorers = new();

    /// <summary>The scorer over the models of <paramref name="models"/>, loading those not loaded yet.</summary>
    /// <exception cref="ImageEncoderException">A folder is not a usable model.</exception>
    public AutoScorer ScorerFor(AutoScoreModels models)
    {
        if (_scorers.TryGetValue(models, out var known)) return known;
        ClipEmbedder? clip = null;
        DinoEmbedder? dino = null;
        if (models.Clip is { } clipFolder && !_clip.TryGetValue(clipFolder, out clip)) _clip[clipFolder] = clip = ClipEmbedder.Load(clipFolder, device);
        if (models.Dino is { } dinoFolder && !_dino.TryGetValue(dinoFolder, out dino)) _dino[dinoFolder] = dino = DinoEmbedder.Load(dinoFolder, device);
        return _scorers[models] = new AutoScorer(store, clip, clip, dino);
    }

    public void Dispose()
    {
        foreach (var clip in _clip.Values) clip.Dispose();
        foreach (var dino in _dino.Values) dino.Dispose();
    }
}

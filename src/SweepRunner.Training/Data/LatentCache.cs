using SweepRunner.Diffusion.Checkpoints;
using static TorchSharp.torch;

namespace SweepRunner.Training.Data;

/// <summary>
/// Latents of training images, encoded once per (image content, bucket size, mirrored or not, VAE) and kept in memory
/// and, when a folder is given, on disk as <c>&lt;folder&gt;/&lt;vae&gt;/&lt;content hash&gt;_&lt;W&gt;x&lt;H&gt;[_flip].safetensors</c>,
/// so every job of a sweep with the same VAE and resolution reuses them. flip_aug caches both the image and its
/// mirror (sd-scripts does the same); augmentations that change pixels at random (colour, random crop) are not
/// offered, so every cached latent is exact. Latents are the VAE's distribution mean times its scaling factor,
/// float32 on the CPU.
/// </summary>
public sealed class LatentCache : IDisposable
{
    private const string TensorName = "latents";
    private readonly string? _folder;
    private readonly Dictionary<string, Tensor> _memory = new(StringComparer.Ordinal);

    /// <param name="folder">Where cached latents are stored on disk; null keeps them in memory only.</param>
    public LatentCache(string? folder = null) => _folder = folder;

    /// <summary>Images encoded by the VAE through this cache.</summary>
    public int Encoded { get; private set; }

    /// <summary>Latents read from disk.</summary>
    public int LoadedFromDisk { get; private set; }

    /// <summary>Latents in memory.</summary>
    public int Count => _memory.Count;

    /// <summary>
    /// The latents [C, h, w] of <paramref name="image"/> prepared for a <paramref name="width"/>×<paramref name="height"/>
    /// bucket (mirrored when <paramref name="flip"/>), encoded with <paramref name="encode"/> (image [3, H, W] →
    /// latents [C, h, w]) only when neither memory nor disk has them. The cache owns the returned tensor.
    /// </summary>
    public Tensor Get(TrainingImage image, int width, int height, bool flip, string vaeIdentity, Func<Tensor, Tensor> encode)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentException.ThrowIfNullOrEmpty(vaeIdentity);
        var name = $"{image.ContentHash[..32]}_{width}x{height}{(flip ? "_flip" : "")}";
        var key = $"{vaeIdentity}/{name}";
        if (_memory.TryGetValue(key, out var cached)) return cached;

        var file = _folder is null ? null : Path.Combine(_folder, vaeIdentity[..16], name + ".safetensors");
        Tensor latents;
        if (file is not null && File.Exists(file))
        {
            using var stored = SafetensorsFile.Open(file);
            latents = stored.Load(TensorName, ScalarType.Float32);
            LoadedFromDisk++;
        }
        else
        {
            using var scope = NewDisposeScope();
            var pixels = ImageLoader.Load(image.Path, width, height, flip);
            using (no_grad())
                latents = encode(pixels).to_type(ScalarType.Float32).cpu().contiguous().MoveToOuterDisposeScope();
            Encoded++;
            if (file is not null)
                SafetensorsWriter.Write(file, [(TensorName, latents)], new Dictionary<string, string>
                {
                    ["source_sha256"] = image.ContentHash,
                    ["bucket"] = $"{width}x{height}",
                    ["flipped"] = flip ? "true" : "false",
                    ["vae"] = vaeIdentity,
                });
        }
        latents.DetachFromDisposeScope();
        _memory[key] = latents;
        return latents;
    }

    /// <summary>Drops the in-memory latents (the disk copies stay).</summary>
    public void Clear()
    {
        foreach (var tensor in _memory.Values) tensor.Dispose();
        _memory.Clear();
    }

    public void Dispose() => Clear();
}

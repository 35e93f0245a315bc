using System.Globalization;
using System.Security.Cryptography;
using SweepRunner.Diffusion.Model;
using SweepRunner.Diffusion.Tokenizer;
using static TorchSharp.torch;

namespace SweepRunner.DemoBuilder;

/// <summary>
/// The demo model's folder: <c>model.safetensors</c> (a <see cref="SingleFileCheckpoint"/>: LDM keys, fp16, with
/// <c>sweeprunner.*</c> metadata) and <c>tokenizer/vocab.json</c> + <c>merges.txt</c>. Every file is written atomically.
/// </summary>
public static class DemoModelFiles
{
    public const string ModelFileName = "model.safetensors";

    public const string TokenizerFolderName = "tokenizer";

    /// <summary>Metadata key naming the <see cref="DiffusionModelConfig"/> instance the file fits ("tiny").</summary>
    public const string ConfigKey = ModelConfigs.MetadataKey;

    public const string ConfigName = ModelConfigs.TinyName;

    public const string DescriptionKey = "sweeprunner.description";

    /// <summary>Metadata key holding the command that reproduces the file.</summary>
    public const string ReproduceKey = "sweeprunner.reproduce";

    /// <summary>Metadata key holding the side in pixels of the images the model was trained on.</summary>
    public const string ImageSizeKey = "sweeprunner.image_size";

    public const string Description =
        "SweepRunner demo model: Stable Diffusion 1.x architecture at the tiny size, trained from scratch by SweepRunner " +
        "on generated 64x64 images of coloured shapes (circle, square, triangle, ring, cross; solid, striped or dotted) " +
        "on white, black, grey or checkered backgrounds, captioned like 'a red circle on a white background'.";

    /// <summary>
    /// Writes the model's parameters in fp16 with the metadata, and the tokenizer files, into <paramref name="folder"/>.
    /// Returns the model file's path, size and sha256.
    /// </summary>
    public static (string Path, long Bytes, string Sha256) Write(string folder, StableDiffusionModel model, ClipBpeVocabulary vocabulary, DemoModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(folder);
        vocabulary.Save(Path.Combine(folder, TokenizerFolderName));

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ConfigKey] = ConfigName,
            [DescriptionKey] = Description,
            [ReproduceKey] = options.ToCommandLine(),
            [ImageSizeKey] = DemoModelRecipe.ImageSize.ToString(CultureInfo.InvariantCulture),
        };
        var path = Path.Combine(folder, ModelFileName);
        SingleFileCheckpoint.Save(model, path, ScalarType.Float16, metadata);

        using var stream = File.OpenRead(path);
        var sha = Convert.ToHexStringLower(SHA256.HashData(stream));
        return (Path.GetFullPath(path), stream.Length, sha);
    }
}

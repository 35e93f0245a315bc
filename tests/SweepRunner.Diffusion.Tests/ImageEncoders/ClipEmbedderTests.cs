using System.Security.Cryptography;
using SweepRunner.DemoBuilder;
using SweepRunner.Diffusion.ImageEncoders;
using SweepRunner.Diffusion.TextEncoder;
using SweepRunner.Diffusion.Tokenizer;
using TorchSharp;
using static SweepRunner.Diffusion.Tests.ImageEncoders.EncoderFiles;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Tests.ImageEncoders;

/// <summary>CLIP on tiny random models in the real key layout, against the independent reference.</summary>
public sealed class ClipEmbedderTests : IDisposable
{
    static readonly EncoderShape Shape = new();
    readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    string Clip(int seed, int imageSize = 28, int patch = 14, string textActivation = "quick_gelu") =>
        RandomImageEncoders.WriteClip(Path.Combine(_folder.Path, $"clip{seed}"), seed, Captions, imageSize, patch, textActivation: textActivation);

    VitReference Text(string folder, bool quickGelu) =>
        new(Path.Combine(folder, "model.safetensors"), Shape.TextHidden, Shape.TextHeads, 1e-5, quickGelu);

    /// <summary>BOS, the prompt's first 75 tokens, EOS, then EOS as padding up to 77: CLIP's tokenizer with truncation, written out here.</summary>
    static int[] Ids(ClipTokenizer tokenizer, string prompt)
    {
        var ids = new List<int> { tokenizer.BosId };
        ids.AddRange(tokenizer.EncodeTokens(prompt).Take(75));
        while (ids.Count < 77) ids.Add(tokenizer.EosId);
        return [.. ids];
    }

    [Fact]
    public void ImageEmbeddingsAreTheProjectedClassTokenOfTheReferenceAtTheConfigsImageSize()
    {
        // image_size 32, patch 8: the preprocessor crops 32 and the tower sees a 4×4 grid.
        var folder = Clip(3, imageSize: 32, patch: 8);
        using var clip = ClipEmbedder.Load(folder);
        var images = new[] { Picture(_folder.Path, "a.png", 40, 30, 1), Picture(_folder.Path, "b.png", 32, 32, 2), Picture(_folder.Path, "c.png", 20, 64, 3) };

        var embeddings = clip.EmbedImages(images);

        Assert.Equal(32, clip.Preprocessor.CropTo);
        var reference = new VitReference(Path.Combine(folder, "model.safetensors"), Shape.Hidden, Shape.Heads, 1e-5, quickGelu: true);
        for (var i = 0; i < images.Length; i++)
        {
            Assert.Equal(Shape.Projection, embeddings[i].Length);
            AssertUnitLength(embeddings[i]);
            AssertSameDirection(reference.Clip(Pixels(ImagePreprocessor.Clip(32), images[i]), 32, 8, Shape.Layers), embeddings[i]);
        }
        Assert.NotEqual(embeddings[0], embeddings[1]);
    }

    [Fact]
    public void PromptEmbeddingsAreTheProjectedFinalNormAtTheFirstEndOfTextAndLongPromptsAreCut()
    {
        var folder = Clip(5);
        using var clip = ClipEmbedder.Load(folder);
        var tokenizer = ClipTokenizer.FromFolder(folder);
        var longPrompt = string.Join(", ", Enumerable.Repeat("a photo of sks person on a beach", 12));
        Assert.True(tokenizer.EncodeTokens(longPrompt).Count > 75, "the long prompt must be longer than CLIP's context");
        string[] prompts = ["a photo of sks person", "a red square", longPrompt];

        var embeddings = clip.EmbedTexts(prompts);

        var reference = Text(folder, quickGelu: true);
        for (var i = 0; i < prompts.Length; i++)
        {
            AssertUnitLength(embeddings[i]);
            AssertSameDirection(reference.ClipText(Ids(tokenizer, prompts[i]), tokenizer.EosId, Shape.TextLayers), embeddings[i]);
        }
        // Cut at 75 tokens: whatever follows changes nothing (up to the order of sums in a batch of another size).
        var extended = clip.EmbedTexts([longPrompt + ", a blue circle on green"])[0];
        Assert.All(extended.Zip(embeddings[2]), p => Assert.Equal(p.Second, p.First, 1e-6));
    }

    [Fact]
    public void AGeluTextTowerMatchesTheReference()
    {
        var folder = Clip(6, textActivation: "gelu");
        using var clip = ClipEmbedder.Load(folder);
        var tokenizer = ClipTokenizer.FromFolder(folder);
        Assert.False(clip.Text.QuickGelu);

        var embedding = clip.EmbedTexts(["a blue circle on green"])[0];

        AssertSameDirection(Text(folder, quickGelu: false).ClipText(Ids(tokenizer, "a blue circle on green"), tokenizer.EosId, Shape.TextLayers), embedding);
        Assert.Throws<Xunit.Sdk.TrueException>(() =>
            AssertSameDirection(Text(folder, quickGelu: true).ClipText(Ids(tokenizer, "a blue circle on green"), tokenizer.EosId, Shape.TextLayers), embedding));
    }

    [Fact]
    public void TheEndOfTextIsTheFirstEosIdOrForOldConfigsTheLargestId()
    {
        using var ids = tensor(new long[] { 49406, 320, 1125, 49407, 49407, 49407, 49406, 49407, 7, 7, 7, 7 }, [2, 6]);

        using var current = ClipTextTransformer.EndOfTextPositions(ids, 49407);
        using var old = ClipTextTransformer.EndOfTextPositions(ids, 2);
        using var custom = ClipTextTransformer.EndOfTextPositions(ids, 7);

        Assert.Equal([3L, 1], current.data<long>().ToArray());
        Assert.Equal([3L, 1], old.data<long>().ToArray());
        Assert.Equal([0L, 2], custom.data<long>().ToArray());
        // With eos_token_id 2 it is the largest id, not the first 2 (transformers' rule for those configs).
        using var larger = tensor(new long[] { 0, 9, 2, 2 }, [1, 4]);
        using var largest = ClipTextTransformer.EndOfTextPositions(larger, 2);
        Assert.Equal([1L], largest.data<long>().ToArray());
    }

    [Fact]
    public void BatchesGiveEachPromptAndImageItsOwnEmbeddingAndTwoLoadsAgree()
    {
        var folder = Clip(7);
        using var clip = ClipEmbedder.Load(folder);
        using var again = ClipEmbedder.Load(folder);
        var prompts = Enumerable.Range(0, ClipEmbedder.BatchSize + 3).Select(i => i % 2 == 0 ? "a red square" : $"a photo of sks person {i}").ToList();
        var images = Enumerable.Range(0, ClipEmbedder.BatchSize + 2).Select(i => Picture(_folder.Path, $"p{i}.png", 30 + i, 28, i)).ToList();

        var texts = clip.EmbedTexts(prompts);
        var pictures = clip.EmbedImages(images);

        Assert.Equal(prompts.Count, texts.Count);
        Assert.Equal(images.Count, pictures.Count);
        var alone = clip.EmbedTexts(["a red square"])[0];
        Assert.All(texts.Where((_, i) => i % 2 == 0), t => Assert.All(t.Zip(alone), p => Assert.Equal(p.Second, p.First, 1e-6)));
        Assert.NotEqual(texts[1], texts[3]);
        var last = again.EmbedImages([images[^1]])[0];
        Assert.All(pictures[^1].Zip(last), p => Assert.Equal(p.Second, p.First, 1e-6));
        Assert.Equal(clip.ModelSha256, again.ModelSha256);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, "model.safetensors")))), clip.ModelSha256);
        using var other = ClipEmbedder.Load(Clip(8));
        Assert.NotEqual(clip.ModelSha256, other.ModelSha256);
    }

    [Fact]
    public void EmbeddingLeavesNoLiveTensors()
    {
        using var clip = ClipEmbedder.Load(Clip(9));
        var images = Enumerable.Range(0, 3).Select(i => Picture(_folder.Path, $"l{i}.png", 40, 30, i)).ToList();
        var statistics = DisposeScopeManager.Statistics;
        clip.EmbedImages(images);
        clip.EmbedTexts(["a red square"]);
        var live = statistics.ThreadTotalLiveCount;
        var created = statistics.CreatedInScopeCount;

        for (var i = 0; i < 3; i++)
        {
            clip.EmbedImages(images);
            clip.EmbedTexts(["a red square", "a photo of sks person"]);
        }

        Assert.True(statistics.CreatedInScopeCount - created > 100, "the statistics saw no tensors being created");
        Assert.Equal(live, statistics.ThreadTotalLiveCount);
    }
}

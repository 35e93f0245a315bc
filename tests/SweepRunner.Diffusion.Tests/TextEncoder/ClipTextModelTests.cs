using SweepRunner.TestSupport;
using SweepRunner.Diffusion.TextEncoder;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Tests.TextEncoder;

public class ClipTextModelTests
{
    [Fact]
    public void ForwardGivesOneVectorPerPosition()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var encoder = new ClipTextModel(ClipTextConfig.Tiny);
        var tokens = randint(0, ClipTextConfig.Tiny.VocabSize, new long[] { 2, 77 });

        var output = encoder.forward(tokens, 1);

        Assert.Equal(new long[] { 2, 77, 64 }, output.shape);
        Assert.False(output.isnan().any().item<bool>());
    }

    [Fact]
    public void ClipSkipTakesAnEarlierLayerAndStillNormalises()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var encoder = new ClipTextModel(ClipTextConfig.Tiny);
        TestWeights.Randomize(encoder, 3);
        using (no_grad())
        {
            foreach (var (name, parameter) in encoder.named_parameters())
            {
                if (name.EndsWith("final_layer_norm.weight", StringComparison.Ordinal))
                {
                    parameter.fill_(1.0);
                }
                else if (name.EndsWith("final_layer_norm.bias", StringComparison.Ordinal))
                {
                    parameter.zero_();
                }
            }
        }

        var tokens = randint(0, ClipTextConfig.Tiny.VocabSize, new long[] { 1, 77 });
        var last = encoder.forward(tokens, 1);
        var skipped = encoder.forward(tokens, 2);

        Assert.True((last - skipped).abs().max().item<float>() > 1e-3f, "clip_skip 2 gave the clip_skip 1 output");
        // The final LayerNorm (weight 1, bias 0 here) leaves each position with mean 0 and variance 1.
        Assert.True(skipped.mean(new long[] { -1 }).abs().max().item<float>() < 1e-4f);
        Assert.True((skipped.var(-1, unbiased: false) - 1).abs().max().item<float>() < 1e-2f);
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.forward(tokens, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.forward(tokens, 3));
    }

    [Fact]
    public void AttentionIsCausal()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var encoder = new ClipTextModel(ClipTextConfig.Tiny);
        TestWeights.Randomize(encoder, 5);
        var tokens = randint(0, ClipTextConfig.Tiny.VocabSize, new long[] { 1, 77 });
        var changed = tokens.clone();
        changed[0, 10] = (tokens[0, 10] + 1) % ClipTextConfig.Tiny.VocabSize;

        var a = encoder.forward(tokens, 1);
        var b = encoder.forward(changed, 1);

        Assert.True(a[.., ..10].allclose(b[.., ..10], rtol: 1e-5, atol: 1e-6), "earlier positions saw a later token");
        Assert.False(a[.., 10..].allclose(b[.., 10..]), "the changed token had no effect");
    }

    [Fact]
    public void SameSeedBuildsTheSameWeights()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        using var first = new ClipTextModel(ClipTextConfig.Tiny);
        manual_seed(7);
        using var second = new ClipTextModel(ClipTextConfig.Tiny);

        var pairs = first.named_parameters().Zip(second.named_parameters());
        Assert.All(pairs, pair => Assert.True(TestWeights.Identical(pair.First.parameter, pair.Second.parameter), pair.First.name));
    }
}

using SweepRunner.Diffusion.Model;
using SweepRunner.Diffusion.TextEncoder;
using SweepRunner.Diffusion.Tokenizer;
using SweepRunner.Diffusion.Tests.Tokenizer;
using SweepRunner.TestSupport;

namespace SweepRunner.Diffusion.Tests.Model;

public class TokenizerFitTests
{
    [Fact]
    public void ASmallTokenizerWithAnSd15TextEncoderIsRefusedNamingItsFolderSizeAndTheRows()
    {
        using var folder = new TemporaryFolder();
        var tokenizer = TestTokenizers.Create(folder.Path);

        var error = Assert.Throws<ModelLoadException>(() => TokenizerFit.Check(tokenizer, ClipTextConfig.Sd15));

        Assert.Contains(Path.GetFullPath(folder.Path), error.Message);
        Assert.Contains($"has {tokenizer.VocabularySize} tokens", error.Message);
        Assert.Contains("49408 rows", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void ATokenizerLargerThanTheEmbeddingIsRefusedAndOneWithinASmallModelsRowsFits()
    {
        using var folder = new TemporaryFolder();
        var tokenizer = TestTokenizers.Create(folder.Path);

        Assert.Null(TokenizerFit.Problem(tokenizer, ClipTextConfig.Tiny));
        Assert.NotNull(TokenizerFit.Problem(tokenizer, ClipTextConfig.Tiny with { VocabSize = tokenizer.VocabularySize - 1 }));
        Assert.Null(TokenizerFit.Problem(tokenizer, ClipTextConfig.Tiny with { VocabSize = tokenizer.VocabularySize }));
    }

    [SkippableFact]
    public void ClipsOwnVocabularyFitsAnSd15TextEncoder()
    {
        Skip.If(RealClipVocabulary.Folder is null, RealClipVocabulary.NpmMissing);
        Assert.Null(TokenizerFit.Problem(ClipTokenizer.FromFolder(RealClipVocabulary.Folder!), ClipTextConfig.Sd15));
    }
}

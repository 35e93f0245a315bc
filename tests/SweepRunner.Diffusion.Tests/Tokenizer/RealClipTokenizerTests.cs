using SweepRunner.Diffusion.Tokenizer;

namespace SweepRunner.Diffusion.Tests.Tokenizer;

/// <summary>
/// Expected ids are published ones: "a photo of a cat" / "a photo of a dog" from the CLIP tokenizer test of
/// elixir-nx/bumblebee (test/bumblebee/text/clip_tokenizer_test.exs), and the integration string and ids of
/// huggingface/transformers tests/models/clip/test_tokenization_clip.py (openai/clip-vit-base-patch32, which
/// shares its vocabulary with SD 1.x's clip-vit-large-patch14).
/// </summary>
public class RealClipTokenizerTests
{
    static ClipTokenizer Load()
    {
        Skip.If(RealClipVocabulary.Folder is null, RealClipVocabulary.NpmMissing);
        return ClipTokenizer.FromFolder(RealClipVocabulary.Folder!);
    }

    [SkippableFact]
    public void TheRealVocabularyHasClipsSizeAndSpecialIds()
    {
        var tokenizer = Load();
        Assert.Equal(49408, tokenizer.VocabularySize);
        Assert.Equal(49406, tokenizer.BosId);
        Assert.Equal(49407, tokenizer.EosId);
        Assert.Equal(49407, tokenizer.PadId);
    }

    [SkippableFact]
    public void APhotoOfACatGetsThePublishedIds()
    {
        var tokenizer = Load();
        var cat = tokenizer.Encode("a photo of a cat");
        Assert.Equal(new[] { 49406, 320, 1125, 539, 320, 2368, 49407 }, cat.Ids.Take(7));
        Assert.Equal(7, cat.Length);
        Assert.False(cat.Truncated);
        Assert.Equal(77, cat.Ids.Count);
        Assert.All(cat.Ids.Skip(7), id => Assert.Equal(49407, id));
        Assert.Equal(new[] { 49406, 320, 1125, 539, 320, 1929, 49407 }, tokenizer.Encode("a photo of a dog").Ids.Take(7));
    }

    [SkippableFact]
    public void TheTransformersIntegrationStringGetsThePublishedIds()
    {
        var tokenizer = Load();
        const string text = "This is a test 😊\nI was born in 92000, and this is falsé.\n生活的真谛是\nHi  Hello\nHi   Hello\n\n \n  \n Hello\n<s>\nhi<s>there\nThe following string should be properly encoded: Hello.\nBut ird and ปี   ird   ด\nHey how are you doing";
        int[] expected = [589, 533, 320, 1628, 3020, 328, 739, 2683, 530, 280, 273, 271, 271, 271, 267, 537, 589, 533, 2778, 82, 4166, 269, 33375, 162, 112, 119, 163, 248, 226, 41570, 164, 108, 249, 42891, 363, 1883, 3306, 1883, 3306, 3306, 283, 338, 285, 1883, 283, 338, 285, 997, 518, 3473, 9696, 1535, 655, 12560, 524, 33703, 281, 3306, 269, 767, 2770, 537, 1777, 505, 20278, 2770, 38825, 2189, 829, 631, 592, 1960];
        Assert.Equal(expected, tokenizer.EncodeTokens(text));
        Assert.Equal("ðŁĺĬ</w>", tokenizer.Tokenize(text)[4]);
    }

    [SkippableFact]
    public void LongPromptsAreTruncatedTo75TokensBetweenBosAndEos()
    {
        var tokenizer = Load();
        var encoding = tokenizer.Encode(string.Join(", ", Enumerable.Repeat("a red cube", 40)));
        Assert.True(encoding.Truncated);
        Assert.Equal(77, encoding.Length);
        Assert.Equal(49406, encoding.Ids[0]);
        Assert.Equal(49407, encoding.Ids[76]);
        Assert.Equal(tokenizer.EncodeTokens("a red cube, a red cube"), encoding.Ids.Skip(1).Take(7));
    }

    [SkippableFact]
    public void DecodingGivesBackTheCleanedText()
    {
        var tokenizer = Load();
        var encoding = tokenizer.Encode("A  Photo of&amp;a   CAT, café!");
        Assert.Equal("a photo of & a cat , café !", tokenizer.Decode(encoding.Ids));
    }
}

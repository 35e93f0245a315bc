using SweepRunner.Diffusion.Tokenizer;

namespace SweepRunner.TestSupport;

/// <summary>Small CLIP-format tokenizers trained on a few captions, fitting the Tiny text encoder's 1000-row embedding.</summary>
public static class TestTokenizers
{
    public static readonly string[] Captions =
    [
        "a red circle on a blue background",
        "a green square on a white background",
        "a yellow triangle with stripes",
        "a photo of sks person, smiling",
    ];

    /// <summary>Trains a 600-token vocabulary and writes vocab.json and merges.txt into <paramref name="folder"/>.</summary>
    public static void Write(string folder) => ClipBpeTrainer.Train(Captions, 600).Save(folder);

    /// <summary>A tokenizer loaded from files written into <paramref name="folder"/>.</summary>
    public static ClipTokenizer Create(string folder)
    {
        Write(folder);
        return ClipTokenizer.FromFolder(folder);
    }
}

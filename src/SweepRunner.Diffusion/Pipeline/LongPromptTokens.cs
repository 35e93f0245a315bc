using SweepRunner.Diffusion.Tokenizer;

namespace SweepRunner.Diffusion.Pipeline;

/// <summary>
/// A prompt and its negative prompt laid out as sd-scripts' sampler lays them out (library/lpw_stable_diffusion.py
/// get_weighted_text_embeddings with its defaults, max_embeddings_multiples 3 and no_boseos_middle False): each
/// weighted stretch tokenized on its own, at most 3 × 75 tokens kept, both prompts cut into the same number of
/// chunks of 75 tokens (as many as the longer needs), each chunk wrapped in BOS … EOS and filled with EOS to the
/// encoder's 77 positions. BOS, EOS and filler have weight 1.
/// </summary>
public sealed class LongPromptTokens
{
    /// <summary>sd-scripts' max_embeddings_multiples for previews and its sample script: at most 3 chunks.</summary>
    public const int MaxChunks = 3;

    LongPromptTokens(int chunks, int chunkLength, int[] promptIds, float[] promptWeights, int[] negativeIds, float[] negativeWeights,
        bool truncated)
    {
        Chunks = chunks;
        ChunkLength = chunkLength;
        PromptIds = promptIds;
        PromptWeights = promptWeights;
        NegativeIds = negativeIds;
        NegativeWeights = negativeWeights;
        Truncated = truncated;
    }

    /// <summary>Number of chunks of both prompts (1 to <see cref="MaxChunks"/>).</summary>
    public int Chunks { get; }

    /// <summary>Positions per chunk: the tokenizer's length (77).</summary>
    public int ChunkLength { get; }

    /// <summary>The prompt's ids, chunk after chunk (<see cref="Chunks"/> × <see cref="ChunkLength"/>).</summary>
    public IReadOnlyList<int> PromptIds { get; }

    /// <summary>The weight of each of <see cref="PromptIds"/>.</summary>
    public IReadOnlyList<float> PromptWeights { get; }

    /// <summary>The negative prompt's ids, laid out like <see cref="PromptIds"/>.</summary>
    public IReadOnlyList<int> NegativeIds { get; }

    /// <summary>The weight of each of <see cref="NegativeIds"/>.</summary>
    public IReadOnlyList<float> NegativeWeights { get; }

    /// <summary>True when either prompt had more tokens than <see cref="MaxChunks"/> chunks hold and the rest was dropped.</summary>
    public bool Truncated { get; }

    /// <exception cref="FormatException">A prompt weight is not a number.</exception>
    public static LongPromptTokens Create(ClipTokenizer tokenizer, string prompt, string negativePrompt)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var perChunk = tokenizer.MaxLength - 2;
        var limit = perChunk * MaxChunks;
        var (promptTokens, promptWeights, promptCut) = Weighted(tokenizer, prompt, limit);
        var (negativeTokens, negativeWeights, negativeCut) = Weighted(tokenizer, negativePrompt, limit);
        var longest = Math.Max(promptTokens.Count, negativeTokens.Count);
        var chunks = Math.Clamp((longest - 1) / perChunk + 1, 1, MaxChunks);
        var (ids, weights) = Layout(tokenizer, promptTokens, promptWeights, chunks);
        var (negativeIds, negativeLayout) = Layout(tokenizer, negativeTokens, negativeWeights, chunks);
        return new LongPromptTokens(chunks, tokenizer.MaxLength, ids, weights, negativeIds, negativeLayout, promptCut || negativeCut);
    }

    /// <summary>get_prompts_with_weights: each stretch's tokens with its weight, cut at <paramref name="limit"/> tokens.</summary>
    static (List<int> Tokens, List<double> Weights, bool Truncated) Weighted(ClipTokenizer tokenizer, string prompt, int limit)
    {
        var tokens = new List<int>();
        var weights = new List<double>();
        foreach (var stretch in PromptAttention.Parse(prompt))
        {
            var ids = tokenizer.EncodeTokens(stretch.Text);
            tokens.AddRange(ids);
            weights.AddRange(Enumerable.Repeat(stretch.Weight, ids.Count));
            if (tokens.Count > limit) break;
        }
        if (tokens.Count <= limit) return (tokens, weights, false);
        return (tokens[..limit], weights[..limit], true);
    }

    static (int[] Ids, float[] Weights) Layout(ClipTokenizer tokenizer, List<int> tokens, List<double> weights, int chunks)
    {
        var length = tokenizer.MaxLength;
        var perChunk = length - 2;
        var ids = new int[chunks * length];
        var layout = new float[chunks * length];
        Array.Fill(ids, tokenizer.EosId);
        Array.Fill(layout, 1f);
        for (var c = 0; c < chunks; c++)
        {
            ids[c * length] = tokenizer.BosId;
            for (var t = 0; t < perChunk && c * perChunk + t < tokens.Count; t++)
            {
                ids[c * length + 1 + t] = tokens[c * perChunk + t];
                layout[c * length + 1 + t] = (float)weights[c * perChunk + t];
            }
        }
        return (ids, layout);
    }
}

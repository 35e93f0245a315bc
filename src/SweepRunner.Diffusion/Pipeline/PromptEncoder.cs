using SweepRunner.Diffusion.Model;
using SweepRunner.Diffusion.TextEncoder;
using SweepRunner.Diffusion.Tokenizer;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Pipeline;

/// <summary>
/// Turns prompts into the UNet's text conditioning. <see cref="Encode"/>: each prompt tokenized to the encoder's 77
/// positions (BOS, at most 75 tokens, EOS, padding), run through the CLIP text encoder with clip_skip → [B, 77, width],
/// as training encodes captions. <see cref="EncodeWeighted"/>: a prompt and its negative prompt with weighting and up to
/// 225 tokens, as sd-scripts' sampler encodes them for previews.
/// </summary>
public sealed class PromptEncoder
{
    readonly ClipTextModel _textEncoder;
    readonly ClipTokenizer _tokenizer;

    /// <exception cref="ArgumentException">The tokenizer does not fit the text encoder (vocabulary or length).</exception>
    public PromptEncoder(ClipTextModel textEncoder, ClipTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(textEncoder);
        ArgumentNullException.ThrowIfNull(tokenizer);
        var config = textEncoder.Config;
        if (tokenizer.MaxLength > config.MaxPositions)
            throw new ArgumentException($"The tokenizer makes {tokenizer.MaxLength} positions but the text encoder has {config.MaxPositions}.", nameof(tokenizer));
        if (TokenizerFit.Problem(tokenizer, config) is { } problem)
            throw new ArgumentException(problem, nameof(tokenizer));
        _textEncoder = textEncoder;
        _tokenizer = tokenizer;
    }

    /// <summary>Highest clip_skip the text encoder allows (its layer count).</summary>
    public int MaxClipSkip => _textEncoder.Config.Layers;

    /// <summary>Token ids [B, MaxLength] (int64, on the text encoder's device) of <paramref name="prompts"/>.</summary>
    public Tensor Tokenize(IReadOnlyList<string> prompts)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        if (prompts.Count == 0)
            throw new ArgumentException("At least one prompt is needed.", nameof(prompts));
        var length = _tokenizer.MaxLength;
        var ids = new long[prompts.Count * length];
        for (var i = 0; i < prompts.Count; i++)
        {
            var encoding = _tokenizer.Encode(prompts[i]);
            for (var j = 0; j < length; j++) ids[i * length + j] = encoding.Ids[j];
        }
        var tokens = tensor(ids, [prompts.Count, length], ScalarType.Int64);
        var device = Device;
        if (device.type == DeviceType.CPU) return tokens;
        using (tokens) return tokens.to(device);
    }

    /// <summary>The conditioning [B, MaxLength, width] of <paramref name="prompts"/>, computed without gradients.</summary>
    /// <param name="clipSkip">1 = last layer (no skip) … <see cref="MaxClipSkip"/>.</param>
    public Tensor Encode(IReadOnlyList<string> prompts, int clipSkip = 1)
    {
        CheckClipSkip(clipSkip);
        using var ids = Tokenize(prompts);
        using var _ = no_grad();
        return _textEncoder.forward(ids, clipSkip);
    }

    /// <summary>
    /// The conditioning [1, chunks × 77, width] of <paramref name="prompt"/> and of <paramref name="negativePrompt"/>, as
    /// sd-scripts' long-prompt-weighting sampler computes it: each chunk of <see cref="LongPromptTokens"/> encoded on its own
    /// and the chunks concatenated; each position's embedding multiplied by its weight, then the whole rescaled so its mean
    /// is what it was before weighting.
    /// </summary>
    /// <exception cref="FormatException">A prompt weight is not a number.</exception>
    public (Tensor Conditioning, Tensor Unconditioning) EncodeWeighted(string prompt, string negativePrompt, int clipSkip = 1)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(negativePrompt);
        CheckClipSkip(clipSkip);
        var layout = LongPromptTokens.Create(_tokenizer, prompt, negativePrompt);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var conditioning = EncodeChunks(layout.PromptIds, layout.PromptWeights, layout.Chunks, clipSkip);
        var unconditioning = EncodeChunks(layout.NegativeIds, layout.NegativeWeights, layout.Chunks, clipSkip);
        return (conditioning.MoveToOuterDisposeScope(), unconditioning.MoveToOuterDisposeScope());
    }

    Tensor EncodeChunks(IReadOnlyList<int> ids, IReadOnlyList<float> weights, int chunks, int clipSkip)
    {
        var length = _tokenizer.MaxLength;
        var device = Device;
        var tokens = tensor(ids.Select(i => (long)i).ToArray(), [chunks, length], ScalarType.Int64).to(device);
        var embedded = _textEncoder.forward(tokens, clipSkip);
        var dtype = embedded.dtype;
        var joined = embedded.reshape(1, chunks * length, embedded.shape[2]);
        var previousMean = joined.to_type(ScalarType.Float32).mean([-2, -1]).to_type(dtype);
        var weighted = joined * tensor(weights.ToArray(), [1, chunks * length, 1], dtype: ScalarType.Float32).to_type(dtype).to(device);
        var currentMean = weighted.to_type(ScalarType.Float32).mean([-2, -1]).to_type(dtype);
        return weighted * (previousMean / currentMean).unsqueeze(-1).unsqueeze(-1);
    }

    void CheckClipSkip(int clipSkip)
    {
        if (clipSkip < 1 || clipSkip > MaxClipSkip)
            throw new ArgumentOutOfRangeException(nameof(clipSkip), clipSkip, $"clip_skip runs from 1 (no skip) to {MaxClipSkip} for this text encoder.");
    }

    Device Device => _textEncoder.parameters().First().device;
}

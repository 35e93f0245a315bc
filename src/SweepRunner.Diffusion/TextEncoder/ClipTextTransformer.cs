using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.TextEncoder;

/// <summary>The <c>text_model</c>: embeddings, <c>encoder.layers</c>, <c>final_layer_norm</c>.</summary>
public sealed class ClipTextTransformer : nn.Module<Tensor, long, Tensor>
{
    private readonly ClipTextEmbeddings embeddings;
    private readonly ClipEncoder encoder;
    private readonly LayerNorm final_layer_norm;

    public ClipTextTransformer(string slotPath, ClipTextConfig config, Device? device, ScalarType? dtype)
        : base(nameof(ClipTextTransformer))
    {
        Config = config;
        embeddings = new ClipTextEmbeddings(config, device, dtype);
        encoder = new ClipEncoder($"{slotPath}.encoder", config, device, dtype);
        final_layer_norm = nn.LayerNorm(config.Width, config.LayerNormEps, device: device, dtype: dtype);
        RegisterComponents();
    }

    public ClipTextConfig Config { get; }

    /// <summary>
    /// Token ids [B, T] → hidden states [B, T, width]. <paramref name="clipSkip"/> 1 uses the last layer; N uses
    /// hidden_states[-N] (the output of layer count − N + 1). The final LayerNorm is applied in every case.
    /// </summary>
    public override Tensor forward(Tensor tokenIds, long clipSkip)
    {
        if (clipSkip < 1 || clipSkip > Config.Layers)
        {
            throw new ArgumentOutOfRangeException(nameof(clipSkip), clipSkip, $"clip_skip must be between 1 and {Config.Layers} (the number of text encoder layers).");
        }

        var layersToRun = Config.Layers - (int)clipSkip + 1;
        using var embedded = embeddings.forward(tokenIds);
        using var hidden = encoder.Run(embedded, layersToRun);
        return final_layer_norm.forward(hidden);
    }

    /// <summary>
    /// The pooled output of Hugging Face's CLIPTextTransformer: each row of <paramref name="hidden"/> [B, T, width]
    /// (the final LayerNorm's output) at its end-of-text token → [B, width]. See <see cref="EndOfTextPositions"/>.
    /// </summary>
    public static Tensor Pool(Tensor hidden, Tensor tokenIds, long eosTokenId)
    {
        using var positions = EndOfTextPositions(tokenIds, eosTokenId);
        using var rows = arange(hidden.shape[0], ScalarType.Int64, hidden.device);
        return hidden.index([rows, positions.to(hidden.device)]);
    }

    /// <summary>
    /// Where each row of <paramref name="tokenIds"/> [B, T] ends, as transformers finds it: older configs say
    /// eos_token_id 2 (transformers' former, wrong default), and for them the position of the largest id is taken,
    /// which is the first <c>&lt;|endoftext|&gt;</c> in OpenAI's vocabulary (its last id; argmax returns the first
    /// maximum); otherwise the first position holding <paramref name="eosTokenId"/> (0 when a row has none).
    /// </summary>
    public static Tensor EndOfTextPositions(Tensor tokenIds, long eosTokenId)
    {
        if (eosTokenId == 2) return tokenIds.argmax(-1);
        using var isEnd = tokenIds.eq(eosTokenId).to_type(ScalarType.Int32);
        return isEnd.argmax(-1);
    }
}

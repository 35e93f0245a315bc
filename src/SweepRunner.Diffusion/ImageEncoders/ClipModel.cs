using SweepRunner.Diffusion.TextEncoder;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.ImageEncoders;

/// <summary>
/// Hugging Face's CLIPModel, both towers with their projections (<c>vision_model.*</c>, <c>visual_projection</c>,
/// <c>text_model.*</c>, <c>text_projection</c>). The text tower is the SD text encoder's transformer.
/// </summary>
internal sealed class ClipModel : nn.Module<Tensor, Tensor>
{
    private readonly ClipVisionTransformer vision_model;
    private readonly Linear visual_projection;
    private readonly ClipTextTransformer text_model;
    private readonly Linear text_projection;

    public ClipModel(VitConfig vision, ClipTextConfig text, int projectionDim) : base(nameof(ClipModel))
    {
        vision_model = new ClipVisionTransformer(vision);
        visual_projection = nn.Linear(vision.Hidden, projectionDim, hasBias: false);
        text_model = new ClipTextTransformer("text_model", text, null, null);
        text_projection = nn.Linear(text.Width, projectionDim, hasBias: false);
        RegisterComponents();
    }

    /// <summary>Pixels [B, 3, S, S] → image embeddings [B, projection] (not normalised).</summary>
    public override Tensor forward(Tensor pixels)
    {
        using var pooled = vision_model.forward(pixels);
        return visual_projection.forward(pooled);
    }

    /// <summary>Token ids [B, T] → text embeddings [B, projection] (not normalised), pooled at each row's end of text.</summary>
    public Tensor EmbedText(Tensor tokenIds, long eosTokenId)
    {
        using var hidden = text_model.forward(tokenIds, 1);
        using var pooled = ClipTextTransformer.Pool(hidden, tokenIds, eosTokenId);
        return text_projection.forward(pooled);
    }
}

/// <summary>CLIP's vision tower: patch and class embeddings, pre_layrnorm, pre-norm layers, post_layernorm of the class token.</summary>
internal sealed class ClipVisionTransformer : nn.Module<Tensor, Tensor>
{
    private readonly ClipVisionEmbeddings embeddings;
    private readonly LayerNorm pre_layrnorm;
    private readonly ClipVisionEncoder encoder;
    private readonly LayerNorm post_layernorm;

    public ClipVisionTransformer(VitConfig config) : base(nameof(ClipVisionTransformer))
    {
        embeddings = new ClipVisionEmbeddings(config);
        pre_layrnorm = nn.LayerNorm(config.Hidden, config.LayerNormEps);
        encoder = new ClipVisionEncoder(config);
        post_layernorm = nn.LayerNorm(config.Hidden, config.LayerNormEps);
        RegisterComponents();
    }

    public override Tensor forward(Tensor pixels)
    {
        using var embedded = embeddings.forward(pixels);
        using var normed = pre_layrnorm.forward(embedded);
        using var hidden = encoder.forward(normed);
        using var cls = hidden.select(1, 0);
        return post_layernorm.forward(cls);
    }
}

internal sealed class ClipVisionEmbeddings : nn.Module<Tensor, Tensor>
{
    private readonly Parameter class_embedding;
    private readonly Conv2d patch_embedding;
    private readonly Embedding position_embedding;

    public ClipVisionEmbeddings(VitConfig config) : base(nameof(ClipVisionEmbeddings))
    {
        class_embedding = new Parameter(zeros(config.Hidden));
        patch_embedding = nn.Conv2d(3, config.Hidden, config.PatchSize, stride: config.PatchSize, bias: false);
        position_embedding = nn.Embedding(config.Grid * config.Grid + 1, config.Hidden);
        RegisterComponents();
    }

    public override Tensor forward(Tensor pixels)
    {
        using var patches = patch_embedding.forward(pixels);
        using var tokens = patches.flatten(2).transpose(1, 2);
        using var cls = class_embedding.view(1, 1, -1).expand(tokens.shape[0], 1, -1);
        using var all = cat([cls, tokens], 1);
        return all + position_embedding.weight!;
    }
}

internal sealed class ClipVisionEncoder : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<ClipVisionLayer> layers;

    public ClipVisionEncoder(VitConfig config) : base(nameof(ClipVisionEncoder))
    {
        layers = new ModuleList<ClipVisionLayer>(Enumerable.Range(0, config.Layers).Select(_ => new ClipVisionLayer(config)).ToArray());
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden) => Embeddings.ThroughLayers(layers, hidden);
}

internal sealed class ClipVisionLayer : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm layer_norm1;
    private readonly ClipVisionAttention self_attn;
    private readonly LayerNorm layer_norm2;
    private readonly VitMlp mlp;

    public ClipVisionLayer(VitConfig config) : base(nameof(ClipVisionLayer))
    {
        layer_norm1 = nn.LayerNorm(config.Hidden, config.LayerNormEps);
        self_attn = new ClipVisionAttention(config);
        layer_norm2 = nn.LayerNorm(config.Hidden, config.LayerNormEps);
        mlp = new VitMlp(config);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden)
    {
        using var normed1 = layer_norm1.forward(hidden);
        using var attended = self_attn.forward(normed1);
        using var afterAttention = hidden + attended;
        using var normed2 = layer_norm2.forward(afterAttention);
        using var transformed = mlp.forward(normed2);
        return afterAttention + transformed;
    }
}

internal sealed class ClipVisionAttention : nn.Module<Tensor, Tensor>
{
    private readonly Linear q_proj;
    private readonly Linear k_proj;
    private readonly Linear v_proj;
    private readonly Linear out_proj;
    private readonly long _heads;

    public ClipVisionAttention(VitConfig config) : base(nameof(ClipVisionAttention))
    {
        q_proj = nn.Linear(config.Hidden, config.Hidden);
        k_proj = nn.Linear(config.Hidden, config.Hidden);
        v_proj = nn.Linear(config.Hidden, config.Hidden);
        out_proj = nn.Linear(config.Hidden, config.Hidden);
        _heads = config.Heads;
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden)
    {
        using var merged = VitAttention.Attend(hidden, q_proj, k_proj, v_proj, _heads);
        return out_proj.forward(merged);
    }
}

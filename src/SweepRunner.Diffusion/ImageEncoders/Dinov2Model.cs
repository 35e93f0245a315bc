using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.ImageEncoders;

/// <summary>
/// Hugging Face's Dinov2Model (<c>embeddings.*</c>, <c>encoder.layer.N.*</c>, <c>layernorm</c>): pre-norm layers with
/// layer scale; the embedding is the final layer norm of the class token (its pooler output). Position embeddings
/// trained for <see cref="VitConfig.ImageSize"/> (37×37 patches for 518) are resized to the grid of the image given
/// (16×16 for a 224 crop) as current transformers does: bicubic (A = −0.75), align_corners false, to the target size
/// (size=, so the sampling scale is exactly in/out); older versions passed scale_factor with a +0.1 offset instead,
/// which samples at slightly different points.
/// </summary>
internal sealed class Dinov2Model : nn.Module<Tensor, Tensor>
{
    private readonly Dinov2Embeddings embeddings;
    private readonly Dinov2Encoder encoder;
    private readonly LayerNorm layernorm;

    /// <param name="maskToken">Whether the file has embeddings.mask_token (use_mask_token; unused for embeddings, but loaded strictly).</param>
    public Dinov2Model(VitConfig config, bool maskToken = true) : base(nameof(Dinov2Model))
    {
        embeddings = new Dinov2Embeddings(config, maskToken);
        encoder = new Dinov2Encoder(config);
        layernorm = nn.LayerNorm(config.Hidden, config.LayerNormEps);
        RegisterComponents();
    }

    public override Tensor forward(Tensor pixels)
    {
        using var embedded = embeddings.forward(pixels);
        using var hidden = encoder.forward(embedded);
        using var normed = layernorm.forward(hidden);
        return normed.select(1, 0).clone();
    }
}

internal sealed class Dinov2Embeddings : nn.Module<Tensor, Tensor>
{
    private readonly Parameter cls_token;
    private readonly Parameter? mask_token;
    private readonly Parameter position_embeddings;
    private readonly Dinov2PatchEmbeddings patch_embeddings;
    private readonly int _grid;

    public Dinov2Embeddings(VitConfig config, bool maskToken) : base(nameof(Dinov2Embeddings))
    {
        cls_token = new Parameter(zeros(1, 1, config.Hidden));
        mask_token = maskToken ? new Parameter(zeros(1, config.Hidden)) : null;
        position_embeddings = new Parameter(zeros(1, config.Grid * config.Grid + 1, config.Hidden));
        patch_embeddings = new Dinov2PatchEmbeddings(config);
        _grid = config.Grid;
        RegisterComponents();
    }

    public override Tensor forward(Tensor pixels)
    {
        using var tokens = patch_embeddings.forward(pixels);
        using var cls = cls_token.expand(tokens.shape[0], 1, -1);
        using var all = cat([cls, tokens], 1);
        var side = (long)Math.Round(Math.Sqrt(tokens.shape[1]));
        using var positions = Positions(side);
        return all + positions;
    }

    /// <summary>The position embeddings for a <paramref name="side"/>×<paramref name="side"/> grid of patches.</summary>
    Tensor Positions(long side)
    {
        if (side == _grid) return position_embeddings.alias();
        var hidden = position_embeddings.shape[2];
        using var classPosition = position_embeddings.narrow(1, 0, 1);
        using var grid = position_embeddings.narrow(1, 1, _grid * _grid).reshape(1, _grid, _grid, hidden).permute(0, 3, 1, 2);
        using var resized = nn.functional.interpolate(grid, size: [side, side], mode: InterpolationMode.Bicubic, align_corners: false);
        using var flat = resized.permute(0, 2, 3, 1).reshape(1, side * side, hidden);
        return cat([classPosition, flat], 1);
    }
}

internal sealed class Dinov2PatchEmbeddings : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d projection;

    public Dinov2PatchEmbeddings(VitConfig config) : base(nameof(Dinov2PatchEmbeddings))
    {
        projection = nn.Conv2d(3, config.Hidden, config.PatchSize, stride: config.PatchSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor pixels)
    {
        using var patches = projection.forward(pixels);
        return patches.flatten(2).transpose(1, 2);
    }
}

internal sealed class Dinov2Encoder : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Dinov2Layer> layer;

    public Dinov2Encoder(VitConfig config) : base(nameof(Dinov2Encoder))
    {
        layer = new ModuleList<Dinov2Layer>(Enumerable.Range(0, config.Layers).Select(_ => new Dinov2Layer(config)).ToArray());
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden) => Embeddings.ThroughLayers(layer, hidden);
}

internal sealed class Dinov2Layer : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm norm1;
    private readonly Dinov2Attention attention;
    private readonly Dinov2LayerScale layer_scale1;
    private readonly LayerNorm norm2;
    private readonly VitMlp mlp;
    private readonly Dinov2LayerScale layer_scale2;

    public Dinov2Layer(VitConfig config) : base(nameof(Dinov2Layer))
    {
        norm1 = nn.LayerNorm(config.Hidden, config.LayerNormEps);
        attention = new Dinov2Attention(config);
        layer_scale1 = new Dinov2LayerScale(config.Hidden);
        norm2 = nn.LayerNorm(config.Hidden, config.LayerNormEps);
        mlp = new VitMlp(config);
        layer_scale2 = new Dinov2LayerScale(config.Hidden);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden)
    {
        using var normed1 = norm1.forward(hidden);
        using var attended = attention.forward(normed1);
        using var scaled1 = layer_scale1.forward(attended);
        using var afterAttention = hidden + scaled1;
        using var normed2 = norm2.forward(afterAttention);
        using var transformed = mlp.forward(normed2);
        using var scaled2 = layer_scale2.forward(transformed);
        return afterAttention + scaled2;
    }
}

internal sealed class Dinov2LayerScale : nn.Module<Tensor, Tensor>
{
    private readonly Parameter lambda1;

    public Dinov2LayerScale(int hidden) : base(nameof(Dinov2LayerScale))
    {
        lambda1 = new Parameter(ones(hidden));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => x * lambda1;
}

internal sealed class Dinov2Attention : nn.Module<Tensor, Tensor>
{
    private readonly Dinov2SelfAttention attention;
    private readonly Dinov2SelfOutput output;

    public Dinov2Attention(VitConfig config) : base(nameof(Dinov2Attention))
    {
        attention = new Dinov2SelfAttention(config);
        output = new Dinov2SelfOutput(config);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden)
    {
        using var attended = attention.forward(hidden);
        return output.forward(attended);
    }
}

internal sealed class Dinov2SelfAttention : nn.Module<Tensor, Tensor>
{
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
    private readonly long _heads;

    public Dinov2SelfAttention(VitConfig config) : base(nameof(Dinov2SelfAttention))
    {
        query = nn.Linear(config.Hidden, config.Hidden);
        key = nn.Linear(config.Hidden, config.Hidden);
        value = nn.Linear(config.Hidden, config.Hidden);
        _heads = config.Heads;
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden) => VitAttention.Attend(hidden, query, key, value, _heads);
}

internal sealed class Dinov2SelfOutput : nn.Module<Tensor, Tensor>
{
    private readonly Linear dense;

    public Dinov2SelfOutput(VitConfig config) : base(nameof(Dinov2SelfOutput))
    {
        dense = nn.Linear(config.Hidden, config.Hidden);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => dense.forward(x);
}

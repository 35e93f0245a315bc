using SweepRunner.Diffusion.Lora;
using SweepRunner.Diffusion.Modules;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Unet;

/// <summary>
/// LDM SpatialTransformer (diffusers Transformer2DModel): GroupNorm, 1×1 conv <c>proj_in</c>, transformer blocks over
/// the H·W tokens, 1×1 conv <c>proj_out</c> (zero-initialised), residual.
/// </summary>
public sealed class SpatialTransformer : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly GroupNorm norm;
    private readonly LoraConv2d proj_in;
    private readonly ModuleList<BasicTransformerBlock> transformer_blocks;
    private readonly LoraConv2d proj_out;

    public SpatialTransformer(string slotPath, long channels, UnetConfig config, Device? device, ScalarType? dtype)
        : base(nameof(SpatialTransformer))
    {
        norm = Normalization.GroupNorm(config.NormGroups, channels, config.TransformerNormEps, device, dtype);
        proj_in = new LoraConv2d($"{slotPath}.proj_in", LoraTargets.UnetTransformer, channels, channels, kernelSize: 1, device: device, dtype: dtype);
        transformer_blocks = new ModuleList<BasicTransformerBlock>(
            Enumerable.Range(0, config.TransformerDepth)
                .Select(i => new BasicTransformerBlock($"{slotPath}.transformer_blocks.{i}", channels, config.ContextDim, config.Heads, device, dtype))
                .ToArray());
        proj_out = new LoraConv2d($"{slotPath}.proj_out", LoraTargets.UnetTransformer, channels, channels, kernelSize: 1, device: device, dtype: dtype);
        ParameterInit.Zero(proj_out.Weight);
        ParameterInit.Zero(proj_out.Bias);
        RegisterComponents();
    }

    /// <summary>Features [B, C, H, W] and context [B, M, contextDim] → [B, C, H, W].</summary>
    public override Tensor forward(Tensor input, Tensor context)
    {
        var batch = input.shape[0];
        var channels = input.shape[1];
        var height = input.shape[2];
        var width = input.shape[3];
        using var normed = norm.forward(input);
        using var projected = proj_in.forward(normed);
        var tokens = projected.permute(0, 2, 3, 1).reshape(batch, height * width, channels);
        foreach (var block in transformer_blocks)
        {
            using var previous = tokens;
            tokens = block.forward(previous, context);
        }

        using (tokens)
        {
            using var spatial = tokens.reshape(batch, height, width, channels).permute(0, 3, 1, 2).contiguous();
            using var output = proj_out.forward(spatial);
            return output + input;
        }
    }
}

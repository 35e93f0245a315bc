using SweepRunner.Diffusion.Lora;
using SweepRunner.Diffusion.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Unet;

/// <summary>
/// LDM ResBlock (diffusers ResnetBlock2D): <c>in_layers</c> [GroupNorm, SiLU, conv3×3], <c>emb_layers</c> [SiLU, Linear],
/// <c>out_layers</c> [GroupNorm, SiLU, dropout, conv3×3 zero-initialised], and a 1×1 <c>skip_connection</c> when the
/// channel count changes. The convs and the embedding projection are conv-LoRA slots (conv1, time_emb_proj, conv2, conv_shortcut).
/// </summary>
public sealed class ResBlock : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> in_layers;
    private readonly nn.Module<Tensor, Tensor> emb_layers;
    private readonly nn.Module<Tensor, Tensor> out_layers;
    private readonly nn.Module<Tensor, Tensor>? skip_connection;

    public ResBlock(string slotPath, long inChannels, long outChannels, UnetConfig config, Device? device, ScalarType? dtype)
        : base(nameof(ResBlock))
    {
        const LoraTargets group = LoraTargets.UnetConvBlocks;
        in_layers = nn.Sequential(
            ("0", Normalization.GroupNorm(config.NormGroups, inChannels, config.NormEps, device, dtype)),
            ("1", nn.SiLU()),
            ("2", new LoraConv2d($"{slotPath}.conv1", group, inChannels, outChannels, kernelSize: 3, padding: 1, device: device, dtype: dtype)));
        emb_layers = nn.Sequential(
            ("0", nn.SiLU()),
            ("1", new LoraLinear($"{slotPath}.time_emb_proj", group, config.TimeEmbedDim, outChannels, hasBias: true, device, dtype)));
        var conv2 = new LoraConv2d($"{slotPath}.conv2", group, outChannels, outChannels, kernelSize: 3, padding: 1, device: device, dtype: dtype);
        ParameterInit.Zero(conv2.Weight);
        ParameterInit.Zero(conv2.Bias);
        out_layers = nn.Sequential(
            ("0", Normalization.GroupNorm(config.NormGroups, outChannels, config.NormEps, device, dtype)),
            ("1", nn.SiLU()),
            ("2", nn.Identity()),
            ("3", conv2));
        if (inChannels != outChannels)
        {
            skip_connection = new LoraConv2d($"{slotPath}.conv_shortcut", group, inChannels, outChannels, kernelSize: 1, device: device, dtype: dtype);
        }

        RegisterComponents();
    }

    /// <summary>Features [B, Cin, H, W] and timestep embedding [B, E] → [B, Cout, H, W].</summary>
    public override Tensor forward(Tensor input, Tensor embedding)
    {
        using var hidden = in_layers.forward(input);
        using var projected = emb_layers.forward(embedding);
        using var broadcast = projected.unsqueeze(-1).unsqueeze(-1);
        using var conditioned = hidden + broadcast;
        using var residual = out_layers.forward(conditioned);
        if (skip_connection is null)
        {
            return input + residual;
        }

        using var skipped = skip_connection.forward(input);
        return skipped + residual;
    }
}

namespace SweepRunner.Diffusion.Lora;

/// <summary>Which groups of slot layers an enumeration yields, following sd-scripts' networks/lora.py.</summary>
[Flags]
public enum LoraTargets
{
    None = 0,

    /// <summary>UNet Transformer2DModel children: attention projections, feed-forward, proj_in/proj_out (192 in SD1.5).</summary>
    UnetTransformer = 1,

    /// <summary>UNet ResnetBlock2D, Downsample2D and Upsample2D children, the extra modules of conv LoRA (conv_dim).</summary>
    UnetConvBlocks = 2,

    /// <summary>CLIP self-attention and MLP projections (72 in SD1.5).</summary>
    TextEncoder = 4,

    /// <summary>The modules kohya's LoRA creates without conv_dim.</summary>
    Default = UnetTransformer | TextEncoder,

    All = UnetTransformer | UnetConvBlocks | TextEncoder,
}

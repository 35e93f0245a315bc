using SweepRunner.Diffusion.TextEncoder;
using SweepRunner.Diffusion.Unet;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Model;

/// <summary>LDM's DiffusionWrapper, the <c>model</c> in <c>model.diffusion_model.*</c>.</summary>
public sealed class LdmDiffusionWrapper : nn.Module
{
    private readonly UnetModel diffusion_model;

    public LdmDiffusionWrapper(UnetModel unet)
        : base(nameof(LdmDiffusionWrapper))
    {
        diffusion_model = unet;
        RegisterComponents();
    }

    public UnetModel DiffusionModel => diffusion_model;
}

/// <summary>LDM's FrozenCLIPEmbedder, the <c>cond_stage_model</c> in <c>cond_stage_model.transformer.*</c>.</summary>
public sealed class LdmTextConditioner : nn.Module
{
    private readonly ClipTextModel transformer;

    public LdmTextConditioner(ClipTextModel textModel)
        : base(nameof(LdmTextConditioner))
    {
        transformer = textModel;
        RegisterComponents();
    }

    public ClipTextModel Transformer => transformer;
}

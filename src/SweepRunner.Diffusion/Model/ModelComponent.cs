namespace SweepRunner.Diffusion.Model;

/// <summary>The three networks of a Stable Diffusion model; in a diffusers folder each has its own subfolder.</summary>
public enum ModelComponent
{
    /// <summary><c>unet/diffusion_pytorch_model.safetensors</c>; <c>model.diffusion_model.*</c> in a single file.</summary>
    Unet,

    /// <summary><c>text_encoder/model.safetensors</c>; <c>cond_stage_model.transformer.*</c> in a single file.</summary>
    TextEncoder,

    /// <summary><c>vae/diffusion_pytorch_model.safetensors</c>; <c>first_stage_model.*</c> in a single file.</summary>
    Vae,
}

namespace SweepRunner.Diffusion.Lora;

/// <summary>The layer type behind a LoRA slot; kohya gives Linear and 1×1 convs network_dim, larger convs conv_dim.</summary>
public enum LoraSlotKind
{
    Linear,
    Conv1x1,
    Conv3x3,
}

using TorchSharp.Modules;

namespace SweepRunner.Diffusion.Lora;

/// <summary>
/// A frozen Linear or Conv2d layer that a LoRA adapter can attach to. Without an adapter it computes exactly its
/// frozen layer; with one it adds the adapter's output.
/// </summary>
public interface ILoraSlotLayer
{
    /// <summary>The diffusers-style module path kohya's LoRA keys are built from, e.g. <c>mid_block.attentions.0.proj_in</c>.</summary>
    string SlotPath { get; }

    /// <summary>The group this layer belongs to; exactly one flag of <see cref="LoraTargets"/>.</summary>
    LoraTargets Group { get; }

    LoraSlotKind Kind { get; }

    long InFeatures { get; }

    long OutFeatures { get; }

    /// <summary>Kernel side (1 for Linear).</summary>
    int KernelSize { get; }

    int Stride { get; }

    int Padding { get; }

    /// <summary>The frozen weight: [out, in] for Linear, [out, in, k, k] for convs.</summary>
    Parameter Weight { get; }

    Parameter? Bias { get; }

    ILoraAdapter? Adapter { get; }

    /// <summary>Attaches <paramref name="adapter"/>, replacing any adapter attached before. The layer does not own it.</summary>
    void Attach(ILoraAdapter adapter);

    /// <summary>Removes the adapter; the layer computes its frozen weight alone again.</summary>
    void Detach();
}

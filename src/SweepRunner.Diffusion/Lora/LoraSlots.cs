using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Lora;

/// <summary>Finds the slot layers inside a module tree.</summary>
public static class LoraSlots
{
    /// <summary>
    /// Yields every slot layer under <paramref name="root"/> whose group is in <paramref name="targets"/>, in module
    /// registration order.
    /// </summary>
    public static IEnumerable<LoraSlot> Enumerate(nn.Module root, LoraTargets targets)
    {
        ArgumentNullException.ThrowIfNull(root);
        foreach (var module in DepthFirst(root))
        {
            if (module is ILoraSlotLayer layer && (layer.Group & targets) != 0)
            {
                yield return new LoraSlot(
                    layer.SlotPath, layer.Group, layer.Kind, layer.InFeatures, layer.OutFeatures,
                    layer.KernelSize, layer.Stride, layer.Padding, layer);
            }
        }
    }

    // Module.named_modules lists all children before any grandchild; depth-first order keeps blocks together.
    static IEnumerable<nn.Module> DepthFirst(nn.Module module)
    {
        yield return module;
        foreach (var (_, child) in module.named_children())
        {
            foreach (var descendant in DepthFirst(child))
            {
                yield return descendant;
            }
        }
    }
}

namespace SweepRunner.Diffusion.Lora;

/// <summary>A LoRA file's adapters attached to a model; disposing detaches them and frees their tensors.</summary>
public sealed class AttachedLora : IDisposable
{
    readonly IReadOnlyList<(LoraSlot Slot, LoraFileAdapter Adapter)> _attached;

    internal AttachedLora(string path, string name, string shortHash, IReadOnlyList<(LoraSlot Slot, LoraFileAdapter Adapter)> attached)
    {
        Path = path;
        Name = name;
        ShortHash = shortHash;
        _attached = attached;
    }

    /// <summary>The LoRA file.</summary>
    public string Path { get; }

    /// <summary>The file name without extension, as AUTOMATIC1111's &lt;lora:name:weight&gt; tags use it.</summary>
    public string Name { get; }

    /// <summary>How many hex digits of the data hash AUTOMATIC1111 shows in "Lora hashes".</summary>
    public const int ShortHashLength = 12;

    /// <summary>The first 12 hex digits of the sha256 of the tensor data (kohya's <c>sshs_model_hash</c>).</summary>
    public string ShortHash { get; }

    /// <summary>The slots that received an adapter.</summary>
    public IReadOnlyList<LoraSlot> Slots => _attached.Select(a => a.Slot).ToList();

    public void Dispose()
    {
        foreach (var (slot, adapter) in _attached)
        {
            if (ReferenceEquals(slot.Layer.Adapter, adapter)) slot.Layer.Detach();
            adapter.Dispose();
        }
    }
}

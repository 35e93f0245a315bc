using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.TextEncoder;

/// <summary>The stack of transformer layers (<c>encoder.layers.N</c>).</summary>
public sealed class ClipEncoder : nn.Module
{
    private readonly ModuleList<ClipEncoderLayer> layers;

    public ClipEncoder(string slotPath, ClipTextConfig config, Device? device, ScalarType? dtype)
        : base(nameof(ClipEncoder))
    {
        layers = new ModuleList<ClipEncoderLayer>(
            Enumerable.Range(0, config.Layers)
                .Select(i => new ClipEncoderLayer($"{slotPath}.layers.{i}", config, device, dtype))
                .ToArray());
        RegisterComponents();
    }

    /// <summary>Runs the first <paramref name="count"/> layers on <paramref name="hidden"/>; returns a new tensor.</summary>
    public Tensor Run(Tensor hidden, int count)
    {
        if (count < 1 || count > layers.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Between 1 and {layers.Count} layers can run.");
        }

        var current = layers[0].forward(hidden);
        for (var i = 1; i < count; i++)
        {
            using var previous = current;
            current = layers[i].forward(previous);
        }

        return current;
    }
}

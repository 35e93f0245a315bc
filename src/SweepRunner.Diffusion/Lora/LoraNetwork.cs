using SweepRunner.Diffusion.Checkpoints;
using SweepRunner.Diffusion.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Lora;

/// <summary>
/// A kohya LoRA network attached to a <see cref="StableDiffusionModel"/>: one <see cref="LoraModule"/> per slot of the
/// option's targets (UNet transformers, the text encoder unless UNet-only, resnet/sampler convs with conv_dim),
/// created in slot order. Saves and loads kohya's file layout: <c>&lt;name&gt;.lora_down.weight</c>,
/// <c>&lt;name&gt;.lora_up.weight</c> and a 0-dim <c>&lt;name&gt;.alpha</c>.
/// </summary>
public sealed class LoraNetwork : IDisposable
{
    public const string DownSuffix = ".lora_down.weight";
    public const string UpSuffix = ".lora_up.weight";
    public const string AlphaSuffix = ".alpha";

    private readonly List<LoraModule> _modules;

    private LoraNetwork(LoraNetworkOptions options, List<LoraModule> modules)
    {
        Options = options;
        _modules = modules;
    }

    public LoraNetworkOptions Options { get; }

    public IReadOnlyList<LoraModule> Modules => _modules;

    public IEnumerable<LoraModule> UnetModules => _modules.Where(m => m.Slot.Group != LoraTargets.TextEncoder);

    public IEnumerable<LoraModule> TextEncoderModules => _modules.Where(m => m.Slot.Group == LoraTargets.TextEncoder);

    /// <summary>
    /// Creates the modules for <paramref name="model"/>'s slots on <paramref name="device"/> (the model's device when
    /// null), initialised from <paramref name="generator"/> (down kaiming-uniform a = √5, up zeros), and attaches them.
    /// </summary>
    public static LoraNetwork Create(StableDiffusionModel model, LoraNetworkOptions options, Device? device = null, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var target = device ?? model.Unet.parameters().First().device;
        var modules = new List<LoraModule>();
        using var scope = NewDisposeScope();
        try
        {
            foreach (var slot in model.LoraSlots(model.Family.LoraTargets(options)))
            {
                var conv3x3 = slot.Kind == LoraSlotKind.Conv3x3;
                if (conv3x3 && options.ConvDim is null) continue;
                var dim = conv3x3 ? options.ConvDim!.Value : options.Dim;
                var alpha = conv3x3 ? options.ConvAlpha : options.Alpha;
                modules.Add(new LoraModule(slot, dim, alpha, options.Dropout, target, generator));
            }
        }
        catch
        {
            foreach (var module in modules) module.Dispose();
            throw;
        }
        var network = new LoraNetwork(options, modules);
        network.Attach();
        return network;
    }

    /// <summary>Attaches every module to its slot.</summary>
    public void Attach()
    {
        foreach (var module in _modules) module.Slot.Layer.Attach(module);
    }

    /// <summary>Detaches every module whose slot still holds it.</summary>
    public void Detach()
    {
        foreach (var module in _modules)
            if (ReferenceEquals(module.Slot.Layer.Adapter, module)) module.Slot.Layer.Detach();
    }

    /// <summary>Switches dropout on (training) or off (previews, inference).</summary>
    public void SetTraining(bool training, Generator? dropoutGenerator = null)
    {
        foreach (var module in _modules)
        {
            module.Training = training;
            module.DropoutGenerator = dropoutGenerator;
        }
    }

    /// <summary>Every trainable parameter, down then up per module, in module order.</summary>
    public IEnumerable<Parameter> Parameters() => _modules.SelectMany(m => new[] { m.Down, m.Up });

    /// <summary>
    /// The tensors of a kohya file, converted to <paramref name="dtype"/> on the CPU (new tensors the caller owns).
    /// Names are kohya's; alpha is a 0-dim tensor.
    /// </summary>
    public List<(string Name, Tensor Tensor)> StateTensors(ScalarType dtype)
    {
        var tensors = new List<(string, Tensor)>(_modules.Count * 3);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        foreach (var module in _modules)
        {
            tensors.Add((module.Name + DownSuffix, Convert(module.Down, dtype)));
            tensors.Add((module.Name + UpSuffix, Convert(module.Up, dtype)));
            var device = module.Down.device.type == DeviceType.META ? META : CPU;
            tensors.Add((module.Name + AlphaSuffix, tensor(module.Alpha, ScalarType.Float32, device).to_type(dtype).DetachFromDisposeScope()));
        }
        return tensors;
    }

    static Tensor Convert(Tensor weight, ScalarType dtype)
    {
        var copy = weight.device.type == DeviceType.META ? weight.detach().to_type(dtype) : weight.detach().cpu().to_type(dtype).clone();
        return copy.DetachFromDisposeScope();
    }

    /// <summary>Writes a kohya LoRA file (atomically) in <paramref name="dtype"/> with <paramref name="metadata"/>.</summary>
    public SafetensorsWriteResult Save(string path, ScalarType dtype, IReadOnlyDictionary<string, string>? metadata)
    {
        var tensors = StateTensors(dtype);
        try
        {
            return SafetensorsWriter.Write(path, tensors, metadata);
        }
        finally
        {
            foreach (var (_, tensor) in tensors) tensor.Dispose();
        }
    }

    /// <summary>The sshs_model_hash the file saved in <paramref name="dtype"/> will have.</summary>
    public string ComputeModelHash(ScalarType dtype)
    {
        var tensors = StateTensors(dtype);
        try
        {
            return SafetensorsWriter.ComputeModelHash(tensors);
        }
        finally
        {
            foreach (var (_, tensor) in tensors) tensor.Dispose();
        }
    }

    /// <summary>The sshs_legacy_hash of the file saved in <paramref name="dtype"/> with <paramref name="metadata"/> (see <see cref="KohyaMetadata.LegacyHashMetadata"/>).</summary>
    public string ComputeLegacyHash(ScalarType dtype, IReadOnlyDictionary<string, string> metadata)
    {
        var tensors = StateTensors(dtype);
        try
        {
            return SafetensorsWriter.ComputeLegacyHash(tensors, metadata);
        }
        finally
        {
            foreach (var (_, tensor) in tensors) tensor.Dispose();
        }
    }

    /// <summary>
    /// Copies the weights of a kohya LoRA file into this network. Every module must be in the file with matching
    /// shapes and alpha, and the file must hold no other modules; otherwise the error names the keys.
    /// </summary>
    public void Load(string path)
    {
        using var file = SafetensorsFile.Open(path);
        var expected = new HashSet<string>(StringComparer.Ordinal);
        var problems = new List<string>();
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            foreach (var module in _modules)
            {
                foreach (var (suffix, parameter) in new[] { (DownSuffix, module.Down), (UpSuffix, module.Up) })
                {
                    var key = module.Name + suffix;
                    expected.Add(key);
                    if (!file.Contains(key)) { problems.Add($"missing '{key}'"); continue; }
                    var entry = file.GetEntry(key);
                    if (!entry.Shape.SequenceEqual(parameter.shape))
                    {
                        problems.Add($"'{key}' has shape [{string.Join(", ", entry.Shape)}], the network needs [{string.Join(", ", parameter.shape)}]");
                        continue;
                    }
                    parameter.copy_(file.Load(key, parameter.dtype, parameter.device));
                }
                var alphaKey = module.Name + AlphaSuffix;
                expected.Add(alphaKey);
                if (!file.Contains(alphaKey)) { problems.Add($"missing '{alphaKey}'"); continue; }
                var stored = file.Load(alphaKey, ScalarType.Float32).item<float>();
                var ownRounded = tensor((float)module.Alpha).to_type(file.GetEntry(alphaKey).Dtype.ToScalarType() ?? ScalarType.Float32).to_type(ScalarType.Float32);
                if (stored != ownRounded.item<float>())
                    problems.Add($"'{alphaKey}' is {stored}, the network was built with alpha {module.Alpha}");
            }
        }
        problems.AddRange(file.Entries.Where(e => !expected.Contains(e.Name)).Select(e => $"unexpected '{e.Name}'"));
        if (problems.Count > 0)
            throw new InvalidDataException(
                $"LoRA file '{path}' does not fit this network ({Options.Dim} dim, {_modules.Count} modules): "
                + string.Join("; ", problems.Take(10)) + (problems.Count > 10 ? $"; and {problems.Count - 10} more" : "")
                + ". Build the network with the file's network_dim, conv_dim and text encoder setting.");
    }

    public void Dispose()
    {
        Detach();
        foreach (var module in _modules) module.Dispose();
        _modules.Clear();
    }
}

using SweepRunner.Diffusion.Checkpoints;
using SweepRunner.Diffusion.Families;
using SweepRunner.Diffusion.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Model;

/// <summary>
/// Loads a base model from a single-file LDM .safetensors checkpoint or a diffusers folder, strictly: every parameter
/// filled, unknown keys listed, shape mismatches named, each error naming its file. Tensors stream one at a time from
/// the file into the model and are disposed at once, so loading needs the model's memory plus about one tensor.
/// Each tensor is converted to the parameter's dtype and device by the copy. Which checkpoints are accepted, and the
/// configuration they hold, is the model family's decision (<see cref="Sd1Family"/>).
/// </summary>
public static class ModelLoader
{
    /// <summary>The family whose checkpoints this loader reads: the LDM single-file and diffusers layouts of SD 1.x.</summary>
    static IModelFamily Family => Sd1Family.Instance;

    /// <summary>The diffusers folder's weight files: component, subfolder, file name.</summary>
    public static IReadOnlyList<(ModelComponent Component, string Folder, string File)> DiffusersFiles { get; } =
    [
        (ModelComponent.Unet, "unet", "diffusion_pytorch_model.safetensors"),
        (ModelComponent.TextEncoder, "text_encoder", "model.safetensors"),
        (ModelComponent.Vae, "vae", "diffusion_pytorch_model.safetensors"),
    ];

    /// <summary>Loads the model at <paramref name="location"/>.</summary>
    public static StableDiffusionModel Load(ModelLocation location, ModelLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(location);
        return location.Format switch
        {
            ModelFormat.SingleFile => LoadSingleFile(location.Path, options),
            ModelFormat.DiffusersFolder => LoadDiffusersFolder(location.Path, options),
            _ => throw new ArgumentOutOfRangeException(nameof(location), location.Format, null),
        };
    }

    /// <summary>
    /// Loads a single-file checkpoint (LDM names; text encoder keys with or without <c>text_model.</c>; VAE attention
    /// projections as 1×1 convs or matrices). The configuration comes from the <c>sweeprunner.config</c> metadata or
    /// from the tensor shapes (<see cref="ModelArchitecture"/>).
    /// </summary>
    /// <exception cref="ModelLoadException">Missing file or not an SD 1.x checkpoint.</exception>
    /// <exception cref="StateDictLoadException">The tensors do not match the model (names the file, keys and shapes).</exception>
    public static StableDiffusionModel LoadSingleFile(string path, ModelLoadOptions? options = null)
    {
        using var file = OpenWeights(path);
        Family.CheckSingleFile(file.Path, file.Entries.Select(e => e.Name).ToHashSet(StringComparer.Ordinal), file.Metadata);
        var byModelName = new Dictionary<string, SafetensorsEntry>(StringComparer.Ordinal);
        foreach (var entry in file.Entries)
            byModelName.TryAdd(CheckpointKeys.Map(entry.Name).Name, entry);
        var (_, config) = Family.Identify(file.Path, file.Metadata,
            ShapeOf(byModelName, ModelArchitecture.SingleFileUnetInputConv),
            ShapeOf(byModelName, ModelArchitecture.SingleFileTokenEmbedding),
            ShapeOf(byModelName, ModelArchitecture.SingleFileVaeInputConv));

        var model = Create(config, options ?? ModelLoadOptions.Cpu);
        try
        {
            var ignored = new List<string>();
            var wanted = new List<string>();
            foreach (var entry in file.Entries)
                (CheckpointKeys.Map(entry.Name).Disposition == KeyDisposition.Ignore ? ignored : wanted).Add(entry.Name);

            // Ignored keys (EMA copies, schedule buffers) are never read from the file.
            var report = StateDictLoader.Load(model, Stream(file, wanted), CheckpointKeys.Map);
            report = report with { Ignored = [.. ignored, .. report.Ignored] };
            if (!report.IsComplete)
                throw new StateDictLoadException($"'{file.Path}'", report);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Loads a diffusers model folder: <c>unet/diffusion_pytorch_model.safetensors</c>, <c>text_encoder/model.safetensors</c>
    /// and <c>vae/diffusion_pytorch_model.safetensors</c> (the <c>.fp16.safetensors</c> variants when only those exist),
    /// mapping diffusers names to the model's LDM names with <see cref="DiffusersKeyMap"/>.
    /// </summary>
    /// <exception cref="ModelLoadException">A weight file is missing (or only a pickle .bin exists), or not an SD 1.x model.</exception>
    /// <exception cref="StateDictLoadException">A file does not match its network (names the file and the diffusers keys).</exception>
    public static StableDiffusionModel LoadDiffusersFolder(string folder, ModelLoadOptions? options = null)
    {
        folder = Path.GetFullPath(folder);
        if (!Directory.Exists(folder))
            throw new ModelLoadException(folder, "no such folder.");
        Family.CheckDiffusersFolder(folder);

        var files = new List<(ModelComponent Component, SafetensorsFile File)>();
        try
        {
            foreach (var (component, subfolder, name) in DiffusersFiles)
                files.Add((component, OpenWeights(FindDiffusersWeights(folder, subfolder, name))));

            SafetensorsFile Of(ModelComponent c) => files.First(f => f.Component == c).File;
            var metadata = files.Select(f => f.File.Metadata).FirstOrDefault(m => m.ContainsKey(ModelConfigs.MetadataKey)) ?? Of(ModelComponent.Unet).Metadata;
            var (_, config) = Family.Identify(folder, metadata,
                ShapeOf(Of(ModelComponent.Unet), ModelArchitecture.UnetInputConv),
                ShapeOf(Of(ModelComponent.TextEncoder), ModelArchitecture.TokenEmbedding),
                ShapeOf(Of(ModelComponent.Vae), ModelArchitecture.VaeInputConv));

            var model = Create(config, options ?? ModelLoadOptions.Cpu);
            try
            {
                var keyMap = DiffusersKeyMap.For(config);
                foreach (var (component, file) in files)
                    LoadComponent(keyMap, component, Network(model, component), file);
                return model;
            }
            catch
            {
                model.Dispose();
                throw;
            }
        }
        finally
        {
            foreach (var (_, file) in files) file.Dispose();
        }
    }

    static void LoadComponent(DiffusersKeyMap keyMap, ModelComponent component, nn.Module network, SafetensorsFile file)
    {
        var toDiffusers = new Dictionary<string, string>(StringComparer.Ordinal);
        var toModel = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, _) in network.named_parameters())
        {
            var diffusers = keyMap.ToDiffusers(component, name)
                ?? throw new InvalidOperationException($"{component} parameter '{name}' has no diffusers name.");
            toDiffusers[name] = diffusers;
            toModel[diffusers] = name;
        }

        (string, KeyDisposition) Map(string key)
        {
            if (component == ModelComponent.TextEncoder && key == "text_model.embeddings.position_ids")
                return (key, KeyDisposition.Ignore);
            // An unknown key is given a name no parameter has, so the report lists it under its own name.
            return toModel.TryGetValue(DiffusersKeyMap.NormalizeDiffusersName(component, key), out var name)
                ? (name, KeyDisposition.Load)
                : ("\0" + key, KeyDisposition.Load);
        }

        var report = StateDictLoader.Load(network, Stream(file, file.Entries.Select(e => e.Name).ToList()), Map);
        if (!report.IsComplete)
            throw new StateDictLoadException($"'{file.Path}'", report with { Missing = report.Missing.Select(n => toDiffusers[n]).ToList() });
    }

    static nn.Module Network(StableDiffusionModel model, ModelComponent component) => component switch
    {
        ModelComponent.Unet => model.Unet,
        ModelComponent.TextEncoder => model.TextEncoder,
        ModelComponent.Vae => model.Vae,
        _ => throw new ArgumentOutOfRangeException(nameof(component), component, null),
    };

    static string FindDiffusersWeights(string folder, string subfolder, string name)
    {
        var path = Path.Combine(folder, subfolder, name);
        if (File.Exists(path)) return path;
        var fp16 = Path.Combine(folder, subfolder, Path.GetFileNameWithoutExtension(name) + ".fp16.safetensors");
        if (File.Exists(fp16)) return fp16;
        var pickle = Path.ChangeExtension(path, ".bin");
        if (File.Exists(pickle))
            throw new ModelLoadException(path,
                $"missing; the folder has {subfolder}/{Path.GetFileName(pickle)}, a PyTorch pickle, which SweepRunner does not read because unpickling can run code. "
                + "Download the .safetensors variant of the model, or convert the .bin files with the safetensors package in a Python environment you trust.");
        throw new ModelLoadException(path, $"missing; a diffusers SD 1.x folder holds unet/, text_encoder/ and vae/ weights as .safetensors files and a tokenizer/ folder.");
    }

    static SafetensorsFile OpenWeights(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new ModelLoadException(full, "no such file.");
        return SafetensorsFile.Open(full);
    }

    static StableDiffusionModel Create(DiffusionModelConfig config, ModelLoadOptions options)
    {
        var model = new StableDiffusionModel(config, options.Device, options.Dtype, Family);
        if (options.VaeDtype is { } vaeDtype && vaeDtype != options.Dtype)
            model.Vae.to(options.Device ?? CPU, vaeDtype);
        return model;
    }

    /// <summary>Yields each tensor as it is read and disposes it as soon as the consumer moves on.</summary>
    static IEnumerable<KeyValuePair<string, Tensor>> Stream(SafetensorsFile file, IReadOnlyList<string> names)
    {
        foreach (var name in names)
        {
            var tensor = file.Load(name);
            try
            {
                yield return new KeyValuePair<string, Tensor>(name, tensor);
            }
            finally
            {
                tensor.Dispose();
            }
        }
    }

    static long[]? ShapeOf(IReadOnlyDictionary<string, SafetensorsEntry> entries, string name) =>
        entries.TryGetValue(name, out var entry) ? entry.ShapeArray() : null;

    static long[]? ShapeOf(SafetensorsFile file, string name) =>
        file.Contains(name) ? file.GetEntry(name).ShapeArray() : null;
}

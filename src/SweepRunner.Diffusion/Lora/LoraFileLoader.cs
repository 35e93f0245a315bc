using SweepRunner.Diffusion.Checkpoints;
using SweepRunner.Diffusion.Families;
using SweepRunner.Diffusion.Model;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Lora;

/// <summary>
/// Reads a kohya LoRA file (<c>lora_unet_…</c> / <c>lora_te_…</c> modules with <c>.lora_down.weight</c>,
/// <c>.lora_up.weight</c> and optional <c>.alpha</c>) and attaches a <see cref="LoraFileAdapter"/> to the slot whose
/// <see cref="LoraSlot.KohyaName"/> each module names. Keys of other network types and modules that match no slot
/// are refused, naming them.
/// </summary>
public static class LoraFileLoader
{
    const string DownSuffix = ".lora_down.weight";
    const string UpSuffix = ".lora_up.weight";
    const string AlphaSuffix = ".alpha";

    /// <summary>Attaches the LoRA in <paramref name="path"/> to <paramref name="model"/> with strength <paramref name="multiplier"/>.</summary>
    /// <exception cref="LoraFileException">Unsupported keys, modules matching no layer, missing halves or wrong shapes.</exception>
    public static AttachedLora Attach(string path, StableDiffusionModel model, double multiplier = 1.0)
    {
        ArgumentNullException.ThrowIfNull(model);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new LoraFileException(full, "no such file.");
        using var file = SafetensorsFile.Open(full);
        var slots = model.LoraSlots(LoraTargets.All).ToDictionary(s => s.KohyaName, StringComparer.Ordinal);

        var modules = new SortedDictionary<string, (string? Down, string? Up, string? Alpha)>(StringComparer.Ordinal);
        var unsupported = new List<string>();
        foreach (var entry in file.Entries)
        {
            var (module, part) = Split(model.Family, entry.Name);
            if (module is null)
            {
                unsupported.Add(entry.Name);
                continue;
            }
            var current = modules.GetValueOrDefault(module);
            modules[module] = part switch
            {
                DownSuffix => current with { Down = entry.Name },
                UpSuffix => current with { Up = entry.Name },
                _ => current with { Alpha = entry.Name },
            };
        }

        if (unsupported.Count > 0)
            throw new LoraFileException(full,
                $"{unsupported.Count} key(s) SweepRunner cannot apply: {List(unsupported)}. SweepRunner applies kohya LoRA files "
                + "(lora_unet_*/lora_te_* modules with lora_down.weight, lora_up.weight and alpha); LyCORIS (LoHa, LoKr), DoRA and other network types are not supported.");
        var unmatched = modules.Keys.Where(m => !slots.ContainsKey(m)).ToList();
        if (unmatched.Count > 0)
            throw new LoraFileException(full,
                $"{unmatched.Count} module(s) match no layer of this model: {List(unmatched)}. Is the LoRA made for another base model (SDXL, SD 2.x)?");
        if (modules.Count == 0)
            throw new LoraFileException(full, "the file holds no LoRA modules.");

        var attached = new List<(LoraSlot, LoraFileAdapter)>();
        try
        {
            foreach (var (module, keys) in modules)
            {
                var slot = slots[module];
                if (keys.Down is null || keys.Up is null)
                    throw new LoraFileException(full, $"module '{module}' lacks its {(keys.Down is null ? "lora_down" : "lora_up")}.weight.");
                attached.Add((slot, CreateAdapter(file, slot, keys.Down, keys.Up, keys.Alpha, multiplier)));
            }
        }
        catch
        {
            foreach (var (_, adapter) in attached) adapter.Dispose();
            throw;
        }

        foreach (var (slot, adapter) in attached) slot.Layer.Attach(adapter);
        return new AttachedLora(full, Path.GetFileNameWithoutExtension(full), file.ComputeModelHash()[..AttachedLora.ShortHashLength], attached);
    }

    static LoraFileAdapter CreateAdapter(SafetensorsFile file, LoraSlot slot, string downKey, string upKey, string? alphaKey, double multiplier)
    {
        var downShape = file.GetEntry(downKey).ShapeArray();
        var upShape = file.GetEntry(upKey).ShapeArray();
        var rank = downShape.Length > 0 ? downShape[0] : 0;
        long[] expectedDown = slot.Kind == LoraSlotKind.Linear ? [rank, slot.InFeatures] : [rank, slot.InFeatures, slot.KernelSize, slot.KernelSize];
        long[] expectedUp = slot.Kind == LoraSlotKind.Linear ? [slot.OutFeatures, rank] : [slot.OutFeatures, rank, 1, 1];
        if (rank < 1 || !SameModuloUnitKernel(downShape, expectedDown))
            throw new LoraFileException(file.Path, $"'{downKey}' is {Shape(downShape)}; the layer {slot.Path} needs [rank, {string.Join(", ", expectedDown.Skip(1))}].");
        if (!SameModuloUnitKernel(upShape, expectedUp))
            throw new LoraFileException(file.Path, $"'{upKey}' is {Shape(upShape)}; the layer {slot.Path} with rank {rank} needs {Shape(expectedUp)}.");

        var weight = slot.Layer.Weight;
        var alpha = (double)rank;
        if (alphaKey is not null)
        {
            if (file.GetEntry(alphaKey).ElementCount != 1)
                throw new LoraFileException(file.Path, $"'{alphaKey}' should hold one number; it is {Shape(file.GetEntry(alphaKey).ShapeArray())}.");
            using var alphaTensor = file.Load(alphaKey, ScalarType.Float64);
            var value = alphaTensor.reshape(1)[0].item<double>();
            if (!double.IsFinite(value))
                throw new LoraFileException(file.Path, $"'{alphaKey}' is {value}.");
            if (value != 0) alpha = value;
        }

        Tensor? down = null;
        try
        {
            using (var raw = file.Load(downKey, weight.dtype, weight.device))
                down = raw.reshape(expectedDown).contiguous();
            using var rawUp = file.Load(upKey, weight.dtype, weight.device);
            var up = rawUp.reshape(expectedUp).contiguous();
            return new LoraFileAdapter(slot, down, up, alpha, multiplier);
        }
        catch
        {
            down?.Dispose();
            throw;
        }
    }

    // A 1×1 conv weight and a matrix hold the same numbers; files store Linear-targeted 1×1 convs either way.
    static bool SameModuloUnitKernel(long[] actual, long[] expected) =>
        actual.AsSpan().SequenceEqual(expected)
        || (actual.Length == 4 && expected.Length == 2 && actual[2] == 1 && actual[3] == 1 && actual[0] == expected[0] && actual[1] == expected[1])
        || (actual.Length == 2 && expected.Length == 4 && expected[2] == 1 && expected[3] == 1 && actual[0] == expected[0] && actual[1] == expected[1]);

    static (string? Module, string? Part) Split(IModelFamily family, string key)
    {
        if (!family.IsKohyaLoraKey(key))
            return (null, null);
        foreach (var suffix in new[] { DownSuffix, UpSuffix, AlphaSuffix })
            if (key.EndsWith(suffix, StringComparison.Ordinal))
                return (key[..^suffix.Length], suffix);
        return (null, null);
    }

    static string List(IReadOnlyList<string> names) =>
        string.Join(", ", names.Take(5)) + (names.Count > 5 ? $", … and {names.Count - 5} more" : "");

    static string Shape(long[] shape) => "[" + string.Join(", ", shape) + "]";
}

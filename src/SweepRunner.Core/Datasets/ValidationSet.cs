using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SweepRunner.Core.Settings;
using static SweepRunner.Core.Settings.SettingsCatalog;

namespace SweepRunner.Core.Datasets;

/// <summary>An image of the validation set: the folder it is in (its captions' class tokens) and the image.</summary>
public sealed record ValidationImage(DatasetFolder Folder, DatasetImage Image);

/// <summary>
/// The validation set of a job, as sd-scripts' validation loss defines it: <c>validation_split</c> holds out a fraction
/// of every dataset folder's images (the training images are the first ceil(n × (1 − split)) of a seeded order,
/// the rest validate), or <c>validation_data_dir</c> names a separate folder and nothing is held out. The order and
/// the validation noise come from <c>validation_seed</c>, which the planner sets to the sweep base's seed when unset,
/// so every job of a sweep holds out the same images and sees the same noise.
/// </summary>
public static class ValidationSet
{
    /// <summary>The timesteps each validation image is noised at: sd-scripts' four, evenly inside [0, 1000].</summary>
    public static readonly IReadOnlyList<int> Timesteps = [200, 400, 600, 800];

    public static bool IsOn(IReadOnlyDictionary<string, object?> s) => HeldOutFraction(s) > 0 || s.GetValueOrDefault(ValidationDataDir) is string;

    /// <summary>The fraction of each folder held out of training: validation_split, or 0 when validation_data_dir is given.</summary>
    public static double HeldOutFraction(IReadOnlyDictionary<string, object?> s) =>
        s.GetValueOrDefault(ValidationDataDir) is string ? 0 : Convert.ToDouble(s.GetValueOrDefault(ValidationSplit) ?? 0.0, CultureInfo.InvariantCulture);

    /// <summary>validation_seed, else the job's seed (the planner fills in the base's seed, so a swept seed does not change it).</summary>
    public static long Seed(IReadOnlyDictionary<string, object?> s) =>
        Convert.ToInt64(s.GetValueOrDefault(ValidationSeed) ?? s.GetValueOrDefault(SettingsCatalog.Seed) ?? Get(SettingsCatalog.Seed).Default, CultureInfo.InvariantCulture);

    /// <summary>Whether the validation loss is computed after <paramref name="epoch"/>: every validate_every_n_epochs-th epoch and the last.</summary>
    public static bool IsDue(IReadOnlyDictionary<string, object?> s, int epoch, int lastEpoch) =>
        IsOn(s) && (epoch == lastEpoch || s.GetValueOrDefault(ValidateEveryNEpochs) is not { } every || epoch % Convert.ToInt64(every, CultureInfo.InvariantCulture) == 0);

    /// <summary>The training part of <paramref name="dataset"/> (the same fingerprint: the split is part of the job's settings) and the held-out images.</summary>
    public static (DatasetInfo Training, IReadOnlyList<ValidationImage> HeldOut) Split(DatasetInfo dataset, IReadOnlyDictionary<string, object?> s)
    {
        var fraction = HeldOutFraction(s);
        if (fraction <= 0) return (dataset, []);
        var seed = Seed(s);
        var folders = new List<DatasetFolder>();
        var heldOut = new List<ValidationImage>();
        foreach (var folder in dataset.Folders)
        {
            var order = folder.Images.OrderBy(image => OrderKey(seed, image.RelativePath), StringComparer.Ordinal).ToList();
            var training = (int)Math.Ceiling(order.Count * (1 - fraction) - 1e-9);
            var held = order.Skip(training).ToHashSet();
            var kept = folder.Images.Where(image => !held.Contains(image)).ToList();
            heldOut.AddRange(order.Skip(training).Select(image => new ValidationImage(folder, image)));
            if (kept.Count > 0) folders.Add(folder with { Images = kept });
        }
        return (dataset with { Folders = folders }, heldOut);
    }

    /// <summary>All images of a separate validation folder.</summary>
    public static IReadOnlyList<ValidationImage> AllOf(DatasetInfo folder) =>
        folder.Folders.SelectMany(f => f.Images.Select(image => new ValidationImage(f, image))).ToList();

    /// <summary>A seeded order that does not depend on the runtime's random generator: SHA-256 of the seed and the image's path.</summary>
    static string OrderKey(long seed, string relativePath) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{seed}\n{relativePath}"))));
}

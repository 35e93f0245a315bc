using System.Security.Cryptography;
using SweepRunner.Core.Files;

namespace SweepRunner.Diffusion.Lora;

/// <summary>
/// ss_sd_model_hash and ss_new_sd_model_hash of a base model, as sd-scripts computes them (library/train_util.py
/// model_hash and calculate_sha256): AUTOMATIC1111's old 8-digit hash (<see cref="LegacyModelHash"/>) and the SHA-256 of
/// the whole file. For a diffusers folder both are "IsADirectory", which is what sd-scripts writes for one.
/// </summary>
public sealed record BaseModelHashes(string Legacy, string Sha256)
{
    const string Directory = "IsADirectory";

    /// <summary>The hashes of the checkpoint file or model folder at <paramref name="path"/>; null when nothing is there.</summary>
    public static BaseModelHashes? Of(string path)
    {
        if (System.IO.Directory.Exists(path)) return new BaseModelHashes(Directory, Directory);
        if (!File.Exists(path)) return null;
        using var stream = File.OpenRead(path);
        return new BaseModelHashes(LegacyModelHash.OfFile(path), Convert.ToHexStringLower(SHA256.HashData(stream)));
    }
}

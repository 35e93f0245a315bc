// Shared by the build (as an MSBuild inline task) and by SweepRunner.Diffusion (for `sweeprunner doctor`).
//
// libLibTorchSharp.so 0.107 asks for GLIBCXX_3.4.32 (GCC 13) for one marker symbol that no relocation
// uses. Debian 12 and Ubuntu 22.04 ship 3.4.30, so the dynamic loader refuses the library. Marking that
// version requirement weak (VER_FLG_WEAK in the vna_flags of its .gnu.version_r entry) lets it load.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace SweepRunner.Native
{
    public enum VersionNeedState { Absent, Required, Weak }

    public static class ElfVersionNeeds
    {
        public const string TorchSharpNeededVersion = "GLIBCXX_3.4.32";
        const uint ShtGnuVerdef = 0x6ffffffd;
        const uint ShtGnuVerneed = 0x6ffffffe;
        const ushort VerFlagWeak = 0x2;

        /// <summary>How the ELF file at <paramref name="path"/> requires <paramref name="version"/>.</summary>
        public static VersionNeedState GetNeedState(string path, string version)
        {
            var bytes = File.ReadAllBytes(path);
            var entry = FindVernaux(bytes, path, version);
            if (entry < 0) return VersionNeedState.Absent;
            return (BitConverter.ToUInt16(bytes, entry + 4) & VerFlagWeak) != 0 ? VersionNeedState.Weak : VersionNeedState.Required;
        }

        /// <summary>
        /// Marks the requirement weak. Writes a new file and renames it over the old one, so a hard link
        /// into a package cache is never modified. Returns true when the file was changed.
        /// </summary>
        public static bool MarkWeak(string path, string version)
        {
            var bytes = File.ReadAllBytes(path);
            var entry = FindVernaux(bytes, path, version);
            if (entry < 0) return false;
            var flags = BitConverter.ToUInt16(bytes, entry + 4);
            if ((flags & VerFlagWeak) != 0) return false;
            flags |= VerFlagWeak;
            bytes[entry + 4] = (byte)(flags & 0xff);
            bytes[entry + 5] = (byte)(flags >> 8);
            var temp = path + ".weak-tmp";
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
            {
                stream.Write(bytes, 0, bytes.Length);
                stream.Flush(true);
            }
            File.Replace(temp, path, null);
            return true;
        }

        /// <summary>The version names a shared library defines (its .gnu.version_d section).</summary>
        public static IReadOnlyList<string> DefinedVersions(string path)
        {
            var bytes = File.ReadAllBytes(path);
            var names = new List<string>();
            var header = ReadHeader(bytes, path);
            foreach (var section in Sections(bytes, header, path))
            {
                if (section.Type != ShtGnuVerdef) continue;
                var strtab = SectionAt(bytes, header, (int)section.Link, path);
                long offset = section.Offset;
                for (uint i = 0; i < section.Info; i++)
                {
                    Check(bytes, offset, 20, path);
                    var auxOffset = offset + BitConverter.ToUInt32(bytes, (int)offset + 12);
                    Check(bytes, auxOffset, 8, path);
                    names.Add(ReadString(bytes, strtab.Offset + BitConverter.ToUInt32(bytes, (int)auxOffset), path));
                    var next = BitConverter.ToUInt32(bytes, (int)offset + 16);
                    if (next == 0) break;
                    offset += next;
                }
            }
            return names;
        }

        /// <summary>The system libstdc++.so.6 the dynamic loader would pick, or null.</summary>
        public static string? FindSystemLibstdcxx()
        {
            string[] candidates =
            {
                "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
                "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/lib/aarch64-linux-gnu/libstdc++.so.6",
                "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
            };
            foreach (var candidate in candidates)
                if (File.Exists(candidate)) return candidate;
            return null;
        }

        /// <summary>True when this machine's libstdc++ lacks the version TorchSharp asks for.</summary>
        public static bool HostNeedsFix(out string detail)
        {
            var lib = FindSystemLibstdcxx();
            if (lib == null) { detail = "no system libstdc++.so.6 found"; return false; }
            var defined = new List<string>(DefinedVersions(lib)).Contains(TorchSharpNeededVersion);
            detail = lib + (defined ? " defines " : " lacks ") + TorchSharpNeededVersion;
            return !defined;
        }

        struct Header { public long SectionOffset; public int SectionSize; public int SectionCount; }
        struct Section { public uint Type; public long Offset; public long Size; public uint Link; public uint Info; }

        static int FindVernaux(byte[] bytes, string path, string version)
        {
            var header = ReadHeader(bytes, path);
            foreach (var section in Sections(bytes, header, path))
            {
                if (section.Type != ShtGnuVerneed) continue;
                var strtab = SectionAt(bytes, header, (int)section.Link, path);
                long need = section.Offset;
                for (uint i = 0; i < section.Info; i++)
                {
                    Check(bytes, need, 16, path);
                    var count = BitConverter.ToUInt16(bytes, (int)need + 2);
                    long aux = need + BitConverter.ToUInt32(bytes, (int)need + 8);
                    for (int j = 0; j < count; j++)
                    {
                        Check(bytes, aux, 16, path);
                        var name = ReadString(bytes, strtab.Offset + BitConverter.ToUInt32(bytes, (int)aux + 8), path);
                        if (name == version) return (int)aux;
                        var nextAux = BitConverter.ToUInt32(bytes, (int)aux + 12);
                        if (nextAux == 0) break;
                        aux += nextAux;
                    }
                    var nextNeed = BitConverter.ToUInt32(bytes, (int)need + 12);
                    if (nextNeed == 0) break;
                    need += nextNeed;
                }
            }
            return -1;
        }

        static Header ReadHeader(byte[] bytes, string path)
        {
            if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
                throw new InvalidDataException(path + ": not an ELF file");
            if (bytes[4] != 2 || bytes[5] != 1)
                throw new InvalidDataException(path + ": only 64-bit little-endian ELF files are supported");
            var header = new Header
            {
                SectionOffset = (long)BitConverter.ToUInt64(bytes, 0x28),
                SectionSize = BitConverter.ToUInt16(bytes, 0x3A),
                SectionCount = BitConverter.ToUInt16(bytes, 0x3C),
            };
            if (header.SectionSize < 64) throw new InvalidDataException(path + ": bad ELF section header size");
            Check(bytes, header.SectionOffset, (long)header.SectionSize * header.SectionCount, path);
            return header;
        }

        static IEnumerable<Section> Sections(byte[] bytes, Header header, string path)
        {
            for (int i = 0; i < header.SectionCount; i++) yield return SectionAt(bytes, header, i, path);
        }

        static Section SectionAt(byte[] bytes, Header header, int index, string path)
        {
            if (index < 0 || index >= header.SectionCount) throw new InvalidDataException(path + ": section index out of range");
            var at = (int)(header.SectionOffset + (long)index * header.SectionSize);
            var section = new Section
            {
                Type = BitConverter.ToUInt32(bytes, at + 4),
                Offset = (long)BitConverter.ToUInt64(bytes, at + 0x18),
                Size = (long)BitConverter.ToUInt64(bytes, at + 0x20),
                Link = BitConverter.ToUInt32(bytes, at + 0x28),
                Info = BitConverter.ToUInt32(bytes, at + 0x2C),
            };
            if (section.Type != 8 /* SHT_NOBITS */) Check(bytes, section.Offset, section.Size, path);
            return section;
        }

        static string ReadString(byte[] bytes, long offset, string path)
        {
            Check(bytes, offset, 1, path);
            var end = Array.IndexOf(bytes, (byte)0, (int)offset);
            if (end < 0) throw new InvalidDataException(path + ": unterminated string in ELF string table");
            return Encoding.ASCII.GetString(bytes, (int)offset, end - (int)offset);
        }

        static void Check(byte[] bytes, long offset, long length, string path)
        {
            if (offset < 0 || length < 0 || offset + length > bytes.Length)
                throw new InvalidDataException(path + ": ELF structure points outside the file");
        }
    }
}

#if !SWEEPRUNNER_RUNTIME
namespace SweepRunner.Build
{
    using Microsoft.Build.Framework;
    using SweepRunner.Native;

    /// <summary>Marks GLIBCXX_3.4.32 weak in build-output copies of libLibTorchSharp.so when the host lacks it.</summary>
    public class WeakenLibstdcxxRequirement : Microsoft.Build.Utilities.Task
    {
        [Required] public ITaskItem[] Libraries { get; set; } = Array.Empty<ITaskItem>();
        public string PackageRoot { get; set; } = "";

        public override bool Execute()
        {
            if (!System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux)) return true;
            if (!ElfVersionNeeds.HostNeedsFix(out var detail))
            {
                Log.LogMessage(MessageImportance.Low, "libstdc++ fix not needed: " + detail);
                return true;
            }
            foreach (var item in Libraries)
            {
                var path = Path.GetFullPath(item.ItemSpec);
                if (!File.Exists(path)) continue;
                if (PackageRoot.Length > 0 && path.StartsWith(Path.GetFullPath(PackageRoot), StringComparison.Ordinal))
                {
                    Log.LogWarning("Not patching " + path + ": it lies in the NuGet package cache.");
                    continue;
                }
                if (ElfVersionNeeds.MarkWeak(path, ElfVersionNeeds.TorchSharpNeededVersion))
                    Log.LogMessage(MessageImportance.High,
                        "SweepRunner: marked " + ElfVersionNeeds.TorchSharpNeededVersion + " weak in " + path + " (" + detail + ")");
            }
            return true;
        }
    }
}
#endif

using SweepRunner.Native;

namespace SweepRunner.Diffusion.Tests.Native;

public class LibstdcxxVersionFixTests : IDisposable
{
    const string Version = ElfVersionNeeds.TorchSharpNeededVersion;
    readonly string _temp = Directory.CreateTempSubdirectory("sweeprunner-elf-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    static string PackageCopy()
    {
        var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                   ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var lib = Path.Combine(root, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(lib), $"TorchSharp package not restored at {lib}");
        return lib;
    }

    static string OutputCopy() =>
        Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    [Fact]
    public void TheBuildMarksTheRequirementWeakInItsOutputWhenTheHostLacksIt()
    {
        var hostNeedsFix = ElfVersionNeeds.HostNeedsFix(out var detail);
        var expected = hostNeedsFix ? VersionNeedState.Weak : VersionNeedState.Required;
        Assert.True(expected == ElfVersionNeeds.GetNeedState(OutputCopy(), Version), detail);
    }

    [Fact]
    public void ThePackageCacheIsNeverModified() =>
        Assert.Equal(VersionNeedState.Required, ElfVersionNeeds.GetNeedState(PackageCopy(), Version));

    [Fact]
    public void MarkingWeakChangesOnlyThatFlagAndIsIdempotent()
    {
        var copy = Path.Combine(_temp, "libLibTorchSharp.so");
        File.Copy(PackageCopy(), copy);
        var before = File.ReadAllBytes(copy);

        Assert.True(ElfVersionNeeds.MarkWeak(copy, Version));
        Assert.Equal(VersionNeedState.Weak, ElfVersionNeeds.GetNeedState(copy, Version));
        var after = File.ReadAllBytes(copy);
        Assert.Equal(before.Length, after.Length);
        Assert.Single(Enumerable.Range(0, before.Length), i => before[i] != after[i]);

        Assert.False(ElfVersionNeeds.MarkWeak(copy, Version));
        Assert.Equal(after, File.ReadAllBytes(copy));
        Assert.Empty(Directory.GetFiles(_temp, "*.weak-tmp"));
    }

    [Fact]
    public void AMissingVersionIsReportedAbsent() =>
        Assert.Equal(VersionNeedState.Absent, ElfVersionNeeds.GetNeedState(PackageCopy(), "GLIBCXX_99.0"));

    [Fact]
    public void TheSystemLibraryDefinesItsVersions()
    {
        var lib = ElfVersionNeeds.FindSystemLibstdcxx();
        Assert.NotNull(lib);
        Assert.Contains("GLIBCXX_3.4", ElfVersionNeeds.DefinedVersions(lib));
    }

    [Fact]
    public void MalformedFilesAreRejectedWithTheirPath()
    {
        var bad = Path.Combine(_temp, "bad.so");
        File.WriteAllBytes(bad, [0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, .. new byte[58]]);
        File.WriteAllBytes(bad, File.ReadAllBytes(bad).Select((b, i) => i == 0x3C ? (byte)200 : b).ToArray());
        var error = Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.GetNeedState(bad, Version));
        Assert.Contains(bad, error.Message);
        File.WriteAllText(bad, "not elf");
        Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.GetNeedState(bad, Version));
    }
}

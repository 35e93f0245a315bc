using SweepRunner.Cli.Tests.Support;

namespace SweepRunner.Cli.Tests.Commands;

public class DoctorCommandTests
{
    [Fact]
    public void DoctorStartsTorchAndReportsVersionsAndTheFix()
    {
        var result = CliProcess.Run(CliProcess.RepoRoot, "doctor");
        Assert.True(result.ExitCode == 0, result.Out + result.Error);
        Assert.Contains("TorchSharp", result.Out);
        Assert.Matches(@"libtorch\s+2\.10", result.Out);
        Assert.Matches(@"SQLite\s+3\.\d+", result.Out);
        Assert.Matches(@"libstdc\+\+ fix\s+(applied|not needed)", result.Out);
        Assert.Contains("GiB free", result.Out);
    }

    [Fact]
    public void DoctorSaysWhenTheResultsFolderDoesNotExist()
    {
        var missing = Path.Combine(Path.GetTempPath(), "nx-" + Guid.NewGuid().ToString("N")[..8]);
        var result = CliProcess.Run(CliProcess.RepoRoot, "doctor", "--results", missing);
        // Table cells may wrap off a terminal: compare without whitespace and borders.
        var text = System.Text.RegularExpressions.Regex.Replace(result.Out, @"[\s│|─┃]", "");
        Assert.Contains(missing.Replace(" ", "", StringComparison.Ordinal) + "doesnotexistyet", text);
        Assert.False(Directory.Exists(missing));
    }
}

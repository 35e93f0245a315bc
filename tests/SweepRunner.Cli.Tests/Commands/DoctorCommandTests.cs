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
}

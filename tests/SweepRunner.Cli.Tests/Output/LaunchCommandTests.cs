using SweepRunner.Cli.Output;

namespace SweepRunner.Cli.Tests.Output;

public class LaunchCommandTests
{
    const string Repo = "/home/me/SweepRunner";
    const string AppHost = Repo + "/src/SweepRunner.Cli/bin/Release/net10.0/sweeprunner";

    [Fact]
    public void DotnetRunStartsTheExecutableWhichIsPrintedRelativeToTheCurrentFolder() =>
        Assert.Equal("./src/SweepRunner.Cli/bin/Release/net10.0/sweeprunner", LaunchCommand.Of(AppHost, AppHost + ".dll", Repo, "/usr/bin"));

    [Fact]
    public void UnderTheDotnetHostTheDllIsGivenToDotnet() =>
        Assert.Equal("dotnet /opt/tools/sweeprunner.dll", LaunchCommand.Of("/usr/share/dotnet/dotnet", "/opt/tools/sweeprunner.dll", Repo, "/usr/bin"));

    [Fact]
    public void TheBareNameWhenPathFindsThisProgram()
    {
        var folder = Directory.CreateTempSubdirectory("sweeprunner-path-").FullName;
        try
        {
            var program = Path.Combine(folder, "sweeprunner");
            File.WriteAllText(program, "");
            Assert.Equal("sweeprunner", LaunchCommand.Of(program, program + ".dll", Repo, "/usr/bin:" + folder));
            Assert.Equal(program, LaunchCommand.Of(program, program + ".dll", Repo, "/usr/bin"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("results/quickstart", "results/quickstart")]
    [InlineData("my results", "'my results'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("", "''")]
    public void WordsAreQuotedForAShellOnlyWhenNeeded(string word, string quoted) => Assert.Equal(quoted, LaunchCommand.Quote(word));
}

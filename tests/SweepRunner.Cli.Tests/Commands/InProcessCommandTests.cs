using SweepRunner.Cli.Tests.Support;
using Spectre.Console;
using SweepRunner.Cli.Hosting;
using SweepRunner.Store;

namespace SweepRunner.Cli.Tests.Commands;

/// <summary>Commands write to the console they are given, so a test can run one in-process and read what it wrote.</summary>
public class InProcessCommandTests
{
    static CliResult Run(params string[] args) => InProcessCli.Run(args);

    [Fact]
    public void AMistypedCommandGetsTheNearestCommandSuggestedAndVersionPrintsTheVersion()
    {
        var (exitCode, _, error) = Run("rn", "sweeps/quickstart.yaml");
        Assert.Equal(2, exitCode);
        Assert.Equal("error: Unknown command 'rn'. Did you mean 'run'? (sweeprunner --help lists the commands)", error.Trim());

        var far = Run("frobnicate");
        Assert.Equal("error: Unknown command 'frobnicate'. sweeprunner --help lists the commands.", far.Error.Trim());

        var version = Run("--version");
        Assert.Equal(0, version.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", version.Out.Trim());
    }

    [Fact]
    public async Task StatusWritesItsJsonToTheGivenConsole()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        await store.RegisterSweepAsync(Sweeps.Sweep("injected", Sweeps.Job(8), Sweeps.Job(16)));

        var (exitCode, output, error) = Run("status", "injected", "--json", "--results", folder.Path);

        Assert.Equal(0, exitCode);
        Assert.Equal("", error);
        Assert.Contains("\"injected\"", output);
        Assert.Contains("dim8", output);
        Assert.Contains("dim16", output);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("export", "any")]
    [InlineData("score", "any", "base", "50")]
    [InlineData("report", "any")]
    [InlineData("serve")]
    public void EveryCommandThatReadsResultsRefusesAFolderWithoutADatabaseAndCreatesNone(params string[] command)
    {
        using var folder = new TemporaryFolder();

        var (exitCode, _, error) = Run([.. command, "--results", folder.Path]);

        Assert.Equal(2, exitCode);
        Assert.Contains($"no results database in '{folder.Path}'", error);
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void ArgumentErrorsComeBeforeTheDatabaseCheck()
    {
        using var folder = new TemporaryFolder();

        var (exitCode, _, error) = Run("serve", "--address", "0.0.0.0", "--results", folder.Path);

        Assert.Equal(2, exitCode);
        Assert.Contains("--token", error);
    }

    [Fact]
    public void AChoiceOutsideItsEnumIsAUsageErrorListingTheValidValues()
    {
        var (exitCode, _, error) = Run("export", "any", "--format", "xml");

        Assert.Equal(2, exitCode);
        Assert.Contains("'xml'", error);
        Assert.Contains("Csv", error);
        Assert.Contains("Json", error);
    }
}

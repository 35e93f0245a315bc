using SweepRunner.Cli.Tests.Support;
using SweepRunner.Store;

namespace SweepRunner.Cli.Tests.Commands;

/// <summary>'score' refuses control characters in --scorer, --note and imported CSV rows, as the scoring page does.</summary>
public sealed class ScoreTextCommandTests : IDisposable
{
    readonly TemporaryFolder _results = new();

    public void Dispose() => _results.Dispose();

    [Theory]
    [InlineData("--scorer", "al\u0000ice", "--scorer must not contain control characters (found U+0000); type it again without them")]
    [InlineData("--scorer", "alice\u001b[2J", "--scorer must not contain control characters (found U+001B)")]
    [InlineData("--scorer", "al\tice", "--scorer must not contain control characters (found U+0009)")]
    [InlineData("--scorer", " ", "--scorer is empty")]
    [InlineData("--note", "soft\reyes", "--note must not contain control characters other than tab and newline (found U+000D); type it again without them")]
    public async Task A_control_character_in_an_option_exits_2_naming_the_option(string option, string value, string expected)
    {
        await ResultsStore.OpenAsync(_results.Path);

        var result = InProcessCli.Run("score", "any", "base", "50", option, value, "--results", _results.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_control_character_in_an_imported_row_exits_2_naming_file_and_line()
    {
        await ResultsStore.OpenAsync(_results.Path);
        var csv = Path.Combine(_results.Path, "scores.csv");
        await File.WriteAllTextAsync(csv, "label,score,note\nbase,50,fine\nbase,60,\"bad\u0000note\"\n");

        var result = InProcessCli.Run("score", "any", "--import", csv, "--results", _results.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{csv} line 3: the note must not contain control characters other than tab and newline (found U+0000); remove them from the file", result.Error,
            StringComparison.Ordinal);
        Assert.Contains("No score was added.", result.Error, StringComparison.Ordinal);
    }
}

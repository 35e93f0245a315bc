using SweepRunner.Core.Scoring;

namespace SweepRunner.Core.Tests.Scoring;

public sealed class ScoreCsvTests
{
    [Fact]
    public void Columns_in_any_order_quoted_notes_and_empty_optional_fields_are_read()
    {
        const string text = "\uFEFFScorer,label,Score,epoch,note\r\n" +
                            "alice,13,85,,\"sharp, \"\"clean\"\" face\"\r\n" +
                            ",baseline,62.5,4,\"two\nlines\"\r\n" +
                            "\r\n" +
                            "bob,alpha=1,0,2,\n";

        var rows = ScoreCsv.Parse(text, "scores.csv", defaultScorer: "carol");

        Assert.Equal(
            [
                new ScoreCsvRow(2, "13", 85, null, "alice", "sharp, \"clean\" face"),
                new ScoreCsvRow(3, "baseline", 62.5, 4, "carol", "two\nlines"),
                new ScoreCsvRow(6, "alpha=1", 0, 2, "bob", null),
            ],
            rows);
    }

    [Fact]
    public void Control_characters_in_scorers_and_notes_are_refused_naming_file_and_line()
    {
        const string text = "label,score,scorer,note\n13,85,al\u0000ice,\n14,60,bob,\"soft\u001b[2J\"\n15,70,carol,\"two\r\nlines\ttabbed\"\n";

        var error = Assert.Throws<ScoreCsvException>(() => ScoreCsv.Parse(text, "scores.csv", "dave"));

        Assert.Contains("scores.csv line 2: the scorer must not contain control characters (found U+0000); remove them from the file", error.Message, StringComparison.Ordinal);
        Assert.Contains("scores.csv line 3: the note must not contain control characters other than tab and newline (found U+001B); remove them from the file",
            error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("line 4", error.Message, StringComparison.Ordinal);
        // A note spanning lines of a file saved with CRLF line ends keeps its newline, not the carriage return.
        Assert.Equal("two\nlines\ttabbed", Assert.Single(ScoreCsv.Parse("label,score,note\r\n15,70,\"two\r\nlines\ttabbed\"\r\n", "scores.csv", "dave")).Note);
    }

    [Fact]
    public void Every_bad_row_is_reported_with_its_line()
    {
        const string text = "label,score,epoch\n13,85,\n14,101,\n,50,\n15,70,zero\n";

        var error = Assert.Throws<ScoreCsvException>(() => ScoreCsv.Parse(text, "scores.csv", "carol"));

        Assert.Contains("scores.csv line 3: the score '101' is not a number from 0 to 100", error.Message, StringComparison.Ordinal);
        Assert.Contains("scores.csv line 4: the label is empty", error.Message, StringComparison.Ordinal);
        Assert.Contains("scores.csv line 5: the epoch 'zero' is not a whole number", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("line 2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("label,scroe\n13,80\n", "scores.csv line 1: unknown column 'scroe' (did you mean 'score'?)")]
    [InlineData("label,epoch\n13,2\n", "scores.csv line 1: the header has no 'score' column")]
    [InlineData("13,80\n", "scores.csv line 1: unknown column '13'")]
    [InlineData("", "scores.csv: the file is empty")]
    [InlineData("label,score\n", "scores.csv: the file has a header but no scores")]
    [InlineData("label,score\n13,80,extra\n", "scores.csv line 2: 3 fields but the header names 2 columns")]
    [InlineData("label,score\n\"13,80\n", "scores.csv line 2: a quoted field is never closed")]
    [InlineData("label,score\n1\"3,80\n", "scores.csv line 2: a quote inside an unquoted field")]
    public void A_malformed_file_names_the_problem(string text, string expected)
    {
        var error = Assert.Throws<ScoreCsvException>(() => ScoreCsv.Parse(text, "scores.csv", "carol"));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }
}

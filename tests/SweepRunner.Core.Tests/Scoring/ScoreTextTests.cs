using SweepRunner.Core.Scoring;

namespace SweepRunner.Core.Tests.Scoring;

/// <summary>The one rule for scorer names and notes that the scoring page, 'score' and CSV imports share.</summary>
public sealed class ScoreTextTests
{
    [Theory]
    [InlineData("al\u0000ice", "U+0000")]
    [InlineData("alice\u001b[2J", "U+001B")]
    [InlineData("al\tice", "U+0009")]
    [InlineData("al\nice", "U+000A")]
    [InlineData("ali\u0085ce", "U+0085")]
    [InlineData("ali\u007fce", "U+007F")]
    public void A_scorer_name_holds_no_control_character_not_even_a_tab(string scorer, string found)
    {
        Assert.Equal($"--scorer must not contain control characters (found {found}); type it again without them", ScoreText.ScorerProblem(scorer, "--scorer"));
    }

    [Theory]
    [InlineData("soft\u0000eyes", "U+0000")]
    [InlineData("soft\reyes", "U+000D")]
    [InlineData("soft\u001beyes", "U+001B")]
    public void A_note_may_hold_tabs_and_newlines_but_no_other_control_character(string note, string found)
    {
        Assert.Null(ScoreText.NoteProblem("soft\teyes\nclean hands", "note"));
        Assert.Equal($"the note must not contain control characters other than tab and newline (found {found}); remove them from the file",
            ScoreText.NoteProblem(note, "the note", "remove them from the file"));
    }

    [Fact]
    public void Names_and_notes_have_length_limits_and_ordinary_text_passes()
    {
        Assert.Null(ScoreText.ScorerProblem("Ånna O'Brien ☺", "scorer"));
        Assert.Null(ScoreText.ScorerProblem(null, "scorer"));
        Assert.Null(ScoreText.NoteProblem(null, "note"));
        Assert.Null(ScoreText.ScorerProblem(new string('a', ScoreText.MaxScorerLength), "scorer"));
        Assert.StartsWith("scorer holds at most 64 characters", ScoreText.ScorerProblem(new string('a', ScoreText.MaxScorerLength + 1), "scorer"), StringComparison.Ordinal);
        Assert.StartsWith("note holds at most 2000 characters", ScoreText.NoteProblem(new string('a', ScoreText.MaxNoteLength + 1), "note"), StringComparison.Ordinal);
    }
}

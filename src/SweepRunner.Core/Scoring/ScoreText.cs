using System.Globalization;

namespace SweepRunner.Core.Scoring;

/// <summary>
/// The rules for the text people give with scores, the same on the scoring page, <c>sweeprunner score</c> and CSV
/// imports. Control characters (NUL, escape, carriage return, …) in a name or note would end up in the database, the
/// report and the export, where they cut strings short or rewrite a terminal; only a note may hold tabs and newlines.
/// </summary>
public static class ScoreText
{
    public const int MaxScorerLength = 64;
    public const int MaxNoteLength = 2000;

    /// <summary>What to do, for someone who typed the text (the page, the command line).</summary>
    public const string TypeAgain = "type it again without them";

    /// <summary>
    /// What is wrong with scorer name <paramref name="scorer"/> (null: nothing; an empty name is the caller's to refuse
    /// or replace), naming it <paramref name="field"/>; null when it is fine.
    /// </summary>
    public static string? ScorerProblem(string? scorer, string field, string fix = TypeAgain) =>
        scorer is null ? null
        : scorer.Trim().Length > MaxScorerLength ? string.Create(CultureInfo.InvariantCulture, $"{field} holds at most {MaxScorerLength} characters; give a shorter name")
        : ControlProblem(scorer, field, allowTabAndNewline: false, fix);

    /// <summary>What is wrong with note <paramref name="note"/>, naming it <paramref name="field"/>; null when it is fine (or absent).</summary>
    public static string? NoteProblem(string? note, string field, string fix = TypeAgain) =>
        note is { Length: > MaxNoteLength } ? string.Create(CultureInfo.InvariantCulture, $"{field} holds at most {MaxNoteLength} characters; shorten it")
        : ControlProblem(note, field, allowTabAndNewline: true, fix);

    /// <summary>The first control character of <paramref name="text"/> as a problem naming <paramref name="field"/>, or null.</summary>
    public static string? ControlProblem(string? text, string field, bool allowTabAndNewline, string fix = TypeAgain)
    {
        foreach (var c in text ?? "")
        {
            if (char.IsControl(c) && !(allowTabAndNewline && c is '\t' or '\n'))
            {
                var allowed = allowTabAndNewline ? " other than tab and newline" : "";
                return string.Create(CultureInfo.InvariantCulture, $"{field} must not contain control characters{allowed} (found U+{(int)c:X4}); {fix}");
            }
        }

        return null;
    }
}

using System.Globalization;

namespace SweepRunner.Core.Scoring;

/// <summary>
/// The range of a score, 0 (worst) to 100 (best), and the one text that says a value is outside it. The command
/// line, score CSV files, the store and the scoring page all check scores here (the database's CHECK repeats it).
/// </summary>
public static class ScoreRange
{
    public const double Min = 0;

    public const double Max = 100;

    /// <summary>True for a finite number from <see cref="Min"/> to <see cref="Max"/>, both included.</summary>
    public static bool IsValid(double value) => double.IsFinite(value) && value is >= Min and <= Max;

    /// <summary>Reads a score written as an invariant number; false when it is not a number or outside the range.</summary>
    public static bool TryParse(string? text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && IsValid(value);

    /// <summary>The refusal of <paramref name="given"/> (a value, or a description of it such as "'abc'").</summary>
    public static string Problem(string given) => $"the score {given} is not a number from 0 to 100";

    /// <summary>The refusal of a value that was read as a number.</summary>
    public static string Problem(double value) => Problem(value.ToString(CultureInfo.InvariantCulture));
}

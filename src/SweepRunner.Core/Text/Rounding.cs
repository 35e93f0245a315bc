using System.Globalization;

namespace SweepRunner.Core.Text;

/// <summary>
/// How numbers are rounded in what SweepRunner writes for people and other programs (plan --json, status --json,
/// exports): durations to 0.01 s, losses and other measured values to 6 significant digits, so that a JSON file
/// holds 0.3 rather than 0.30000000000000004.
/// </summary>
public static class Rounding
{
    public static double Seconds(double seconds) => double.IsFinite(seconds) ? Math.Round(seconds, 2, MidpointRounding.AwayFromZero) : seconds;

    public static double Significant(double value, int digits = 6) =>
        double.IsFinite(value) && value != 0
            ? double.Parse(value.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)
            : value;
}

using System.Globalization;

namespace SweepRunner.Cli.Output;

public static class Durations
{
    public static string Short(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Round(seconds));
        return t.TotalHours >= 1
            ? $"{(int)t.TotalHours}h{t.Minutes:D2}m"
            : t.TotalMinutes >= 1 ? $"{t.Minutes}m{t.Seconds:D2}s" : $"{t.Seconds}s";
    }

    public static string Hours(double seconds) => (seconds / 3600).ToString("0.00", CultureInfo.InvariantCulture);
}

using SweepRunner.Core.Settings;
using SweepRunner.Reports.NextSweep;

namespace SweepRunner.Cli.Output;

/// <summary>What <c>sweeprunner next</c> prints about the file it wrote: one line per setting, then where it is.</summary>
public static class NextSweepSummary
{
    public static void Write(TextWriter writer, string sweepName, NextSweepPlan next, string path)
    {
        writer.WriteLine($"the next sweep of '{sweepName}', '{next.Name}':");
        foreach (var setting in next.Settings) writer.WriteLine($"  {setting.Name}: {Describe(setting, next)}");
        if (next.Replicates > 1) writer.WriteLine($"  every job: {next.Replicates} seeds");
        writer.WriteLine($"wrote {path} ({next.MovedBase.Count} base setting(s) moved, {next.Settings.Count(s => s.Levels.Count > 0)} setting(s) to sweep); "
                         + $"plan it with: sweeprunner plan {path}");
    }

    static string Describe(NextSetting setting, NextSweepPlan next)
    {
        var levels = string.Join(", ", setting.Levels.Select(values => string.Join(" + ", values.Select(SettingFormat.Format))));
        var moved = string.Join(", ", setting.Keys.Where(next.MovedBase.ContainsKey).Select(key => $"{key} = {SettingFormat.Format(next.Base[key])}"));
        return setting.Choice switch
        {
            NextChoice.Decided => $"decided, base {moved}",
            NextChoice.Refined => $"refined around {string.Join(", ", setting.Keys.Select(key => SettingFormat.Format(setting.BaseValues[key])))}: [{levels}]"
                                  + (moved.Length > 0 ? $", base {moved}" : ""),
            NextChoice.Replicated => $"not distinguishable, swept again with {setting.Replicates} seeds: [{levels}]",
            NextChoice.Kept => $"no verdict yet, kept: [{levels}]",
            NextChoice.Dropped => "dropped, it changed nothing that was trained",
            _ => setting.Choice.ToString(),
        };
    }
}

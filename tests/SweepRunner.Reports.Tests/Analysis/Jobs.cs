using SweepRunner.Reports.Analysis;
using SweepRunner.Core.Results;

namespace SweepRunner.Reports.Tests.Analysis;

/// <summary>Analysis inputs written briefly: a label, the changed settings, scores, steps and seconds.</summary>
internal static class Jobs
{
    public static readonly IReadOnlyDictionary<string, string> Base = new Dictionary<string, string>
    {
        ["network_alpha"] = "1", ["optimizer_type"] = "Adafactor", ["train_batch_size"] = "1",
    };

    public static AnalysisJob Job(string label, string diff, double[] scores, long steps = 1000, double? seconds = 100, JobState state = JobState.Succeeded)
    {
        var changes = diff.Length == 0
            ? new Dictionary<string, string>()
            : diff.Split(',').Select(pair => pair.Split('=')).ToDictionary(pair => pair[0].Trim(), pair => pair[1].Trim());
        var settings = Base.ToDictionary();
        foreach (var (key, value) in changes)
        {
            settings[key] = value;
        }

        return new AnalysisJob(label, "id-" + label, changes, settings, state, steps, seconds, scores);
    }
}

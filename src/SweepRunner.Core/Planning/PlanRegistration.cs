using SweepRunner.Core.Results;
using SweepRunner.Core.Settings;

namespace SweepRunner.Core.Planning;

/// <summary>Turns a plan into what the store records: the sweep file and every job with its settings.</summary>
public static class PlanRegistration
{
    /// <summary>
    /// A duplicate label trains its first label's job, so the job row carries the first label's settings;
    /// the label keeps its own diff (e.g. the inert learning rate it was written with).
    /// </summary>
    public static SweepRegistration From(SweepPlan plan)
    {
        var trainedSettings = new Dictionary<string, string>(StringComparer.Ordinal);
        var jobs = new List<JobRegistration>(plan.Jobs.Count);
        foreach (var job in plan.Jobs)
        {
            if (!trainedSettings.TryGetValue(job.Id, out var settings))
                trainedSettings[job.Id] = settings = SettingsJson.Serialize(job.Settings);
            jobs.Add(new JobRegistration(job.Id, job.Label, settings, SettingsJson.Serialize(job.Diff), job.DuplicateOf,
                job.Steps.StepsPerEpoch, job.Steps.TotalSteps, job.EstimatedSeconds) { ReplicateGroup = job.ReplicateGroup, Replicate = job.Replicate });
        }
        return new SweepRegistration(plan.Sweep.Name, Path.GetFullPath(plan.Sweep.FilePath), plan.Sweep.SourceText, jobs);
    }
}

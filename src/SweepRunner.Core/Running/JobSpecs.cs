using SweepRunner.Core.Planning;
using SweepRunner.Core.Settings;

namespace SweepRunner.Core.Running;

/// <summary>Builds the <see cref="JobSpec"/>s of planned jobs: paths resolved against the sweep file's folder, prompt files read once.</summary>
public static class JobSpecs
{
    public static IReadOnlyList<JobSpec> From(SweepPlan plan, IEnumerable<PlannedJob> jobs)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var prompts = new Dictionary<string, SamplePromptsSnapshot>(StringComparer.Ordinal);
        var captionExtension = (string)plan.EffectiveBase[SettingsCatalog.CaptionExtension]!;
        var specs = new List<JobSpec>();
        foreach (var job in jobs)
        {
            var settings = job.Settings;
            var model = (string)settings[SettingsCatalog.BaseModel]!;
            SamplePromptsSnapshot? snapshot = null;
            if (settings[SettingsCatalog.SamplePrompts] is string file
                && (settings[SettingsCatalog.SampleEveryNEpochs] != null || settings[SettingsCatalog.SampleAtFirst] is true))
            {
                if (plan.Sweep.IsImportedPromptText(file))
                    snapshot = new SamplePromptsSnapshot(plan.Sweep.ImportedPrompts!.Source, file);
                else
                {
                    var path = plan.Sweep.Resolve(file);
                    if (!prompts.TryGetValue(path, out snapshot))
                        prompts[path] = snapshot = new SamplePromptsSnapshot(path, File.Exists(path) ? File.ReadAllText(path) : null);
                }
            }
            specs.Add(new JobSpec(plan.Sweep.Name, job.Id, job.Label, settings, job.Steps.StepsPerEpoch, job.Steps.TotalSteps,
                plan.Dataset.Path, captionExtension, plan.Dataset.Fingerprint,
                model == ModelFingerprint.DemoModel ? model : plan.Sweep.Resolve(model), snapshot)
            {
                PrefixKey = job.PrefixKey,
                Continues = job.Continues,
                ValidationFolder = settings[SettingsCatalog.ValidationDataDir] is string validation && Datasets.ValidationSet.IsOn(settings)
                    ? plan.Sweep.Resolve(validation)
                    : null,
                AutoScores = plan.Sweep.AutoScores,
            });
        }
        return specs;
    }
}

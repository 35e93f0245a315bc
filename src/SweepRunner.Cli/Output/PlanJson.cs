using System.Text;
using System.Text.Json;
using SweepRunner.Core.Planning;
using SweepRunner.Core.Settings;
using SweepRunner.Core.Text;

namespace SweepRunner.Cli.Output;

/// <summary>The plan as one JSON object, settings by their sd-scripts names.</summary>
public static class PlanJson
{
    public static string Write(SweepPlan plan)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("sweep", plan.Sweep.Name);
            json.WriteStartArray("jobs");
            foreach (var job in plan.Jobs)
            {
                json.WriteStartObject();
                json.WriteString("id", job.Id);
                json.WriteString("label", job.Label);
                json.WriteString("kind", job.Kind);
                json.WritePropertyName("settings");
                SettingsJson.Write(json, job.Settings);
                json.WritePropertyName("diff");
                SettingsJson.Write(json, job.Diff);
                json.WriteNumber("steps_per_epoch", job.Steps.StepsPerEpoch);
                json.WriteNumber("total_steps", job.Steps.TotalSteps);
                json.WriteNumber("saved_checkpoints", job.Steps.SavedCheckpoints);
                json.WriteNumber("preview_rounds", job.Steps.PreviewRounds);
                if (job.DuplicateOf is { } first) json.WriteString("duplicate_of", first);
                else json.WriteNull("duplicate_of");
                if (job.DuplicateReason is { } reason) json.WriteString("duplicate_reason", reason);
                else json.WriteNull("duplicate_reason");
                if (job.ReplicateGroup is { } group) json.WriteString("replicate_of", group);
                else json.WriteNull("replicate_of");
                json.WriteNumber("replicate", job.Replicate);
                if (job.Continues is { } continues)
                {
                    json.WriteStartObject("continues");
                    json.WriteString("label", continues.Label);
                    json.WriteNumber("step", continues.Step);
                    json.WriteString("job_id", continues.JobId);
                    if (continues.Sweep is { } sweep) json.WriteString("sweep", sweep);
                    else json.WriteNull("sweep");
                    json.WriteEndObject();
                }
                else json.WriteNull("continues");
                json.WriteNumber("steps_to_train", job.StepsToTrain);
                json.WriteNumber("estimated_seconds", Rounding.Seconds(job.EstimatedSeconds));
                json.WriteString("estimate_basis", PlanTable.EstimateBasis(job));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartObject("totals");
            json.WriteNumber("jobs", plan.Totals.Jobs);
            json.WriteNumber("unique_jobs", plan.Totals.UniqueJobs);
            json.WriteNumber("excluded", plan.Totals.Excluded);
            json.WriteNumber("total_steps", plan.Totals.TotalSteps);
            json.WriteNumber("steps_to_train", plan.Totals.StepsToTrain);
            json.WriteNumber("steps_alone", plan.Totals.StepsAlone);
            json.WriteNumber("estimated_seconds", Rounding.Seconds(plan.Totals.EstimatedSeconds));
            json.WriteNumber("estimated_hours", Math.Round(plan.Totals.EstimatedSeconds / 3600, 3));
            json.WriteEndObject();
            json.WriteStartArray("excluded");
            foreach (var e in plan.ExcludedExamples)
            {
                json.WriteStartObject();
                json.WriteString("label", e.Label);
                json.WriteString("reason", e.Reason);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("warnings");
            foreach (var w in plan.Warnings) json.WriteStringValue(w);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}

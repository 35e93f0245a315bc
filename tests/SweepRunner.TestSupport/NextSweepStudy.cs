using SweepRunner.Core.Planning;
using SweepRunner.Core.Results;
using SweepRunner.Core.Sweeps;
using SweepRunner.Store;

namespace SweepRunner.TestSupport;

/// <summary>
/// A sweep that ran, with given scores and no training: the baseline (learning rate 1e-3, alpha 16) scores 80–84;
/// learning rates 1e-4 and 1e-2 score lower (clearly), alpha 64 clearly higher and alpha 1 lower, Lion as the baseline
/// (within noise), and lr_warmup_steps changes nothing under the constant schedule (its jobs are duplicates).
/// network_dim 32 trained but has no scores yet.
/// </summary>
public static class NextSweepStudy
{
    public const string SweepName = "nexttest";

    public static readonly IReadOnlyDictionary<string, double[]> Scores = new Dictionary<string, double[]>
    {
        ["base"] = [80, 82, 84],
        ["learning_rate=0.0001"] = [50, 52, 54],
        ["learning_rate=0.01"] = [60, 62, 64],
        ["network_alpha=1"] = [70, 72, 74],
        ["network_alpha=64"] = [90, 92, 94],
        ["optimizer_type=Lion"] = [81, 83, 85],
    };

    /// <param name="dataset">The dataset folder as the sweep file names it (a copy of datasets/demo-person, relative to the sweep file).</param>
    /// <param name="baseLearningRate">The base's learning rate as written (the results are for 1e-3).</param>
    public static string Yaml(string dataset = "../datasets/person", string baseLearningRate = "1e-3") => $"""
        name: {SweepName}
        dataset: {dataset.Replace('\\', '/')}
        steps_per_second: 4
        base:
          pretrained_model_name_or_path: demo
          resolution: 64
          max_train_epochs: 2
          learning_rate: {baseLearningRate}
          network_dim: 16
          network_alpha: 16
          optimizer_type: AdamW
          seed: 7
          sample_prompts: prompts/previews.txt
        ofat:
          learning_rate: [1e-4, 1e-2]
          network_alpha: [1, 64]
          optimizer_type: [Lion]
          lr_warmup_steps: [10, 100]
          network_dim: [32]
        """;

    /// <summary>
    /// Writes the sweep file (and its prompt file) into <paramref name="folder"/>/sweeps and a copy of the demo dataset
    /// into <paramref name="folder"/>/datasets/person (so that the sweep names it by a relative path), registers its plan in a
    /// results database in <paramref name="folder"/>/results, marks every job succeeded and records <see cref="Scores"/>
    /// (a job without an entry gets none).
    /// </summary>
    public static async Task<(string SweepFile, string Results, SweepPlan Plan)> CreateAsync(string folder)
    {
        var sweepFile = Path.Combine(folder, "sweeps", "nexttest.yaml");
        Directory.CreateDirectory(Path.Combine(folder, "sweeps", "prompts"));
        File.WriteAllText(Path.Combine(folder, "sweeps", "prompts", "previews.txt"), "a photo of sks person --n blurry --s 4 --l 7 --d 1\n");
        var dataset = Path.Combine(folder, "datasets", "person", "5_person");
        Directory.CreateDirectory(dataset);
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryFiles.Path("datasets/demo-person"), "5_person")))
            File.Copy(file, Path.Combine(dataset, Path.GetFileName(file)));
        File.WriteAllText(sweepFile, Yaml());
        var plan = new Planner().Plan(SweepFileParser.Load(sweepFile));
        var results = Path.Combine(folder, "results");
        var store = await ResultsStore.OpenAsync(results);
        await store.RegisterSweepAsync(PlanRegistration.From(plan));
        foreach (var job in plan.UniqueJobs)
        {
            var attempt = await store.StartAttemptAsync(new AttemptStart(job.Id, "host", 1, "cpu"));
            await store.FinishAttemptAsync(attempt, AttemptOutcome.Succeeded, null, new PhaseTimings(1, 1, 60, 1, 1));
            foreach (var (value, scorer) in Scores.GetValueOrDefault(job.Label, []).Zip(["ann", "bob", "cy"]))
                await store.AddJobScoreAsync(job.Id, new ScoreEntry(scorer, value, Blind: true));
        }

        return (sweepFile, results, plan);
    }
}

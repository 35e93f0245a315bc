using System.Diagnostics;
using SweepRunner.Core.Planning;
using SweepRunner.Core.Sweeps;

// Plans grids of growing size with dedupe and reports time and managed memory per kept job.
// Usage: dotnet run -c Release --project bench/SweepRunner.Bench.Planning [-- <max combinations>]
//        dotnet run -c Release --project bench/SweepRunner.Bench.Planning -- study <sweep.yaml>
//        (the steps a sweep trains with dedupe and prefix sharing, against its jobs trained alone)
if (args is ["study", var sweepFile])
{
    var study = new Planner().Plan(SweepFileParser.Load(sweepFile));
    var t = study.Totals;
    var deduped = study.UniqueJobs.Sum(j => j.Steps.TotalSteps);
    Console.WriteLine($"jobs {t.Jobs}, unique {t.UniqueJobs}");
    Console.WriteLine($"steps alone {t.StepsAlone}");
    Console.WriteLine($"steps with dedupe {deduped} ({(double)deduped / t.StepsAlone:0.000})");
    Console.WriteLine($"steps with dedupe and prefix sharing {t.StepsToTrain} ({(double)t.StepsToTrain / t.StepsAlone:0.000})");
    foreach (var job in study.Jobs.Where(j => j.Continues is not null))
        Console.WriteLine($"  {job.Label} continues {job.Continues!.Name} at step {job.Continues.Step}: trains {job.StepsToTrain} of {job.Steps.TotalSteps}");
    return;
}
var max = args.Length > 0 ? int.Parse(args[0]) : 100_000;
var root = Directory.CreateTempSubdirectory("sweeprunner-bench-").FullName;
try
{
    var folder = Path.Combine(root, "data", "10_subject");
    Directory.CreateDirectory(folder);
    for (var i = 0; i < 30; i++)
    {
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 2, 0, 0, 0, 2, 0, 8, 2, 0, 0, 0, (byte)i };
        File.WriteAllBytes(Path.Combine(folder, $"{i:D3}.png"), png);
    }
    Console.WriteLine("combinations  jobs  unique   seconds  managed MB  bytes/job");
    foreach (var size in new[] { 1_000, 10_000, max })
    {
        // 10 learning rates x 10 dims x 10 alphas x N/1000 seeds; Adafactor rows make 1/5 of the lr levels inert.
        var seeds = size / 1000;
        var yaml = $"""
            name: bench
            dataset: data
            grid:
              learning_rate: [1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 3e-4, 5e-4, 7e-4, 1e-3, 2e-3]
              network_dim: [2, 4, 8, 16, 24, 32, 48, 64, 96, 128]
              paired:
                - {"{"} network_alpha: [1, 2, 4, 8, 16, 1, 2, 4, 8, 16], optimizer_type: [AdamW, AdamW, AdamW, AdamW, AdamW, Adafactor, Adafactor, Adafactor, Adafactor, Adafactor] {"}"}
              seed: [{string.Join(", ", Enumerable.Range(1, seeds))}]
            """;
        var path = Path.Combine(root, "bench.yaml");
        File.WriteAllText(path, yaml);
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var watch = Stopwatch.StartNew();
        var plan = new Planner().Plan(SweepFileParser.Load(path));
        watch.Stop();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var bytes = after - before;
        Console.WriteLine($"{size,12}  {plan.Jobs.Count,6}  {plan.Totals.UniqueJobs,6}  {watch.Elapsed.TotalSeconds,8:0.000}  {bytes / 1e6,10:0.0}  {bytes / Math.Max(1, plan.Jobs.Count),9}");
        GC.KeepAlive(plan);
    }
}
finally
{
    Directory.Delete(root, recursive: true);
}

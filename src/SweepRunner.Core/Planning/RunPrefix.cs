using SweepRunner.Core.Settings;
using static SweepRunner.Core.Settings.SettingsCatalog;

namespace SweepRunner.Core.Planning;

/// <summary>The earlier job a job continues: its label, id, the sweep that planned it, and the step it ends at.</summary>
/// <param name="Sweep">The sweep whose label <paramref name="Label"/> is; null for a job of the same plan.</param>
public sealed record JobContinuation(string JobId, string Label, long Step, string? Sweep = null)
{
    /// <summary>The continued job as users name it: its label, after its sweep's name when another sweep planned it.</summary>
    public string Name => Sweep is { } sweep ? $"{sweep}/{Label}" : Label;
}

/// <summary>A job of an earlier sweep in the results folder whose final training state is on disk, so a longer job may continue it.</summary>
public sealed record EarlierRun(string JobId, string Label, string Sweep, string PrefixKey, long TotalSteps);

/// <summary>
/// When one job's whole run is the first part of another's. Two jobs share a prefix when every setting that can
/// affect training is equal except <c>max_train_epochs</c> (their <see cref="Key"/>s are equal) and nothing the
/// shorter one does depends on how long the run is (<see cref="LengthDependence"/> is null). The shorter job's
/// last training state is then exactly the longer job's state at that step: the data order, caption shuffles,
/// flips, noise, timesteps and dropout are drawn from the seed and the position, never from the run's length.
/// </summary>
public static class RunPrefix
{
    /// <summary>
    /// Why the run of a job with settings <paramref name="s"/> depends on its total length, or null when its first
    /// n steps are the same for every length. Only the learning-rate schedule reads the total: cosine,
    /// cosine_with_restarts, linear and polynomial are stretched over it, constant and constant_with_warmup (whose
    /// warmup is a step count) are not; Adafactor's relative step ignores the schedule and depends on the step alone.
    /// The optimizers (AdamW, 8-bit, Lion, SGD, Adafactor, D-Adaptation, Prodigy) keep no count of the steps to come,
    /// the fp16 loss scaler reacts only to steps taken, and previews and saved files change no weight.
    /// </summary>
    public static string? LengthDependence(IReadOnlyDictionary<string, object?> s)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (SettingsEquivalence.UsesAdafactorRelativeStep(s)) return null;
        var scheduler = s.GetValueOrDefault(LrScheduler) as string ?? (string?)Get(LrScheduler).Default;
        return scheduler is "constant" or "constant_with_warmup"
            ? null
            : $"lr_scheduler {scheduler} spreads the learning rate over the total steps";
    }

    /// <summary>
    /// The identity of a run without its length: the job identity's canonical text (<see cref="JobIdentity.CanonicalText"/>)
    /// without its <c>max_train_epochs</c> line, hashed. Null when the run is length-dependent and so shares nothing.
    /// </summary>
    public static string? Key(IReadOnlyDictionary<string, object?> settings, string canonicalText)
    {
        if (LengthDependence(settings) is not null) return null;
        var withoutLength = string.Join('\n', canonicalText.Split('\n').Where(line => !line.StartsWith(Epochs + "=", StringComparison.Ordinal)));
        return JobIdentity.Id("prefix\n" + withoutLength);
    }

    /// <summary>
    /// For each unique job, the longest shorter run it can continue: a unique job of the same plan with its prefix key,
    /// or an <see cref="EarlierRun"/>. Between equally long candidates the plan's own job wins, then the first. A job of
    /// the plan in <paramref name="spent"/> finished before without keeping its final state, so it cannot be continued.
    /// </summary>
    public static IReadOnlyDictionary<string, JobContinuation> Find(IReadOnlyList<PlannedJob> jobs, IReadOnlyList<EarlierRun> earlier,
        IReadOnlySet<string>? spent = null)
    {
        // Candidates by prefix key, so a plan of many jobs compares each only with the runs it could continue.
        var candidates = new Dictionary<string, List<(long Steps, int Rank, JobContinuation Continuation)>>(StringComparer.Ordinal);
        void Add(string key, long steps, int rank, JobContinuation continuation)
        {
            if (!candidates.TryGetValue(key, out var list)) candidates[key] = list = [];
            list.Add((steps, rank, continuation));
        }
        var unique = jobs.Where(j => j.DuplicateOf is null && j.PrefixKey is not null).ToList();
        foreach (var job in unique)
            if (spent?.Contains(job.Id) is not true) Add(job.PrefixKey!, job.Steps.TotalSteps, 0, new JobContinuation(job.Id, job.Label, job.Steps.TotalSteps));
        foreach (var run in earlier) Add(run.PrefixKey, run.TotalSteps, 1, new JobContinuation(run.JobId, run.Label, run.TotalSteps, run.Sweep));

        var result = new Dictionary<string, JobContinuation>(StringComparer.Ordinal);
        foreach (var job in unique)
        {
            if (!candidates.TryGetValue(job.PrefixKey!, out var list)) continue;
            var best = list.Where(c => c.Steps < job.Steps.TotalSteps && c.Continuation.JobId != job.Id)
                .OrderByDescending(c => c.Steps).ThenBy(c => c.Rank).Select(c => c.Continuation).FirstOrDefault();
            if (best is not null) result[job.Id] = best;
        }
        return result;
    }

    /// <summary>
    /// <paramref name="jobs"/> in their order, except that a job that continues another of the list comes after it
    /// (the one it continues is trained first), so the state it starts from exists when its turn comes.
    /// </summary>
    public static List<T> ContinuedFirst<T>(IReadOnlyList<T> jobs, Func<T, string> id, Func<T, string?> continues)
    {
        var byId = jobs.ToDictionary(id, StringComparer.Ordinal);
        var placed = new HashSet<string>(StringComparer.Ordinal);
        var ordered = new List<T>(jobs.Count);
        void Place(T job)
        {
            if (!placed.Add(id(job))) return;
            if (continues(job) is { } source && byId.TryGetValue(source, out var first)) Place(first);
            ordered.Add(job);
        }
        foreach (var job in jobs) Place(job);
        return ordered;
    }
}

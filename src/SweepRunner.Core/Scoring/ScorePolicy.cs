using SweepRunner.Core.Results;

namespace SweepRunner.Core.Scoring;

/// <summary>
/// The one definition of a job's score, used by the report, the export and the scoring page:
/// <list type="number">
/// <item>Scores are append-only; for each scorer and target (a preview, the LoRA of an epoch, or the job as a whole)
/// the latest score counts (the one recorded last). Blind and seen scores count alike.</item>
/// <item>Scores of one epoch count: a score that names no epoch judges the final LoRA, so when a job has such scores the
/// final epoch counts (the latest epoch it saved a LoRA or previews at, or that a score names); otherwise the latest epoch
/// any of its scores names. Preview scores judge their preview's epoch; scores given with <c>sweeprunner score</c>
/// judge the epoch they name, or the final LoRA. Scores of other epochs are shown, not counted.</item>
/// <item>The job's score is n, mean and standard error (sample standard deviation / √n) of the counted scores,
/// each individual score one observation.</item>
/// <item>Beside it, a pairwise rating: a Bradley–Terry fit of every choice between two of the sweep's jobs.</item>
/// </list>
/// </summary>
public static class ScorePolicy
{
    /// <summary>Every job's score, by job id; jobs without scores or choices get an empty one.</summary>
    public static IReadOnlyDictionary<string, JobScore> Of(SweepScoring scoring)
    {
        var pairwise = Pairwise(scoring.JobIds, scoring.Choices);
        var scores = scoring.Scores.ToLookup(score => score.JobId, StringComparer.Ordinal);
        var jobs = new Dictionary<string, JobScore>(StringComparer.Ordinal);
        foreach (var jobId in scoring.JobIds)
        {
            long? finalEpoch = scoring.FinalEpochs.TryGetValue(jobId, out var final) ? final : null;
            jobs.TryAdd(jobId, Direct(scores[jobId].ToList(), finalEpoch) with { Pairwise = pairwise.GetValueOrDefault(jobId, PairwiseStanding.None) });
        }

        return jobs;
    }

    /// <summary>
    /// One job's direct score from its scores (earlier ones may be among them; the latest per scorer and target counts)
    /// and <paramref name="finalEpoch"/>, the latest epoch it saved a LoRA or previews at (null when unknown).
    /// </summary>
    public static JobScore Direct(IReadOnlyList<LatestScore> scores, long? finalEpoch)
    {
        var latest = LatestOf(scores);
        if (latest.Count == 0)
        {
            return JobScore.None;
        }

        var epoch = CountedEpoch(latest, finalEpoch);
        var counted = latest.Where(score => score.Epoch is null || score.Epoch == epoch).ToList();
        var byScorer = counted
            .GroupBy(score => score.Scorer, StringComparer.Ordinal)
            .OrderBy(group => group.Key, StringComparer.Ordinal)
            .Select(group => new ScorerMean(group.Key, group.Average(score => score.Value), group.Count()))
            .ToList();
        var others = latest
            .Where(score => score.Epoch is { } own && own != epoch)
            .GroupBy(score => score.Epoch!.Value)
            .OrderBy(group => group.Key)
            .Select(group => new EpochScores(group.Key, SampleSummary.Of(group.Select(score => score.Value))))
            .ToList();
        return new JobScore(epoch, latest, counted, SampleSummary.Of(counted.Select(score => score.Value)), byScorer, others, PairwiseStanding.None);
    }

    /// <summary>
    /// The epoch whose scores count: the final epoch when a score names none (it judges the final LoRA), else the
    /// latest epoch a score names. Null without scores, or when no score names an epoch and the final one is unknown.
    /// </summary>
    public static long? CountedEpoch(IReadOnlyList<LatestScore> scores, long? finalEpoch)
    {
        var named = scores.Where(score => score.Epoch is not null).Select(score => score.Epoch!.Value).ToList();
        if (scores.Any(score => score.Epoch is null))
        {
            return named.Count == 0 ? finalEpoch : Math.Max(named.Max(), finalEpoch ?? long.MinValue);
        }

        return named.Count == 0 ? null : named.Max();
    }

    /// <summary>
    /// The score that counts per scorer and target, in recording order: for a preview score the target is the preview,
    /// otherwise the epoch it names (or the job as a whole). Later means a larger score id (scores are append-only).
    /// </summary>
    public static IReadOnlyList<LatestScore> LatestOf(IEnumerable<LatestScore> scores) =>
        scores
            .GroupBy(score => (score.JobId, score.PreviewId, Epoch: score.PreviewId is null ? score.Epoch : null, score.Scorer))
            .Select(group => group.MaxBy(score => score.ScoreId)!)
            .OrderBy(score => score.ScoreId)
            .ToList();

    /// <summary>
    /// Pairwise ratings of <paramref name="jobIds"/> with their intervals (Bradley–Terry over all of them, ties as half a win each, see <see cref="BradleyTerry.Fit{TItem}"/>),
    /// with the number of choices each took part in; a job in no choice has no rating. Choices naming another job are left out.
    /// </summary>
    public static IReadOnlyDictionary<string, PairwiseStanding> Pairwise(IReadOnlyList<string> jobIds, IEnumerable<StoredPairwiseChoice> choices)
    {
        var known = jobIds.ToHashSet(StringComparer.Ordinal);
        var relevant = choices.Where(choice => known.Contains(choice.FirstJobId) && known.Contains(choice.SecondJobId)).ToList();
        var ratings = BradleyTerry.Fit(jobIds, relevant.Select(choice => new PairComparison<string>(choice.WinnerJobId, choice.LoserJobId, choice.IsTie)));
        var comparisons = relevant
            .SelectMany(choice => choice.FirstJobId == choice.SecondJobId ? new[] { choice.FirstJobId } : [choice.FirstJobId, choice.SecondJobId])
            .GroupBy(jobId => jobId, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);
        return ratings.ToDictionary(
            pair => pair.Key,
            pair => comparisons.TryGetValue(pair.Key, out var count) ? new PairwiseStanding(pair.Value.Rating, count, pair.Value.Low, pair.Value.High) : PairwiseStanding.None,
            StringComparer.Ordinal);
    }
}

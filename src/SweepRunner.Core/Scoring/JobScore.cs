using SweepRunner.Core.Results;

namespace SweepRunner.Core.Scoring;

/// <summary>
/// A job's score as the report, the export and the scoring page all show it; <see cref="ScorePolicy"/> makes it.
/// </summary>
/// <param name="Epoch">The epoch whose LoRA the counted scores judge; null when nothing is counted, or when no score names an epoch and the job saved nothing.</param>
/// <param name="Latest">Every score that counts for its scorer and target (the latest), of every epoch, in recording order.</param>
/// <param name="Counted">The latest scores of <paramref name="Epoch"/>: the job's observations.</param>
/// <param name="Summary">n, mean and standard error of <paramref name="Counted"/>.</param>
/// <param name="ByScorer">The mean of each scorer's counted scores, scorers in ordinal order.</param>
/// <param name="OtherEpochs">The latest scores of the epochs that do not count, per epoch in order: shown, not counted.</param>
/// <param name="Pairwise">The job's Bradley–Terry rating from pairwise choices, beside the direct scores.</param>
public sealed record JobScore(
    long? Epoch,
    IReadOnlyList<LatestScore> Latest,
    IReadOnlyList<LatestScore> Counted,
    SampleSummary Summary,
    IReadOnlyList<ScorerMean> ByScorer,
    IReadOnlyList<EpochScores> OtherEpochs,
    PairwiseStanding Pairwise)
{
    /// <summary>A job without scores or pairwise choices.</summary>
    public static readonly JobScore None = new(null, [], [], SampleSummary.Empty, [], [], PairwiseStanding.None);
}

/// <summary>The latest scores one epoch's LoRA of a job got, summarized.</summary>
public sealed record EpochScores(long Epoch, SampleSummary Summary);

/// <summary>
/// A job's pairwise rating: 100 × the chance of being picked over an average job of the sweep (Bradley–Terry),
/// null when the job took part in no choice. <paramref name="Comparisons"/> counts the choices it took part in (ties
/// included); <paramref name="Low"/> and <paramref name="High"/> bound the rating's 95% interval.
/// </summary>
public sealed record PairwiseStanding(double? Rating, int Comparisons, double? Low = null, double? High = null)
{
    public static readonly PairwiseStanding None = new(null, 0);
}

namespace SweepRunner.Core.Results;

/// <summary>
/// What the scores of a sweep's jobs are made of, read in one transaction: the latest score per job, target
/// and scorer (preview scores and job-level scores, each with the epoch it judges), the epoch of each job's
/// final LoRA, and every pairwise choice between two of the sweep's jobs' previews. <see cref="Scoring.ScorePolicy"/>
/// turns it into each job's score.
/// </summary>
/// <param name="JobIds">The sweep's distinct jobs, in plan order: the items pairwise ratings are fitted over.</param>
/// <param name="FinalEpochs">Per job id, the latest epoch it saved a LoRA or previews at; jobs that saved nothing are absent.</param>
public sealed record SweepScoring(
    IReadOnlyList<string> JobIds,
    IReadOnlyList<LatestScore> Scores,
    IReadOnlyDictionary<string, long> FinalEpochs,
    IReadOnlyList<StoredPairwiseChoice> Choices);

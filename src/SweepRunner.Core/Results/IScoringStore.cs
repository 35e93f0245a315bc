namespace SweepRunner.Core.Results;

/// <summary>
/// What the scoring page reads from and writes to the results store. The store implements it; the page
/// depends on this interface only, so it never sees SQL or the database file.
/// </summary>
public interface IScoringStore
{
    /// <summary>The results folder: recorded artifact paths are relative to it.</summary>
    string ResultsFolder { get; }

    Task<IReadOnlyList<SweepSummary>> ListSweepsAsync(CancellationToken cancellationToken = default);

    /// <exception cref="ResultsStoreException">No sweep of that name.</exception>
    Task<SweepGallery> GetSweepGalleryAsync(string sweepName, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<LatestScore>> GetLatestPreviewScoresAsync(string sweepName, CancellationToken cancellationToken = default);

    /// <summary>Everything the sweep's jobs' scores are made of (see <see cref="Scoring.ScorePolicy"/>), read in one transaction.</summary>
    /// <exception cref="ResultsStoreException">No sweep of that name.</exception>
    Task<SweepScoring> GetSweepScoringAsync(string sweepName, CancellationToken cancellationToken = default);

    /// <summary>Every automatic score of the sweep's previews.</summary>
    /// <exception cref="ResultsStoreException">No sweep of that name.</exception>
    Task<IReadOnlyList<AutoScore>> GetAutoScoresAsync(string sweepName, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<StoredPairwiseChoice>> GetPairwiseChoicesAsync(string sweepName, CancellationToken cancellationToken = default);

    Task<StoredPreview?> FindPreviewAsync(long previewId, CancellationToken cancellationToken = default);

    /// <summary>The spec a run recorded for the job (its dataset folder among it).</summary>
    /// <exception cref="ResultsStoreException">The sweep is unknown, or no run recorded the job's spec.</exception>
    Task<Running.JobSpec> GetJobSpecAsync(string sweepName, string jobId, CancellationToken cancellationToken = default);

    /// <returns>The new score's id.</returns>
    Task<long> AddPreviewScoreAsync(long previewId, ScoreEntry score, CancellationToken cancellationToken = default);

    /// <returns>The new choice's id.</returns>
    Task<long> AddPairwiseChoiceAsync(PairwiseChoice choice, CancellationToken cancellationToken = default);
}

using SweepRunner.Core.Scoring;

namespace SweepRunner.Core.Results;

/// <summary>One automatic score of a preview, with the SHA-256 of the model file that computed it (scores of different models are never mixed).</summary>
public sealed record AutoScore(long PreviewId, AutoMetric Metric, string ModelSha256, double Value);

/// <summary>A job's automatic scores by one metric and model: one value per preview of its scored epoch.</summary>
/// <param name="Epoch">The epoch whose previews count: the epoch whose human scores count, else the job's last preview epoch.</param>
public sealed record JobAutoScore(AutoMetric Metric, string ModelSha256, long Epoch, IReadOnlyList<double> Values)
{
    public double Mean => Values.Average();

    public int Previews => Values.Count;
}

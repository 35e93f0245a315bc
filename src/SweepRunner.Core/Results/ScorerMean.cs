namespace SweepRunner.Core.Results;

/// <summary>The mean of one scorer's latest scores that count for a job (see <see cref="Scoring.ScorePolicy"/>).</summary>
public sealed record ScorerMean(string Scorer, double Mean, int Count);

namespace SweepRunner.Core.Results;

/// <summary>The mean of one scorer's latest scores over a job's previews (and the job itself, if scored as a whole).</summary>
public sealed record ScorerMean(string Scorer, double Mean, int Count);

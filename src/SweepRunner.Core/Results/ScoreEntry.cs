namespace SweepRunner.Core.Results;

/// <summary>One person's (or one metric's) opinion, 0 to 100. <paramref name="Blind"/>: given without seeing the settings.</summary>
public sealed record ScoreEntry(string Scorer, double Value, bool Blind, string? Note = null);

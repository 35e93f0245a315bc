namespace SweepRunner.Core.Results;

/// <summary>What one job's succeeded attempts measured: its settings, training seconds and the steps they trained.</summary>
public sealed record SpeedSample(string JobId, string SettingsJson, double TrainSeconds, long Steps);

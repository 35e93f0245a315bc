namespace SweepRunner.Training.Data;

/// <summary>A dataset problem found before training starts; the message names the file and what to do.</summary>
public sealed class TrainingDataException(string message, Exception? inner = null) : Exception(message, inner);

namespace SweepRunner.Training.Trainer;

/// <summary>Reported after every optimizer step.</summary>
/// <param name="Step">Optimizer steps done (1-based).</param>
/// <param name="TotalSteps">Optimizer steps of the run.</param>
/// <param name="Epoch">The current epoch (1-based).</param>
/// <param name="Loss">The step's loss: mean over its batches.</param>
/// <param name="LearningRate">The UNet group's learning rate as applied.</param>
/// <param name="SamplesPerSecond">Training images per second since this run (or resumption) started.</param>
/// <param name="LossScale">The fp16 loss scale; 1 without fp16.</param>
/// <param name="SkippedSteps">fp16 steps skipped for overflowing gradients so far.</param>
public sealed record TrainingProgress(long Step, long TotalSteps, int Epoch, double Loss, double LearningRate, double SamplesPerSecond, double LossScale, long SkippedSteps);

/// <summary>A LoRA file written by the trainer.</summary>
public sealed record SavedLoraFile(string Path, int Epoch, long Step, string ModelHash, bool IsFinal);

/// <summary>A preview image written by the trainer (epoch 0: before training).</summary>
public sealed record SavedPreview(string Path, int Epoch, int PromptIndex, long Seed);

/// <summary>Hooks the trainer calls on its own thread as it goes.</summary>
public sealed class TrainingCallbacks
{
    public Action<TrainingProgress>? Step { get; init; }

    public Action<SavedLoraFile>? LoraSaved { get; init; }

    public Action<SavedPreview>? PreviewSaved { get; init; }

    /// <summary>After each epoch the validation loss is computed at (<see cref="Core.Datasets.ValidationSet.IsDue"/>).</summary>
    public Action<Core.Results.ValidationLoss>? Validated { get; init; }

    /// <summary>Asked after every optimizer step: true writes the training state and ends the run (resumable).</summary>
    public Func<long, bool>? PauseAfterStep { get; init; }
}

/// <summary>How a run ended.</summary>
/// <param name="Completed">True when every epoch ran; false when paused.</param>
/// <param name="Steps">Optimizer steps done.</param>
/// <param name="TotalSteps">Optimizer steps of the whole run.</param>
/// <param name="StepsPerEpoch">Optimizer steps per epoch.</param>
/// <param name="LoraFiles">LoRA files written by this run, in order.</param>
/// <param name="Previews">Preview images written by this run, in order.</param>
/// <param name="SkippedSteps">fp16 steps skipped for overflow.</param>
/// <param name="StatePath">The training state written when paused; null otherwise.</param>
/// <param name="EpochLosses">Mean loss of each epoch this run finished.</param>
public sealed record TrainingResult(
    bool Completed,
    long Steps,
    long TotalSteps,
    long StepsPerEpoch,
    IReadOnlyList<SavedLoraFile> LoraFiles,
    IReadOnlyList<SavedPreview> Previews,
    long SkippedSteps,
    string? StatePath,
    IReadOnlyList<double> EpochLosses);

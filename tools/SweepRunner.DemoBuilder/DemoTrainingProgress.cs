namespace SweepRunner.DemoBuilder;

/// <summary>Stages of the demo model's training, in order.</summary>
public enum DemoTrainingStage
{
    Dataset,
    Tokenizer,
    Vae,
    Latents,
    Diffusion,
    Save,
}

/// <summary>
/// A progress report: a finished stage (<see cref="Step"/> = <see cref="TotalSteps"/>), or during the VAE and
/// diffusion stages the step reached and the mean losses since the previous report.
/// </summary>
/// <param name="Loss">Mean training loss since the previous report (reconstruction MSE for the VAE, ε-MSE for diffusion); null outside training stages.</param>
/// <param name="SecondaryLoss">The VAE's KL term; null otherwise.</param>
/// <param name="LearningRate">Learning rate of the last step; null outside training stages.</param>
/// <param name="Elapsed">Time since training started.</param>
/// <param name="Note">A short description for stage reports.</param>
public sealed record DemoTrainingProgress(
    DemoTrainingStage Stage,
    int Step,
    int TotalSteps,
    double? Loss,
    double? SecondaryLoss,
    double? LearningRate,
    TimeSpan Elapsed,
    string? Note = null);

/// <summary>What a training stage measured: mean losses over its last report window and its duration.</summary>
public sealed record DemoStageResult(double FinalLoss, double? FinalSecondaryLoss, TimeSpan Duration);

/// <summary>What <see cref="DemoModelTrainer.Train"/> produced.</summary>
/// <param name="ModelPath">The safetensors file.</param>
/// <param name="TokenizerFolder">The folder with vocab.json and merges.txt.</param>
/// <param name="ModelBytes">Size of the model file.</param>
/// <param name="ModelSha256">sha256 of the whole model file (lower-case hex).</param>
/// <param name="VocabularySize">Tokens in the trained vocabulary.</param>
/// <param name="Vae">Reconstruction MSE (images in [−1, 1]) and KL at the end of the VAE stage.</param>
/// <param name="LatentStd">Standard deviation of the UNet's (scaled) latents over the dataset after calibration.</param>
/// <param name="Diffusion">ε-prediction MSE at the end of the diffusion stage.</param>
/// <param name="Total">Wall time of the whole run.</param>
public sealed record DemoModelReport(
    string ModelPath,
    string TokenizerFolder,
    long ModelBytes,
    string ModelSha256,
    int VocabularySize,
    DemoStageResult Vae,
    double LatentStd,
    DemoStageResult Diffusion,
    TimeSpan Total);

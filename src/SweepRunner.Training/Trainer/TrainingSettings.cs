using System.Globalization;
using K = SweepRunner.Core.Settings.SettingsCatalog;
using static TorchSharp.torch;

namespace SweepRunner.Training.Trainer;

/// <summary>The settings the training loop reads, typed, with sd-scripts' defaults for unset values.</summary>
internal sealed record TrainingSettings(
    long Seed,
    int Epochs,
    int BatchSize,
    int GradientAccumulation,
    double LearningRate,
    double UnetLr,
    double TextEncoderLr,
    string OptimizerType,
    string? OptimizerArgs,
    int ClipSkip,
    string MixedPrecision,
    ScalarType SaveDtype,
    double MaxGradNorm,
    double NoiseOffset,
    double? MinSnrGamma,
    bool FlipAug,
    bool ShuffleCaption,
    int KeepTokens,
    int? SaveEveryNEpochs,
    int? SampleEveryNEpochs,
    bool SampleAtFirst,
    string SampleSampler)
{
    public static TrainingSettings From(IReadOnlyDictionary<string, object?> s)
    {
        object? Get(string key) => s.GetValueOrDefault(key) ?? K.Get(key).Default;
        long Long(string key) => Convert.ToInt64(Get(key), CultureInfo.InvariantCulture);
        double Double(string key) => Convert.ToDouble(Get(key), CultureInfo.InvariantCulture);
        int? OptionalInt(string key) => s.GetValueOrDefault(key) is { } v ? Convert.ToInt32(v, CultureInfo.InvariantCulture) : null;
        var learningRate = Double(K.LearningRate);
        var savePrecision = (string)Get(K.SavePrecision)!;
        return new TrainingSettings(
            Long(K.Seed),
            (int)Long(K.Epochs),
            (int)Long(K.BatchSize),
            (int)Long(K.GradientAccumulation),
            learningRate,
            s.GetValueOrDefault(K.UnetLr) is { } u ? Convert.ToDouble(u, CultureInfo.InvariantCulture) : learningRate,
            s.GetValueOrDefault(K.TextEncoderLr) is { } t ? Convert.ToDouble(t, CultureInfo.InvariantCulture) : learningRate,
            (string)Get(K.Optimizer)!,
            Get(K.OptimizerArgs) as string,
            (int)Long(K.ClipSkip),
            (string)Get(K.MixedPrecision)!,
            savePrecision switch
            {
                "float" => ScalarType.Float32,
                "fp16" => ScalarType.Float16,
                "bf16" => ScalarType.BFloat16,
                _ => throw new ArgumentException($"save_precision '{savePrecision}' is not one of float, fp16, bf16."),
            },
            Double(K.MaxGradNorm),
            Double(K.NoiseOffset),
            s.GetValueOrDefault(K.MinSnrGamma) is { } g ? Convert.ToDouble(g, CultureInfo.InvariantCulture) : null,
            Get(K.FlipAug) is true,
            Get(K.ShuffleCaption) is true,
            (int)Long(K.KeepTokens),
            OptionalInt(K.SaveEveryNEpochs),
            OptionalInt(K.SampleEveryNEpochs),
            Get(K.SampleAtFirst) is true,
            (string)Get(K.SampleSampler)!);
    }

    /// <summary>The dtype of the frozen UNet and text encoder: fp16 or bf16 under mixed precision, else float32.</summary>
    public ScalarType WeightDtype => MixedPrecision switch
    {
        "fp16" => ScalarType.Float16,
        "bf16" => ScalarType.BFloat16,
        "no" => ScalarType.Float32,
        _ => throw new ArgumentException($"mixed_precision '{MixedPrecision}' is not one of no, fp16, bf16."),
    };
}

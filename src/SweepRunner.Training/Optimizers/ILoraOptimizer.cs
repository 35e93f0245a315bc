using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Training.Optimizers;

/// <summary>Trainable parameters that share a learning rate (the UNet LoRA, the text encoder LoRA).</summary>
public sealed record ParameterGroup(string Name, IReadOnlyList<Parameter> Parameters, double LearningRate);

/// <summary>
/// An optimizer over LoRA parameters, as sd-scripts' optimizer_type names them. Step reads each
/// parameter's .grad and updates it in place under no_grad. Learning rates come from the schedule
/// through <see cref="SetLearningRate"/>; optimizers that compute their own step size (Adafactor with
/// relative_step) report <see cref="IgnoresLearningRate"/>.
/// </summary>
public interface ILoraOptimizer : IDisposable
{
    /// <summary>The sd-scripts name, e.g. "AdamW8bit".</summary>
    string Name { get; }

    IReadOnlyList<ParameterGroup> Groups { get; }

    bool IgnoresLearningRate { get; }

    void SetLearningRate(int group, double learningRate);

    /// <summary>The step size actually applied in the last step, for logging (lr·d for DAdaptation/Prodigy, ρ for Adafactor).</summary>
    double EffectiveLearningRate(int group);

    void Step();

    void ZeroGrad();

    /// <summary>Every state tensor and scalar needed to resume bit for bit, by name (tensors are copies the caller owns).</summary>
    IReadOnlyDictionary<string, Tensor> StateDict();

    void LoadStateDict(IReadOnlyDictionary<string, Tensor> state);
}

using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Training.Optimizers;

/// <summary>A parameter that has a gradient in this step; the gradient wrapper belongs to the step's dispose scope.</summary>
public readonly record struct ParameterWithGrad(int Group, int Index, Parameter Parameter, Tensor Grad);

using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Modules;

/// <summary>Creates parameters with PyTorch's default initialisations, on the requested device and dtype.</summary>
internal static class ParameterInit
{
    /// <summary>Weight kaiming-uniform (a = √5) and bias uniform(±1/√fan_in), as torch.nn.Linear and Conv2d do.</summary>
    public static (Parameter Weight, Parameter? Bias) LinearOrConv(long[] weightShape, bool hasBias, Device? device, ScalarType? dtype)
    {
        var weight = Create(weightShape, device, dtype);
        nn.init.kaiming_uniform_(weight, a: Math.Sqrt(5));
        if (!hasBias)
        {
            return (weight, null);
        }

        long fanIn = 1;
        for (var i = 1; i < weightShape.Length; i++)
        {
            fanIn *= weightShape[i];
        }

        var bias = Create(new[] { weightShape[0] }, device, dtype);
        var bound = fanIn > 0 ? 1.0 / Math.Sqrt(fanIn) : 0.0;
        nn.init.uniform_(bias, -bound, bound);
        return (weight, bias);
    }

    /// <summary>An uninitialised parameter that belongs to its module, not to the dispose scope it was made in.</summary>
    public static Parameter Create(long[] shape, Device? device, ScalarType? dtype)
    {
        var parameter = new Parameter(empty(shape, dtype, device));
        parameter.DetachFromDisposeScope();
        return parameter;
    }

    /// <summary>Sets every element of <paramref name="parameter"/> to zero (LDM's zero_module).</summary>
    public static void Zero(Parameter? parameter)
    {
        if (parameter is not null)
        {
            nn.init.zeros_(parameter);
        }
    }
}

using SweepRunner.Training.Optimizers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Training.Tests.Optimizers;

/// <summary>Small parameters with hand-made gradients, for checking update rules against plain double arithmetic.</summary>
static class OptimizerTestSupport
{
    public static Parameter Param(double[] values, params long[] shape)
    {
        using var scope = NewDisposeScope();
        var data = tensor(values.Select(value => (float)value).ToArray()).reshape(shape);
        var parameter = new Parameter(data, requires_grad: true);
        parameter.DetachFromDisposeScope();
        return parameter;
    }

    /// <summary>Gives <paramref name="parameter"/> exactly <paramref name="grad"/> as its gradient, through backward.</summary>
    public static void SetGrad(Parameter parameter, double[] grad)
    {
        using var scope = NewDisposeScope();
        var weights = tensor(grad.Select(value => (float)value).ToArray()).reshape(parameter.shape);
        (parameter * weights).sum().backward();
    }

    public static double[] Values(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        return tensor.detach().to(ScalarType.Float64).flatten().data<double>().ToArray();
    }

    /// <summary>The gradient values the tests feed, rounded to float as the parameter will see them.</summary>
    public static double[] Gradient(int step, int count, double scale = 0.1, double bias = 0.0) =>
        [.. Enumerable.Range(0, count).Select(j => (double)(float)(scale * Math.Sin(1.7 * j + 0.9 * step + 0.3) + bias * (j % 3 - 0.7)))];

    public static double[] Initial(int count, double scale = 0.5) =>
        [.. Enumerable.Range(0, count).Select(j => (double)(float)(scale * Math.Cos(0.7 * j + 0.2)))];

    public static ParameterGroup Group(string name, double lr, params Parameter[] parameters) => new(name, parameters, lr);

    public static void AssertClose(double[] expected, double[] actual, double relative, double absolute = 0, string? what = null)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var j = 0; j < expected.Length; j++)
        {
            var tolerance = absolute + relative * Math.Abs(expected[j]);
            Assert.True(Math.Abs(expected[j] - actual[j]) <= tolerance, $"{what} [{j}]: expected {expected[j]:R}, got {actual[j]:R} (tolerance {tolerance:G3})");
        }
    }

    public static double Scalar(ILoraOptimizer optimizer, string key)
    {
        var state = optimizer.StateDict();
        try
        {
            return state[key].to(ScalarType.Float64).item<double>();
        }
        finally
        {
            foreach (var value in state.Values)
            {
                value.Dispose();
            }
        }
    }
}

using System.Diagnostics;
using SweepRunner.Diffusion.Unet;
using static TorchSharp.torch;

namespace SweepRunner.Bench.Training;

/// <summary>How the UNet's parameters take part in the backward pass.</summary>
public enum GradientMode
{
    /// <summary>Weights frozen, gradient flows to the input: the backward work LoRA training pays, minus its adapters.</summary>
    FrozenWeights,

    /// <summary>Every weight gets a gradient (full fine-tuning).</summary>
    AllWeights,
}

public sealed record UnetStepResult(string Config, GradientMode Mode, int Batch, int LatentSize, double FirstStepSeconds, IReadOnlyList<double> StepSeconds)
{
    public double MeanSeconds => StepSeconds.Average();

    public double MinSeconds => StepSeconds.Min();
}

/// <summary>Times one UNet forward pass plus MSE backward on CPU in fp32.</summary>
public static class UnetStepBenchmark
{
    public static UnetStepResult Run(string name, UnetConfig config, GradientMode mode, int batch, int latentSize, int steps, long seed)
    {
        manual_seed(seed);
        using var unet = new UnetModel(config, CPU, ScalarType.Float32);
        foreach (var parameter in unet.parameters())
        {
            parameter.requires_grad = mode == GradientMode.AllWeights;
        }

        var first = Step(unet, config, batch, latentSize, mode);
        var timings = new List<double>();
        for (var i = 0; i < steps; i++)
        {
            timings.Add(Step(unet, config, batch, latentSize, mode));
        }

        return new UnetStepResult(name, mode, batch, latentSize, first, timings);
    }

    static double Step(UnetModel unet, UnetConfig config, int batch, int latentSize, GradientMode mode)
    {
        using var scope = NewDisposeScope();
        var latents = randn(batch, config.InChannels, latentSize, latentSize).requires_grad_(mode == GradientMode.FrozenWeights);
        var timesteps = randint(0, 1000, new long[] { batch });
        var context = randn(batch, 77, config.ContextDim);
        var target = randn(batch, config.OutChannels, latentSize, latentSize);

        var clock = Stopwatch.StartNew();
        var prediction = unet.forward(latents, timesteps, context);
        var loss = nn.functional.mse_loss(prediction, target);
        loss.backward();
        clock.Stop();
        unet.zero_grad();
        return clock.Elapsed.TotalSeconds;
    }
}

using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Sampling;

/// <summary>
/// Runs sampler steps so that memory stays flat: each step runs in its own dispose scope, only its result
/// leaves the scope, and the previous latents are disposed at once.
/// </summary>
internal static class SamplingLoop
{
    /// <param name="initial">Starting latents; owned (and eventually disposed or returned) by the loop.</param>
    /// <param name="step">Computes the next latents from step index and current latents.</param>
    public static Tensor Run(SamplingRequest request, Tensor initial, int steps, Func<int, Tensor, Tensor> step)
    {
        var x = initial;
        try
        {
            for (var i = 0; i < steps; i++)
            {
                request.Cancellation.ThrowIfCancellationRequested();
                Tensor next;
                using (NewDisposeScope())
                    next = step(i, x).MoveToOuterDisposeScope();
                x.Dispose();
                x = next;
                request.OnStep?.Invoke(i + 1, steps);
            }
            return x;
        }
        catch
        {
            x.Dispose();
            throw;
        }
    }
}

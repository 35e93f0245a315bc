using static TorchSharp.torch;

namespace SweepRunner.Training.Optimizers;

/// <summary>The AdamW update on fp32 moments, shared by AdamW and AdamW8bit (whose 8-bit moments are dequantized first).</summary>
static class AdamUpdate
{
    public static void Apply(Tensor parameter, Tensor grad, Tensor expAvg, Tensor expAvgSq, long step, double lr, double beta1, double beta2, double eps, double weightDecay)
    {
        if (weightDecay != 0)
        {
            parameter.mul_(1 - lr * weightDecay);
        }

        expAvg.mul_(beta1).add_(grad, alpha: 1 - beta1);
        expAvgSq.mul_(beta2).addcmul_(grad, grad, value: 1 - beta2);
        var biasCorrection1 = 1 - Math.Pow(beta1, step);
        var biasCorrection2 = 1 - Math.Pow(beta2, step);
        var denom = (expAvgSq.sqrt() / Math.Sqrt(biasCorrection2)).add_(eps);
        parameter.addcdiv_(expAvg, denom, value: -(lr / biasCorrection1));
    }
}

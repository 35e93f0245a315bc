using static TorchSharp.torch;

namespace SweepRunner.Training.Optimizers;

/// <summary>The Lion update on an fp32 momentum, shared by Lion and Lion8bit (whose 8-bit momentum is dequantized first).</summary>
static class LionUpdate
{
    public static void Apply(Tensor parameter, Tensor grad, Tensor expAvg, double lr, double beta1, double beta2, double weightDecay)
    {
        if (weightDecay != 0)
        {
            parameter.mul_(1 - lr * weightDecay);
        }

        var direction = (expAvg * beta1).add_(grad, alpha: 1 - beta1).sign_();
        parameter.add_(direction, alpha: -lr);
        expAvg.mul_(beta2).add_(grad, alpha: 1 - beta2);
    }
}

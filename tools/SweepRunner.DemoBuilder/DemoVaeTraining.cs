using SweepRunner.Diffusion.Vae;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.DemoBuilder;

/// <summary>
/// Trains the VAE as an autoencoder: latents are sampled from the encoder's distribution, decoded, and scored by the
/// reconstruction MSE, plus <see cref="DemoModelRecipe.BlockColourWeight"/> × the MSE of 8×8 block means (colour), plus
/// <see cref="DemoModelRecipe.KlWeight"/> × the KL divergence from N(0, 1).
/// </summary>
internal static class DemoVaeTraining
{
    public static DemoStageResult Train(AutoencoderKL vae, Tensor images, int steps, int batchSize, DemoStageContext context)
    {
        var started = context.Time.GetTimestamp();
        var parameters = vae.parameters().ToList();
        foreach (var parameter in parameters) parameter.requires_grad = true;
        using var optimizer = new AdamW(parameters, DemoModelRecipe.VaeLearningRate, 0.9, 0.999, 1e-8, DemoModelRecipe.WeightDecay);
        var batches = new DemoBatches((int)images.shape[0], context.Random);
        var window = new LossWindow();
        (double Loss, double Kl) last = (double.NaN, double.NaN);
        for (var step = 0; step < steps; step++)
        {
            var learningRate = DemoLearningRate.At(step, steps, DemoModelRecipe.VaeLearningRate, DemoModelRecipe.WarmupSteps, DemoModelRecipe.FinalLearningRateFraction);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;
            using (NewDisposeScope())
            {
                var batch = images.index_select(0, tensor(batches.Next(batchSize)));
                var distribution = vae.Encode(batch);
                var reconstruction = vae.Decode(distribution.Sample(context.Generator));
                var mse = nn.functional.mse_loss(reconstruction, batch);
                var blockMse = nn.functional.mse_loss(nn.functional.avg_pool2d(reconstruction, 8), nn.functional.avg_pool2d(batch, 8));
                var logVariance = distribution.LogVariance;
                var kl = (distribution.Mean.square() + logVariance.exp() - 1 - logVariance).mean() * 0.5;
                var loss = mse + blockMse * DemoModelRecipe.BlockColourWeight + kl * DemoModelRecipe.KlWeight;
                optimizer.zero_grad();
                loss.backward();
                nn.utils.clip_grad_norm_(parameters, DemoModelRecipe.MaxGradNorm);
                optimizer.step();
                window.Add(mse.item<float>(), kl.item<float>());
            }

            if (context.IsReportStep(step + 1, steps))
            {
                last = window.Flush();
                context.Report(new DemoTrainingProgress(DemoTrainingStage.Vae, step + 1, steps, last.Loss, last.Kl, learningRate, context.Elapsed));
            }
        }

        optimizer.zero_grad();
        foreach (var parameter in parameters) parameter.requires_grad = false;
        return new DemoStageResult(last.Loss, last.Kl, context.Time.GetElapsedTime(started));
    }
}

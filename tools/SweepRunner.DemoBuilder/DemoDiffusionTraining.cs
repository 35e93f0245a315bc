using SweepRunner.Diffusion.Schedulers;
using SweepRunner.Diffusion.TextEncoder;
using SweepRunner.Diffusion.Unet;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.DemoBuilder;

/// <summary>
/// Trains the UNet and the text encoder together with the standard ε-prediction DDPM loss on cached latents:
/// a uniform timestep and Gaussian noise per sample, x_t = √ᾱ·x0 + √(1−ᾱ)·ε, loss = MSE(UNet(x_t, t, text), ε).
/// A share of <see cref="DemoModelRecipe.CaptionDropout"/> of the samples sees the empty caption instead of its own.
/// </summary>
internal static class DemoDiffusionTraining
{
    /// <param name="latents">Scaled latents [N, C, h, w].</param>
    /// <param name="captionIds">Token ids (length = the encoder's positions) of each latent's caption.</param>
    /// <param name="emptyIds">Token ids of the empty caption.</param>
    public static DemoStageResult Train(UnetModel unet, ClipTextModel textEncoder, DdpmSchedule schedule, Tensor latents,
        IReadOnlyList<long[]> captionIds, long[] emptyIds, int steps, int batchSize, DemoStageContext context)
    {
        var started = context.Time.GetTimestamp();
        var parameters = unet.parameters().Concat(textEncoder.parameters()).ToList();
        foreach (var parameter in parameters) parameter.requires_grad = true;
        using var optimizer = new AdamW(parameters, DemoModelRecipe.DiffusionLearningRate, 0.9, 0.999, 1e-8, DemoModelRecipe.WeightDecay);
        var batches = new DemoBatches((int)latents.shape[0], context.Random);
        var window = new LossWindow();
        var tokens = emptyIds.Length;
        var last = double.NaN;
        for (var step = 0; step < steps; step++)
        {
            var learningRate = DemoLearningRate.At(step, steps, DemoModelRecipe.DiffusionLearningRate, DemoModelRecipe.WarmupSteps, DemoModelRecipe.FinalLearningRateFraction);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;
            var indices = batches.Next(batchSize);
            var ids = new long[batchSize * tokens];
            for (var i = 0; i < batchSize; i++)
            {
                var caption = context.Random.NextDouble() < DemoModelRecipe.CaptionDropout ? emptyIds : captionIds[(int)indices[i]];
                caption.CopyTo(ids, i * tokens);
            }

            using (NewDisposeScope())
            {
                var x0 = latents.index_select(0, tensor(indices));
                var text = textEncoder.forward(tensor(ids, [batchSize, tokens]), 1);
                var noise = randn(x0.shape, ScalarType.Float32, generator: context.Generator);
                var timesteps = schedule.SampleTimesteps(batchSize, context.Generator);
                var noisy = schedule.AddNoise(x0, noise, timesteps);
                var prediction = unet.forward(noisy, timesteps, text);
                var loss = nn.functional.mse_loss(prediction, noise);
                optimizer.zero_grad();
                loss.backward();
                nn.utils.clip_grad_norm_(parameters, DemoModelRecipe.MaxGradNorm);
                optimizer.step();
                window.Add(loss.item<float>());
            }

            if (context.IsReportStep(step + 1, steps))
            {
                last = window.Flush().Loss;
                context.Report(new DemoTrainingProgress(DemoTrainingStage.Diffusion, step + 1, steps, last, null, learningRate, context.Elapsed));
            }
        }

        optimizer.zero_grad();
        foreach (var parameter in parameters) parameter.requires_grad = false;
        return new DemoStageResult(last, null, context.Time.GetElapsedTime(started));
    }
}

using SweepRunner.Diffusion.Model;
using SweepRunner.TestSupport;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepRunner.Diffusion.Tests.Model;

public class DisposeScopeTests
{
    [Fact]
    public void RepeatedTrainingStepsInScopesLeaveNoLiveTensors()
    {
        manual_seed(1);
        using var model = new StableDiffusionModel(DiffusionModelConfig.Tiny);
        TestWeights.Randomize(model, 2);
        foreach (var parameter in model.TextEncoder.parameters().Concat(model.Vae.parameters()))
        {
            parameter.requires_grad = false;
        }

        var statistics = DisposeScopeManager.Statistics;
        RunStep(model);
        var liveAfterWarmUp = statistics.ThreadTotalLiveCount;
        var createdAfterWarmUp = statistics.CreatedInScopeCount;
        for (var i = 0; i < 5; i++)
        {
            RunStep(model);
        }

        // The steps did create tensors (hundreds per forward pass), and every one of them was released.
        Assert.True(statistics.CreatedInScopeCount - createdAfterWarmUp > 500, "the statistics saw no tensors being created");
        Assert.Equal(liveAfterWarmUp, statistics.ThreadTotalLiveCount);
    }

    static void RunStep(StableDiffusionModel model)
    {
        using var scope = NewDisposeScope();
        var images = rand(1, 3, 64, 64) * 2 - 1;
        var tokens = randint(0, 1000, new long[] { 1, 77 });
        Tensor latents;
        Tensor context;
        using (no_grad())
        {
            latents = model.Vae.EncodeToLatents(images);
            context = model.TextEncoder.forward(tokens, 2);
        }

        var noise = randn_like(latents);
        var prediction = model.Unet.forward(latents, tensor(new long[] { 250 }), context);
        var loss = nn.functional.mse_loss(prediction, noise);
        loss.backward();
        model.Unet.zero_grad();
    }
}

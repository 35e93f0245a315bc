using SweepRunner.Cli.Tests.Support;

namespace SweepRunner.Cli.Tests.Commands;

/// <summary>plan warns about a base model that would fail to load at training time, as far as it can tell without loading it.</summary>
public sealed class PlanBaseModelWarningTests : IDisposable
{
    readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    string Sweep(string model)
    {
        var data = Path.Combine(CliProcess.RepoRoot, "datasets", "demo-person");
        var sweep = Path.Combine(_folder.Path, "s.yaml");
        File.WriteAllText(sweep, $"name: s\ndataset: '{data}'\nbase:\n  pretrained_model_name_or_path: '{model}'\nlist:\n  - {{ label: a }}\n");
        return sweep;
    }

    [Fact]
    public void A_truncated_checkpoint_is_a_warning_that_says_the_jobs_would_fail_before_training()
    {
        var demo = File.ReadAllBytes(Path.Combine(CliProcess.RepoRoot, "models", "demo", "model.safetensors"));
        var truncated = Path.Combine(_folder.Path, "truncated.safetensors");
        File.WriteAllBytes(truncated, demo[..(demo.Length / 2)]);

        var result = InProcessCli.Run("plan", Sweep("truncated.safetensors"));

        Assert.True(result.ExitCode == 0, result.Out + result.Error);
        Assert.Contains("warning: base model 'truncated.safetensors' cannot be loaded, so its jobs would fail before training:", result.Out);
        Assert.Contains("past the end of the data area", result.Out);
    }

    [Fact]
    public void A_hugging_face_model_id_is_said_to_be_one_and_a_good_model_gives_no_warning()
    {
        var hub = InProcessCli.Run("plan", Sweep("runwayml/stable-diffusion-v1-5"));
        Assert.Contains("looks like a Hugging Face model id, but SweepRunner does not download models", hub.Out);

        var missingFile = InProcessCli.Run("plan", Sweep("models/sd15.safetensors"));
        Assert.Contains("warning: base model 'models/sd15.safetensors' not found", missingFile.Out);
        Assert.DoesNotContain("Hugging Face", missingFile.Out);

        var good = InProcessCli.Run("plan", Sweep(Path.Combine(CliProcess.RepoRoot, "models", "demo", "model.safetensors")));
        Assert.True(good.ExitCode == 0, good.Out + good.Error);
        Assert.DoesNotContain("warning: base model", good.Out);
    }

    [Fact]
    public void A_folder_that_holds_no_model_is_a_warning()
    {
        Directory.CreateDirectory(Path.Combine(_folder.Path, "empty-model"));

        var result = InProcessCli.Run("plan", Sweep("empty-model"));

        Assert.Contains("warning: base model 'empty-model' cannot be loaded", result.Out);
        Assert.Contains("neither a diffusers model", result.Out);
    }
}

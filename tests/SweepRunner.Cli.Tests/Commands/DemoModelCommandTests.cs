using SweepRunner.Cli.Tests.Support;

namespace SweepRunner.Cli.Tests.Commands;

public class DemoModelCommandTests
{
    [Fact]
    public void AShortRunWritesTheModelAndTokenizerAndPrintsProgress()
    {
        var folder = Path.Combine(Path.GetTempPath(), "sweeprunner-cli-demo-" + Guid.NewGuid().ToString("N"));
        try
        {
            var result = CliProcess.Run(CliProcess.RepoRoot, "demo-model", "--out", folder, "--images", "8", "--vae-steps", "2", "--vae-batch", "2",
                "--steps", "2", "--batch", "2", "--report-every", "1");

            Assert.True(result.ExitCode == 0, result.Out + result.Error);
            Assert.Contains("sweeprunner demo-model --seed 1 --images 8 --vae-steps 2 --vae-batch 2 --steps 2 --batch 2 --threads 2", result.Out);
            Assert.Contains("vae step 2/2 loss", result.Out);
            Assert.Contains("diffusion step 2/2 loss", result.Out);
            Assert.True(File.Exists(Path.Combine(folder, "model.safetensors")));
            Assert.True(File.Exists(Path.Combine(folder, "tokenizer", "vocab.json")));
            Assert.True(File.Exists(Path.Combine(folder, "tokenizer", "merges.txt")));
            Assert.Empty(Directory.GetFiles(folder, "*.tmp", SearchOption.AllDirectories));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void ANonPositiveStepCountIsAUsageError()
    {
        var result = CliProcess.Run(CliProcess.RepoRoot, "demo-model", "--out", Path.GetTempPath(), "--steps", "0");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--steps must be at least 1", result.Out + result.Error);
    }
}

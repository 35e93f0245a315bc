using System.Globalization;
using SweepRunner.Store;

namespace SweepRunner.Cli.Tests.Support;

/// <summary>A job's final-epoch previews, each with the image <c>sweeprunner sample</c> draws without the LoRA for the same request.</summary>
public static class FinalPreviewPairs
{
    /// <param name="results">The results folder the job ran in; the base-model images are written to <paramref name="scratch"/>.</param>
    public static async Task<IReadOnlyList<PreviewPair>> SampleAsync(string results, string sweep, string label, string scratch)
    {
        var store = await ResultsStore.OpenAsync(results);
        var job = (await store.GetSweepStatusAsync(sweep)).Jobs.Single(j => j.Label == label);
        var previews = await store.GetPreviewsAsync(job.JobId);
        var finalEpoch = previews.Max(p => p.Image.Epoch);
        var pairs = new List<PreviewPair>();
        foreach (var preview in previews.Where(p => p.Image.Epoch == finalEpoch).OrderBy(p => p.Image.PromptIndex))
        {
            var image = preview.Image;
            var output = Path.Combine(scratch, $"{label}-no-lora-{image.PromptIndex}.png");
            string[] args = ["sample", "--model", "demo", "--prompt", image.Prompt, "--negative", image.NegativePrompt, "--seed", Text(image.Seed),
                "--steps", Text(image.SampleSteps), "--cfg", Text(image.CfgScale), "--sampler", image.Sampler,
                "--width", Text(image.Width), "--height", Text(image.Height), "--out", output];
            var run = CliProcess.Run(CliProcess.RepoRoot, args);
            if (run.ExitCode != 0) throw new InvalidOperationException(run.Out + run.Error);
            pairs.Add(new PreviewPair(image.Prompt, Path.Combine(results, image.File.RelativePath), output));
        }

        return pairs;
    }

    static string Text(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
}

using System.Globalization;
using SweepRunner.DemoBuilder;

namespace SweepRunner.Cli.Output;

/// <summary>Progress lines and the closing summary of <c>sweeprunner demo-model</c>.</summary>
public static class DemoModelProgressText
{
    public static string Line(DemoTrainingProgress p)
    {
        var clock = Durations.Short(p.Elapsed.TotalSeconds);
        var stage = p.Stage.ToString().ToLowerInvariant();
        if (p.Loss is not { } loss) return $"[{clock}] {stage}: {p.Note}";
        var kl = p.SecondaryLoss is { } k ? string.Create(CultureInfo.InvariantCulture, $" kl {k:F4}") : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"[{clock}] {stage} step {p.Step}/{p.TotalSteps} loss {loss:F5}{kl} lr {p.LearningRate:0.######}");
    }

    public static IEnumerable<string> Summary(DemoModelReport r)
    {
        var c = CultureInfo.InvariantCulture;
        yield return string.Create(c, $"vae: reconstruction mse {r.Vae.FinalLoss:F5}, kl {r.Vae.FinalSecondaryLoss:F4}, {r.Vae.Duration.TotalSeconds:F0} s");
        yield return string.Create(c, $"latents: std {r.LatentStd:F3}");
        yield return string.Create(c, $"diffusion: loss {r.Diffusion.FinalLoss:F5}, {r.Diffusion.Duration.TotalSeconds:F0} s");
        yield return string.Create(c, $"wrote {r.ModelPath} ({r.ModelBytes} bytes, sha256 {r.ModelSha256}) and {r.TokenizerFolder} ({r.VocabularySize} tokens)");
        yield return string.Create(c, $"total {r.Total.TotalSeconds:F0} s");
    }
}

using SweepRunner.Core.Sweeps;

namespace SweepRunner.Cli.Commands;

/// <summary><c>--auto-scores clip=DIR,dino=DIR</c>: the model folders, relative to the current folder.</summary>
public static class AutoScoreOption
{
    public static string? Problem(string text)
    {
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = part.Split('=', 2);
            if (pair.Length != 2 || pair[0] is not ("clip" or "dino") || pair[1].Length == 0)
                return $"--auto-scores: '{part}' is not clip=DIR or dino=DIR; write e.g. --auto-scores clip=models/clip-vit-large-patch14,dino=models/dinov2-base";
        }

        return Parse(text) is { Clip: null, Dino: null } ? "--auto-scores names no model; write clip=DIR and/or dino=DIR" : null;
    }

    public static AutoScoreModels Parse(string text)
    {
        string? clip = null, dino = null;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = part.Split('=', 2);
            if (pair.Length != 2) continue;
            if (pair[0] == "clip") clip = Path.GetFullPath(pair[1]);
            if (pair[0] == "dino") dino = Path.GetFullPath(pair[1]);
        }

        return new AutoScoreModels(clip, dino);
    }
}

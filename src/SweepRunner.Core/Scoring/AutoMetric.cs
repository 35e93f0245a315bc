namespace SweepRunner.Core.Scoring;

/// <summary>
/// The automatic scores of a preview, as the DreamBooth paper measures them: subject fidelity as the mean cosine
/// similarity of the preview's image embedding to those of the job's training images (CLIP-I with CLIP's image tower,
/// DINO with DINOv2's), and prompt fidelity as the cosine similarity of its CLIP image and prompt embeddings (CLIP-T).
/// </summary>
public enum AutoMetric
{
    ClipI,
    Dino,
    ClipT,
}

public static class AutoMetrics
{
    public static readonly IReadOnlyList<AutoMetric> All = [AutoMetric.ClipI, AutoMetric.Dino, AutoMetric.ClipT];

    /// <summary>The word the database stores and exports use: clip-i, dino, clip-t.</summary>
    public static string StoredName(this AutoMetric metric) => metric switch
    {
        AutoMetric.ClipI => "clip-i",
        AutoMetric.Dino => "dino",
        AutoMetric.ClipT => "clip-t",
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "unknown automatic metric"),
    };

    /// <summary>The name people read: CLIP-I, DINO, CLIP-T.</summary>
    public static string DisplayName(this AutoMetric metric) => metric switch
    {
        AutoMetric.ClipI => "CLIP-I",
        AutoMetric.Dino => "DINO",
        AutoMetric.ClipT => "CLIP-T",
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "unknown automatic metric"),
    };

    public static AutoMetric Parse(string stored) => stored switch
    {
        "clip-i" => AutoMetric.ClipI,
        "dino" => AutoMetric.Dino,
        "clip-t" => AutoMetric.ClipT,
        _ => throw new FormatException($"'{stored}' is not an automatic metric (clip-i, dino, clip-t)"),
    };
}

using SweepRunner.Core.Files;
using SweepRunner.Diffusion.Checkpoints;

namespace SweepRunner.TestSupport;

/// <summary>
/// What a LoRA file of a resumed or repeated run shares with one of an uninterrupted run of the same job: the
/// tensor data (equal data hash, kohya's <c>sshs_model_hash</c>), the tensor entries of the header, and every
/// metadata value except the times the run started and finished and its session id. The whole files differ in those.
/// </summary>
public static class LoraFileComparison
{
    /// <summary>The metadata that hold when a run started or finished and which run it was (ss_session_id), and so differ between runs of one job.</summary>
    public static IReadOnlySet<string> PerRunMetadataKeys { get; } =
        new HashSet<string>(StringComparer.Ordinal) { "ss_training_started_at", "ss_training_finished_at", "modelspec.date", "ss_session_id" };

    /// <summary>
    /// Asserts that <paramref name="actualPath"/> holds the tensors and the non-time metadata of
    /// <paramref name="expectedPath"/>, and returns the metadata keys whose values differ (all of them time keys).
    /// </summary>
    public static IReadOnlySet<string> AssertSameExceptTimes(string expectedPath, string actualPath)
    {
        Assert.Equal(SafetensorsDataHash.OfFile(expectedPath), SafetensorsDataHash.OfFile(actualPath));
        using var expected = SafetensorsFile.Open(expectedPath);
        using var actual = SafetensorsFile.Open(actualPath);
        Assert.Equal(Describe(expected), Describe(actual));
        Assert.Equal(expected.Metadata.Keys.Order(StringComparer.Ordinal), actual.Metadata.Keys.Order(StringComparer.Ordinal));
        var differing = expected.Metadata.Keys.Where(key => expected.Metadata[key] != actual.Metadata[key]).ToHashSet(StringComparer.Ordinal);
        Assert.Subset(PerRunMetadataKeys.ToHashSet(StringComparer.Ordinal), differing);
        return differing;
    }

    static List<string> Describe(SafetensorsFile file) =>
        file.Entries.Select(e => $"{e.Name} {e.Dtype} [{string.Join(',', e.Shape)}] {e.DataBegin}-{e.DataEnd}").ToList();
}

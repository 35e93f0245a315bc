using SweepRunner.Core.Results;

namespace SweepRunner.Web.Api;

/// <summary>
/// Chooses the next pair for pairwise mode: two previews of the same epoch, prompt and seed from different jobs,
/// preferring the pairs this scorer has compared least, at random among those, sides at random.
/// </summary>
internal static class PairPicker
{
    /// <summary>The key that makes two previews comparable.</summary>
    public static (long Epoch, int PromptIndex, long Seed, string Prompt) GroupOf(StoredPreview preview) =>
        (preview.Image.Epoch, preview.Image.PromptIndex, preview.Image.Seed, preview.Image.Prompt);

    public static (StoredPreview Left, StoredPreview Right)? Pick(
        IReadOnlyList<StoredPreview> previews,
        IEnumerable<(long First, long Second)> comparedByScorer,
        Random random)
    {
        var counts = new Dictionary<(long, long), int>();
        foreach (var (first, second) in comparedByScorer)
        {
            var key = Ordered(first, second);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        var candidates = new List<(StoredPreview A, StoredPreview B)>();
        var fewest = int.MaxValue;
        foreach (var group in previews.GroupBy(GroupOf))
        {
            // One preview per job: a job listed under two labels (a duplicate) is still one job.
            var members = group.DistinctBy(preview => preview.JobId).OrderBy(preview => preview.PreviewId).ToList();
            for (var i = 0; i < members.Count; i++)
            {
                for (var j = i + 1; j < members.Count; j++)
                {
                    var seen = counts.GetValueOrDefault(Ordered(members[i].PreviewId, members[j].PreviewId));
                    if (seen < fewest)
                    {
                        fewest = seen;
                        candidates.Clear();
                    }

                    if (seen == fewest)
                    {
                        candidates.Add((members[i], members[j]));
                    }
                }
            }
        }

        if (candidates.Count == 0)
        {
            return null;
        }

        var (a, b) = candidates[random.Next(candidates.Count)];
        return random.Next(2) == 0 ? (a, b) : (b, a);
    }

    private static (long, long) Ordered(long first, long second) => first < second ? (first, second) : (second, first);
}

using SweepRunner.Core.Results;

namespace SweepRunner.Web.Api;

/// <summary>
/// Chooses the next pair for pairwise mode: two previews of the same epoch, prompt and seed from different jobs,
/// preferring the pairs this scorer has compared least, at random among those, sides at random. A pair just skipped
/// is offered again only when there is no other.
/// </summary>
internal static class PairPicker
{
    /// <summary>The key that makes two previews comparable.</summary>
    public static (long Epoch, int PromptIndex, long Seed, string Prompt) GroupOf(StoredPreview preview) =>
        (preview.Image.Epoch, preview.Image.PromptIndex, preview.Image.Seed, preview.Image.Prompt);

    public static (StoredPreview Left, StoredPreview Right)? Pick(
        IReadOnlyList<StoredPreview> previews,
        IEnumerable<(long First, long Second)> comparedByScorer,
        Random random,
        (long First, long Second)? skipped = null)
    {
        var counts = new Dictionary<(long, long), int>();
        foreach (var (first, second) in comparedByScorer)
        {
            var key = Ordered(first, second);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        var avoid = skipped is var (a, b) ? Ordered(a, b) : ((long, long)?)null;
        var candidates = Candidates(previews, counts, avoid);
        if (candidates.Count == 0 && avoid is not null)
        {
            candidates = Candidates(previews, counts, null);
        }

        if (candidates.Count == 0)
        {
            return null;
        }

        var (left, right) = candidates[random.Next(candidates.Count)];
        return random.Next(2) == 0 ? (left, right) : (right, left);
    }

    /// <summary>The comparable pairs (but <paramref name="avoid"/>) this scorer has compared the fewest times.</summary>
    private static List<(StoredPreview A, StoredPreview B)> Candidates(
        IReadOnlyList<StoredPreview> previews, Dictionary<(long, long), int> counts, (long, long)? avoid)
    {
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
                    var key = Ordered(members[i].PreviewId, members[j].PreviewId);
                    if (key == avoid)
                    {
                        continue;
                    }

                    var seen = counts.GetValueOrDefault(key);
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

        return candidates;
    }

    private static (long, long) Ordered(long first, long second) => first < second ? (first, second) : (second, first);
}

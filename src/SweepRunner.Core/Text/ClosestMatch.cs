namespace SweepRunner.Core.Text;

/// <summary>Suggests the known word nearest to a mistyped one (edit distance).</summary>
public static class ClosestMatch
{
    public static string? Find(string word, IEnumerable<string> candidates, int maxDistance = 4)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var d = Distance(word.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (candidate.Contains(word, StringComparison.OrdinalIgnoreCase) || word.Contains(candidate, StringComparison.OrdinalIgnoreCase))
                d = Math.Min(d, 2);
            if (d < bestDistance) { bestDistance = d; best = candidate; }
        }
        return bestDistance <= Math.Max(maxDistance, word.Length / 3) ? best : null;
    }

    public static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}

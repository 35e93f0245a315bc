namespace SweepRunner.Core.Scoring;

/// <summary>
/// Bradley–Terry ratings from pairwise choices: item i beats item j with probability p_i / (p_i + p_j).
/// Strengths are fitted by the MM algorithm (Hunter 2004) with a weak prior: every item also plays one
/// virtual game against an average opponent of strength 1 and ties it (half a win, half a loss), so an
/// item that won or lost every real game still gets a finite strength, and an item without games gets 1.
/// </summary>
public static class BradleyTerry
{
    private const int MaxIterations = 10_000;
    private const double Tolerance = 1e-12;

    /// <summary>
    /// Fitted strengths for <c>wins.GetLength(0)</c> items, where <c>wins[i, j]</c> counts the times item i
    /// was chosen over item j. The scale is anchored by the virtual opponent (strength 1).
    /// </summary>
    public static double[] FitStrengths(double[,] wins)
    {
        var count = wins.GetLength(0);
        if (wins.GetLength(1) != count)
        {
            throw new ArgumentException($"the win counts must form a square table; got {count}×{wins.GetLength(1)}", nameof(wins));
        }

        var totalWins = new double[count];
        var games = new double[count, count];
        for (var i = 0; i < count; i++)
        {
            for (var j = 0; j < count; j++)
            {
                var won = wins[i, j];
                if (!double.IsFinite(won) || won < 0)
                {
                    throw new ArgumentOutOfRangeException(nameof(wins), won, $"win counts must be finite and not negative; item {i} over item {j} has {won}");
                }

                if (i != j)
                {
                    totalWins[i] += won;
                    games[i, j] += won;
                    games[j, i] += won;
                }
            }

            totalWins[i] += 0.5; // the virtual tie
        }

        var strengths = Enumerable.Repeat(1.0, count).ToArray();
        var next = new double[count];
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            var change = 0.0;
            for (var i = 0; i < count; i++)
            {
                var denominator = 1.0 / (strengths[i] + 1.0); // the virtual game
                for (var j = 0; j < count; j++)
                {
                    if (j != i && games[i, j] > 0)
                    {
                        denominator += games[i, j] / (strengths[i] + strengths[j]);
                    }
                }

                next[i] = totalWins[i] / denominator;
                change = Math.Max(change, Math.Abs(Math.Log(next[i] / strengths[i])));
            }

            (strengths, next) = (next, strengths);
            if (change < Tolerance)
            {
                break;
            }
        }

        return strengths;
    }

    /// <summary>
    /// Ratings from 0 to 100: 100 × the probability of beating an average item, the average being the
    /// geometric mean of all fitted strengths. Equal items rate 50; reversing every choice turns r into 100 − r.
    /// </summary>
    public static double[] Ratings(double[,] wins)
    {
        var strengths = FitStrengths(wins);
        if (strengths.Length == 0)
        {
            return [];
        }

        var average = Math.Exp(strengths.Average(Math.Log));
        return strengths.Select(strength => 100 * strength / (strength + average)).ToArray();
    }

    /// <summary>Ratings (0–100) of the given items from choices, each naming the winner and the loser; items in no choice rate 50.</summary>
    public static IReadOnlyDictionary<TItem, double> Ratings<TItem>(IEnumerable<TItem> items, IEnumerable<(TItem Winner, TItem Loser)> choices)
        where TItem : notnull
    {
        var index = new Dictionary<TItem, int>();
        foreach (var item in items)
        {
            index.TryAdd(item, index.Count);
        }

        var wins = new double[index.Count, index.Count];
        foreach (var (winner, loser) in choices)
        {
            if (!index.TryGetValue(winner, out var w) || !index.TryGetValue(loser, out var l))
            {
                throw new ArgumentException($"a choice names an item that is not among the rated items ({winner} over {loser})", nameof(choices));
            }

            if (w != l)
            {
                wins[w, l] += 1;
            }
        }

        var ratings = Ratings(wins);
        return index.ToDictionary(pair => pair.Key, pair => ratings[pair.Value]);
    }
}

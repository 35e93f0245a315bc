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
        where TItem : notnull =>
        Fit(items, choices.Select(choice => new PairComparison<TItem>(choice.Winner, choice.Loser, false))).ToDictionary(pair => pair.Key, pair => pair.Value.Rating);

    /// <summary>
    /// Ratings (0–100) with a 95% interval from comparisons; a tie counts as half a win for each side. The interval is
    /// the Wald interval of the item's log-strength relative to the geometric mean of all strengths, from the inverse of
    /// the fit's information matrix (which the virtual games keep invertible), mapped to the 0–100 scale.
    /// </summary>
    public static IReadOnlyDictionary<TItem, RatingInterval> Fit<TItem>(IEnumerable<TItem> items, IEnumerable<PairComparison<TItem>> comparisons)
        where TItem : notnull
    {
        var index = new Dictionary<TItem, int>();
        foreach (var item in items)
        {
            index.TryAdd(item, index.Count);
        }

        var wins = new double[index.Count, index.Count];
        foreach (var comparison in comparisons)
        {
            if (!index.TryGetValue(comparison.Winner, out var w) || !index.TryGetValue(comparison.Other, out var l))
            {
                throw new ArgumentException($"a comparison names an item that is not among the rated items ({comparison.Winner} and {comparison.Other})", nameof(comparisons));
            }

            if (w == l)
            {
                continue;
            }

            if (comparison.IsTie)
            {
                wins[w, l] += 0.5;
                wins[l, w] += 0.5;
            }
            else
            {
                wins[w, l] += 1;
            }
        }

        var intervals = Intervals(wins);
        return index.ToDictionary(pair => pair.Key, pair => intervals[pair.Value]);
    }

    /// <summary>Ratings with 95% intervals for the items of a win table (see <see cref="Fit{TItem}"/>).</summary>
    public static RatingInterval[] Intervals(double[,] wins)
    {
        var strengths = FitStrengths(wins);
        var count = strengths.Length;
        if (count == 0)
        {
            return [];
        }

        // The information matrix of the log-strengths: each game between i and j adds p(1 − p) to both diagonals and
        // subtracts it off the diagonal; each item's virtual game against strength 1 adds to its diagonal only.
        var information = new double[count, count];
        for (var i = 0; i < count; i++)
        {
            var virtualWin = strengths[i] / (strengths[i] + 1);
            information[i, i] += virtualWin * (1 - virtualWin);
            for (var j = i + 1; j < count; j++)
            {
                var games = wins[i, j] + wins[j, i];
                if (games <= 0)
                {
                    continue;
                }

                var p = strengths[i] / (strengths[i] + strengths[j]);
                var weight = games * p * (1 - p);
                information[i, i] += weight;
                information[j, j] += weight;
                information[i, j] -= weight;
                information[j, i] -= weight;
            }
        }

        var covariance = SymmetricPositiveDefinite.Inverse(information);
        var logs = strengths.Select(strength => Math.Log(strength)).ToArray();
        var meanLog = logs.Average();
        var result = new RatingInterval[count];
        for (var i = 0; i < count; i++)
        {
            // Var(θ_i − mean θ) = cᵀ Σ c with c = e_i − 1/n.
            var variance = 0.0;
            for (var a = 0; a < count; a++)
            {
                var ca = (a == i ? 1.0 : 0.0) - 1.0 / count;
                for (var b = 0; b < count; b++)
                {
                    variance += ca * covariance[a, b] * ((b == i ? 1.0 : 0.0) - 1.0 / count);
                }
            }

            var centre = logs[i] - meanLog;
            var half = 1.959963984540054 * Math.Sqrt(Math.Max(variance, 0));
            result[i] = new RatingInterval(Scale(centre), Scale(centre - half), Scale(centre + half));
        }

        return result;
    }

    private static double Scale(double logRatio) => 100 / (1 + Math.Exp(-logRatio));
}

/// <summary>One comparison: <see cref="Winner"/> chosen over <see cref="Other"/>, or a tie between them.</summary>
public readonly record struct PairComparison<TItem>(TItem Winner, TItem Other, bool IsTie);

/// <summary>A rating on the 0–100 scale with the bounds of its 95% interval.</summary>
public readonly record struct RatingInterval(double Rating, double Low, double High);

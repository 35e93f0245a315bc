using SweepRunner.Core.Scoring;

namespace SweepRunner.Core.Tests.Scoring;

public sealed class BradleyTerryTests
{
    [Fact]
    public void Without_choices_every_item_has_strength_one_and_rates_fifty()
    {
        var wins = new double[3, 3];

        Assert.All(BradleyTerry.FitStrengths(wins), strength => Assert.Equal(1, strength, precision: 12));
        Assert.All(BradleyTerry.Ratings(wins), rating => Assert.Equal(50, rating, precision: 9));
    }

    [Fact]
    public void One_win_between_two_items_satisfies_the_fit_equations()
    {
        // At the fit, each item's expected wins (real game plus the virtual tie against strength 1) equal its
        // actual wins: 1 + 0.5 for the winner, 0 + 0.5 for the loser; and by symmetry p0 · p1 = 1.
        var wins = new double[,] { { 0, 1 }, { 0, 0 } };

        var strengths = BradleyTerry.FitStrengths(wins);

        var (p0, p1) = (strengths[0], strengths[1]);
        Assert.Equal(1.5, p0 / (p0 + p1) + p0 / (p0 + 1), precision: 9);
        Assert.Equal(0.5, p1 / (p0 + p1) + p1 / (p1 + 1), precision: 9);
        Assert.Equal(1, p0 * p1, precision: 9);
        Assert.True(p0 > 1 && p1 < 1);
    }

    [Fact]
    public void An_unbeaten_item_stays_finite_and_below_one_hundred()
    {
        var wins = new double[,] { { 0, 50 }, { 0, 0 } };

        var strengths = BradleyTerry.FitStrengths(wins);
        var ratings = BradleyTerry.Ratings(wins);

        Assert.All(strengths, strength => Assert.True(double.IsFinite(strength) && strength > 0));
        Assert.InRange(ratings[0], 90, 100 - 1e-9);
        Assert.InRange(ratings[1], 1e-9, 10);
    }

    [Fact]
    public void Reversing_every_choice_turns_each_rating_r_into_100_minus_r()
    {
        var wins = new double[,] { { 0, 3, 1 }, { 1, 0, 4 }, { 0, 2, 0 } };
        var reversed = new double[3, 3];
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                reversed[i, j] = wins[j, i];
            }
        }

        var ratings = BradleyTerry.Ratings(wins);
        var flipped = BradleyTerry.Ratings(reversed);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(100 - ratings[i], flipped[i], precision: 6);
        }
    }

    [Fact]
    public void Renaming_items_permutes_their_ratings()
    {
        var choices = new[] { ("a", "b"), ("a", "c"), ("b", "c"), ("c", "a") };

        var forward = BradleyTerry.Ratings(["a", "b", "c"], choices);
        var backward = BradleyTerry.Ratings(["c", "b", "a"], choices);

        foreach (var item in new[] { "a", "b", "c" })
        {
            Assert.Equal(forward[item], backward[item], precision: 9);
        }
    }

    [Fact]
    public void More_wins_never_lower_a_rating()
    {
        var previous = double.NegativeInfinity;
        for (var extra = 0; extra <= 6; extra++)
        {
            var wins = new double[,] { { 0, 2 + extra, 1 }, { 2, 0, 1 }, { 1, 1, 0 } };

            var rating = BradleyTerry.Ratings(wins)[0];

            Assert.True(rating > previous, $"with {extra} extra wins the rating fell from {previous} to {rating}");
            previous = rating;
        }
    }

    [Fact]
    public void A_consistent_order_of_choices_gives_the_same_order_of_ratings()
    {
        // a beats b and c, b beats c, each twice.
        var choices = new[] { ("a", "b"), ("a", "b"), ("a", "c"), ("a", "c"), ("b", "c"), ("b", "c") };

        var ratings = BradleyTerry.Ratings(["a", "b", "c", "unseen"], choices);

        Assert.True(ratings["a"] > ratings["b"] && ratings["b"] > ratings["c"]);
        Assert.InRange(ratings["unseen"], ratings["c"], ratings["a"]);
    }

    [Fact]
    public void Equal_records_give_equal_ratings()
    {
        var choices = new[] { ("a", "b"), ("b", "a"), ("a", "b"), ("b", "a") };

        var ratings = BradleyTerry.Ratings(["a", "b"], choices);

        Assert.Equal(50, ratings["a"], precision: 9);
        Assert.Equal(50, ratings["b"], precision: 9);
    }

    [Fact]
    public void Bad_tables_and_unknown_items_are_refused()
    {
        Assert.Throws<ArgumentException>(() => BradleyTerry.FitStrengths(new double[2, 3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => BradleyTerry.FitStrengths(new double[,] { { 0, -1 }, { 0, 0 } }));
        Assert.Throws<ArgumentException>(() => BradleyTerry.Ratings(["a"], [("a", "b")]));
    }
}

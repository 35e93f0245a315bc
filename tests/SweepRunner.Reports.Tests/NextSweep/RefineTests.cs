using SweepRunner.Reports.NextSweep;

namespace SweepRunner.Reports.Tests.NextSweep;

/// <summary>The levels a numeric winner is refined to: exact values for each scale, rounding, ends and ranges.</summary>
public sealed class RefineTests
{
    [Fact]
    public void Rates_take_geometric_midpoints_between_the_best_and_its_neighbours()
    {
        var (levels, note) = NextSweepPlanner.Refine("learning_rate", [1e-4, 1e-3, 1e-2], 1e-3);
        Assert.Equal([0.000316, 0.001, 0.00316], levels);
        Assert.Equal("on a log scale between its neighbours 0.0001 and 0.01", note);
    }

    [Fact]
    public void Settings_the_catalog_does_not_put_on_a_log_scale_take_arithmetic_midpoints()
    {
        // noise_offset 0.05 between 0 and 0.1; the same span on a log scale would not even have a midpoint with 0.
        Assert.Equal([0.025, 0.05, 0.075], NextSweepPlanner.Refine("noise_offset", [0, 0.05, 0.1], 0.05).Levels);
        // min_snr_gamma spans 20× but the catalog does not put it on a log scale: arithmetic (a log scale would give 2.24 and 10).
        Assert.Equal([3.0, 5.0, 12.5], NextSweepPlanner.Refine("min_snr_gamma", [1, 5, 20], 5).Levels);
    }

    [Fact]
    public void Integers_are_rounded_and_repeated_values_left_out()
    {
        // √(16·32) = 22.6 → 23, and one step (×2) above 32.
        Assert.Equal([23.0, 32.0, 64.0], NextSweepPlanner.Refine("network_dim", [8, 16, 32], 32).Levels);
        // Epochs are linear: 7.5 rounds up to 8, and one step (5) above 10.
        Assert.Equal([8.0, 10.0, 15.0], NextSweepPlanner.Refine("max_train_epochs", [5, 10], 10).Levels);
        // Between ranks 1 and 2 nothing is left: √2 rounds to 1, and half of 1 rounds to 1 again.
        Assert.Equal([1.0], NextSweepPlanner.Refine("network_dim", [1, 2], 1).Levels);
    }

    [Fact]
    public void A_best_at_an_end_goes_one_step_beyond_it_within_the_catalogs_range()
    {
        var (low, lowNote) = NextSweepPlanner.Refine("learning_rate", [1e-4, 1e-3], 1e-4);
        Assert.Equal([1e-5, 0.0001, 0.000316], low);
        Assert.Equal("on a log scale towards its neighbour 0.001; it is the lowest level tried, so the next sweep also tries one step (×10) below it", lowNote);

        // network_dropout is at most 1: the step above 1 is left out, and the note says so.
        var (high, highNote) = NextSweepPlanner.Refine("network_dropout", [0.5, 1], 1);
        Assert.Equal([0.75, 1.0], high);
        Assert.EndsWith("one step (0.5) above it, but that (1.5) is outside its range (0..1) and is left out", highNote);
    }
}

using SweepRunner.Core.Results;
using SweepRunner.Core.Scoring;

namespace SweepRunner.Core.Tests.Scoring;

public sealed class ScorePolicyTests
{
    private static long _nextId;

    /// <summary>A score recorded after every score made before it (ids follow recording order).</summary>
    private static LatestScore Score(double value, long? epoch, string scorer = "alice", long? previewId = null, string job = "job-a", bool blind = false, string? note = null) =>
        new(Interlocked.Increment(ref _nextId), job, previewId, epoch, scorer, value, blind, note, DateTimeOffset.UnixEpoch);

    [Fact]
    public void Scores_of_the_latest_named_epoch_count_when_none_is_for_the_final_LoRA()
    {
        var score = ScorePolicy.Direct([Score(10, 2, previewId: 1), Score(30, 4, previewId: 3), Score(40, 4, previewId: 4)], finalEpoch: 6);

        Assert.Equal(4, score.Epoch);
        Assert.Equal([30.0, 40], score.Counted.Select(s => s.Value));
        Assert.Equal((2, 35.0), (score.Summary.N, score.Summary.Mean!.Value));
        Assert.Equal([(2L, 1, 10.0)], score.OtherEpochs.Select(e => (e.Epoch, e.Summary.N, e.Summary.Mean!.Value)));
    }

    [Fact]
    public void A_score_without_an_epoch_judges_the_final_LoRA_together_with_scores_of_the_final_epoch()
    {
        var score = ScorePolicy.Direct([Score(10, null), Score(30, 2, previewId: 1), Score(50, 4, previewId: 2), Score(60, 4, previewId: 3)], finalEpoch: 4);

        Assert.Equal(4, score.Epoch);
        Assert.Equal([10.0, 50, 60], score.Counted.Select(s => s.Value));
        Assert.Equal([2L], score.OtherEpochs.Select(e => e.Epoch));
    }

    [Fact]
    public void The_final_epoch_is_the_last_saved_one_even_when_no_preview_score_reaches_it()
    {
        // Previews scored at epoch 2, the final LoRA (epoch 5) scored from the command line: only the latter counts.
        var score = ScorePolicy.Direct([Score(70, null), Score(40, 2, previewId: 1), Score(45, 2, previewId: 2, scorer: "bob")], finalEpoch: 5);

        Assert.Equal(5, score.Epoch);
        Assert.Equal([70.0], score.Counted.Select(s => s.Value));
        Assert.Equal([(2L, 2)], score.OtherEpochs.Select(e => (e.Epoch, e.Summary.N)));
    }

    [Fact]
    public void Without_epochs_every_score_counts_and_judges_the_final_epoch()
    {
        var score = ScorePolicy.Direct([Score(1, null), Score(2, null, scorer: "bob")], finalEpoch: null);

        Assert.Null(score.Epoch);
        Assert.Equal([1.0, 2], score.Counted.Select(s => s.Value));
        Assert.Equal(3, ScorePolicy.Direct([Score(1, null)], finalEpoch: 3).Epoch);
    }

    [Fact]
    public void The_latest_score_per_scorer_and_target_counts_blind_or_not()
    {
        var score = ScorePolicy.Direct(
        [
            Score(10, 2, previewId: 7, blind: true),
            Score(90, 2, previewId: 7, scorer: "bob"),
            Score(70, 2, previewId: 7, blind: false, note: "looked again"), // replaces alice's 10
            Score(20, 2),                                                  // alice on the LoRA of epoch 2: its own target
            Score(25, 2),                                                  // replaces the 20
        ], finalEpoch: 2);

        Assert.Equal([(7L, "bob", 90.0), (7, "alice", 70), (null, "alice", 25)], score.Counted.Select(s => (s.PreviewId, s.Scorer, s.Value)));
        Assert.Equal(score.Counted, score.Latest);
        Assert.Equal([new ScorerMean("alice", 47.5, 2), new ScorerMean("bob", 90, 1)], score.ByScorer);
        Assert.Equal(61.666666666666664, score.Summary.Mean!.Value, precision: 12);
        Assert.Equal(SampleSummary.Of([90, 70, 25]), score.Summary);
    }

    [Fact]
    public void The_job_score_is_the_mean_of_individual_scores_with_their_standard_error()
    {
        var score = ScorePolicy.Direct([Score(60, 1, previewId: 1), Score(80, 1, previewId: 2), Score(100, 1, previewId: 3, scorer: "bob")], finalEpoch: 1);

        Assert.Equal(3, score.Summary.N);
        Assert.Equal(80, score.Summary.Mean!.Value, precision: 12);
        Assert.Equal(20 / Math.Sqrt(3), score.Summary.StandardError!.Value, precision: 12);
    }

    [Fact]
    public void A_job_without_scores_has_an_empty_score()
    {
        Assert.Equal(JobScore.None, ScorePolicy.Direct([], finalEpoch: 4));
        Assert.Null(ScorePolicy.CountedEpoch([], finalEpoch: 4));
    }

    [Fact]
    public void A_sweep_gives_every_job_its_direct_score_and_its_pairwise_rating()
    {
        var choices = new[]
        {
            Choice(1, "job-a", "job-b", firstWins: true),
            Choice(2, "job-a", "job-b", firstWins: true),
            Choice(3, "job-b", "job-a", firstWins: false),
            Choice(4, "job-a", "job-other-sweep", firstWins: true),
        };
        var scoring = new SweepScoring(
            ["job-a", "job-b", "job-c"],
            [Score(50, null, job: "job-a"), Score(80, 3, previewId: 9, job: "job-b"), Score(20, 1, previewId: 5, job: "job-b")],
            new Dictionary<string, long> { ["job-a"] = 3, ["job-b"] = 3 },
            choices);

        var scores = ScorePolicy.Of(scoring);

        Assert.Equal(["job-a", "job-b", "job-c"], scores.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((3L, 50.0), (scores["job-a"].Epoch!.Value, scores["job-a"].Summary.Mean!.Value));
        Assert.Equal((3L, 80.0, 1), (scores["job-b"].Epoch!.Value, scores["job-b"].Summary.Mean!.Value, scores["job-b"].Summary.N));
        var expected = BradleyTerry.Fit(["job-a", "job-b", "job-c"], Enumerable.Repeat(new PairComparison<string>("job-a", "job-b", false), 3));
        Assert.Equal(new PairwiseStanding(expected["job-a"].Rating, 3, expected["job-a"].Low, expected["job-a"].High), scores["job-a"].Pairwise);
        Assert.Equal(new PairwiseStanding(expected["job-b"].Rating, 3, expected["job-b"].Low, expected["job-b"].High), scores["job-b"].Pairwise);
        Assert.True(scores["job-a"].Pairwise.Rating > 50 && scores["job-b"].Pairwise.Rating < 50);
        Assert.Equal(PairwiseStanding.None, scores["job-c"].Pairwise);
        Assert.Equal(JobScore.None, scores["job-c"]);
    }

    [Fact]
    public void A_tie_counts_as_a_comparison_for_both_jobs_and_half_a_win_for_each()
    {
        var tie = new StoredPairwiseChoice(1, 10, "job-a", 11, "job-b", null, "alice", DateTimeOffset.UnixEpoch);
        var win = Choice(2, "job-a", "job-c", firstWins: true);

        var pairwise = ScorePolicy.Pairwise(["job-a", "job-b", "job-c"], [tie, win]);

        var expected = BradleyTerry.Intervals(new double[,] { { 0, 0.5, 1 }, { 0.5, 0, 0 }, { 0, 0, 0 } });
        Assert.Equal(new PairwiseStanding(expected[0].Rating, 2, expected[0].Low, expected[0].High), pairwise["job-a"]);
        Assert.Equal(new PairwiseStanding(expected[1].Rating, 1, expected[1].Low, expected[1].High), pairwise["job-b"]);
        Assert.True(tie.IsTie && !win.IsTie);
    }

    private static StoredPairwiseChoice Choice(long id, string first, string second, bool firstWins) =>
        new(id, id * 10, first, id * 10 + 1, second, firstWins ? id * 10 : id * 10 + 1, "alice", DateTimeOffset.UnixEpoch);
}

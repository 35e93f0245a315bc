using SweepRunner.Reports.Html;
using SweepRunner.Core.Results;

namespace SweepRunner.Reports.Tests.Html;

public sealed class CountedScoresTests
{
    private static ReportScore Score(double value, long? epoch) => new(0, "alice", value, null, false, null, epoch, DateTimeOffset.UnixEpoch);

    [Fact]
    public void Scores_of_the_latest_named_epoch_count_when_none_is_for_the_final_LoRA() =>
        Assert.Equal([30.0, 40], ReportJob.CountedScoresOf([Score(10, 2), Score(30, 4), Score(40, 4)], finalPreviewEpoch: 6).Select(s => s.Value));

    [Fact]
    public void Scores_without_an_epoch_judge_the_final_LoRA_together_with_scores_of_the_final_epoch() =>
        Assert.Equal([10.0, 50, 60], ReportJob.CountedScoresOf([Score(10, null), Score(30, 2), Score(50, 4), Score(60, 4)], finalPreviewEpoch: 4).Select(s => s.Value));

    [Fact]
    public void Without_epochs_every_score_counts() =>
        Assert.Equal([1.0, 2], ReportJob.CountedScoresOf([Score(1, null), Score(2, null)], finalPreviewEpoch: null).Select(s => s.Value));
}

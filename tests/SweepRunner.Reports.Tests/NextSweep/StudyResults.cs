using SweepRunner.Core.Planning;
using SweepRunner.Reports.Analysis;
using SweepRunner.Reports.Html;
using SweepRunner.Store;

namespace SweepRunner.Reports.Tests.NextSweep;

/// <summary>The <see cref="NextSweepStudy"/> results read back and analysed as <c>sweeprunner next</c> reads them.</summary>
static class StudyResults
{
    public static async Task<(SweepPlan Plan, SweepAnalysis Analysis, string SweepFile)> AnalyseAsync(TemporaryFolder folder)
    {
        var (sweepFile, results, plan) = await NextSweepStudy.CreateAsync(folder.Path);
        var store = await ResultsStore.OpenForReadingAsync(results);
        var jobs = ReportJob.From(await store.GetSweepReportDataAsync(NextSweepStudy.SweepName));
        var analysis = SweepAnalyzer.Analyze(jobs.Where(job => !job.IsDuplicate).Select(job => job.Analysis).ToList());
        return (plan, analysis, sweepFile);
    }
}

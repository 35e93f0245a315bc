using SweepRunner.Core.Planning;
using SweepRunner.Core.Sweeps;

namespace SweepRunner.Core.Tests.Planning;

public class PlanRegistrationTests
{
    static string RepoRoot
    {
        get
        {
            var dir = AppContext.BaseDirectory;
            while (!File.Exists(Path.Combine(dir, "SweepRunner.sln"))) dir = Path.GetDirectoryName(dir)!;
            return dir;
        }
    }

    [Fact]
    public void DuplicatesCarryTheSettingsTheirFirstLabelTrainsAndTheirOwnDiff()
    {
        var plan = new Planner().Plan(SweepFileParser.Load(Path.Combine(RepoRoot, "sweeps", "lora-25-patterns.yaml")));
        var registration = PlanRegistration.From(plan);
        Assert.Equal("lora-25-patterns", registration.Name);
        Assert.Equal(plan.Jobs.Count, registration.Jobs.Count);
        var first = registration.Jobs.Single(j => j.Label == "13");
        var duplicate = registration.Jobs.Single(j => j.Label == "24");
        Assert.Equal(first.JobId, duplicate.JobId);
        Assert.Equal(first.SettingsJson, duplicate.SettingsJson);
        Assert.Contains("\"learning_rate\":0.0001", first.SettingsJson);
        Assert.Contains("\"learning_rate\":0.1", duplicate.DiffJson);
        Assert.Equal("13", duplicate.DuplicateOfLabel);
        Assert.Equal(9000, registration.Jobs.Single(j => j.Label == "3").TotalSteps);
    }
}

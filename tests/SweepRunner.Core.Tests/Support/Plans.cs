using SweepRunner.Core.Planning;
using SweepRunner.Core.Sweeps;

namespace SweepRunner.Core.Tests.Support;

public static class Plans
{
    public static SweepPlan Of(string path) => new Planner().Plan(SweepFileParser.Load(path));

    public static string RepoRoot
    {
        get
        {
            var dir = AppContext.BaseDirectory;
            while (!File.Exists(Path.Combine(dir, "SweepRunner.sln"))) dir = Path.GetDirectoryName(dir) ?? throw new InvalidOperationException("repository root not found");
            return dir;
        }
    }
}

using System.Reflection;
using System.Xml.Linq;

namespace SweepRunner.Cli.Tests;

/// <summary>
/// References run one way (DESIGN.md): model code depends on Core alone, the training loop on the model code, the
/// worker host on training and Store; supervisor, reports and the scoring page never reach libtorch. Checked twice:
/// in the project files (what may be used) and in the built assemblies (what is used).
/// </summary>
public sealed class ProjectReferenceTests
{
    /// <summary>Each assembly of ours and the assemblies of ours it may reference, directly or not.</summary>
    static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["SweepRunner.Core"] = [],
        ["SweepRunner.Store"] = ["SweepRunner.Core"],
        ["SweepRunner.Diffusion"] = ["SweepRunner.Core"],
        ["SweepRunner.Training"] = ["SweepRunner.Diffusion", "SweepRunner.Core"],
        ["SweepRunner.Worker"] = ["SweepRunner.Training", "SweepRunner.Diffusion", "SweepRunner.Store", "SweepRunner.Core"],
        ["SweepRunner.Supervisor"] = ["SweepRunner.Store", "SweepRunner.Core"],
        ["SweepRunner.Reports"] = ["SweepRunner.Core"],
        ["SweepRunner.Web"] = ["SweepRunner.Core"],
        ["SweepRunner.DemoBuilder"] = ["SweepRunner.Training", "SweepRunner.Diffusion", "SweepRunner.Core"],
    };

    static readonly string[] NoTorch = ["SweepRunner.Core", "SweepRunner.Store", "SweepRunner.Supervisor", "SweepRunner.Reports", "SweepRunner.Web"];

    static readonly Dictionary<string, string> ProjectFolders = new(StringComparer.Ordinal)
    {
        ["SweepRunner.DemoBuilder"] = "tools/SweepRunner.DemoBuilder",
    };

    [Fact]
    public void Every_project_file_references_only_what_its_layer_may_use()
    {
        foreach (var (name, allowed) in Allowed)
        {
            var closure = ProjectClosure(name);
            var extra = closure.Except(allowed).ToList();
            Assert.True(extra.Count == 0, $"{name} references {string.Join(", ", extra)}; it may reference only [{string.Join(", ", allowed)}]");
        }
    }

    [Fact]
    public void Every_built_assembly_references_only_what_its_layer_may_use()
    {
        foreach (var (name, allowed) in Allowed)
        {
            var ours = AssemblyClosure(name).Where(n => n.StartsWith("SweepRunner.", StringComparison.Ordinal)).ToList();
            var extra = ours.Except(allowed).ToList();
            Assert.True(extra.Count == 0, $"{name}.dll references {string.Join(", ", extra)}; it may reference only [{string.Join(", ", allowed)}]");
        }
    }

    [Fact]
    public void Planning_storing_supervising_reporting_and_scoring_never_reference_TorchSharp()
    {
        foreach (var name in NoTorch)
            Assert.DoesNotContain(AssemblyClosure(name), n => n.StartsWith("TorchSharp", StringComparison.Ordinal));
        Assert.Contains(AssemblyClosure("SweepRunner.Diffusion"), n => n.StartsWith("TorchSharp", StringComparison.Ordinal));
    }

    static HashSet<string> AssemblyClosure(string name)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>([name]);
        while (queue.Count > 0)
        {
            var assembly = Assembly.Load(queue.Dequeue());
            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                var referenced = reference.Name!;
                if (!seen.Add(referenced)) continue;
                if (referenced.StartsWith("SweepRunner.", StringComparison.Ordinal)) queue.Enqueue(referenced);
                else if (referenced.StartsWith("TorchSharp", StringComparison.Ordinal)) seen.Add(referenced);
            }
        }
        return seen;
    }

    static HashSet<string> ProjectClosure(string name)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>([name]);
        while (queue.Count > 0)
        {
            var project = queue.Dequeue();
            var folder = ProjectFolders.TryGetValue(project, out var f) ? f : "src/" + project;
            var file = RepositoryFiles.Path($"{folder}/{project}.csproj");
            Assert.True(File.Exists(file), $"no project file {file}");
            foreach (var include in XDocument.Load(file).Descendants("ProjectReference").Select(e => (string)e.Attribute("Include")!))
            {
                var referenced = Path.GetFileNameWithoutExtension(include.Replace('\\', '/'));
                if (seen.Add(referenced)) queue.Enqueue(referenced);
            }
        }
        return seen;
    }
}

using System.Text;

namespace SweepRunner.Diffusion.Modules;

/// <summary>A parameter whose source tensor has a different shape.</summary>
public sealed record ShapeMismatch(string Name, long[] Expected, long[] Actual)
{
    public override string ToString() =>
        $"{Name}: expected [{string.Join(", ", Expected)}], file has [{string.Join(", ", Actual)}]";
}

/// <summary>What a state-dict load filled, missed and could not place.</summary>
public sealed record StateDictLoadReport(
    int Loaded,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<ShapeMismatch> ShapeMismatches,
    IReadOnlyList<string> Ignored)
{
    /// <summary>True when every parameter was filled and every key was placed or knowingly ignored.</summary>
    public bool IsComplete => Missing.Count == 0 && Unexpected.Count == 0 && ShapeMismatches.Count == 0;

    /// <summary>A message naming the problems, at most <paramref name="perList"/> names per list.</summary>
    public string Describe(int perList = 10)
    {
        var text = new StringBuilder();
        text.Append($"{Loaded} tensors loaded");
        Append(text, "missing parameters (not in the file)", Missing, perList);
        Append(text, "unknown keys (no such parameter)", Unexpected, perList);
        Append(text, "shape mismatches", ShapeMismatches.Select(m => m.ToString()).ToList(), perList);
        if (Ignored.Count > 0)
        {
            text.Append($"; {Ignored.Count} known non-network keys ignored");
        }

        return text.ToString();
    }

    static void Append(StringBuilder text, string title, IReadOnlyList<string> names, int perList)
    {
        if (names.Count == 0)
        {
            return;
        }

        text.Append($"; {names.Count} {title}: ");
        text.Append(string.Join(", ", names.Take(perList)));
        if (names.Count > perList)
        {
            text.Append($", … and {names.Count - perList} more");
        }
    }
}

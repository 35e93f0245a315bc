namespace SweepRunner.Core.Datasets;

public sealed record DatasetImage(string RelativePath, long Bytes, int Width, int Height, string? Caption);

/// <summary>A kohya dataset subfolder: <c>&lt;repeats&gt;_&lt;class tokens&gt;</c>.</summary>
public sealed record DatasetFolder(string Name, int Repeats, string ClassTokens, IReadOnlyList<DatasetImage> Images);

public sealed record DatasetInfo(string Path, IReadOnlyList<DatasetFolder> Folders, string Fingerprint)
{
    public int ImageCount => Folders.Sum(f => f.Images.Count);
}

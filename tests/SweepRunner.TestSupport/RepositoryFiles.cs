namespace SweepRunner.TestSupport;

/// <summary>Files committed to the repository, found by walking up from the test assembly's folder to the solution.</summary>
public static class RepositoryFiles
{
    public static string Root
    {
        get
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
                if (File.Exists(System.IO.Path.Combine(folder.FullName, "SweepRunner.sln")))
                    return folder.FullName;
            throw new DirectoryNotFoundException($"No folder above {AppContext.BaseDirectory} holds SweepRunner.sln.");
        }
    }

    /// <summary>A path under the repository root, given with forward slashes.</summary>
    public static string Path(string relative) =>
        System.IO.Path.Combine([Root, .. relative.Split('/')]);
}

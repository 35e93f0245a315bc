using System.Text.RegularExpressions;

namespace SweepRunner.Cli.Output;

/// <summary>
/// How to start this program again from the current folder, as a shell command: <c>sweeprunner</c> when that name on
/// PATH is this program, otherwise the path of the executable that is running (as <c>dotnet run</c> starts it), or
/// <c>dotnet &lt;path&gt;/sweeprunner.dll</c> when the program runs under the dotnet host. Paths inside the current
/// folder are written relative to it.
/// </summary>
public static partial class LaunchCommand
{
    const string ProgramName = "sweeprunner";

    public static string Current { get; } = Of(Environment.ProcessPath, typeof(LaunchCommand).Assembly.Location,
        Environment.CurrentDirectory, Environment.GetEnvironmentVariable("PATH"));

    public static string Of(string? processPath, string assemblyPath, string currentDirectory, string? path)
    {
        if (processPath is not null && Path.GetFileNameWithoutExtension(processPath) == ProgramName)
            return IsOnPath(processPath, path) ? ProgramName : Quote(Shown(processPath, currentDirectory, executable: true));
        return "dotnet " + Quote(Shown(assemblyPath, currentDirectory, executable: false));
    }

    /// <summary><paramref name="word"/> as one shell word: unchanged when it holds only safe characters, else in single quotes.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && SafeWord().IsMatch(word) ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    static bool IsOnPath(string processPath, string? path) =>
        (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, Path.GetFileName(processPath)))
            .FirstOrDefault(File.Exists) is { } found && string.Equals(Path.GetFullPath(found), Path.GetFullPath(processPath), StringComparison.Ordinal);

    static string Shown(string file, string currentDirectory, bool executable)
    {
        var relative = Path.GetRelativePath(currentDirectory, file);
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative)) return file;
        // A shell runs a bare name from PATH, not from the current folder.
        return executable ? "." + Path.DirectorySeparatorChar + relative : relative;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_./:=@%+,-]+$")]
    private static partial Regex SafeWord();
}

using Dapper;
using Microsoft.Data.Sqlite;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SweepRunner.Store;
using SweepRunner.Core.Results;

namespace SweepRunner.Web.Tests.Support;

/// <summary>
/// A results folder filled through the store's own API: sweep "demo" with a baseline ("base", diff {}) and two
/// jobs, each with previews at epochs 1 and 2 for prompts 0 and 1, written as small real PNG files. "base" and "alpha1"
/// have recorded job specs naming a kohya-layout dataset of two <see cref="TrainingColour"/> images; "lion" has none,
/// as a job planned but never run by this version.
/// </summary>
public sealed class ScoringResults : IAsyncDisposable
{
    public const string Sweep = "demo";
    public static readonly Rgba32 TrainingColour = new(230, 200, 40);

    private static readonly (string Label, string Diff, Rgba32 Colour)[] JobList =
    [
        ("base", "{}", new Rgba32(200, 60, 60)),
        ("alpha1", """{"network_alpha":1}""", new Rgba32(60, 200, 60)),
        ("lion", """{"optimizer_type":"Lion","learning_rate":0.0001}""", new Rgba32(60, 60, 200)),
    ];

    private readonly TemporaryFolder _folder;
    private readonly Dictionary<string, long> _attempts = new(StringComparer.Ordinal);

    private ScoringResults(TemporaryFolder folder, ResultsStore store)
    {
        _folder = folder;
        Store = store;
    }

    public ResultsStore Store { get; }

    public string Folder => _folder.Path;

    public string DatabasePath => Store.DatabasePath;

    public static IReadOnlyList<string> Labels => JobList.Select(job => job.Label).ToList();

    /// <summary>Every preview id recorded, by job label.</summary>
    public Dictionary<string, List<long>> PreviewIds { get; } = new(StringComparer.Ordinal);

    public static async Task<ScoringResults> CreateAsync()
    {
        var folder = new TemporaryFolder();
        var results = new ScoringResults(folder, await ResultsStore.OpenAsync(folder.Path));
        await results.PopulateAsync();
        return results;
    }

    public static string JobId(string label) => "job-" + label;

    /// <summary>Records one more preview for a job, as a running sweep would.</summary>
    public async Task<long> AddPreviewAsync(string label, long epoch, int promptIndex)
    {
        var colour = JobList.Single(job => job.Label == label).Colour;
        var relative = $"{Sweep}/{label}/sample/{label}_e{epoch:000000}_{promptIndex:00}.png";
        var path = Path.Combine(Folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var image = new Image<Rgba32>(32, 32, colour))
        {
            // A mark that moves with epoch and prompt, so previews differ.
            image[(int)epoch % 32, promptIndex % 32] = new Rgba32(255, 255, 255);
            await image.SaveAsPngAsync(path);
        }

        var file = ArtifactFile.Describe(Folder, path);
        var id = await Store.RecordPreviewAsync(_attempts[label], new PreviewImage(
            epoch, promptIndex, $"a photo of sks person, prompt {promptIndex}", "blurry", 1000 + promptIndex, "euler_a", 20, 5, 32, 32, file));
        PreviewIds[label].Add(id);
        return id;
    }

    public List<T> Query<T>(string sql, object? parameters = null)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        connection.Open();
        connection.Execute("PRAGMA busy_timeout = 5000;");
        return connection.Query<T>(sql, parameters).ToList();
    }

    public void Execute(string sql, object? parameters = null)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        connection.Open();
        connection.Execute("PRAGMA busy_timeout = 5000;");
        connection.Execute(sql, parameters);
    }

    /// <summary>Polls the database until <paramref name="condition"/> holds for the rows of <paramref name="sql"/> (the page saves in the background).</summary>
    public async Task<List<T>> WaitForRowsAsync<T>(string sql, Func<List<T>, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var rows = Query<T>(sql);
            if (condition(rows))
            {
                return rows;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the database never reached the expected state; last rows: {string.Join("; ", rows)}");
            }

            await Task.Delay(100);
        }
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task PopulateAsync()
    {
        var jobs = JobList.Select((job, index) => new JobRegistration(
            JobId(job.Label),
            job.Label,
            $$"""{"label":"{{job.Label}}"}""",
            job.Diff,
            null,
            10,
            40,
            60 + index)).ToList();
        await Store.RegisterSweepAsync(new SweepRegistration(Sweep, "sweeps/demo.yaml", "name: demo\n", jobs));
        var dataset = Path.Combine(Folder, "dataset");
        Directory.CreateDirectory(Path.Combine(dataset, "10_sks person"));
        foreach (var name in new[] { "001", "002" })
        {
            using var image = new Image<Rgba32>(48, 48, TrainingColour);
            await image.SaveAsPngAsync(Path.Combine(dataset, "10_sks person", name + ".png"));
            await File.WriteAllTextAsync(Path.Combine(dataset, "10_sks person", name + ".txt"), "a photo of sks person");
        }

        await Store.RecordJobSpecsAsync(JobList.Where(job => job.Label != "lion").Select(job => new SweepRunner.Core.Running.JobSpec(
            Sweep, JobId(job.Label), job.Label, new Dictionary<string, object?>(), 10, 40, dataset, ".txt", "fingerprint", "demo", null)).ToList());
        foreach (var (label, _, _) in JobList)
        {
            _attempts[label] = await Store.StartAttemptAsync(new AttemptStart(JobId(label), "test-host", 1, "cpu"));
            PreviewIds[label] = [];
            foreach (var epoch in new long[] { 1, 2 })
            {
                for (var prompt = 0; prompt < 2; prompt++)
                {
                    await AddPreviewAsync(label, epoch, prompt);
                }
            }
        }
    }
}

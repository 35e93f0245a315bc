using Dapper;
using SweepRunner.Store.Errors;
using SweepRunner.Store.Migrations;
using SweepRunner.Core.Results;
using SweepRunner.Store.Tests.Support;

namespace SweepRunner.Store.Tests.Migrations;

public sealed class SchemaMigratorTests
{
    /// <summary>For each schema version, a query that counts 1 when that version's change is present and 0 before it.</summary>
    private static readonly IReadOnlyDictionary<int, string> VersionProbes = new Dictionary<int, string>
    {
        [1] = "SELECT count(*) = 10 FROM sqlite_schema WHERE type = 'table' AND name IN " +
              "('sweeps', 'jobs', 'sweep_jobs', 'attempts', 'timings', 'metrics', 'checkpoints', 'previews', 'scores', 'events');",
        [2] = "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'attempts_by_job';",
        [3] = "SELECT count(*) FROM pragma_table_info('attempts') WHERE name = 'resumed_from_step';",
        [4] = "SELECT count(*) FROM pragma_table_info('scores') WHERE name = 'epoch';",
        [5] = "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'pairwise_choices';",
        [6] = "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'job_specs';",
        [7] = "SELECT count(*) FROM pragma_table_info('checkpoints') WHERE name = 'data_sha256';",
        [8] = "SELECT count(*) FROM pragma_table_info('pairwise_choices') WHERE name = 'chosen_preview_id' AND \"notnull\" = 0;",
        [9] = "SELECT count(*) FROM pragma_table_info('job_specs') WHERE name = 'continues_job_id';",
        [10] = "SELECT count(*) FROM pragma_table_info('sweep_jobs') WHERE name = 'replicate_group';",
        [11] = "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'validation_losses';",
        [12] = "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'auto_scores';",
    };

    // Rows as a version-1 SweepRunner wrote them; every later version must keep them readable.
    private const string VersionOneRows =
        """
        INSERT INTO sweeps (id, name, source_file, source_text, created_at, updated_at)
        VALUES (1, 'old-sweep', 'sweeps/old-sweep.yaml', 'name: old-sweep', '2024-05-01T20:00:00.0000000Z', '2024-05-01T20:00:00.0000000Z');
        INSERT INTO jobs (id, settings_json, steps_per_epoch, total_steps, state, created_at, updated_at)
        VALUES ('job-old', '{"learning_rate":0.0001,"network_dim":8}', 10, 100, 'succeeded', '2024-05-01T20:00:00.0000000Z', '2024-05-01T21:00:00.0000000Z');
        INSERT INTO sweep_jobs (sweep_id, label, job_id, position, diff_json, duplicate_of_label, estimated_seconds)
        VALUES (1, 'dim8', 'job-old', 0, '{"network_dim":8}', NULL, 50);
        INSERT INTO attempts (id, job_id, started_at, heartbeat_at, ended_at, host, pid, device, outcome, error_text)
        VALUES (1, 'job-old', '2024-05-01T20:10:00.0000000Z', '2024-05-01T20:50:00.0000000Z', '2024-05-01T20:50:00.0000000Z', 'old-host', 42, 'cuda:0', 'succeeded', NULL);
        INSERT INTO timings (attempt_id, load_seconds, cache_seconds, train_seconds, sample_seconds, save_seconds)
        VALUES (1, 1, 2, 30, 4, 0.5);
        INSERT INTO metrics (attempt_id, step, epoch, loss, learning_rate, samples_per_second, recorded_at)
        VALUES (1, 50, 5, 0.2, 0.0001, 3, '2024-05-01T20:30:00.0000000Z'),
               (1, 100, 9, 0.125, 0.0001, 3, '2024-05-01T20:45:00.0000000Z');
        INSERT INTO checkpoints (job_id, attempt_id, epoch, path, sha256, bytes, created_at)
        VALUES ('job-old', 1, 10, 'old-sweep/job-old/job-old.safetensors', '0000000000000000000000000000000000000000000000000000000000000def', 5000, '2024-05-01T20:48:00.0000000Z');
        INSERT INTO previews (id, job_id, attempt_id, epoch, prompt_index, prompt, negative_prompt, seed, sampler, sample_steps,
                              cfg_scale, width, height, path, sha256, bytes, created_at)
        VALUES (1, 'job-old', 1, 10, 0, 'a photo of sks dog', 'blurry', 1234, 'euler_a', 20, 7, 512, 512,
                'old-sweep/job-old/previews/e10-p0.png', '0000000000000000000000000000000000000000000000000000000000000abc', 1000, '2024-05-01T20:49:00.0000000Z');
        INSERT INTO scores (job_id, preview_id, scorer, value, blind, note, scored_at)
        VALUES ('job-old', 1, 'alice', 70, 1, NULL, '2024-05-02T08:00:00.0000000Z'),
               ('job-old', 1, 'alice', 80, 1, 'second look', '2024-05-02T08:05:00.0000000Z'),
               ('job-old', NULL, 'bob', 60, 0, NULL, '2024-05-02T09:00:00.0000000Z');
        INSERT INTO events (occurred_at, level, message, sweep_id, job_id)
        VALUES ('2024-05-01T20:50:00.0000000Z', 'info', 'job dim8 succeeded', 1, 'job-old');
        """;

    public static TheoryData<int> AllVersions() => new(Enumerable.Range(1, MigrationScript.LatestVersion));

    public static TheoryData<int> EarlierVersions() => new(Enumerable.Range(1, MigrationScript.LatestVersion - 1));

    [Fact]
    public void Embedded_migrations_are_numbered_from_one_without_gaps_and_each_has_a_probe()
    {
        Assert.Equal(Enumerable.Range(1, MigrationScript.All.Count), MigrationScript.All.Select(script => script.Version));
        Assert.True(ResultsStore.SupportedSchemaVersion >= 2, "the migration tests need at least two versions");
        Assert.Equal(ResultsStore.SupportedSchemaVersion, MigrationScript.LatestVersion);
        Assert.Equal(Enumerable.Range(1, MigrationScript.LatestVersion), VersionProbes.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(AllVersions))]
    public async Task Migrating_an_empty_database_to_each_version_applies_exactly_the_scripts_up_to_it(int version)
    {
        using var folder = new TemporaryFolder();

        var store = await ResultsStore.OpenAtVersionAsync(folder.Path, version, TimeProvider.System, CancellationToken.None);

        Assert.Equal(new MigrationReport(0, version, null), store.Migration);
        Assert.Equal(version, RawDatabase.Scalar<int>(folder.DatabasePath, "PRAGMA user_version;"));
        foreach (var (probeVersion, probe) in VersionProbes)
        {
            Assert.Equal(probeVersion <= version ? 1 : 0, RawDatabase.Scalar<int>(folder.DatabasePath, probe));
        }

        Assert.Empty(BackupsIn(folder));
    }

    [Theory]
    [MemberData(nameof(EarlierVersions))]
    public async Task Migrating_from_each_earlier_version_keeps_its_data_and_backs_it_up_first(int version)
    {
        using var folder = new TemporaryFolder();
        await ResultsStore.OpenAtVersionAsync(folder.Path, version, TimeProvider.System, CancellationToken.None);
        RawDatabase.Execute(folder.DatabasePath, VersionOneRows);

        var store = await ResultsStore.OpenAsync(folder.Path, ManualTimeProvider.AtSampleDate());

        Assert.Equal(version, store.Migration.VersionBefore);
        Assert.Equal(ResultsStore.SupportedSchemaVersion, store.Migration.VersionAfter);
        Assert.Equal(ResultsStore.SupportedSchemaVersion, RawDatabase.Scalar<int>(folder.DatabasePath, "PRAGMA user_version;"));
        Assert.Equal("ok", RawDatabase.Scalar<string>(folder.DatabasePath, "PRAGMA integrity_check;"));

        var export = await store.GetSweepExportAsync("old-sweep");
        var row = Assert.Single(export.Rows);
        Assert.Equal(("dim8", "job-old", JobState.Succeeded), (row.Label, row.JobId, row.State));
        Assert.Equal(new PhaseTimings(1, 2, 30, 4, 0.5), row.Timings);
        Assert.Equal((100L, 0.125), (row.FinalStep!.Value, row.FinalLoss!.Value));
        Assert.Equal([new ScorerMean("alice", 80, 1), new ScorerMean("bob", 60, 1)], row.Scores);
        Assert.Equal(70, row.OverallScore);

        var attempt = Assert.Single(await store.GetAttemptsAsync("job-old"));
        Assert.Equal(("old-host", 42, "cuda:0", 0L), (attempt.Host, attempt.ProcessId, attempt.Device, attempt.ResumedFromStep));
        var speed = Assert.Single(await store.GetSpeedSamplesAsync());
        Assert.Equal(("job-old", 30.0, 100L), (speed.JobId, speed.TrainSeconds, speed.Steps));
        Assert.Equal("a photo of sks dog", Assert.Single(await store.GetPreviewsAsync("job-old")).Image.Prompt);
        var checkpoint = Assert.Single(await store.GetCheckpointsAsync("job-old"));
        Assert.Equal((1L, 10L), (checkpoint.AttemptId, checkpoint.Epoch));
        Assert.Equal(new ArtifactFile("old-sweep/job-old/job-old.safetensors", 5000, new string('0', 61) + "def"), checkpoint.File);
        Assert.Null(checkpoint.File.DataSha256);
        Assert.Equal("job dim8 succeeded", Assert.Single(await store.GetRecentEventsAsync(10, "old-sweep")).Message);

        var backup = Assert.Single(BackupsIn(folder));
        Assert.Equal(backup, store.Migration.BackupPath);
        Assert.Equal($"sweeprunner.v{version}-backup-20250301T221500Z.db", Path.GetFileName(backup));
        Assert.Equal(version, RawDatabase.Scalar<int>(backup, "PRAGMA user_version;"));
        Assert.Equal(3, RawDatabase.Scalar<int>(backup, "SELECT count(*) FROM scores;"));
    }

    [Fact]
    public async Task Pairwise_choices_of_a_version_7_database_keep_their_ids_and_picks_and_stay_append_only_and_ties_can_follow()
    {
        using var folder = new TemporaryFolder();
        await ResultsStore.OpenAtVersionAsync(folder.Path, 7, TimeProvider.System, CancellationToken.None);
        RawDatabase.Execute(folder.DatabasePath, VersionOneRows + """
            INSERT INTO previews (id, job_id, attempt_id, epoch, prompt_index, prompt, negative_prompt, seed, sampler, sample_steps,
                                  cfg_scale, width, height, path, sha256, bytes, created_at)
            VALUES (2, 'job-old', 1, 10, 1, 'a photo of sks dog', 'blurry', 1234, 'euler_a', 20, 7, 512, 512,
                    'old-sweep/job-old/previews/e10-p1.png', '0000000000000000000000000000000000000000000000000000000000000abd', 1000, '2024-05-01T20:49:00.0000000Z');
            INSERT INTO pairwise_choices (id, first_preview_id, second_preview_id, chosen_preview_id, scorer, chosen_at)
            VALUES (7, 1, 2, 2, 'alice', '2024-05-02T10:00:00.0000000Z');
            """);

        var store = await ResultsStore.OpenAsync(folder.Path);
        var tie = await store.AddPairwiseChoiceAsync(new PairwiseChoice(2, 1, null, "bob"));

        Assert.Equal(
            [(7L, 1L, 2L, (long?)2L, "alice"), (tie, 2L, 1L, (long?)null, "bob")],
            RawDatabase.Query<(long, long, long, long?, string)>(folder.DatabasePath,
                "SELECT id, first_preview_id, second_preview_id, chosen_preview_id, scorer FROM pairwise_choices ORDER BY id;"));
        Assert.Equal(8, tie);
        Assert.Throws<Microsoft.Data.Sqlite.SqliteException>(() => RawDatabase.Execute(folder.DatabasePath, "DELETE FROM pairwise_choices;"));
        Assert.Throws<Microsoft.Data.Sqlite.SqliteException>(() => RawDatabase.Execute(folder.DatabasePath, "UPDATE pairwise_choices SET chosen_preview_id = NULL;"));
        Assert.Equal(2, RawDatabase.Scalar<int>(folder.DatabasePath, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'pairwise_choices';"));
        Assert.Equal("ok", RawDatabase.Scalar<string>(folder.DatabasePath, "PRAGMA integrity_check;"));
    }

    [Fact]
    public async Task A_checkpoint_of_a_version_6_database_gets_its_data_hash_when_it_is_recorded_again_after_the_upgrade()
    {
        using var folder = new TemporaryFolder();
        await ResultsStore.OpenAtVersionAsync(folder.Path, 6, TimeProvider.System, CancellationToken.None);
        RawDatabase.Execute(folder.DatabasePath, VersionOneRows);
        var store = await ResultsStore.OpenAsync(folder.Path);

        var file = new ArtifactFile("old-sweep/job-old/job-old.safetensors", 5001, new string('1', 64), new string('2', 64));
        await store.RecordCheckpointAsync(1, 10, file);

        Assert.Equal(file, Assert.Single(await store.GetCheckpointsAsync("job-old")).File);
    }

    [Theory]
    [InlineData("'abc'")]
    [InlineData("upper('" + "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789" + "')")]
    [InlineData("'" + "abcdef0123456789abcdef0123456789abcdef0123456789abcdef012345678g" + "'")]
    public async Task The_data_hash_column_takes_only_null_or_64_lower_case_hex_digits(string value)
    {
        using var folder = new TemporaryFolder();
        await ResultsStore.OpenAtVersionAsync(folder.Path, 6, TimeProvider.System, CancellationToken.None);
        RawDatabase.Execute(folder.DatabasePath, VersionOneRows);
        await ResultsStore.OpenAsync(folder.Path);

        Assert.Throws<Microsoft.Data.Sqlite.SqliteException>(() => RawDatabase.Execute(folder.DatabasePath, $"UPDATE checkpoints SET data_sha256 = {value};"));
        RawDatabase.Execute(folder.DatabasePath, $"UPDATE checkpoints SET data_sha256 = '{new string('a', 64)}';");
        RawDatabase.Execute(folder.DatabasePath, "UPDATE checkpoints SET data_sha256 = NULL;");
    }

    [Fact]
    public async Task Opening_a_current_database_again_changes_nothing_and_makes_no_backup()
    {
        using var folder = new TemporaryFolder();
        await ResultsStore.OpenAsync(folder.Path);

        var again = await ResultsStore.OpenAsync(folder.Path);

        var current = ResultsStore.SupportedSchemaVersion;
        Assert.Equal(new MigrationReport(current, current, null), again.Migration);
        Assert.Empty(BackupsIn(folder));
    }

    [Fact]
    public async Task A_backup_never_overwrites_an_existing_file()
    {
        using var folder = new TemporaryFolder();
        var clock = ManualTimeProvider.AtSampleDate();
        await ResultsStore.OpenAtVersionAsync(folder.Path, 1, clock, CancellationToken.None);
        var taken = Path.Combine(folder.Path, "sweeprunner.v1-backup-20250301T221500Z.db");
        await File.WriteAllTextAsync(taken, "an earlier backup");

        var store = await ResultsStore.OpenAsync(folder.Path, clock);

        Assert.Equal(Path.Combine(folder.Path, "sweeprunner.v1-backup-20250301T221500Z-2.db"), store.Migration.BackupPath);
        Assert.Equal(1, RawDatabase.Scalar<int>(store.Migration.BackupPath!, "PRAGMA user_version;"));
        Assert.Equal("an earlier backup", await File.ReadAllTextAsync(taken));
    }

    [Fact]
    public async Task A_database_from_a_newer_version_is_refused_and_left_byte_for_byte()
    {
        using var folder = new TemporaryFolder();
        await ResultsStore.OpenAsync(folder.Path);
        var newer = ResultsStore.SupportedSchemaVersion + 1;
        RawDatabase.Execute(folder.DatabasePath, $"PRAGMA user_version = {newer};");
        var before = await File.ReadAllBytesAsync(folder.DatabasePath);
        var filesBefore = Directory.GetFiles(folder.Path).Order(StringComparer.Ordinal).ToList();

        var refusal = await Assert.ThrowsAsync<DatabaseTooNewException>(() => ResultsStore.OpenAsync(folder.Path));

        Assert.Contains(folder.DatabasePath, refusal.Message, StringComparison.Ordinal);
        Assert.Contains($"schema version {newer}", refusal.Message, StringComparison.Ordinal);
        Assert.Contains($"up to {ResultsStore.SupportedSchemaVersion}", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("upgrade SweepRunner", refusal.Message, StringComparison.Ordinal);
        Assert.Equal((newer, ResultsStore.SupportedSchemaVersion), (refusal.DatabaseVersion, refusal.SupportedVersion));
        Assert.Equal(before, await File.ReadAllBytesAsync(folder.DatabasePath));
        Assert.Equal(filesBefore, Directory.GetFiles(folder.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_newer_version_still_in_the_write_ahead_log_of_an_open_database_is_refused()
    {
        using var folder = new TemporaryFolder();
        await ResultsStore.OpenAsync(folder.Path);
        var newer = ResultsStore.SupportedSchemaVersion + 1;
        using var holder = RawDatabase.Open(folder.DatabasePath);
        holder.Execute($"PRAGMA user_version = {newer};");
        Assert.True(File.Exists(folder.DatabasePath + "-wal"), "the newer version should sit in the write-ahead log");
        var before = await File.ReadAllBytesAsync(folder.DatabasePath);

        var refusal = await Assert.ThrowsAsync<DatabaseTooNewException>(() => ResultsStore.OpenAsync(folder.Path));

        Assert.Equal(newer, refusal.DatabaseVersion);
        Assert.Equal(before, await File.ReadAllBytesAsync(folder.DatabasePath));
    }

    [Fact]
    public async Task A_file_that_is_not_sqlite_is_refused_naming_it_and_left_unchanged()
    {
        using var folder = new TemporaryFolder();
        var garbage = "these are not the pages of a database, just text long enough to look like a header"u8.ToArray();
        await File.WriteAllBytesAsync(folder.DatabasePath, garbage);

        var refusal = await Assert.ThrowsAsync<ResultsStoreException>(() => ResultsStore.OpenAsync(folder.Path));

        Assert.Contains(folder.DatabasePath, refusal.Message, StringComparison.Ordinal);
        Assert.Contains("not a SQLite database", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(garbage, await File.ReadAllBytesAsync(folder.DatabasePath));
    }

    [Fact]
    public async Task A_sqlite_database_of_another_program_is_refused_rather_than_migrated()
    {
        using var folder = new TemporaryFolder();
        RawDatabase.Execute(folder.DatabasePath, "CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('bread');");

        var refusal = await Assert.ThrowsAsync<ResultsStoreException>(() => ResultsStore.OpenAsync(folder.Path));

        Assert.Contains(folder.DatabasePath, refusal.Message, StringComparison.Ordinal);
        Assert.Contains("not a SweepRunner results database", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(0, RawDatabase.Scalar<int>(folder.DatabasePath, "PRAGMA user_version;"));
        Assert.Equal(1, RawDatabase.Scalar<int>(folder.DatabasePath, "SELECT count(*) FROM sqlite_schema;"));
    }

    private static IReadOnlyList<string> BackupsIn(TemporaryFolder folder) =>
        Directory.GetFiles(folder.Path, "sweeprunner.v*-backup-*.db").ToList();
}

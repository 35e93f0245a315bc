using System.Buffers.Binary;
using System.Security.Cryptography;
using SweepRunner.Store.Errors;
using SweepRunner.Core.Results;
using SweepRunner.Store.Tests.Support;

namespace SweepRunner.Store.Tests;

public sealed class ResultsStoreArtifactsTests
{
    // A safetensors file laid out by hand: the header length, the JSON header, four data bytes.
    private static readonly byte[] TensorData = [1, 2, 3, 4];

    private static byte[] SafetensorsBytes()
    {
        var header = """{"x":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}}      """u8;
        var bytes = new byte[8 + header.Length + TensorData.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes.AsSpan(8));
        TensorData.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }

    [Fact]
    public async Task Checkpoints_and_previews_are_recorded_by_relative_path_size_and_hash()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8));
        var attemptId = await store.StartAttemptAsync(new AttemptStart("job-dim8", "host", 1, "cpu"));
        var loraBytes = SafetensorsBytes();
        var loraPath = Path.Combine(folder.Path, "dims", "job-dim8", "dim8-000001.safetensors");
        Directory.CreateDirectory(Path.GetDirectoryName(loraPath)!);
        await File.WriteAllBytesAsync(loraPath, loraBytes);

        var lora = ArtifactFile.Describe(folder.Path, loraPath);
        await store.RecordCheckpointAsync(attemptId, 1, lora);
        var preview = new PreviewImage(1, 0, "a photo of sks dog", "lowres", 1234, "euler_a", 20, 7, 512, 512,
            new ArtifactFile("dims/job-dim8/previews/e1-p0.png", 2048, new string('a', 64)));
        var previewId = await store.RecordPreviewAsync(attemptId, preview);

        Assert.Equal(new ArtifactFile("dims/job-dim8/dim8-000001.safetensors", loraBytes.Length, Convert.ToHexStringLower(SHA256.HashData(loraBytes)),
            Convert.ToHexStringLower(SHA256.HashData(TensorData))), lora);
        var checkpoint = Assert.Single(await store.GetCheckpointsAsync("job-dim8"));
        Assert.Equal((attemptId, 1L, lora), (checkpoint.AttemptId, checkpoint.Epoch, checkpoint.File));
        Assert.Equal(lora.DataSha256, RawDatabase.Scalar<string>(folder.DatabasePath, "SELECT data_sha256 FROM checkpoints;"));
        var stored = Assert.Single(await store.GetPreviewsAsync("job-dim8"));
        Assert.Equal((previewId, attemptId, preview), (stored.PreviewId, stored.AttemptId, stored.Image));
    }

    [Fact]
    public async Task Recording_a_preview_again_replaces_it_under_the_same_id_so_its_scores_stay()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8));
        var first = await store.StartAttemptAsync(new AttemptStart("job-dim8", "host", 1, "cpu"));
        var preview = new PreviewImage(1, 0, "a dog", "", 1, "euler_a", 20, 7, 64, 64, new ArtifactFile("dims/job-dim8/p.png", 10, new string('b', 64)));
        var previewId = await store.RecordPreviewAsync(first, preview);
        await store.AddPreviewScoreAsync(previewId, new ScoreEntry("alice", 55, Blind: true));

        var second = await store.StartAttemptAsync(new AttemptStart("job-dim8", "host", 2, "cpu"));
        var again = await store.RecordPreviewAsync(second, preview with { File = new ArtifactFile("dims/job-dim8/p.png", 12, new string('c', 64)) });

        Assert.Equal(previewId, again);
        var stored = Assert.Single(await store.GetPreviewsAsync("job-dim8"));
        Assert.Equal((second, 12L), (stored.AttemptId, stored.Image.File.Bytes));
        Assert.Equal(previewId, Assert.Single(await store.GetLatestScoresAsync("job-dim8")).PreviewId);
    }

    [Fact]
    public async Task Recording_a_checkpoint_again_replaces_its_data_hash_and_one_without_a_data_hash_reads_back_null()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);
        await store.RegisterSweepAsync(Sweeps.DimSweep("dims", 8));
        var first = await store.StartAttemptAsync(new AttemptStart("job-dim8", "host", 1, "cpu"));
        await store.RecordCheckpointAsync(first, 1, new ArtifactFile("dims/job-dim8/a.safetensors", 10, new string('a', 64), new string('b', 64)));
        await store.RecordCheckpointAsync(first, 2, new ArtifactFile("dims/job-dim8/b.safetensors", 10, new string('a', 64)));

        var second = await store.StartAttemptAsync(new AttemptStart("job-dim8", "host", 2, "cpu"));
        var replacement = new ArtifactFile("dims/job-dim8/a.safetensors", 11, new string('c', 64), new string('D', 64));
        await store.RecordCheckpointAsync(second, 1, replacement);

        var checkpoints = await store.GetCheckpointsAsync("job-dim8");
        Assert.Equal([(second, replacement), (first, new ArtifactFile("dims/job-dim8/b.safetensors", 10, new string('a', 64)))],
            checkpoints.Select(c => (c.AttemptId, c.File)));
        Assert.Equal(new string('d', 64), checkpoints[0].File.DataSha256);
        Assert.Null(checkpoints[1].File.DataSha256);
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("../outside.png")]
    [InlineData("dims/../../outside.png")]
    [InlineData("")]
    public void Artifact_paths_must_stay_inside_the_results_folder(string path)
    {
        var refusal = Assert.Throws<ArgumentException>(() => new ArtifactFile(path, 1, new string('a', 64)));

        Assert.Contains("relative to the results folder", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describing_a_file_outside_the_results_folder_is_refused()
    {
        using var folder = new TemporaryFolder();
        using var elsewhere = new TemporaryFolder();
        var outside = Path.Combine(elsewhere.Path, "x.png");
        File.WriteAllText(outside, "x");

        var refusal = Assert.Throws<ArgumentException>(() => ArtifactFile.Describe(folder.Path, outside));

        Assert.Contains("not inside the results folder", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recording_an_artifact_of_an_unknown_attempt_fails_clearly()
    {
        using var folder = new TemporaryFolder();
        var store = await ResultsStore.OpenAsync(folder.Path);

        var refusal = await Assert.ThrowsAsync<ResultsStoreException>(() =>
            store.RecordCheckpointAsync(99, 1, new ArtifactFile("a.safetensors", 1, new string('d', 64))));

        Assert.Contains("no attempt with id 99", refusal.Message, StringComparison.Ordinal);
    }
}

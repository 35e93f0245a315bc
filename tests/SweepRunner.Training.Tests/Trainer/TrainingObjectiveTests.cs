using SweepRunner.Core.Settings;
using SweepRunner.Diffusion.Families;
using SweepRunner.Diffusion.Lora;
using SweepRunner.Diffusion.Model;
using SweepRunner.Diffusion.Schedulers;
using SweepRunner.TestSupport;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepRunner.Training.Tests.Trainer;

/// <summary>The trainer's loss comes from the model's family: timesteps, noisy latents, target and Min-SNR weight.</summary>
public class TrainingObjectiveTests
{
    /// <summary>SD 1.x, counting the objective's calls; <see cref="TargetOverride"/> replaces the target.</summary>
    sealed class RecordingFamily : IModelFamily
    {
        static readonly IModelFamily Inner = Sd1Family.Instance;

        public int TimestepCalls, NoiseCalls, TargetCalls, WeightCalls;

        public Func<Tensor, Tensor, Tensor>? TargetOverride { get; init; }

        public string Name => Inner.Name;
        public void CheckSingleFile(string path, IReadOnlyCollection<string> keys, IReadOnlyDictionary<string, string> metadata) => Inner.CheckSingleFile(path, keys, metadata);
        public void CheckDiffusersFolder(string folder) => Inner.CheckDiffusersFolder(folder);
        public (string Name, DiffusionModelConfig Config) Identify(string path, IReadOnlyDictionary<string, string> metadata, long[]? unetInputConv, long[]? tokenEmbedding, long[]? vaeInputConv) =>
            Inner.Identify(path, metadata, unetInputConv, tokenEmbedding, vaeInputConv);
        public StableDiffusionModel Load(ModelLocation location, ModelLoadOptions? options = null) => Inner.Load(location, options);
        public LoraTargets LoraTargets(LoraNetworkOptions options) => Inner.LoraTargets(options);
        public string KohyaPrefix(LoraTargets group) => Inner.KohyaPrefix(group);
        public bool IsKohyaLoraKey(string key) => Inner.IsKohyaLoraKey(key);
        public DdpmSchedule Schedule => Inner.Schedule;

        public Tensor SampleTimesteps(int batchSize, Generator? generator, Device? device)
        {
            TimestepCalls++;
            return Inner.SampleTimesteps(batchSize, generator, device);
        }

        public Tensor AddNoise(Tensor latents, Tensor noise, Tensor timesteps)
        {
            NoiseCalls++;
            return Inner.AddNoise(latents, noise, timesteps);
        }

        public Tensor Target(Tensor latents, Tensor noise, Tensor timesteps)
        {
            TargetCalls++;
            return TargetOverride?.Invoke(latents, noise) ?? Inner.Target(latents, noise, timesteps);
        }

        public Tensor MinSnrWeight(Tensor timesteps, double gamma)
        {
            WeightCalls++;
            return Inner.MinSnrWeight(timesteps, gamma);
        }
    }

    static (byte[] Lora, int Batches) Train(IModelFamily? family)
    {
        using var setup = new TinyTrainingSetup(family: family);
        var settings = setup.Settings((SettingsCatalog.MinSnrGamma, 5.0), (SettingsCatalog.NoiseOffset, 0.05));
        var result = setup.Train(settings, "run");
        return (File.ReadAllBytes(result.LoraFiles[^1].Path), (int)result.Steps);
    }

    [Fact]
    public void EveryBatchTakesItsObjectiveFromTheFamilyAndSd1GivesTheSameFileAsBefore()
    {
        var recording = new RecordingFamily();
        var (through, steps) = Train(recording);
        var (plain, _) = Train(null);

        // Batch size 2, no accumulation: one batch per step.
        Assert.Equal(steps, recording.TimestepCalls);
        Assert.Equal(steps, recording.NoiseCalls);
        Assert.Equal(steps, recording.TargetCalls);
        Assert.Equal(steps, recording.WeightCalls);
        // The same file but for what names the run (times, session id).
        using var folder = new TemporaryFolder();
        var (throughPath, plainPath) = (Path.Combine(folder.Path, "through.safetensors"), Path.Combine(folder.Path, "plain.safetensors"));
        File.WriteAllBytes(throughPath, through);
        File.WriteAllBytes(plainPath, plain);
        LoraFileComparison.AssertSameExceptTimes(plainPath, throughPath);
    }

    [Fact]
    public void AnotherFamilysTargetTrainsAnotherLora()
    {
        // A sample-prediction target (x0), as a family predicting something other than the noise would give.
        var (other, _) = Train(new RecordingFamily { TargetOverride = (latents, _) => latents.alias() });
        var (plain, _) = Train(null);

        Assert.NotEqual(plain, other);
    }
}

using SweepRunner.Core.Datasets;
using SweepRunner.Core.Previews;
using SweepRunner.Core.Settings;
using SweepRunner.Training.Data;
using SweepRunner.DemoBuilder;
using SweepRunner.Diffusion.Families;
using SweepRunner.Diffusion.Model;
using SweepRunner.Training.Optimizers;
using SweepRunner.Diffusion.Tokenizer;
using SweepRunner.Training.Trainer;
using static TorchSharp.torch;

namespace SweepRunner.TestSupport;

/// <summary>
/// A randomly initialised Tiny model, a tokenizer trained on the captions and a small generated dataset (64×64, one
/// subject) for trainer tests.
/// </summary>
public sealed class TinyTrainingSetup : IDisposable
{
    public static readonly DateTimeOffset Now = new(2024, 3, 4, 5, 6, 7, TimeSpan.Zero);

    /// <param name="family">The model's family (SD 1.x when null).</param>
    public TinyTrainingSetup(int images = 4, int repeats = 2, IModelFamily? family = null)
    {
        DatasetFolder = Path.Combine(Folder.Path, "data");
        DemoDatasetGenerator.Write(DatasetFolder, images, 64, repeats, "person", "sks", 1);
        Info = DatasetScanner.Scan(DatasetFolder);
        var vocabulary = ClipBpeTrainer.Train(Info.Folders.SelectMany(f => f.Images).Select(i => i.Caption ?? "").Append("a photo of a person"), 600);
        var tokenizerFolder = Path.Combine(Folder.Path, "tokenizer");
        vocabulary.Save(tokenizerFolder);
        manual_seed(7);
        Model = new StableDiffusionModel(DiffusionModelConfig.Tiny, family: family);
        TestWeights.Randomize(Model, 8);
        Model.SetTrainable(false);
        // Stands for the file the model was loaded from: the trainer only hashes its bytes (ss_sd_model_hash, ss_new_sd_model_hash).
        CheckpointPath = Path.Combine(Folder.Path, "tiny-random.safetensors");
        var bytes = new byte[0x100000 + 0x10000 + 100];
        new Random(5).NextBytes(bytes);
        File.WriteAllBytes(CheckpointPath, bytes);
        BaseModel = new TrainingBaseModel(Model, ClipTokenizer.FromFolder(tokenizerFolder), "tiny-random", CheckpointPath: CheckpointPath);
    }

    public TemporaryFolder Folder { get; } = new();

    public string DatasetFolder { get; }

    public DatasetInfo Info { get; }

    public StableDiffusionModel Model { get; }

    public TrainingBaseModel BaseModel { get; }

    /// <summary>The base model's checkpoint file.</summary>
    public string CheckpointPath { get; }

    public LatentCache Cache { get; } = new();

    public static IReadOnlyList<SamplePrompt> Prompts { get; } =
        SamplePromptFileParser.Parse("a photo of sks person --w 64 --h 64 --s 2 --d 5 --l 5\n", "prompts.txt").Prompts;

    public Dictionary<string, object?> Settings(params (string Key, object? Value)[] values) =>
        TestSettings.With([(SettingsCatalog.LearningRate, 1e-3), (SettingsCatalog.Epochs, 2L), (SettingsCatalog.NetworkDim, 4L),
            (SettingsCatalog.Resolution, "64,64"), (SettingsCatalog.BatchSize, 2L), .. values]);

    /// <param name="clock">What the trainer's clock reads throughout the run (it stands still); <see cref="Now"/> when null.</param>
    /// <param name="job">Changes the job before it trains (e.g. what state it continues, where it keeps its final state).</param>
    /// <param name="validationFolder">The scanned validation_data_dir, when the settings name one.</param>
    public TrainingResult Train(Dictionary<string, object?> settings, string runFolder, TrainingCallbacks? callbacks = null,
        IReadOnlyList<SamplePrompt>? prompts = null, string? resumeFrom = null, DateTimeOffset? clock = null, Func<TrainingJob, TrainingJob>? job = null,
        DatasetInfo? validationFolder = null)
    {
        var trainingJob = new TrainingJob(settings, Path.Combine(Folder.Path, runFolder), "lora", prompts ?? []) { ResumeFrom = resumeFrom };
        if (job is not null) trainingJob = job(trainingJob);
        var dataset = TrainingDataset.Load(Info, settings, validationFolder);
        var trainer = new LoraTrainer(OptimizerFactory.Create, Cache, new ManualTimeProvider(clock ?? Now)) { TimeZone = TimeZoneInfo.Utc };
        LastPhaseTimes = trainer.PhaseTimes;
        return trainer.Train(trainingJob, BaseModel, dataset, callbacks);
    }

    /// <summary>The phase times of the latest <see cref="Train"/>, also when it threw.</summary>
    public TrainingPhaseTimes? LastPhaseTimes { get; private set; }

    public string Output(string runFolder, string file) => Path.Combine(Folder.Path, runFolder, file);

    public void Dispose()
    {
        Cache.Dispose();
        Model.Dispose();
        Folder.Dispose();
    }
}

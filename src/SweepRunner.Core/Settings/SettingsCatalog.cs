namespace SweepRunner.Core.Settings;

/// <summary>
/// Every setting a sweep may name, by its sd-scripts argument name (plus num_repeats from the dataset
/// config). Defaults follow sd-scripts' train_network.py where it has one.
/// </summary>
public static class SettingsCatalog
{
    public const string BaseModel = "pretrained_model_name_or_path";
    public const string NumRepeats = "num_repeats";
    public const string Epochs = "max_train_epochs";
    public const string BatchSize = "train_batch_size";
    public const string GradientAccumulation = "gradient_accumulation_steps";
    public const string LearningRate = "learning_rate";
    public const string UnetLr = "unet_lr";
    public const string TextEncoderLr = "text_encoder_lr";
    public const string Optimizer = "optimizer_type";
    public const string OptimizerArgs = "optimizer_args";
    public const string LrScheduler = "lr_scheduler";
    public const string LrWarmupSteps = "lr_warmup_steps";
    public const string LrCycles = "lr_scheduler_num_cycles";
    public const string LrPower = "lr_scheduler_power";
    public const string NetworkDim = "network_dim";
    public const string NetworkAlpha = "network_alpha";
    public const string ConvDim = "conv_dim";
    public const string ConvAlpha = "conv_alpha";
    public const string NetworkDropout = "network_dropout";
    public const string UnetOnly = "network_train_unet_only";
    public const string ClipSkip = "clip_skip";
    public const string MixedPrecision = "mixed_precision";
    public const string SavePrecision = "save_precision";
    public const string Seed = "seed";
    public const string MaxGradNorm = "max_grad_norm";
    public const string NoiseOffset = "noise_offset";
    public const string MinSnrGamma = "min_snr_gamma";
    public const string Resolution = "resolution";
    public const string EnableBucket = "enable_bucket";
    public const string MinBucketReso = "min_bucket_reso";
    public const string MaxBucketReso = "max_bucket_reso";
    public const string BucketResoSteps = "bucket_reso_steps";
    public const string FlipAug = "flip_aug";
    public const string ShuffleCaption = "shuffle_caption";
    public const string KeepTokens = "keep_tokens";
    public const string CaptionExtension = "caption_extension";
    public const string SaveEveryNEpochs = "save_every_n_epochs";
    public const string SampleEveryNEpochs = "sample_every_n_epochs";
    public const string SampleAtFirst = "sample_at_first";
    public const string SamplePrompts = "sample_prompts";
    public const string SampleSampler = "sample_sampler";
    public const string ValidationSplit = "validation_split";
    public const string ValidationDataDir = "validation_data_dir";
    public const string ValidateEveryNEpochs = "validate_every_n_epochs";
    public const string ValidationSeed = "validation_seed";
    public const string OutputName = "output_name";
    public const string MaxJobMinutes = "max_job_minutes";

    /// <summary>The optimizer_type choices: every name and alias in <see cref="OptimizerRegistry"/>.</summary>
    public static readonly IReadOnlyList<string> Optimizers = OptimizerRegistry.Spellings;

    public static readonly IReadOnlyList<string> Schedulers =
        ["constant", "constant_with_warmup", "cosine", "cosine_with_restarts", "linear", "polynomial"];

    /// <summary>The values of sample_sampler: the samplers SweepRunner implements, by their sd-scripts names.</summary>
    public static readonly IReadOnlyList<string> Samplers = Previews.SamplerNames.SdScripts;

    public static readonly IReadOnlyList<SettingDefinition> All =
    [
        new(BaseModel, SettingType.Text, "demo", "base model: a .safetensors checkpoint, a diffusers folder, or 'demo' for the bundled demo model"),
        new(NumRepeats, SettingType.Integer, null, "repeats per image; unset = the <repeats>_ prefix of each dataset folder", 1, 100_000),
        new(Epochs, SettingType.Integer, 10L, "training epochs", 1, 100_000),
        new(BatchSize, SettingType.Integer, 1L, "images per batch", 1, 1024),
        new(GradientAccumulation, SettingType.Integer, 1L, "batches per optimizer step", 1, 1024),
        new(LearningRate, SettingType.Number, 1e-4, "learning rate (a multiplier around 1.0 for DAdaptAdam and Prodigy)", 0, 100, LogScale: true),
        new(UnetLr, SettingType.Number, null, "UNet learning rate; unset = learning_rate", 0, 100, LogScale: true),
        new(TextEncoderLr, SettingType.Number, null, "text encoder learning rate; unset = learning_rate", 0, 100, LogScale: true),
        new(Optimizer, SettingType.Choice, "AdamW", "optimizer", Choices: Optimizers),
        new(OptimizerArgs, SettingType.Text, "", "optimizer arguments as key=value pairs separated by spaces, e.g. 'relative_step=False weight_decay=0.01'"),
        new(LrScheduler, SettingType.Choice, "constant", "learning rate schedule", Choices: Schedulers),
        new(LrWarmupSteps, SettingType.Integer, 0L, "warmup steps of the learning rate schedule", 0, 10_000_000),
        new(LrCycles, SettingType.Integer, 1L, "cycles of cosine_with_restarts", 1, 10_000),
        new(LrPower, SettingType.Number, 1.0, "power of the polynomial schedule", 0, 100),
        new(NetworkDim, SettingType.Integer, 4L, "LoRA rank", 1, 4096, LogScale: true),
        new(NetworkAlpha, SettingType.Number, 1.0, "LoRA alpha; scale = alpha / dim; 0 means alpha = dim", 0, 100_000, LogScale: true),
        new(ConvDim, SettingType.Integer, null, "rank of the optional conv LoRA on resnet 3x3 convs; unset = none", 1, 4096, LogScale: true),
        new(ConvAlpha, SettingType.Number, null, "alpha of the conv LoRA; unset = 1", 0, 100_000, LogScale: true),
        new(NetworkDropout, SettingType.Number, null, "dropout on the LoRA down projection output", 0, 1),
        new(UnetOnly, SettingType.Boolean, false, "train the UNet LoRA only, not the text encoder's"),
        new(ClipSkip, SettingType.Integer, 1L, "use the text encoder's N-th layer from the end (1 = last)", 1, 12),
        new(MixedPrecision, SettingType.Choice, "no", "mixed precision", Choices: ["no", "fp16", "bf16"]),
        new(SavePrecision, SettingType.Choice, "fp16", "precision of saved LoRA files", Choices: ["float", "fp16", "bf16"]),
        new(Seed, SettingType.Integer, 42L, "random seed", 0, uint.MaxValue),
        new(MaxGradNorm, SettingType.Number, 1.0, "gradient clipping norm; 0 = off", 0, 1e6),
        new(NoiseOffset, SettingType.Number, 0.0, "noise offset", 0, 10),
        new(MinSnrGamma, SettingType.Number, null, "min-SNR loss weighting gamma; unset = off", 0, 1000),
        new(Resolution, SettingType.Resolution, "512,512", "training resolution 'W,H' or 'S'"),
        new(EnableBucket, SettingType.Boolean, false, "aspect-ratio buckets"),
        new(MinBucketReso, SettingType.Integer, 256L, "smallest bucket side", 64, 8192),
        new(MaxBucketReso, SettingType.Integer, 1024L, "largest bucket side", 64, 8192),
        new(BucketResoSteps, SettingType.Integer, 64L, "bucket side step", 8, 1024),
        new(FlipAug, SettingType.Boolean, false, "random horizontal flips"),
        new(ShuffleCaption, SettingType.Boolean, false, "shuffle comma-separated caption tags"),
        new(KeepTokens, SettingType.Integer, 0L, "leading caption tags kept in place when shuffling", 0, 75),
        new(CaptionExtension, SettingType.Text, ".txt", "caption file extension"),
        new(SaveEveryNEpochs, SettingType.Integer, null, "save a LoRA file every N epochs; unset = final only", 1, 100_000),
        new(SampleEveryNEpochs, SettingType.Integer, null, "render previews every N epochs; unset = none", 1, 100_000),
        new(SampleAtFirst, SettingType.Boolean, false, "also render previews before training"),
        new(SamplePrompts, SettingType.Text, null, "preview prompt file (kohya format), relative to the sweep file"),
        new(SampleSampler, SettingType.Choice, "ddim", "preview sampler", Choices: Samplers),
        new(ValidationSplit, SettingType.Number, 0.0, "fraction of each dataset folder's images held out for the validation loss (chosen by validation_seed); 0 = none", 0, 0.9),
        new(ValidationDataDir, SettingType.Text, null, "dataset folder (kohya layout) whose images are the validation set, relative to the sweep file; unset = none"),
        new(ValidateEveryNEpochs, SettingType.Integer, null, "compute the validation loss every N epochs (and after the last); unset = every epoch", 1, 100_000),
        new(ValidationSeed, SettingType.Integer, null, "seed of the held-out images and of the validation noise; unset = the sweep base's seed, the same for every job", 0, uint.MaxValue),
        new(OutputName, SettingType.Text, null, "LoRA file name; unset = the job label", AffectsTraining: false),
        new(MaxJobMinutes, SettingType.Number, null, "time limit of one job; unset = none", 0, 1e7, AffectsTraining: false),
    ];

    static readonly Dictionary<string, SettingDefinition> ByKey = All.ToDictionary(d => d.Key, StringComparer.Ordinal);

    public static bool TryGet(string key, out SettingDefinition definition) => ByKey.TryGetValue(key, out definition!);

    public static SettingDefinition Get(string key) =>
        ByKey.TryGetValue(key, out var d) ? d : throw new KeyNotFoundException($"unknown setting '{key}'");

    public static IEnumerable<string> Keys => ByKey.Keys;
}

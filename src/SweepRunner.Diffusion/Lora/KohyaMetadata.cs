using System.Globalization;
using SweepRunner.Core.Settings;
using static SweepRunner.Core.Settings.SettingsCatalog;

namespace SweepRunner.Diffusion.Lora;

/// <summary>One dataset folder as ss_dataset_dirs describes it.</summary>
public sealed record DatasetDirInfo(string Name, int Repeats, int ImageCount);

/// <summary>What a training run knows that goes into every LoRA file's metadata.</summary>
/// <param name="Settings">The job's effective settings (sd-scripts names).</param>
/// <param name="Network">The network's shape.</param>
/// <param name="OutputName">output_name: also the modelspec title.</param>
/// <param name="BaseModelName">The base model's file (or diffusers folder) name, extension included (ss_sd_model_name).</param>
/// <param name="NumEpochs">Epochs of the run.</param>
/// <param name="MaxTrainSteps">Optimizer steps of the run.</param>
/// <param name="BatchesPerEpoch">Batches per epoch (ss_num_batches_per_epoch).</param>
/// <param name="NumTrainImages">Images × repeats.</param>
/// <param name="OptimizerName">The optimizer as ss_optimizer names it, arguments included.</param>
/// <param name="TrainingStartedAt">When training started.</param>
/// <param name="DatasetDirs">The dataset folders.</param>
/// <param name="TagFrequency">Per folder: caption tag → count, as sd-scripts' tag_frequency.</param>
public sealed record KohyaMetadataInput(
    IReadOnlyDictionary<string, object?> Settings,
    LoraNetworkOptions Network,
    string OutputName,
    string BaseModelName,
    int NumEpochs,
    long MaxTrainSteps,
    long BatchesPerEpoch,
    long NumTrainImages,
    string OptimizerName,
    DateTimeOffset TrainingStartedAt,
    IReadOnlyList<DatasetDirInfo> DatasetDirs,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> TagFrequency)
{
    /// <summary>ss_session_id: a random number in [0, 2^32] drawn once per training run, naming which run the epochs' files came from.</summary>
    public long SessionId { get; init; }

    /// <summary>ss_sd_model_hash and ss_new_sd_model_hash; null leaves them out, as sd-scripts does for a model that is not on disk.</summary>
    public BaseModelHashes? BaseModelHashes { get; init; }

    /// <summary>ss_bucket_info (<see cref="KohyaBucketInfo"/>).</summary>
    public string BucketInfo { get; init; } = KohyaBucketInfo.None;

    /// <summary>A new ss_session_id, as sd-scripts draws it (random.randint(0, 2**32)).</summary>
    public static long NewSessionId() => Random.Shared.NextInt64(0, (1L << 32) + 1);
}

/// <summary>
/// The <c>__metadata__</c> of a LoRA file as sd-scripts' train_network.py writes it (ss_* values are Python str()
/// of the arguments, JSON values use json.dumps) plus the ModelSpec keys of library/sai_model_spec.py for an SD1 LoRA.
/// </summary>
public static class KohyaMetadata
{
    public const string NetworkModule = "networks.lora";
    public const string BaseModelVersion = "sd_v1";
    public const string ModelSpecVersion = "1.0.0";
    public const string Architecture = "stable-diffusion-v1/lora";

    /// <summary>sd-scripts writes "diffusers" for SD1/SD2 LoRAs (the Stability URL only for checkpoints, TI and SDXL LoRAs).</summary>
    public const string Implementation = "diffusers";

    /// <summary>
    /// modelspec.implementation_version: sd-scripts writes "sd-scripts/&lt;its git commit&gt;"; this writes "sweeprunner/"
    /// and its own version, which carries the commit it was built from.
    /// </summary>
    public static string ImplementationVersion { get; } = "sweeprunner/" + (typeof(KohyaMetadata).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
        .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "unknown");

    /// <summary>The prefix of the keys sd-scripts keeps when it computes sshs_legacy_hash.</summary>
    const string TrainingKeyPrefix = "ss_";

    /// <summary>The metadata of the file saved after <paramref name="epoch"/> and <paramref name="steps"/> steps.</summary>
    public static Dictionary<string, string> Build(
        KohyaMetadataInput input, int epoch, long steps, DateTimeOffset finishedAt, string modelHash, TimeZoneInfo? timeZone = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var s = input.Settings;
        object? Get(string key) => s.GetValueOrDefault(key) ?? (SettingsCatalog.TryGet(key, out var d) ? d.Default : null);
        var (width, height) = SettingDefinition.ParseResolution((string)(Get(Resolution) ?? "512,512"));
        var batch = Convert.ToInt64(Get(BatchSize), CultureInfo.InvariantCulture);
        var accumulation = Convert.ToInt64(Get(GradientAccumulation), CultureInfo.InvariantCulture);

        var m = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ss_session_id"] = input.SessionId.ToString(CultureInfo.InvariantCulture),
            ["ss_training_started_at"] = PythonText.Float(UnixSeconds(input.TrainingStartedAt)),
            ["ss_output_name"] = input.OutputName,
            ["ss_learning_rate"] = PythonText.Str(Get(LearningRate)),
            ["ss_text_encoder_lr"] = PythonText.Str(s.GetValueOrDefault(TextEncoderLr)),
            ["ss_unet_lr"] = PythonText.Str(s.GetValueOrDefault(UnetLr)),
            ["ss_num_train_images"] = input.NumTrainImages.ToString(CultureInfo.InvariantCulture),
            ["ss_num_reg_images"] = "0",
            ["ss_num_batches_per_epoch"] = input.BatchesPerEpoch.ToString(CultureInfo.InvariantCulture),
            ["ss_num_epochs"] = input.NumEpochs.ToString(CultureInfo.InvariantCulture),
            ["ss_gradient_checkpointing"] = "False",
            ["ss_gradient_accumulation_steps"] = accumulation.ToString(CultureInfo.InvariantCulture),
            ["ss_max_train_steps"] = input.MaxTrainSteps.ToString(CultureInfo.InvariantCulture),
            ["ss_lr_warmup_steps"] = PythonText.Str(Get(LrWarmupSteps)),
            ["ss_lr_scheduler"] = PythonText.Str(Get(LrScheduler)),
            ["ss_network_module"] = NetworkModule,
            ["ss_network_dim"] = input.Network.Dim.ToString(CultureInfo.InvariantCulture),
            ["ss_network_alpha"] = PythonText.Float(input.Network.Alpha),
            ["ss_network_dropout"] = PythonText.Str(input.Network.Dropout),
            ["ss_mixed_precision"] = PythonText.Str(Get(MixedPrecision)),
            ["ss_full_fp16"] = "False",
            ["ss_v2"] = "False",
            ["ss_base_model_version"] = BaseModelVersion,
            ["ss_clip_skip"] = PythonText.Str(Get(ClipSkip)),
            ["ss_max_token_length"] = "None",
            ["ss_cache_latents"] = "True",
            ["ss_seed"] = PythonText.Str(Get(Seed)),
            ["ss_noise_offset"] = PythonText.Str(Get(SettingsCatalog.NoiseOffset)),
            ["ss_optimizer"] = input.OptimizerName,
            ["ss_max_grad_norm"] = PythonText.Str(Get(MaxGradNorm)),
            ["ss_min_snr_gamma"] = PythonText.Str(s.GetValueOrDefault(MinSnrGamma)),
            ["ss_batch_size_per_device"] = batch.ToString(CultureInfo.InvariantCulture),
            ["ss_total_batch_size"] = (batch * accumulation).ToString(CultureInfo.InvariantCulture),
            ["ss_resolution"] = $"({width}, {height})",
            ["ss_color_aug"] = "False",
            ["ss_flip_aug"] = PythonText.Str(Get(FlipAug) is true),
            ["ss_random_crop"] = "False",
            ["ss_shuffle_caption"] = PythonText.Str(Get(ShuffleCaption) is true),
            ["ss_enable_bucket"] = PythonText.Str(Get(EnableBucket) is true),
            ["ss_bucket_no_upscale"] = "False",
            ["ss_min_bucket_reso"] = PythonText.Str(Get(MinBucketReso)),
            ["ss_max_bucket_reso"] = PythonText.Str(Get(MaxBucketReso)),
            ["ss_keep_tokens"] = PythonText.Str(Get(KeepTokens)),
            ["ss_dataset_dirs"] = PythonText.JsonObject(input.DatasetDirs.Select(d => new KeyValuePair<string, string>(
                d.Name, $"{{\"n_repeats\": {d.Repeats}, \"img_count\": {d.ImageCount}}}"))),
            ["ss_reg_dataset_dirs"] = "{}",
            ["ss_tag_frequency"] = PythonText.JsonObject(input.TagFrequency.Select(folder => new KeyValuePair<string, string>(
                folder.Key, PythonText.JsonObject(folder.Value.Select(t => new KeyValuePair<string, string>(t.Key, t.Value.ToString(CultureInfo.InvariantCulture))))))),
            ["ss_bucket_info"] = input.BucketInfo,
            ["ss_sd_model_name"] = input.BaseModelName,
            ["ss_training_finished_at"] = PythonText.Float(UnixSeconds(finishedAt)),
            ["ss_steps"] = steps.ToString(CultureInfo.InvariantCulture),
            ["ss_epoch"] = epoch.ToString(CultureInfo.InvariantCulture),
            ["sshs_model_hash"] = modelHash,
        };
        if (input.BaseModelHashes is { } hashes)
        {
            m["ss_sd_model_hash"] = hashes.Legacy;
            m["ss_new_sd_model_hash"] = hashes.Sha256;
        }
        if (input.Network.NetworkArgs.Count > 0)
            m["ss_network_args"] = PythonText.JsonObject(input.Network.NetworkArgs.Select(p => new KeyValuePair<string, string>(p.Key, PythonText.JsonString(p.Value))));

        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(input.TrainingStartedAt.ToUnixTimeSeconds()), timeZone ?? TimeZoneInfo.Local);
        m["modelspec.sai_model_spec"] = ModelSpecVersion;
        m["modelspec.architecture"] = Architecture;
        m["modelspec.implementation"] = Implementation;
        m["modelspec.title"] = input.OutputName;
        m["modelspec.resolution"] = $"{width}x{height}";
        m["modelspec.date"] = local.DateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        m["modelspec.prediction_type"] = "epsilon";
        m["modelspec.implementation_version"] = ImplementationVersion;
        // sd-scripts writes the layer when clip_skip is given; SweepRunner's default 1 stands for not given.
        if (Convert.ToInt64(Get(ClipSkip), CultureInfo.InvariantCulture) > 1)
            m["modelspec.encoder_layer"] = PythonText.Str(Get(ClipSkip));
        return m;
    }

    /// <summary>
    /// What sd-scripts hashes for sshs_legacy_hash: the file's tensors with only the ss_* keys of its metadata
    /// (library/train_util.py precalculate_safetensors_hashes), so later edits of other keys do not change it.
    /// </summary>
    public static IReadOnlyDictionary<string, string> LegacyHashMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return metadata.Where(p => p.Key.StartsWith(TrainingKeyPrefix, StringComparison.Ordinal)).ToDictionary(StringComparer.Ordinal);
    }

    /// <summary>sd-scripts' tag frequency of captions: comma-separated tags, trimmed, lower-cased, counted.</summary>
    public static IReadOnlyDictionary<string, int> TagFrequency(IEnumerable<string> captions)
    {
        var frequency = new Dictionary<string, int>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var caption in captions)
        foreach (var raw in caption.Split(','))
        {
            var tag = raw.Trim().ToLowerInvariant();
            if (tag.Length == 0) continue;
            if (!frequency.TryGetValue(tag, out var count)) order.Add(tag);
            frequency[tag] = count + 1;
        }
        var ordered = new OrderedTagCounts();
        foreach (var tag in order) ordered.Add(tag, frequency[tag]);
        return ordered;
    }

    static double UnixSeconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>A dictionary that enumerates in insertion order, as Python dicts do.</summary>
    sealed class OrderedTagCounts : IReadOnlyDictionary<string, int>
    {
        readonly List<KeyValuePair<string, int>> _items = [];
        readonly Dictionary<string, int> _lookup = new(StringComparer.Ordinal);

        public void Add(string key, int value)
        {
            _items.Add(new(key, value));
            _lookup.Add(key, value);
        }

        public int this[string key] => _lookup[key];
        public IEnumerable<string> Keys => _items.Select(i => i.Key);
        public IEnumerable<int> Values => _items.Select(i => i.Value);
        public int Count => _items.Count;
        public bool ContainsKey(string key) => _lookup.ContainsKey(key);
        public bool TryGetValue(string key, out int value) => _lookup.TryGetValue(key, out value);
        public IEnumerator<KeyValuePair<string, int>> GetEnumerator() => _items.GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

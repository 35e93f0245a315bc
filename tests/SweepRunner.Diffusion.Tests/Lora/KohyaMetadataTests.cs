using SweepRunner.Core.Settings;
using SweepRunner.Diffusion.Lora;
using SweepRunner.TestSupport;

namespace SweepRunner.Diffusion.Tests.Lora;

public class KohyaMetadataTests
{
    [Theory]
    [InlineData(0.0001, "0.0001")]
    [InlineData(1e-5, "1e-05")]
    [InlineData(3e-5, "3e-05")]
    [InlineData(1.0, "1.0")]
    [InlineData(128.0, "128.0")]
    [InlineData(0.5, "0.5")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1234567.25, "1234567.25")]
    [InlineData(-2.5e-7, "-2.5e-07")]
    [InlineData(1700000000.125, "1700000000.125")]
    public void FloatsAreWrittenAsPythonStrWritesThem(double value, string expected) =>
        Assert.Equal(expected, PythonText.Float(value));

    [Fact]
    public void MetadataHasKohyasKeysAndValues()
    {
        var settings = TestSettings.With(
            (SettingsCatalog.LearningRate, 1e-4), (SettingsCatalog.UnetLr, 1e-4), (SettingsCatalog.NetworkDim, 32L),
            (SettingsCatalog.NetworkAlpha, 16.0), (SettingsCatalog.ConvDim, 8L), (SettingsCatalog.ClipSkip, 2L),
            (SettingsCatalog.MixedPrecision, "fp16"), (SettingsCatalog.Seed, 1234L), (SettingsCatalog.Epochs, 20L));
        var started = new DateTimeOffset(2024, 5, 6, 7, 8, 9, 500, TimeSpan.Zero);
        var input = new KohyaMetadataInput(
            settings, LoraNetworkOptions.FromSettings(settings), "mylora", "v1-5-pruned-emaonly.safetensors", 20, 9000, 450, 450,
            "torch.optim.adamw.AdamW", started,
            [new DatasetDirInfo("15_person", 15, 30)],
            new Dictionary<string, IReadOnlyDictionary<string, int>>
            {
                ["15_person"] = KohyaMetadata.TagFrequency(["a photo of sks person, Blue background", "a photo of sks person,  blue background"]),
            })
        {
            SessionId = 4294967296,
            BaseModelHashes = new BaseModelHashes("6ce0161689", "6ce0161689b3853acaa03779ec93eafe75a02f4ced659bee03f50797806fa2fa"),
            BucketInfo = "{\"buckets\": {}, \"mean_img_ar_error\": 0}",
        };

        var m = KohyaMetadata.Build(input, 3, 1350, started.AddSeconds(60), "abc123", TimeZoneInfo.Utc);

        Assert.Equal("networks.lora", m["ss_network_module"]);
        Assert.Equal("32", m["ss_network_dim"]);
        Assert.Equal("16.0", m["ss_network_alpha"]);
        Assert.Equal("{\"conv_dim\": \"8\", \"conv_alpha\": \"1\"}", m["ss_network_args"]);
        Assert.Equal("0.0001", m["ss_learning_rate"]);
        Assert.Equal("0.0001", m["ss_unet_lr"]);
        Assert.Equal("None", m["ss_text_encoder_lr"]);
        Assert.Equal("torch.optim.adamw.AdamW", m["ss_optimizer"]);
        Assert.Equal("constant", m["ss_lr_scheduler"]);
        Assert.Equal("20", m["ss_num_epochs"]);
        Assert.Equal("3", m["ss_epoch"]);
        Assert.Equal("1350", m["ss_steps"]);
        Assert.Equal("9000", m["ss_max_train_steps"]);
        Assert.Equal("1", m["ss_batch_size_per_device"]);
        Assert.Equal("450", m["ss_num_train_images"]);
        Assert.Equal("2", m["ss_clip_skip"]);
        Assert.Equal("fp16", m["ss_mixed_precision"]);
        Assert.Equal("1234", m["ss_seed"]);
        Assert.Equal("v1-5-pruned-emaonly.safetensors", m["ss_sd_model_name"]);
        Assert.Equal("(512, 512)", m["ss_resolution"]);
        Assert.Equal("sd_v1", m["ss_base_model_version"]);
        Assert.Equal("1714979289.5", m["ss_training_started_at"]);
        Assert.Equal("1714979349.5", m["ss_training_finished_at"]);
        Assert.Equal("{\"15_person\": {\"n_repeats\": 15, \"img_count\": 30}}", m["ss_dataset_dirs"]);
        Assert.Equal("{\"15_person\": {\"a photo of sks person\": 2, \"blue background\": 2}}", m["ss_tag_frequency"]);
        Assert.Equal("abc123", m["sshs_model_hash"]);
        Assert.Equal("1.0.0", m["modelspec.sai_model_spec"]);
        Assert.Equal("stable-diffusion-v1/lora", m["modelspec.architecture"]);
        Assert.Equal("diffusers", m["modelspec.implementation"]);
        Assert.Equal("mylora", m["modelspec.title"]);
        Assert.Equal("512x512", m["modelspec.resolution"]);
        Assert.Equal("2024-05-06T07:08:09", m["modelspec.date"]);
        Assert.Equal("epsilon", m["modelspec.prediction_type"]);
        Assert.Equal("2", m["modelspec.encoder_layer"]);
        Assert.Equal("4294967296", m["ss_session_id"]);
        Assert.Equal("6ce0161689", m["ss_sd_model_hash"]);
        Assert.Equal("6ce0161689b3853acaa03779ec93eafe75a02f4ced659bee03f50797806fa2fa", m["ss_new_sd_model_hash"]);
        Assert.Equal("{\"buckets\": {}, \"mean_img_ar_error\": 0}", m["ss_bucket_info"]);
        Assert.StartsWith("sweeprunner/", m["modelspec.implementation_version"]);
        Assert.True(m["modelspec.implementation_version"].Length > "sweeprunner/".Length);
    }

    [Fact]
    public void WithoutClipSkipOrBucketsOrAModelFileThoseKeysAreLeftOutAsSdScriptsLeavesThem()
    {
        var settings = TestSettings.With();
        var input = new KohyaMetadataInput(settings, LoraNetworkOptions.FromSettings(settings), "x", "demo", 1, 1, 1, 1, "AdamW",
            DateTimeOffset.UnixEpoch, [], new Dictionary<string, IReadOnlyDictionary<string, int>>());
        var m = KohyaMetadata.Build(input, 1, 1, DateTimeOffset.UnixEpoch, "h", TimeZoneInfo.Utc);
        Assert.DoesNotContain("modelspec.encoder_layer", m.Keys);
        Assert.DoesNotContain("ss_sd_model_hash", m.Keys);
        Assert.DoesNotContain("ss_new_sd_model_hash", m.Keys);
        Assert.Equal("null", m["ss_bucket_info"]);
    }

    [Fact]
    public void SessionIdsAreDrawnFromZeroToTwoToThe32()
    {
        var ids = Enumerable.Range(0, 200).Select(_ => KohyaMetadataInput.NewSessionId()).ToList();
        Assert.All(ids, id => Assert.InRange(id, 0, 1L << 32));
        Assert.True(ids.Distinct().Count() > 190);
    }

    [Fact]
    public void BucketInfoListsTheNonEmptyBucketsByIndexAndTheMeanAspectError()
    {
        var json = KohyaBucketInfo.Json(
            [new BucketCount(0, 320, 704, 0), new BucketCount(3, 512, 512, 20), new BucketCount(5, 576, 448, 4)], [0.0, -0.25, 0.5]);
        Assert.Equal(
            "{\"buckets\": {\"3\": {\"resolution\": [512, 512], \"count\": 20}, \"5\": {\"resolution\": [576, 448], \"count\": 4}}, \"mean_img_ar_error\": 0.25}",
            json);
        Assert.Equal("{\"buckets\": {}, \"mean_img_ar_error\": 0}", KohyaBucketInfo.Json([], []));
    }

    [Fact]
    public void TheMeanAspectErrorIsSummedAsNumPySumsSoItsLastDigitsAgree()
    {
        // np.sum([0.1] * 10) is 1.0 (pairwise: eight partial sums, then the rest) where a left-to-right loop gives
        // 0.9999999999999999, so np.mean gives 0.1 and the loop 0.09999999999999999.
        var tenths = Enumerable.Repeat(0.1, 10).ToList();
        Assert.EndsWith("\"mean_img_ar_error\": 0.1}", KohyaBucketInfo.Json([], tenths));
    }

    [Fact]
    public void TheLegacyHashKeepsOnlyTheTrainingKeys()
    {
        var kept = KohyaMetadata.LegacyHashMetadata(new Dictionary<string, string>
        {
            ["ss_epoch"] = "1", ["modelspec.title"] = "x", ["sweeprunner_job_id"] = "j", ["sshs_model_hash"] = "h",
        });
        Assert.Equal(["ss_epoch"], kept.Keys);
    }

    [Fact]
    public void WithoutConvDimThereAreNoNetworkArgs()
    {
        var settings = TestSettings.With();
        var input = new KohyaMetadataInput(settings, LoraNetworkOptions.FromSettings(settings), "x", "demo", 1, 1, 1, 1, "AdamW",
            DateTimeOffset.UnixEpoch, [], new Dictionary<string, IReadOnlyDictionary<string, int>>());
        var m = KohyaMetadata.Build(input, 1, 1, DateTimeOffset.UnixEpoch, "h", TimeZoneInfo.Utc);
        Assert.DoesNotContain("ss_network_args", m.Keys);
        Assert.Equal("4", m["ss_network_dim"]);
        Assert.Equal("1.0", m["ss_network_alpha"]);
        Assert.Equal("{}", m["ss_dataset_dirs"]);
    }
}

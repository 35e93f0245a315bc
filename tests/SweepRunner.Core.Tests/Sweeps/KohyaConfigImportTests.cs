using SweepRunner.Core.Planning;
using SweepRunner.Core.Running;
using SweepRunner.Core.Sweeps;
using SweepRunner.Core.Tests.Support;

namespace SweepRunner.Core.Tests.Sweeps;

public class KohyaConfigImportTests : IDisposable
{
    readonly TempSweep _temp = new TempSweep().AddFolder("15_person", 4);

    public void Dispose() => _temp.Dispose();

    const string GuiConfig = """
        {
          "LoRA_type": "Standard", "bucket_reso_steps": 64.0, "cache_latents": true, "caption_extension": ".txt",
          "clip_skip": 2, "color_aug": false, "conv_alpha": 1, "conv_dim": 1, "enable_bucket": false, "epoch": 6,
          "flip_aug": false, "gradient_accumulation_steps": 1.0, "keep_tokens": "0", "learning_rate": "0.0001",
          "lr_scheduler": "cosine", "lr_scheduler_num_cycles": "", "lr_warmup": "10", "max_resolution": "512,640",
          "max_train_epochs": "", "mixed_precision": "bf16", "network_alpha": 64, "network_dim": 64,
          "noise_offset": "0.05", "optimizer": "AdamW8bit", "optimizer_args": "", "prior_loss_weight": 1.0,
          "save_every_n_epochs": 1, "save_precision": "bf16", "seed": "1234", "text_encoder_lr": "5e-05",
          "train_batch_size": 3, "unet_lr": "0.0001", "v_parameterization": false, "scale_weight_norms": 1, "xformers": true,
          "random_crop": true, "output_dir": "/somewhere"
        }
        """;

    [Fact]
    public void GuiFieldsMapToSdScriptsNamesAndUnsupportedOnesAreReported()
    {
        _temp.Write("gui.json", GuiConfig);
        var sweep = SweepFileParser.Load(_temp.Write("s.yaml", "name: k\ndataset: data\nbase:\n  from: gui.json\n  network_dim: 32\nlist:\n  - { label: a }\n"));
        Assert.Equal(6L, sweep.Base["max_train_epochs"]);
        Assert.Equal("AdamW8bit", sweep.Base["optimizer_type"]);
        Assert.Equal("512,640", sweep.Base["resolution"]);
        Assert.Equal(0.05, sweep.Base["noise_offset"]);
        Assert.Equal(2L, sweep.Base["clip_skip"]);
        Assert.Equal(32L, sweep.Base["network_dim"]);
        Assert.False(sweep.Base.ContainsKey("conv_dim"));
        Assert.Contains(sweep.ImportNotes, n => n.Contains("lr_warmup") && n.Contains("lr_warmup_steps"));
        Assert.Contains(sweep.ImportNotes, n => n.Contains("'scale_weight_norms' = 1"));
        Assert.Contains(sweep.ImportNotes, n => n.Contains("'random_crop'"));
        Assert.DoesNotContain(sweep.ImportNotes, n => n.Contains("xformers") || n.Contains("output_dir") || n.Contains("prior_loss_weight") || n.Contains("color_aug"));

        var plan = new Planner().Plan(sweep);
        Assert.Contains(plan.Warnings, w => w.Contains("scale_weight_norms"));
        Assert.Equal(4 * 15 / 3 * 6, plan.Jobs[0].Steps.TotalSteps);
    }

    [Fact]
    public void SweepBaseOverridesTheImportAndBlocksOverrideTheBase()
    {
        _temp.Write("gui.json", """{ "learning_rate": "0.0005", "optimizer": "Lion", "epoch": 2 }""");
        var sweep = SweepFileParser.Load(_temp.Write("s.yaml", "name: k\ndataset: data\nbase:\n  from: gui.json\n  learning_rate: 1e-4\nlist:\n  - { label: a, max_train_epochs: 3 }\n"));
        var job = new Planner().Plan(sweep).Jobs[0];
        Assert.Equal(1e-4, job.Settings["learning_rate"]);
        Assert.Equal("Lion", job.Settings["optimizer_type"]);
        Assert.Equal(3L, job.Settings["max_train_epochs"]);
    }

    [Fact]
    public void BadImportValuesAndMissingFilesAreErrors()
    {
        _temp.Write("gui.json", """{ "train_batch_size": "lots" }""");
        var errors = Assert.Throws<SweepValidationException>(() =>
            SweepFileParser.Load(_temp.Write("s.yaml", "name: k\ndataset: data\nbase: { from: gui.json }\nlist:\n  - { label: a }\n"))).Errors;
        Assert.Contains("gui.json: field for 'train_batch_size'", Assert.Single(errors).Problem);

        var missing = Assert.Throws<SweepValidationException>(() =>
            SweepFileParser.Load(_temp.Write("m.yaml", "name: k\ndataset: data\nbase: { from: none.json }\nlist:\n  - { label: a }\n"))).Errors;
        Assert.Contains("not found", Assert.Single(missing).Problem);
    }

    [Fact]
    public void ADuplicateKeyKeepsTheLastValueAsPythonsJsonDoes()
    {
        File.WriteAllText(_temp.Path("dup.json"), """{"epoch": 2, "epoch": 3, "learning_rate": 0.0001}""");
        var imported = KohyaConfigImport.Load(_temp.Path("dup.json"));

        Assert.Equal(3L, Convert.ToInt64(imported.Settings["max_train_epochs"], System.Globalization.CultureInfo.InvariantCulture));
    }

    SweepDefinition LoadWith(string config, string sweepYaml)
    {
        _temp.Write("gui.json", config);
        return SweepFileParser.Load(_temp.Write("s.yaml", sweepYaml));
    }

    static string Problem(Action load) => Assert.Single(Assert.Throws<SweepValidationException>(load).Errors).ToString();

    [Fact]
    public void AFullGuiConfigLeftAtTheGuiDefaultsImportsWithoutWarnings()
    {
        var sweep = LoadWith(KohyaGuiConfigFixture.Sd15StandardLora, "name: k\nbase:\n  from: gui.json\n  sample_every_n_epochs: 2\nlist:\n  - { label: a }\n");
        var plan = new Planner().Plan(sweep);

        Assert.Empty(plan.Warnings);
        Assert.Equal("data", sweep.DatasetPath);
        Assert.Equal(4 * 15 / 2 * 4, plan.Jobs[0].Steps.TotalSteps);
        var settings = plan.Jobs[0].Settings;
        Assert.Equal(4L, settings["max_train_epochs"]);
        Assert.Equal("sks-person", settings["output_name"]);
        Assert.Equal(1L, settings["save_every_n_epochs"]);
        Assert.Equal(0.0, settings["noise_offset"]);
        var prompts = Assert.Single(JobSpecs.From(plan, plan.Jobs)).PreviewPrompts();
        Assert.Equal(["a photo of sks person, portrait", "sks person on a beach"], prompts.Select(p => p.Prompt));
        Assert.Equal("blurry, lowres", prompts[0].NegativePrompt);
        Assert.Equal(768, prompts[1].Height);
    }

    [Theory]
    [InlineData("\"max_timestep\": 1000", "\"max_timestep\": 900", "'max_timestep' = 900")]
    [InlineData("\"num_processes\": 1", "\"num_processes\": 2", null)]
    [InlineData("\"multires_noise_iterations\": 0", "\"multires_noise_iterations\": 6", null)]
    [InlineData("\"noise_offset_type\": \"Original\"", "\"noise_offset_type\": \"Multires\"", "'noise_offset_type' = 'Multires'")]
    [InlineData("\"LyCORIS_preset\": \"full\"", "\"LyCORIS_preset\": \"attn-only\"", null)]
    [InlineData("\"huber_c\": 0.1", "\"huber_c\": 0.3", null)]
    [InlineData("\"loss_type\": \"l2\"", "\"loss_type\": \"huber\"", "'loss_type' = 'huber'")]
    [InlineData("\"max_train_steps\": 0", "\"max_train_steps\": 500", "'max_train_steps' = 500")]
    public void OnlyAFieldChangedFromWhatTheGuiWritesWarns(string untouched, string changed, string? warning)
    {
        Assert.Contains(untouched, KohyaGuiConfigFixture.Sd15StandardLora);
        var sweep = LoadWith(KohyaGuiConfigFixture.Sd15StandardLora.Replace(untouched, changed), "name: k\nbase: { from: gui.json }\nlist:\n  - { label: a }\n");
        if (warning is null) Assert.Empty(sweep.ImportNotes);
        else Assert.Contains(sweep.ImportNotes, n => n.Contains(warning));
    }

    [Fact]
    public void MultiresNoiseLeavesTheOriginalNoiseOffsetOutAsTheGuiDoes()
    {
        var config = KohyaGuiConfigFixture.Sd15StandardLora.Replace("\"noise_offset\": 0,", "\"noise_offset\": 0.1,").Replace("\"noise_offset_type\": \"Original\"", "\"noise_offset_type\": \"Multires\"");
        var sweep = LoadWith(config, "name: k\nbase: { from: gui.json }\nlist:\n  - { label: a }\n");
        Assert.False(sweep.Base.ContainsKey("noise_offset"));
        Assert.Contains(sweep.ImportNotes, n => n.Contains("'multires_noise_discount' = 0.3"));
    }

    [Fact]
    public void TheSweepsDatasetWinsOverTrainDataDirWithANote()
    {
        Directory.CreateDirectory(_temp.Path("other/3_x"));
        File.WriteAllBytes(_temp.Path("other/3_x/a.png"), TempSweep.PngHeader(512, 512));
        File.WriteAllText(_temp.Path("other/3_x/a.txt"), "a caption");
        var sweep = LoadWith(KohyaGuiConfigFixture.Sd15StandardLora, "name: k\ndataset: other\nbase: { from: gui.json }\nlist:\n  - { label: a }\n");
        Assert.Equal("other", sweep.DatasetPath);
        Assert.Contains("gui.json: train_data_dir 'data' is not used: the sweep's 'dataset: other' wins", sweep.ImportNotes);

        var same = LoadWith(KohyaGuiConfigFixture.Sd15StandardLora, "name: k\ndataset: ./data\nbase: { from: gui.json }\nlist:\n  - { label: a }\n");
        Assert.Empty(same.ImportNotes);

        var missing = Problem(() => LoadWith(KohyaGuiConfigFixture.Sd15StandardLora.Replace("\"train_data_dir\": \"data\"", "\"train_data_dir\": \"img\""),
            "name: k\nbase: { from: gui.json }\nlist:\n  - { label: a }\n"));
        Assert.Contains("s.yaml:2:15: dataset folder 'img' (train_data_dir of gui.json) does not exist", missing);

        var none = Problem(() => LoadWith("""{ "train_data_dir": "" }""", "name: k\nbase: { from: gui.json }\nlist:\n  - { label: a }\n"));
        Assert.Contains("missing 'dataset'", none);
    }

    [Fact]
    public void SamplePromptsNamingAnExistingFileStaysAPath()
    {
        _temp.Write("prompts.txt", "a prompt --w 512\n");
        var sweep = LoadWith("""{ "sample_prompts": "prompts.txt", "sample_every_n_epochs": 1 }""", "name: k\ndataset: data\nbase: { from: gui.json }\nlist:\n  - { label: a }\n");
        Assert.Equal("prompts.txt", sweep.Base["sample_prompts"]);
        Assert.Null(sweep.ImportedPrompts);

        var text = LoadWith("""{ "sample_prompts": "prompts.txt is not here", "sample_every_n_epochs": 1 }""", "name: k\ndataset: data\nbase: { from: gui.json }\nlist:\n  - { label: a }\n");
        Assert.Equal("prompts.txt is not here", text.ImportedPrompts?.Text);
    }

    [Fact]
    public void ImportedPromptsAreCheckedWithThePromptFileRulesNamingTheConfigAndField()
    {
        var sweep = LoadWith("""{ "sample_prompts": "fine --w 512\nbad --w 999999999 --x 3", "sample_every_n_epochs": 1 }""",
            "name: k\ndataset: data\nbase: { from: gui.json }\nlist:\n  - { label: a }\n");
        var errors = Assert.Throws<SweepValidationException>(() => new Planner().Plan(sweep)).Errors.Select(e => e.ToString()).ToList();
        Assert.Contains(errors, e => e.StartsWith("gui.json (sample_prompts):2: --w 999999999: width must be a multiple of 64", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("gui.json (sample_prompts):2: unknown option '--x 3'", StringComparison.Ordinal));

        // Without previews the prompts are not read, as a prompt file is not.
        var off = LoadWith("""{ "sample_prompts": "bad --w 999999999" }""", "name: k\ndataset: data\nbase: { from: gui.json }\nlist:\n  - { label: a }\n");
        Assert.Single(new Planner().Plan(off).Jobs);
    }

    [Theory]
    [InlineData("v2", "a Stable Diffusion 2.x base model")]
    [InlineData("v_parameterization", "v-prediction")]
    [InlineData("sdxl", "an SDXL base model")]
    [InlineData("fp8_base", "an fp8 base model")]
    [InlineData("flux1_checkbox", "a FLUX.1 base model")]
    public void ConfigsForOtherModelFamiliesAreRefused(string field, string means)
    {
        var config = KohyaGuiConfigFixture.Sd15StandardLora.Replace($"\"{field}\": false", $"\"{field}\": true");
        var problem = Problem(() => LoadWith(config, "name: k\ndataset: data\nbase: { from: gui.json }\nlist:\n  - { label: a }\n"));
        Assert.StartsWith($"s.yaml:3:15: gui.json: '{field}' is true: the config trains {means}", problem.Replace(_temp.Root + "/", ""), StringComparison.Ordinal);
        Assert.Contains("SweepRunner trains SD 1.x LoRAs only", problem);

        var lora = Problem(() => LoadWith("""{ "LoRA_type": "SDXL LoRA" }""", "name: k\ndataset: data\nbase: { from: gui.json }\nlist:\n  - { label: a }\n"));
        Assert.Contains("gui.json: 'LoRA_type' is 'SDXL LoRA': the config trains an SDXL LoRA", lora);
    }

    [Theory]
    [InlineData("{\n  \"epoch\": 2,\n  \"seed\": 1 \"x\": 2\n}", "gui.json:3:13: expected ',' or '}' after a value")]
    [InlineData("{\n  \"epoch\": 2,\n}", "gui.json:3:1: expected a quoted field name after ',' (JSON allows no ',' before '}')")]
    [InlineData("{\n  \"epoch\" 2\n}", "gui.json:2:11: expected ':' after the field name")]
    [InlineData("{\n  \"epoch\": tru\n}", "gui.json:2:12: expected a value (a quoted string, a number, true, false, null, an object or a list) after ':'")]
    [InlineData("{ \"é\": 1, \"epoch\": [1 2] }", "gui.json:1:23: expected ',' or ']' after a value")]
    [InlineData("{ \"epoch\": 2", "gui.json:1:13: the file ends before the object is closed; expected '}'")]
    [InlineData("{ \"epoch\": \"2\n\" }", "gui.json:1:12: this string is not valid")]
    [InlineData("", "gui.json:1:1: the file is empty")]
    public void BrokenJsonIsReportedAtItsLineAndColumnInPlainWords(string json, string expected)
    {
        var problem = Problem(() => LoadWith(json, "name: k\ndataset: data\nbase: { from: gui.json }\nlist:\n  - { label: a }\n"));
        Assert.Contains(expected, problem.Replace(_temp.Root + "/", ""));
        Assert.DoesNotContain("LineNumber", problem);
        Assert.DoesNotContain("BytePosition", problem);
        Assert.DoesNotContain("Path: $", problem);
    }
}

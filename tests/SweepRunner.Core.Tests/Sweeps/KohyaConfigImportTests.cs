using SweepRunner.Core.Planning;
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
          "train_batch_size": 3, "unet_lr": "0.0001", "v_parameterization": true, "xformers": true,
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
        Assert.Contains(sweep.ImportNotes, n => n.Contains("'v_parameterization'"));
        Assert.Contains(sweep.ImportNotes, n => n.Contains("'random_crop'"));
        Assert.DoesNotContain(sweep.ImportNotes, n => n.Contains("xformers") || n.Contains("output_dir") || n.Contains("prior_loss_weight") || n.Contains("color_aug"));

        var plan = new Planner().Plan(sweep);
        Assert.Contains(plan.Warnings, w => w.Contains("v_parameterization"));
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
}

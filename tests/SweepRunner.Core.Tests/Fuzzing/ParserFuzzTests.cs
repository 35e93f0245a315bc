using System.Text;
using SweepRunner.Core.Planning;
using SweepRunner.Core.Previews;
using SweepRunner.Core.Scoring;
using SweepRunner.Core.Sweeps;
using SweepRunner.Core.Tests.Support;
using SweepRunner.TestSupport.Fuzzing;
using Xunit.Abstractions;

namespace SweepRunner.Core.Tests.Fuzzing;

/// <summary>
/// Bounded fuzzing of the parsers of files people hand to SweepRunner: a corpus of valid and once-crashing inputs plus
/// deterministic mutations. Each parser may refuse an input only with its documented bad-input exception, and no case
/// may take over two seconds. A crash the fuzzer finds is fixed in the parser and its input added to the corpus.
/// </summary>
public sealed class ParserFuzzTests(ITestOutputHelper output) : IDisposable
{
    readonly TempSweep _temp = new TempSweep().AddFolder("5_cat", 2).AddFolder("2_dog", 1, 640, 512);

    public void Dispose() => _temp.Dispose();

    static string Text(byte[] input) => Encoding.UTF8.GetString(input);

    /// <summary>Planning reads the files a sweep names; the fuzz plans only sweeps whose paths stay inside its folder.</summary>
    static bool StaysInFolder(string text) => !text.Contains('/', StringComparison.Ordinal) && !text.Contains('\\', StringComparison.Ordinal)
        && !text.Contains("..", StringComparison.Ordinal) && !text.Contains('~', StringComparison.Ordinal);

    /// <summary>The same for an imported config, whose JSON escapes (\u002f) hide what its strings hold.</summary>
    static bool StaysInFolder(SweepDefinition sweep) => sweep.Base.Values.OfType<string>().All(StaysInFolder);

    const string KohyaJson = """
        {
          "LoRA_type": "Standard", "bucket_reso_steps": 64.0, "cache_latents": true, "caption_extension": ".txt",
          "clip_skip": 2, "color_aug": false, "conv_alpha": 1, "conv_dim": 1, "enable_bucket": false, "epoch": 6,
          "flip_aug": false, "gradient_accumulation_steps": 1.0, "keep_tokens": "0", "learning_rate": "0.0001",
          "lr_scheduler": "cosine", "lr_scheduler_num_cycles": "", "lr_warmup": "10", "max_resolution": "512,640",
          "max_train_epochs": "", "mixed_precision": "bf16", "network_alpha": 64, "network_dim": 64,
          "noise_offset": "0.05", "optimizer": "AdamW8bit", "optimizer_args": "", "prior_loss_weight": 1.0,
          "save_every_n_epochs": 1, "save_precision": "bf16", "seed": "1234", "text_encoder_lr": "5e-05",
          "train_batch_size": 3, "unet_lr": "0.0001", "v_parameterization": false, "xformers": true,
          "random_crop": true, "output_dir": "x", "sample_every_n_epochs": 1, "sample_prompts": "prompts.txt",
          "pretrained_model_name_or_path": "demo"
        }
        """;

    static readonly string[] SweepSeeds =
    [
        """
        name: fuzz
        dataset: data
        steps_per_second: 3.5
        baseline_label: base
        base:
          pretrained_model_name_or_path: demo
          optimizer_type: AdamW
          learning_rate: 1e-4
          network_dim: 16
          network_alpha: 8
          max_train_epochs: 2
          sample_every_n_epochs: 1
          sample_prompts: prompts.txt
          optimizer_args: "weight_decay=0.01 betas=0.9,0.99"
        ofat:
          network_alpha: [1, 16, 64]
          paired:
            - { optimizer_type: [Lion], learning_rate: [3e-5] }
        grid:
          learning_rate: [1e-4, 3e-4]
          paired:
            - { network_dim: [8, 16], network_alpha: [4, 8] }
        list:
          - { label: "13", train_batch_size: 4 }
          - { label: quiet, sample_every_n_epochs: null }
        random:
          n: 3
          seed: 1
          axes:
            learning_rate: { log_uniform: [1e-5, 1e-3] }
            network_dim: [8, 16, 32]
            max_train_epochs: { int_uniform: [1, 3] }
        constraints:
          - where: { pretrained_model_name_or_path: demo }
            require: { train_batch_size: 1 }
          - exclude: { optimizer_type: Lion, learning_rate: { gt: 1e-3 } }
          - exclude: { network_dim: { in: [32] } }
        """,
        """
        name: kohya
        dataset: data
        base:
          from: gui.json
          network_dim: 32
        plans:
          - list: [ { label: a }, { label: b, seed: 7 } ]
          - grid: { clip_skip: [1, 2] }
        """,
        "name: a\ndataset: \"data\"\nbase: { pretrained_model_name_or_path: \"demo\", resolution: '512,640', enable_bucket: true, sample_at_first: true, sample_prompts: \"prompts.txt\" }\nlist:\n  - { label: x }\n",
        "a0: &a0 [x, x, x]\na1: &a1 [*a0, *a0, *a0]\nname: *a1\n",
        "a: &k x\n? *k\n: 1\n",
        // Inputs that once crashed the parser (issue 11).
        "\t: t",
        ":\n{\n0",
        "...\nn",
        "name: [x\nbase: {",
        // Inputs that crashed plan while the fuzz test was written (a NUL in a path: Path.GetFullPath throws ArgumentException).
        "name: a\ndataset: \"da\\0ta\"\nlist:\n  - { label: x }\n",
        "name: a\ndataset: data\nbase: { pretrained_model_name_or_path: \"m\\0\" }\nlist:\n  - { label: x }\n",
        "name: a\ndataset: data\nbase: { from: \"k\\0.json\" }\nlist:\n  - { label: x }\n",
        "name: a\ndataset: data\nbase: { sample_every_n_epochs: 1, sample_prompts: \"p\\0.txt\" }\nlist:\n  - { label: x }\n",
        // Found by this fuzz test (mutator seeds 1011 and 2011, 80,000 cases): a setting that needs a value given as
        // null crashed plan (ArgumentNullException, DivideByZeroException, ArgumentException).
        "name: a\ndataset: data\nbase: { pretrained_model_name_or_path: }\nlist:\n  - { label: x }\n",
        "name: a\ndataset: data\nbase: { pretrained_model_name_or_path }\nlist:\n  - { label: x }\n",
        "name: a\ndataset: data\nbase: { train_batch_size: null }\ngrid:\n  optimizer_type: [AdamW, ~]\n",
    ];

    static readonly string[] SweepTokens =
    [
        "name: ", "dataset: ", "base:", "grid:", "ofat:", "list:", "random:", "plans:", "paired:", "constraints:", "from: ", "where: ",
        "require: ", "exclude: ", "label: ", "n: ", "seed: ", "axes:", "log_uniform: ", "int_uniform: ", "uniform: ", "gt: ", "in: ",
        "network_dim: ", "learning_rate: ", "optimizer_args: ", "sample_prompts: ", "max_train_epochs: ", "\n  - ", "- ", ": ", "{ ", " }",
        "[", "]", "&a ", "*a", "? ", "!!str ", "!!int ", "!!map ", "---\n", "...\n", "|\n  ", ">-\n  ", "%YAML 1.2\n", "%TAG ! tag:x,2000:\n", "\"\\u0000\"", "\\0", "\\x00", "\\u0000", "\\e", "\\N", "\\u2028",
        "'", "\"", "<<: ", "null", "~", "true", ".inf", ".nan", "0x1F", "0o17", "1_000",
    ];

    [Fact]
    public void Sweep_yaml_never_crashes_the_parser_or_the_planner()
    {
        File.WriteAllText(_temp.Path("gui.json"), KohyaJson);
        File.WriteAllText(_temp.Path("prompts.txt"), "a cat --w 512 --h 512 --d 1\n");
        var path = _temp.Path("fuzz.yaml");
        // The valid seeds plan, so that mutations start from inputs that reach the planner.
        for (var i = 0; i < 3; i++) Assert.NotEmpty(new Planner().Plan(SweepFileParser.Parse(path, SweepSeeds[i])).Jobs);

        var summary = Fuzzer.Run("sweep YAML", Fuzzer.Utf8(SweepSeeds), SweepTokens, cases: 10000, seed: 11, input =>
        {
            var text = Text(input);
            var sweep = SweepFileParser.Parse(path, text);
            if (StaysInFolder(text)) new Planner().Plan(sweep);
        }, typeof(SweepValidationException));

        output.WriteLine(summary.ToString());
    }

    [Fact]
    public void Kohya_gui_configs_never_crash_the_import()
    {
        File.WriteAllText(_temp.Path("prompts.txt"), "a cat --w 512 --h 512 --d 1\n");
        var sweep = _temp.Write("k.yaml", "name: k\ndataset: data\nbase:\n  from: gui.json\nlist:\n  - { label: a }\n");
        var json = _temp.Path("gui.json");
        File.WriteAllText(json, KohyaJson);
        Assert.NotEmpty(new Planner().Plan(SweepFileParser.Load(sweep)).Jobs);
        string[] seeds =
        [
            KohyaJson,
            """{"epoch": 2, "epoch": 3}""",
            """{"network_dim": 1e999, "learning_rate": -0, "seed": 99999999999999999999, "optimizer_args": "a=1 a=2"}""",
            """{"max_resolution": "512,512,512", "LoRA_type": "LoCon", "conv_dim": "8", "conv_alpha": null, "noise_offset": [1]}""",
            // Crashed plan while the fuzz test was written: a NUL in the base model's path.
            """{"pretrained_model_name_or_path": "m\u0000", "sample_prompts": "p\u0000"}""",
            "[]",
            "",
        ];
        string[] tokens = ["{", "}", "[", "]", "\"", ",", ":", "null", "true", "false", "\"\\u0000\"", "\"\\ud800\"", "\\u0000", "\\\"", "1e999", "-0", "0.0000001",
            "\"epoch\": ", "\"max_train_epochs\": ", "\"optimizer\": ", "\"max_resolution\": ", "\"LoRA_type\": \"LoCon\"", "\"optimizer_args\": ", "\"sample_prompts\": "];

        var summary = Fuzzer.Run("kohya_ss GUI config", Fuzzer.Utf8(seeds), tokens, cases: 1200, seed: 12, input =>
        {
            File.WriteAllBytes(json, input);
            var parsed = SweepFileParser.Load(sweep);
            if (StaysInFolder(parsed)) new Planner().Plan(parsed);
        }, typeof(SweepValidationException));

        output.WriteLine(summary.ToString());
    }

    [Fact]
    public void Score_csv_never_crashes_the_import_and_what_it_accepts_follows_the_rules()
    {
        string[] seeds =
        [
            "\uFEFFScorer,label,Score,epoch,note\r\nalice,13,85,,\"sharp, \"\"clean\"\" face\"\r\n,baseline,62.5,4,\"two\nlines\"\r\n\r\nbob,alpha=1,0,2,\n",
            "label,score\n13,90\n15,70\n",
            "label,value,epoch\n13,1e2,1\n14,0.5,9223372036854775807\n",
            "label,score,scorer,note\n13,85,al\u0000ice,\n",
            "",
        ];
        string[] tokens = ["\"", "\"\"", ",", "\r\n", "\n", "label", "score", "value", "epoch", "scorer", "note", "NaN", "-0", "100.0000001", "\u0000", "\u001b[2J"];

        var summary = Fuzzer.Run("score CSV", Fuzzer.Utf8(seeds), tokens, cases: 10000, seed: 13, input =>
        {
            foreach (var row in ScoreCsv.Parse(Text(input), "scores.csv", "carol"))
            {
                Assert.True(ScoreRange.IsValid(row.Value), $"accepted score {row.Value}");
                Assert.Null(ScoreText.ScorerProblem(row.Scorer, "scorer"));
                Assert.Null(ScoreText.NoteProblem(row.Note, "note"));
                Assert.NotEmpty(row.Label);
            }
        }, typeof(ScoreCsvException));

        output.WriteLine(summary.ToString());
    }

    [Fact]
    public void Prompt_files_never_crash_the_parser_and_a_file_without_errors_renders()
    {
        string[] seeds =
        [
            "# Preview prompts\na photo of sks person, upper body --n lowres, blurry --w 512 --h 768 --d 1234 --s 30 --l 7.5 --ss euler_a\n"
            + "a photo of sks person standing in a park --n lowres --w 512 --h 512 --d 5678 --s 20 --l 6\n",
            "a cat --w 999999999 --h 999999999\n",
            "a--b c --n d--e --ss Euler a --g 3.5 --x 1\r\n\r\n  # indented\n",
            "\uFEFFa dog --d 9223372036854775808 --l NaN --s 0 --ss dpm_2\n",
            "",
        ];
        string[] tokens = [" --w ", " --h ", " --s ", " --d ", " --l ", " --n ", " --ss ", " --g ", " --W ", " --", "\n", "\r\n", "#", "euler_a", "k_euler", "ddim", "\u0000", "\u001b"];

        var summary = Fuzzer.Run("prompt file", Fuzzer.Utf8(seeds), tokens, cases: 10000, seed: 14, input =>
        {
            var file = SamplePromptFileParser.Parse(Text(input), "prompts.txt");
            if (file.Errors.Count > 0) return;
            foreach (var prompt in file.Prompts)
            {
                // What plan accepts, the check before rendering accepts too.
                Assert.True(PreviewLimits.IsValidSize(prompt.Width) && PreviewLimits.IsValidSize(prompt.Height), $"{prompt.Width}x{prompt.Height}");
                Assert.True(PreviewLimits.IsValidSteps(prompt.Steps), $"steps {prompt.Steps}");
                Assert.True(PreviewLimits.IsValidGuidanceScale(prompt.GuidanceScale), $"cfg {prompt.GuidanceScale}");
                Assert.True(prompt.Seed is null || PreviewLimits.IsValidSeed(prompt.Seed.Value), $"seed {prompt.Seed}");
                Assert.True(prompt.Sampler is null || SamplerNames.TryNormalize(prompt.Sampler, out _), $"sampler {prompt.Sampler}");
            }
        });

        output.WriteLine(summary.ToString());
    }
}

using SweepRunner.Core.Sweeps;
using SweepRunner.Core.Tests.Support;

namespace SweepRunner.Core.Tests.Sweeps;

public class SweepFileParserTests : IDisposable
{
    readonly TempSweep _temp = new TempSweep().AddFolder("5_cat", 3);

    public void Dispose() => _temp.Dispose();

    IReadOnlyList<SweepError> ErrorsOf(string yaml)
    {
        var path = _temp.Write("bad.yaml", yaml);
        return Assert.Throws<SweepValidationException>(() => SweepFileParser.Load(path)).Errors;
    }

    [Fact]
    public void UnknownKeyNamesLineColumnAndTheClosestKnownKey()
    {
        var error = Assert.Single(ErrorsOf("name: x\ndataset: data\nbase:\n  learning_rat: 1e-4\nlist:\n  - { label: a }\n"));
        Assert.EndsWith("bad.yaml", error.Where.File);
        Assert.Equal((4, 3), (error.Where.Line, error.Where.Column));
        Assert.Contains("unknown setting 'learning_rat'", error.Problem);
        Assert.Contains("'learning_rate'", error.Fix);
    }

    [Fact]
    public void AutoScoresNameModelFoldersRelativeToTheSweepFile()
    {
        var sweep = SweepFileParser.Load(_temp.Write("auto.yaml", "name: x\ndataset: data\nauto_scores: { clip: models/clip, dino: ../dino }\nlist:\n  - { label: a }\n"));
        Assert.Equal(new AutoScoreModels(Path.Combine(_temp.Root, "models", "clip"), Path.GetFullPath(Path.Combine(_temp.Root, "..", "dino"))), sweep.AutoScores);
        Assert.Null(SweepFileParser.Load(_temp.Write("none.yaml", "name: x\ndataset: data\nlist:\n  - { label: a }\n")).AutoScores);
    }

    [Fact]
    public void AutoScoresWithAnUnknownKindOrNoModelAreErrors()
    {
        var unknown = Assert.Single(ErrorsOf("name: x\ndataset: data\nauto_scores: { clip: c, dinov2: d }\nlist:\n  - { label: a }\n"));
        Assert.Equal((3, 25), (unknown.Where.Line, unknown.Where.Column));
        Assert.Contains("unknown key 'dinov2' in auto_scores", unknown.Problem);
        Assert.Contains("'dino'", unknown.Fix);
        Assert.Contains("names no model", Assert.Single(ErrorsOf("name: x\ndataset: data\nauto_scores: {}\nlist:\n  - { label: a }\n")).Problem);
        Assert.Contains("must be a mapping", Assert.Single(ErrorsOf("name: x\ndataset: data\nauto_scores: models/clip\nlist:\n  - { label: a }\n")).Problem);
    }

    [Fact]
    public void WrongTypeIsReportedWithWhatWasExpected()
    {
        var error = Assert.Single(ErrorsOf("name: x\ndataset: data\nbase: { train_batch_size: two }\nlist:\n  - { label: a }\n"));
        Assert.Equal(3, error.Where.Line);
        Assert.Contains("expected a whole number, got 'two'", error.Problem);
    }

    [Fact]
    public void OutOfRangeValueNamesTheAllowedRange()
    {
        var error = Assert.Single(ErrorsOf("name: x\ndataset: data\ngrid:\n  clip_skip: [1, 13]\n"));
        Assert.Equal((4, 18), (error.Where.Line, error.Where.Column));
        Assert.Contains("13 is out of range (allowed 1..12)", error.Problem);
    }

    [Fact]
    public void UnknownChoiceListsTheChoices()
    {
        var error = Assert.Single(ErrorsOf("name: x\ndataset: data\nofat:\n  optimizer_type: [AdamW, Adam]\n"));
        Assert.Contains("expected one of AdamW, AdamW8bit, Lion", error.Problem);
    }

    [Fact]
    public void MissingDatasetFolderIsAnError()
    {
        var error = Assert.Single(ErrorsOf("name: x\ndataset: nowhere\nlist:\n  - { label: a }\n"));
        Assert.Equal(2, error.Where.Line);
        Assert.Contains("dataset folder 'nowhere' does not exist", error.Problem);
        Assert.Contains("kohya layout", error.Fix);
    }

    [Fact]
    public void DuplicateLabelsAreErrors()
    {
        var error = Assert.Single(ErrorsOf("name: x\ndataset: data\nlist:\n  - { label: a, clip_skip: 2 }\n  - { label: a, clip_skip: 3 }\n"));
        Assert.Equal(5, error.Where.Line);
        Assert.Contains("duplicate label 'a'", error.Problem);
    }

    [Fact]
    public void EveryProblemIsReportedAtOnce()
    {
        var errors = ErrorsOf("name: x\ndataset: data\nbase: { seed: -1, optimizer: AdamW }\ngrid:\n  network_dim: []\n");
        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.Fix.Contains("optimizer_type"));
    }

    [Fact]
    public void InvalidYamlPointsAtThePlace()
    {
        var error = Assert.Single(ErrorsOf("name: x\ndataset: data\nlist:\n  - { label: a\n"));
        Assert.Contains("not valid YAML", error.Problem);
        Assert.True(error.Where.Line >= 4);
    }

    [Fact]
    public void PairedListsMustHaveEqualLengths()
    {
        var error = Assert.Single(ErrorsOf("name: x\ndataset: data\ngrid:\n  paired:\n    - { network_dim: [4, 8], network_alpha: [1] }\n"));
        Assert.Contains("different lengths (2, 1)", error.Problem);
    }

    [Fact]
    public void NoPlanBlockIsAnError()
    {
        var error = Assert.Single(ErrorsOf("name: x\ndataset: data\n"));
        Assert.Contains("no plan block", error.Problem);
    }

    [Fact]
    public void BadOptimizerArgsAreRejected()
    {
        var error = Assert.Single(ErrorsOf("name: x\ndataset: data\nbase: { optimizer_args: relative_step }\nlist:\n  - { label: a }\n"));
        Assert.Contains("'relative_step' is not of the form key=value", error.Problem);
    }

    [Fact]
    public void ValuesAreNormalizedToTheirTypes()
    {
        var sweep = SweepFileParser.Parse(_temp.Write("ok.yaml", ""), "name: x\ndataset: data\nbase: { resolution: 768, optimizer_type: adafactor, flip_aug: yes, learning_rate: '2e-4' }\nlist:\n  - { label: a }\n");
        Assert.Equal("768,768", sweep.Base["resolution"]);
        Assert.Equal("Adafactor", sweep.Base["optimizer_type"]);
        Assert.Equal(true, sweep.Base["flip_aug"]);
        Assert.Equal(2e-4, sweep.Base["learning_rate"]);
    }
}

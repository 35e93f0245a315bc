using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using SweepRunner.Cli.Hosting;
using SweepRunner.Core.Scoring;
using SweepRunner.Store;
using SweepRunner.Core.Results;

namespace SweepRunner.Cli.Commands;

/// <summary>Scores jobs without the scoring page: one score from the arguments, or many from a CSV file.</summary>
public sealed class ScoreCommand(CliConsole console) : AsyncCommand<ScoreCommand.Settings>
{
    public sealed class Settings : ExistingResultsSettings
    {
        [CommandArgument(0, "<sweep>")]
        [Description("The sweep's name.")]
        public string Sweep { get; init; } = "";

        [CommandArgument(1, "[label]")]
        [Description("The job's label, as 'sweeprunner status' shows it.")]
        public string? Label { get; init; }

        [CommandArgument(2, "[score]")]
        [Description("0 to 100.")]
        public string? Score { get; init; }

        [CommandOption("--epoch <E>")]
        [Description("Score the LoRA saved at this epoch instead of the job's final one.")]
        public long? Epoch { get; init; }

        [CommandOption("--scorer <NAME>")]
        [Description("Who gives the score (default: the USER environment variable).")]
        public string? Scorer { get; init; }

        [CommandOption("--note <TEXT>")]
        [Description("A note kept with the score.")]
        public string? Note { get; init; }

        [CommandOption("--import <CSV>")]
        [Description("Add the scores of a CSV file with the columns label,score and optionally epoch,scorer,note; all or none are added.")]
        public string? Import { get; init; }

        public override ValidationResult Validate()
        {
            var textProblem = (Scorer is { } given && string.IsNullOrWhiteSpace(given)
                    ? "--scorer is empty; give the scorer's name, or leave --scorer out to use the USER environment variable"
                    : ScoreText.ScorerProblem(Scorer, "--scorer"))
                ?? ScoreText.NoteProblem(Note, "--note");
            if (textProblem is not null)
            {
                return ValidationResult.Error(textProblem);
            }

            if (Import is not null)
            {
                return Label is null && Score is null && Epoch is null && Note is null
                    ? ValidationResult.Success()
                    : ValidationResult.Error("with --import, give only the sweep (and optionally --scorer as the default scorer); labels, scores, epochs and notes come from the file");
            }

            if (Label is null || Score is null)
            {
                return ValidationResult.Error("give a label and a score (sweeprunner score <sweep> <label> <0-100>), or --import <CSV>");
            }

            if (!ScoreRange.TryParse(Score, out _))
            {
                return ValidationResult.Error($"{ScoreRange.Problem($"'{Score}'")}; give it after the label: sweeprunner score <sweep> <label> <0-100>");
            }

            return Epoch is < 1 ? ValidationResult.Error($"--epoch must be 1 or more, not {Epoch}") : ValidationResult.Success();
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings)
    {
        var scorer = settings.Scorer ?? DefaultScorer();
        if (ScoreText.ScorerProblem(scorer, "the USER environment variable (the default scorer)", "give --scorer <NAME>") is { } userProblem)
        {
            await console.Error.WriteLineAsync($"error: {userProblem}");
            return ExitCodes.Usage;
        }

        IReadOnlyList<LabelledScore> scores;
        if (settings.Import is { } csvPath)
        {
            if (!File.Exists(csvPath))
            {
                await console.Error.WriteLineAsync($"error: {Path.GetFullPath(csvPath)}: no such file");
                return ExitCodes.Usage;
            }

            try
            {
                scores = ScoreCsv.Parse(await File.ReadAllTextAsync(csvPath), csvPath, scorer)
                    .Select(row => new LabelledScore(
                        row.Label, new ScoreEntry(row.Scorer, row.Value, Blind: false, row.Note), row.Epoch, $"{csvPath} line {row.Line}"))
                    .ToList();
            }
            catch (ScoreCsvException e)
            {
                await console.Error.WriteLineAsync($"error: {e.Message}{Environment.NewLine}No score was added.");
                return ExitCodes.Usage;
            }
        }
        else
        {
            var value = double.Parse(settings.Score!, NumberStyles.Float, CultureInfo.InvariantCulture);
            scores = [new LabelledScore(settings.Label!, new ScoreEntry(scorer, value, Blind: false, settings.Note), settings.Epoch, "the command line")];
        }

        var store = await ResultsStore.OpenAsync(settings.Results);
        try
        {
            await store.AddSweepScoresAsync(settings.Sweep, scores);
        }
        catch (ArgumentException e)
        {
            await console.Error.WriteLineAsync($"error: {e.Message.Split(" (Parameter ")[0]}");
            return ExitCodes.Usage;
        }

        var what = scores.Count == 1
            ? $"{scores[0].Score.Value.ToString(CultureInfo.InvariantCulture)} for '{scores[0].Label}'{(scores[0].Epoch is { } epoch ? $" at epoch {epoch}" : "")}"
            : $"{scores.Count} scores";
        await console.Error.WriteLineAsync($"recorded {what} in sweep '{settings.Sweep}' ({store.DatabasePath})");
        return ExitCodes.Ok;
    }

    private static string DefaultScorer() =>
        Environment.GetEnvironmentVariable("USER") is { Length: > 0 } user ? user : "cli";
}

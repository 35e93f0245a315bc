using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using SweepRunner.Cli.Output;
using SweepRunner.Core.Planning;
using SweepRunner.Core.Sweeps;

namespace SweepRunner.Cli.Commands;

public sealed class PlanCommand : Command<PlanCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<sweep.yaml>")]
        [Description("The sweep file.")]
        public string SweepFile { get; init; } = "";

        [CommandOption("--json")]
        [Description("Print the plan as one JSON object.")]
        public bool Json { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings)
    {
        SweepPlan plan;
        try
        {
            var sweep = SweepFileParser.Load(settings.SweepFile);
            plan = new Planner().Plan(sweep);
        }
        catch (SweepValidationException e)
        {
            ErrorOutput.Write(e.Errors);
            return ExitCodes.Usage;
        }
        if (settings.Json)
            Console.Out.WriteLine(PlanJson.Write(plan));
        else
            PlanTable.Write(AnsiConsole.Console, plan);
        return ExitCodes.Ok;
    }
}

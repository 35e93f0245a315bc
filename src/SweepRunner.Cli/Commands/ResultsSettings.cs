using System.ComponentModel;
using Spectre.Console.Cli;

namespace SweepRunner.Cli.Commands;

/// <summary>Settings shared by commands that use a results folder.</summary>
public class ResultsSettings : CommandSettings
{
    [CommandOption("--results <DIR>")]
    [Description("Results folder holding sweeprunner.db and the artifacts (default: results).")]
    public string Results { get; init; } = "results";
}

/// <summary>Settings of a command that reads a results database that must already exist (checked before it runs).</summary>
public class ExistingResultsSettings : ResultsSettings, Hosting.IReadsResults;

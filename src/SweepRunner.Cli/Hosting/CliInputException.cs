namespace SweepRunner.Cli.Hosting;

/// <summary>Input the command cannot work with; the message says what and what to do. Ends the command with exit code 2.</summary>
public sealed class CliInputException(string message) : Exception(message);

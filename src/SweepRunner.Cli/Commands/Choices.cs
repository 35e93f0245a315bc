namespace SweepRunner.Cli.Commands;

public enum ExportFormat
{
    Csv,
    Json,
}

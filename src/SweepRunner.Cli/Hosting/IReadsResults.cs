namespace SweepRunner.Cli.Hosting;

/// <summary>Settings of a command that reads an existing results database (it makes none).</summary>
public interface IReadsResults
{
    string Results { get; }
}

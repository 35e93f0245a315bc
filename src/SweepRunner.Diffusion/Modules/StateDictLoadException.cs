namespace SweepRunner.Diffusion.Modules;

/// <summary>Thrown by a strict load when the source does not match the model's parameters exactly.</summary>
public sealed class StateDictLoadException : Exception
{
    public StateDictLoadException(string source, StateDictLoadReport report)
        : base($"{source} does not match the model: {report.Describe()}. Check that the file is a Stable Diffusion 1.x checkpoint of the expected layout.")
    {
        Report = report;
    }

    public StateDictLoadReport Report { get; }
}

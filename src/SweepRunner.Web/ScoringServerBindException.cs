namespace SweepRunner.Web;

/// <summary>The server could not listen on its address and port; the message says why and what to change.</summary>
public sealed class ScoringServerBindException : IOException
{
    public ScoringServerBindException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

namespace SweepRunner.Core.Results;

/// <summary>A problem with the results database that the user can act on; the message says which file and what to do.</summary>
public class ResultsStoreException : Exception
{
    public ResultsStoreException(string message)
        : base(message)
    {
    }

    public ResultsStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

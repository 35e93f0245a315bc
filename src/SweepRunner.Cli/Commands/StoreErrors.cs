using SweepRunner.Core.Results;
using SweepRunner.Store.Errors;

namespace SweepRunner.Cli.Commands;

public static class StoreErrors
{
    /// <summary>Runs a store command; a store refusal (unknown sweep, database from a newer version) becomes a message and exit code.</summary>
    public static async Task<int> Guard(Func<Task<int>> command)
    {
        try
        {
            return await command();
        }
        catch (DatabaseTooNewException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (ResultsStoreException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Usage;
        }
    }
}

namespace SweepRunner.Core.Running;

/// <summary>
/// Where a finished job keeps its last training state while a longer job is to continue it: one file per job id,
/// <c>.states/&lt;job id&gt;.safetensors</c> under the results folder, whatever sweep or label trained it.
/// </summary>
public static class FinalTrainingStates
{
    public const string FolderName = ".states";

    public static string PathOf(string resultsFolder, string jobId) => Path.Combine(resultsFolder, FolderName, jobId + ".safetensors");
}

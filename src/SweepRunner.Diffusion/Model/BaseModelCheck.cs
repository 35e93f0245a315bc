using SweepRunner.Diffusion.Checkpoints;

namespace SweepRunner.Diffusion.Model;

/// <summary>
/// What would stop a job from loading a base model that exists, found without loading it: a folder that is no model,
/// a pickle, a damaged or truncated safetensors file. (A model that does not exist is the planner's warning.)
/// </summary>
public static class BaseModelCheck
{
    /// <param name="written">The base model as the sweep file writes it.</param>
    /// <param name="resolved">The same, resolved against the sweep file's folder (<c>demo</c> stays <c>demo</c>).</param>
    /// <returns>What is wrong, in one sentence that names the model, or null (also when nothing is at the path).</returns>
    public static string? Problem(string written, string resolved)
    {
        if (resolved != DemoModel.Name && !File.Exists(resolved) && !Directory.Exists(resolved)) return null;
        try
        {
            var location = ModelLocator.Resolve(resolved);
            if (location.Format == ModelFormat.SingleFile) SafetensorsFile.ReadHeader(location.Path);
            return null;
        }
        catch (Exception e) when (e is ModelLoadException or PickleCheckpointException or SafetensorsFormatException or IOException or UnauthorizedAccessException)
        {
            return $"base model '{written}' cannot be loaded, so its jobs would fail before training: {e.Message}";
        }
    }
}

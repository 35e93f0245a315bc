namespace SweepRunner.Reports.Html;

/// <summary>
/// What an hour of training time is called in the report: a "GPU hour" only when every job trained on a CUDA device,
/// a "CPU hour" when every job trained on the CPU, else an "hour of training".
/// </summary>
public static class TrainingHour
{
    public static string Name(IEnumerable<string?> devices)
    {
        var kinds = devices.Where(device => device is not null).Select(device => Kind(device!)).Distinct().ToList();
        return kinds.Count == 1 && kinds[0] is { } kind ? kind + " hour" : "hour of training";
    }

    private static string? Kind(string device) =>
        device.StartsWith("cuda", StringComparison.OrdinalIgnoreCase) ? "GPU"
        : device.Equals("cpu", StringComparison.OrdinalIgnoreCase) ? "CPU"
        : null;
}

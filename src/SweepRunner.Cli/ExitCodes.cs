namespace SweepRunner.Cli;

public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    /// <summary>Invalid input: a sweep file, a setting or an argument.</summary>
    public const int Usage = 2;
}

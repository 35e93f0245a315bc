namespace SweepRunner.Cli;

public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    /// <summary>Invalid input: a sweep file, a setting or an argument.</summary>
    public const int Usage = 2;
    /// <summary>Stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it); run the command again to resume.</summary>
    public const int Stopped = 130;
}

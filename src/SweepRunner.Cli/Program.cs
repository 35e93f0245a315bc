using SweepRunner.Cli.Hosting;

return CliApp.Run(CliConsole.System(), args);

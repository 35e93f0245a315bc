using System.Globalization;
using SweepRunner.Store.TestWriter;

// Usage:
//   concurrent <results folder> <writer name> <seconds> <sweep name>
//       trains the sweep's jobs over and over (attempt, metrics, timings, job score, event) until the time is up,
//       then prints what it wrote as "written attempts=… metrics=… scores=… events=…".
//   crash <results folder> <writer name> <jobs per sweep> <metrics per batch>
//       registers sweeps and writes whole attempts until killed, printing "committed N" after each.
try
{
    switch (args)
    {
        case ["concurrent", var results, var writer, var seconds, var sweep]:
            var written = await ConcurrentWriter.RunAsync(results, writer, TimeSpan.FromSeconds(double.Parse(seconds, CultureInfo.InvariantCulture)), sweep);
            Console.WriteLine(written);
            return 0;
        case ["crash", var results, var writer, var jobsPerSweep, var metricsPerBatch]:
            await CrashWriter.RunUntilKilledAsync(
                results, writer, int.Parse(jobsPerSweep, CultureInfo.InvariantCulture), int.Parse(metricsPerBatch, CultureInfo.InvariantCulture));
            return 0;
        default:
            Console.Error.WriteLine("usage: concurrent <results> <writer> <seconds> <sweep> | crash <results> <writer> <jobs per sweep> <metrics per batch>");
            return 2;
    }
}
catch (Exception exception)
{
    Console.Error.WriteLine(exception);
    return 1;
}

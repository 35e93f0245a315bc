using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace SweepRunner.TestSupport.Fuzzing;

/// <summary>What a fuzz run did: cases run, how many the parser refused as bad input, the slowest case and the total time.</summary>
public sealed record FuzzSummary(string Target, int Cases, int Refused, TimeSpan Slowest, TimeSpan Total)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Target}: {Cases} cases ({Refused} refused as bad input) in {Total.TotalSeconds:0.00} s, slowest {Slowest.TotalMilliseconds:0} ms");
}

/// <summary>
/// Runs a parser over its seed inputs and then over mutated cases. A case fails when the parser throws anything but
/// its documented bad-input exceptions, or takes longer than the per-case limit; the test then fails, printing each
/// failing input as an escaped C# string (to paste into the corpus as a regression seed) and what happened.
/// </summary>
public static class Fuzzer
{
    /// <summary>Per-case limit: a parser of small inputs that takes longer has a complexity or hang bug.</summary>
    public static readonly TimeSpan DefaultCaseLimit = TimeSpan.FromSeconds(2);

    /// <param name="target">Names the parser in messages.</param>
    /// <param name="seeds">The corpus; each seed is also run unchanged.</param>
    /// <param name="tokens">Pieces of the format the mutator inserts.</param>
    /// <param name="cases">Mutated cases after the seeds.</param>
    /// <param name="seed">The mutator's random seed.</param>
    /// <param name="parse">Parses one input; may assert properties of what it returns.</param>
    /// <param name="badInput">The exception types the parser documents for bad input (subclasses count).</param>
    public static FuzzSummary Run(string target, IReadOnlyList<byte[]> seeds, IEnumerable<string> tokens, int cases, int seed,
        Action<byte[]> parse, params Type[] badInput) =>
        Run(target, seeds, tokens, cases, seed, DefaultCaseLimit, parse, badInput);

    public static FuzzSummary Run(string target, IReadOnlyList<byte[]> seeds, IEnumerable<string> tokens, int cases, int seed, TimeSpan caseLimit,
        Action<byte[]> parse, params Type[] badInput)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentNullException.ThrowIfNull(parse);
        // For a longer hunt by hand: SWEEPRUNNER_FUZZ_SEED=7 SWEEPRUNNER_FUZZ_SCALE=20 dotnet test --filter Fuzz…
        if (int.TryParse(Environment.GetEnvironmentVariable("SWEEPRUNNER_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var chosen)) seed += chosen;
        if (int.TryParse(Environment.GetEnvironmentVariable("SWEEPRUNNER_FUZZ_SCALE"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var scale) && scale > 0) cases *= scale;
        target = string.Create(CultureInfo.InvariantCulture, $"{target} (mutator seed {seed})");
        var mutator = new Mutator(seed, seeds, tokens);
        var failures = new List<string>();
        var refused = 0;
        var ran = 0;
        var slowest = TimeSpan.Zero;
        var all = seeds.Count + cases;
        // The code under test is compiled on first use: one untimed run keeps that out of the first case's time.
        try
        {
            parse(seeds[0]);
        }
#pragma warning disable CA1031 // The warm-up's outcome is checked as case 0.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        var total = Stopwatch.StartNew();
        var current = (Name: "", Input: Array.Empty<byte>(), Started: 0L);
        var gate = new object();
        // The cases run on one worker thread, watched from this one, so that a case that hangs fails the test instead of stopping it.
        var loop = Task.Factory.StartNew(() =>
        {
            for (var index = 0; index < all && failures.Count < 5; index++)
            {
                var (input, steps) = index < seeds.Count ? (seeds[index], $"seed {index} unchanged") : mutator.Next();
                var name = $"{target} case {index} ({steps})";
                lock (gate) current = (name, input, Stopwatch.GetTimestamp());
                Exception? thrown = null;
                var clock = Stopwatch.StartNew();
                try
                {
                    parse(input);
                }
#pragma warning disable CA1031 // Every exception is judged below: expected bad input, or a failure.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    thrown = e;
                }
                var took = clock.Elapsed;
                lock (gate)
                {
                    current = ("", [], 0);
                    ran++;
                    if (took > slowest) slowest = took;
                    if (took > caseLimit)
                        failures.Add(string.Create(CultureInfo.InvariantCulture, $"{name} took {took.TotalSeconds:0.00} s (limit {caseLimit.TotalSeconds:0.#} s); input {Escape(input)}"));
                    if (thrown is null) continue;
                    if (badInput.Any(type => type.IsInstanceOfType(thrown)))
                        refused++;
                    else
                        failures.Add($"{name} threw {thrown.GetType().FullName}: {thrown.Message}{Environment.NewLine}  input {Escape(input)}{Environment.NewLine}{Top(thrown)}");
                }
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        while (!loop.Wait(TimeSpan.FromMilliseconds(100)))
        {
            lock (gate)
            {
                if (current.Started == 0 || Stopwatch.GetElapsedTime(current.Started) < caseLimit * 5) continue;
                Assert.Fail($"{current.Name} did not finish in {(caseLimit * 5).TotalSeconds:0} s; input {Escape(current.Input)}");
            }
        }
        loop.GetAwaiter().GetResult();

        var summary = new FuzzSummary(target, ran, refused, slowest, total.Elapsed);
        if (failures.Count > 0)
            Assert.Fail($"{summary}; {failures.Count} failing case(s) (at most five are listed):{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
        return summary;
    }

    /// <summary>The first frames of the stack, enough to find the throwing code.</summary>
    static string Top(Exception e) =>
        string.Join(Environment.NewLine, (e.StackTrace ?? "").Split('\n').Take(8).Select(line => "    " + line.Trim()));

    /// <summary><paramref name="input"/> as a C# string literal when it is valid UTF-8 (control characters escaped), else as a byte array.</summary>
    public static string Escape(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(input);
        }
        catch (DecoderFallbackException)
        {
            return $"new byte[] {{ {string.Join(", ", input.Select(b => string.Create(CultureInfo.InvariantCulture, $"0x{b:X2}")))} }}";
        }
        return Escape(text);
    }

    /// <summary><paramref name="text"/> as a C# string literal.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var literal = new StringBuilder("\"");
        foreach (var c in text)
        {
            literal.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029' or '\uFEFF' => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => c.ToString(),
            });
        }
        return literal.Append('"').ToString();
    }

    /// <summary>The corpus as bytes (UTF-8).</summary>
    public static IReadOnlyList<byte[]> Utf8(params string[] seeds) => [.. seeds.Select(Encoding.UTF8.GetBytes)];
}

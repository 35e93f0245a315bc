using System.Globalization;

namespace SweepRunner.Core.Settings;

/// <summary>
/// sd-scripts optimizer_args: whitespace-separated key=value pairs, each key once. The one parser of them: planning
/// checks sweeps with it and training reads its typed values, so a sweep that plans cleanly trains.
/// <see cref="Check"/> then applies an optimizer's argument grammar (<see cref="OptimizerEntry.Arguments"/>): values are
/// Python literals (True/False, None, numbers, inf, and two-number tuples such as betas=0.9,0.99 or betas=(0.9,0.99)).
/// </summary>
public sealed class OptimizerArguments
{
    readonly List<KeyValuePair<string, string>> _pairs;

    OptimizerArguments(string? optimizer, List<KeyValuePair<string, string>> pairs)
    {
        Optimizer = optimizer;
        _pairs = pairs;
    }

    /// <summary>The optimizer_type spelling the arguments were given for (used in messages); null when unknown.</summary>
    public string? Optimizer { get; }

    /// <summary>The pairs in the order written.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Pairs => _pairs;

    public int Count => _pairs.Count;

    public bool TryGetValue(string key, out string value)
    {
        foreach (var pair in _pairs)
        {
            if (pair.Key == key)
            {
                value = pair.Value;
                return true;
            }
        }

        value = "";
        return false;
    }

    /// <summary>Splits <paramref name="text"/> into pairs.</summary>
    /// <exception cref="OptimizerArgumentException">An item that is not key=value (a bare word, 'k=', '=v', 'a=b=c') or a key given twice.</exception>
    public static OptimizerArguments Parse(string? text, string? optimizer = null)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return new OptimizerArguments(optimizer, pairs);
        }

        foreach (var token in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = token.IndexOf('=');
            if (equals == token.Length - 1 && equals > 0)
            {
                var empty = token[..equals];
                throw new OptimizerArgumentException(optimizer, empty, $"'{empty}' has no value: write {empty}=<value>");
            }

            if (equals <= 0 || token.IndexOf('=', equals + 1) >= 0)
            {
                throw new OptimizerArgumentException(optimizer, null, $"'{token}' is not of the form key=value");
            }

            var key = token[..equals];
            if (pairs.Any(p => p.Key == key))
            {
                throw new OptimizerArgumentException(optimizer, key, $"'{key}' is given more than once");
            }

            pairs.Add(new(key, token[(equals + 1)..]));
        }

        return new OptimizerArguments(optimizer, pairs);
    }

    /// <summary>Parses <paramref name="text"/> for the optimizer <paramref name="optimizerType"/> names and checks it against that optimizer's grammar.</summary>
    /// <exception cref="ArgumentException">An unknown optimizer type.</exception>
    /// <exception cref="OptimizerArgumentException">Text that is not key=value pairs, an unknown key or a bad value.</exception>
    public static OptimizerArgumentValues Validate(string? optimizerType, string? text)
    {
        var spelling = OptimizerRegistry.Spelling(optimizerType)
            ?? throw new ArgumentException($"unknown optimizer_type '{optimizerType}' (supported: {string.Join(", ", OptimizerRegistry.Spellings)})", nameof(optimizerType));
        return Parse(text, spelling).Check(OptimizerRegistry.Find(spelling)!);
    }

    /// <summary>The pairs sorted by key: equal for equal arguments however they were ordered.</summary>
    public string Canonical() =>
        string.Join(" ", _pairs.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    public static string Canonical(string? text) => Parse(text).Canonical();

    /// <summary>
    /// The typed values for <paramref name="optimizer"/>: every value is checked against the kind and range its key
    /// has in the optimizer's grammar (in grammar order), then any key the grammar lacks is refused.
    /// </summary>
    /// <exception cref="OptimizerArgumentException">An unknown key or a bad value.</exception>
    public OptimizerArgumentValues Check(OptimizerEntry optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        var name = Optimizer ?? optimizer.Name;
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var argument in optimizer.Arguments)
        {
            if (TryGetValue(argument.Key, out var text))
            {
                values[argument.Key] = Convert(name, argument, text);
            }
        }

        var unknown = _pairs.Select(p => p.Key).Where(key => optimizer.Argument(key) is null).OrderBy(key => key, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            var list = optimizer.Arguments.Count == 0 ? "none" : string.Join(", ", optimizer.Arguments.Select(a => a.Key));
            var what = unknown.Count == 1 ? $"unknown key '{unknown[0]}'" : $"unknown keys {string.Join(", ", unknown.Select(key => $"'{key}'"))}";
            throw new OptimizerArgumentException(name, unknown[0], $"{what} (accepted: {list})");
        }

        return new OptimizerArgumentValues(name, optimizer, values);
    }

    static object? Convert(string optimizer, OptimizerArgument argument, string text)
    {
        var key = argument.Key;
        switch (argument.Kind)
        {
            case OptimizerArgumentKind.Number:
                return InRange(optimizer, argument, Number(optimizer, key, text));
            case OptimizerArgumentKind.NumberOrNone:
                return text == "None" ? null : InRange(optimizer, argument, Number(optimizer, key, text));
            case OptimizerArgumentKind.WholeNumber:
                if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole))
                {
                    throw new OptimizerArgumentException(optimizer, key, $"'{key}' must be a whole number, got '{text}'");
                }

                if (argument.Range is { } range && !range.Contains(whole))
                {
                    throw new OptimizerArgumentException(optimizer, key, $"'{key}' must be {range.Requirement}, got {text}");
                }

                return whole;
            case OptimizerArgumentKind.Boolean:
                return text.ToLowerInvariant() switch
                {
                    "true" => true,
                    "false" => false,
                    _ => throw new OptimizerArgumentException(optimizer, key, $"'{key}' must be True or False, got '{text}'"),
                };
            default:
                var inner = text.StartsWith('(') && text.EndsWith(')') || text.StartsWith('[') && text.EndsWith(']') ? text[1..^1] : text;
                var parts = inner.Split(',', StringSplitOptions.TrimEntries);
                if (parts.Length != 2 || parts.Any(part => part.Length == 0))
                {
                    throw new OptimizerArgumentException(optimizer, key, $"'{key}' must be two numbers such as {key}=0.9,0.99, got '{text}'");
                }

                var first = Number(optimizer, key, parts[0]);
                var second = Number(optimizer, key, parts[1]);
                InRange(optimizer, argument, first);
                InRange(optimizer, argument, second);
                return (first, second);
        }
    }

    static double Number(string optimizer, string key, string text)
    {
        var lower = text.ToLowerInvariant();
        if (lower is "inf" or "float('inf')" or "float(\"inf\")" or "math.inf")
        {
            return double.PositiveInfinity;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsNaN(value))
        {
            throw new OptimizerArgumentException(optimizer, key, $"'{key}' must be a number, got '{text}'");
        }

        return value;
    }

    static double InRange(string optimizer, OptimizerArgument argument, double value)
    {
        if (argument.Range is { } range && !range.Contains(value))
        {
            throw new OptimizerArgumentException(optimizer, argument.Key,
                $"'{argument.Key}' must be {range.Requirement}, got {value.ToString(CultureInfo.InvariantCulture)}");
        }

        return value;
    }
}

/// <summary>
/// optimizer_args checked against one optimizer's grammar, as typed values. An optimizer reads each key it uses with
/// the reader of the key's kind and its own default; reading a key the grammar lacks, or with another kind, is a
/// programming error.
/// </summary>
public sealed class OptimizerArgumentValues
{
    readonly IReadOnlyDictionary<string, object?> _values;
    readonly List<string> _read = [];

    internal OptimizerArgumentValues(string optimizer, OptimizerEntry entry, IReadOnlyDictionary<string, object?> values)
    {
        Optimizer = optimizer;
        Entry = entry;
        _values = values;
    }

    /// <summary>The optimizer_type spelling given (an alias stays an alias).</summary>
    public string Optimizer { get; }

    public OptimizerEntry Entry { get; }

    /// <summary>The keys given, in grammar order.</summary>
    public IReadOnlyCollection<string> Keys => [.. Entry.Arguments.Select(a => a.Key).Where(_values.ContainsKey)];

    /// <summary>The keys read so far, in the order first read.</summary>
    public IReadOnlyList<string> KeysRead => _read;

    public double Double(string key, double fallback) => Read(key, OptimizerArgumentKind.Number, out var value) ? (double)value! : fallback;

    /// <summary>A number or None (for example Adafactor's beta1 or Prodigy's beta3).</summary>
    public double? NullableDouble(string key, double? fallback) => Read(key, OptimizerArgumentKind.NumberOrNone, out var value) ? (double?)value : fallback;

    public int Int(string key, int fallback) => Read(key, OptimizerArgumentKind.WholeNumber, out var value) ? (int)value! : fallback;

    public bool Bool(string key, bool fallback) => Read(key, OptimizerArgumentKind.Boolean, out var value) ? (bool)value! : fallback;

    /// <summary>Two numbers, e.g. betas=0.9,0.99 or eps=(1e-30,1e-3).</summary>
    public (double First, double Second) Pair(string key, (double First, double Second) fallback) =>
        Read(key, OptimizerArgumentKind.NumberPair, out var value) ? ((double, double))value! : fallback;

    bool Read(string key, OptimizerArgumentKind kind, out object? value)
    {
        var argument = Entry.Argument(key)
            ?? throw new InvalidOperationException($"{Entry.Name} reads optimizer_args key '{key}', which its registry entry does not list");
        if (argument.Kind != kind)
        {
            throw new InvalidOperationException($"{Entry.Name} reads optimizer_args key '{key}' as {kind}, but its registry entry says {argument.Kind}");
        }

        if (!_read.Contains(key))
        {
            _read.Add(key);
        }

        return _values.TryGetValue(key, out value);
    }
}

using System.Globalization;

namespace SweepRunner.Training.Optimizers;

/// <summary>
/// sd-scripts optimizer_args: space-separated key=value pairs whose values are Python literals
/// (True/False, None, numbers, and comma-separated tuples such as betas=0.9,0.99 or betas=(0.9,0.99)).
/// Each optimizer reads the keys it accepts; <see cref="EnsureAllRead"/> then rejects any other key.
/// </summary>
public sealed class OptimizerArguments
{
    readonly Dictionary<string, string> values;
    readonly List<string> accepted = [];

    OptimizerArguments(string optimizer, Dictionary<string, string> values)
    {
        Optimizer = optimizer;
        this.values = values;
    }

    public string Optimizer { get; }

    /// <summary>Every key given, in no particular order.</summary>
    public IReadOnlyCollection<string> Keys => values.Keys;

    public static OptimizerArguments Parse(string optimizer, string? text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(text))
        {
            return new OptimizerArguments(optimizer, values);
        }

        foreach (var token in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = token.IndexOf('=');
            if (equals <= 0 || equals == token.Length - 1 || token.IndexOf('=', equals + 1) >= 0)
            {
                throw new OptimizerArgumentException(optimizer, null, $"'{token}' is not of the form key=value");
            }

            var key = token[..equals];
            if (!values.TryAdd(key, token[(equals + 1)..]))
            {
                throw new OptimizerArgumentException(optimizer, key, $"'{key}' is given more than once");
            }
        }

        return new OptimizerArguments(optimizer, values);
    }

    public double Double(string key, double fallback, Func<double, bool>? valid = null, string? requirement = null)
    {
        Accept(key);
        if (!values.TryGetValue(key, out var text))
        {
            return fallback;
        }

        var value = ParseNumber(key, text);
        CheckRange(key, value, valid, requirement);
        return value;
    }

    /// <summary>A number or None (for example Adafactor's beta1 or Prodigy's beta3).</summary>
    public double? NullableDouble(string key, double? fallback, Func<double, bool>? valid = null, string? requirement = null)
    {
        Accept(key);
        if (!values.TryGetValue(key, out var text))
        {
            return fallback;
        }

        if (text == "None")
        {
            return null;
        }

        var value = ParseNumber(key, text);
        CheckRange(key, value, valid, requirement);
        return value;
    }

    public int Int(string key, int fallback, Func<int, bool>? valid = null, string? requirement = null)
    {
        Accept(key);
        if (!values.TryGetValue(key, out var text))
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            throw new OptimizerArgumentException(Optimizer, key, $"'{key}' must be a whole number, got '{text}'");
        }

        if (valid is not null && !valid(value))
        {
            throw new OptimizerArgumentException(Optimizer, key, $"'{key}' must be {requirement}, got {text}");
        }

        return value;
    }

    public bool Bool(string key, bool fallback)
    {
        Accept(key);
        if (!values.TryGetValue(key, out var text))
        {
            return fallback;
        }

        return text.ToLowerInvariant() switch
        {
            "true" => true,
            "false" => false,
            _ => throw new OptimizerArgumentException(Optimizer, key, $"'{key}' must be True or False, got '{text}'"),
        };
    }

    /// <summary>Two numbers, e.g. betas=0.9,0.99 or eps=(1e-30,1e-3).</summary>
    public (double First, double Second) Pair(string key, (double First, double Second) fallback, Func<double, bool>? valid = null, string? requirement = null)
    {
        Accept(key);
        if (!values.TryGetValue(key, out var text))
        {
            return fallback;
        }

        var inner = text.StartsWith('(') && text.EndsWith(')') || text.StartsWith('[') && text.EndsWith(']') ? text[1..^1] : text;
        var parts = inner.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || parts.Any(part => part.Length == 0))
        {
            throw new OptimizerArgumentException(Optimizer, key, $"'{key}' must be two numbers such as {key}=0.9,0.99, got '{text}'");
        }

        var first = ParseNumber(key, parts[0]);
        var second = ParseNumber(key, parts[1]);
        CheckRange(key, first, valid, requirement);
        CheckRange(key, second, valid, requirement);
        return (first, second);
    }

    /// <summary>Throws for any key that no reader asked for, naming the keys the optimizer accepts.</summary>
    public void EnsureAllRead()
    {
        var unknown = values.Keys.Where(key => !accepted.Contains(key)).OrderBy(key => key, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            var list = accepted.Count == 0 ? "none" : string.Join(", ", accepted);
            var what = unknown.Count == 1 ? $"unknown key '{unknown[0]}'" : $"unknown keys {string.Join(", ", unknown.Select(key => $"'{key}'"))}";
            throw new OptimizerArgumentException(Optimizer, unknown[0], $"{what} (accepted: {list})");
        }
    }

    void Accept(string key)
    {
        if (!accepted.Contains(key))
        {
            accepted.Add(key);
        }
    }

    double ParseNumber(string key, string text)
    {
        var lower = text.ToLowerInvariant();
        if (lower is "inf" or "float('inf')" or "float(\"inf\")" or "math.inf")
        {
            return double.PositiveInfinity;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsNaN(value))
        {
            throw new OptimizerArgumentException(Optimizer, key, $"'{key}' must be a number, got '{text}'");
        }

        return value;
    }

    void CheckRange(string key, double value, Func<double, bool>? valid, string? requirement)
    {
        if (valid is not null && !valid(value))
        {
            throw new OptimizerArgumentException(Optimizer, key, $"'{key}' must be {requirement}, got {value.ToString(CultureInfo.InvariantCulture)}");
        }
    }
}

using System.Globalization;
using System.Text;

namespace SweepRunner.Diffusion.Lora;

/// <summary>
/// Values the way sd-scripts writes them into LoRA metadata: Python's str() of numbers, booleans and None, and
/// json.dumps with its default ", " and ": " separators.
/// </summary>
public static class PythonText
{
    /// <summary>Python's repr/str of a float: shortest round-trip digits, ".0" for whole numbers, exponent form below 1e-4 and from 1e16.</summary>
    public static string Float(double value)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsPositiveInfinity(value)) return "inf";
        if (double.IsNegativeInfinity(value)) return "-inf";
        if (value == 0) return double.IsNegative(value) ? "-0.0" : "0.0";
        var sign = value < 0 ? "-" : "";
        // Shortest round-trip digits come from "R"; split them into digits and a decimal exponent.
        var shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        string mantissa;
        int exponent;
        var e = shortest.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            mantissa = shortest[..e];
            exponent = int.Parse(shortest[(e + 1)..], CultureInfo.InvariantCulture);
        }
        else
        {
            mantissa = shortest;
            exponent = 0;
        }
        var point = mantissa.IndexOf('.');
        var intPart = point >= 0 ? mantissa[..point] : mantissa;
        var fracPart = point >= 0 ? mantissa[(point + 1)..] : "";
        var digits = (intPart + fracPart).TrimStart('0');
        var leadingZeros = (intPart + fracPart).Length - (intPart + fracPart).TrimStart('0').Length;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0) digits = "0";
        // Decimal exponent of the first significant digit.
        var decimalExponent = exponent + intPart.Length - 1 - leadingZeros;
        if (decimalExponent < -4 || decimalExponent >= 16)
        {
            var m = digits.Length > 1 ? digits[0] + "." + digits[1..] : digits;
            return $"{sign}{m}e{(decimalExponent < 0 ? "-" : "+")}{Math.Abs(decimalExponent):00}";
        }
        if (decimalExponent < 0)
            return $"{sign}0.{new string('0', -decimalExponent - 1)}{digits}";
        var whole = digits.Length > decimalExponent + 1 ? digits[..(decimalExponent + 1)] : digits.PadRight(decimalExponent + 1, '0');
        var fraction = digits.Length > decimalExponent + 1 ? digits[(decimalExponent + 1)..] : "0";
        return $"{sign}{whole}.{fraction}";
    }

    /// <summary>Python's str() of a setting value: None, True/False, ints, floats as <see cref="Float"/>, text as is.</summary>
    public static string Str(object? value) => value switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        double d => Float(d),
        float f => Float(f),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "None",
    };

    /// <summary>json.dumps of a string (ensure_ascii: non-ASCII as \uXXXX).</summary>
    public static string JsonString(string value)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\b' => "\\b",
                '\f' => "\\f",
                < ' ' or > '~' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return builder.Append('"').ToString();
    }

    /// <summary>json.dumps of a dictionary of already-encoded JSON values, in the given order.</summary>
    public static string JsonObject(IEnumerable<KeyValuePair<string, string>> encodedValues) =>
        "{" + string.Join(", ", encodedValues.Select(p => $"{JsonString(p.Key)}: {p.Value}")) + "}";
}

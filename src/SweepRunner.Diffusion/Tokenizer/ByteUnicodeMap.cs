namespace SweepRunner.Diffusion.Tokenizer;

/// <summary>
/// The byte-level alphabet of GPT-2/CLIP BPE: every byte maps to one printable character, so BPE can work
/// on text without whitespace or control characters. Printable Latin-1 bytes map to themselves; the other
/// bytes map to U+0100 onwards in increasing byte order.
/// </summary>
public static class ByteUnicodeMap
{
    static readonly char[] ByteToChar;
    static readonly Dictionary<char, byte> CharToByte;

    /// <summary>The 256 byte characters in vocabulary order: the self-mapped bytes first, then the rest.</summary>
    public static IReadOnlyList<char> VocabularyOrder { get; }

    static ByteUnicodeMap()
    {
        ByteToChar = new char[256];
        var order = new List<char>(256);
        var selfMapped = new bool[256];
        foreach (var (from, to) in new[] { ('!', '~'), ('¡', '¬'), ('®', 'ÿ') })
            for (var c = from; c <= to; c++)
            {
                selfMapped[c] = true;
                ByteToChar[c] = c;
                order.Add(c);
            }
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            if (selfMapped[b]) continue;
            ByteToChar[b] = (char)next++;
            order.Add(ByteToChar[b]);
        }
        VocabularyOrder = order;
        CharToByte = new Dictionary<char, byte>(256);
        for (var b = 0; b < 256; b++) CharToByte[ByteToChar[b]] = (byte)b;
    }

    /// <summary>The character that stands for <paramref name="value"/>.</summary>
    public static char Encode(byte value) => ByteToChar[value];

    /// <summary>The UTF-8 bytes of <paramref name="text"/>, one character per byte.</summary>
    public static string Encode(string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        var chars = new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++) chars[i] = ByteToChar[bytes[i]];
        return new string(chars);
    }

    /// <summary>The byte a character stands for, or false when it is not part of the alphabet.</summary>
    public static bool TryDecode(char c, out byte value) => CharToByte.TryGetValue(c, out value);
}

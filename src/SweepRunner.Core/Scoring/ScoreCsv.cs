using System.Globalization;
using SweepRunner.Core.Text;

namespace SweepRunner.Core.Scoring;

/// <summary>One score read from a CSV file, with the line it came from.</summary>
public sealed record ScoreCsvRow(int Line, string Label, double Value, long? Epoch, string Scorer, string? Note);

/// <summary>A score CSV that cannot be imported; the message names the file, the line and what to change.</summary>
public sealed class ScoreCsvException(string message) : Exception(message);

/// <summary>
/// Reads scores to import: a header row naming the columns <c>label</c> and <c>score</c> (required), and
/// <c>epoch</c>, <c>scorer</c>, <c>note</c> (optional), in any order. An empty scorer falls back to the default.
/// </summary>
public static class ScoreCsv
{
    private static readonly string[] KnownColumns = ["label", "score", "epoch", "scorer", "note"];
    private const string RemoveFromFile = "remove them from the file";

    public static IReadOnlyList<ScoreCsvRow> Parse(string text, string fileName, string defaultScorer)
    {
        IReadOnlyList<CsvRecord> records;
        try
        {
            records = CsvRecords.Read(text.TrimStart('\uFEFF'), fileName);
        }
        catch (FormatException e)
        {
            throw new ScoreCsvException(e.Message);
        }

        if (records.Count == 0)
        {
            throw new ScoreCsvException($"{fileName}: the file is empty; it needs a header row such as 'label,score,epoch,scorer,note'");
        }

        var columns = ReadHeader(records[0], fileName);
        var problems = new List<string>();
        var rows = new List<ScoreCsvRow>();
        foreach (var record in records.Skip(1))
        {
            try
            {
                rows.Add(ReadRow(record, columns, fileName, defaultScorer));
            }
            catch (ScoreCsvException e)
            {
                problems.Add(e.Message);
            }
        }

        if (problems.Count > 0)
        {
            throw new ScoreCsvException(string.Join(Environment.NewLine, problems));
        }

        if (rows.Count == 0)
        {
            throw new ScoreCsvException($"{fileName}: the file has a header but no scores");
        }

        return rows;
    }

    private static Dictionary<string, int> ReadHeader(CsvRecord header, string fileName)
    {
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var index = 0; index < header.Fields.Count; index++)
        {
            var name = header.Fields[index].Trim().ToLowerInvariant();
            name = name == "value" ? "score" : name;
            if (!KnownColumns.Contains(name))
            {
                var hint = ClosestMatch.Find(name, KnownColumns) is { } closest ? $" (did you mean '{closest}'?)" : "";
                throw new ScoreCsvException(
                    $"{fileName} line {header.Line}: unknown column '{header.Fields[index]}'{hint}; the columns are {string.Join(", ", KnownColumns)}");
            }

            if (!columns.TryAdd(name, index))
            {
                throw new ScoreCsvException($"{fileName} line {header.Line}: the column '{name}' appears twice");
            }
        }

        foreach (var required in new[] { "label", "score" })
        {
            if (!columns.ContainsKey(required))
            {
                throw new ScoreCsvException(
                    $"{fileName} line {header.Line}: the header has no '{required}' column; the first row must name the columns, e.g. 'label,score,epoch,scorer,note'");
            }
        }

        return columns;
    }

    private static ScoreCsvRow ReadRow(CsvRecord record, Dictionary<string, int> columns, string fileName, string defaultScorer)
    {
        var where = $"{fileName} line {record.Line}";
        if (record.Fields.Count > columns.Count)
        {
            throw new ScoreCsvException($"{where}: {record.Fields.Count} fields but the header names {columns.Count} columns; quote fields that contain commas");
        }

        string Field(string column) =>
            columns.TryGetValue(column, out var index) && index < record.Fields.Count ? record.Fields[index].Trim() : "";

        var label = Field("label");
        if (label.Length == 0)
        {
            throw new ScoreCsvException($"{where}: the label is empty; give the job's label as 'sweeprunner status' shows it");
        }

        var scoreText = Field("score");
        if (!ScoreRange.TryParse(scoreText, out var value))
        {
            throw new ScoreCsvException($"{where}: {ScoreRange.Problem($"'{scoreText}'")}");
        }

        long? epoch = null;
        var epochText = Field("epoch");
        if (epochText.Length > 0)
        {
            if (!long.TryParse(epochText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) || parsed < 1)
            {
                throw new ScoreCsvException($"{where}: the epoch '{epochText}' is not a whole number of 1 or more; leave it empty to score the final LoRA");
            }

            epoch = parsed;
        }

        var scorer = Field("scorer");
        // A quoted note may span lines; a file saved with CRLF line ends gives them as CRLF.
        var note = Field("note").Replace("\r\n", "\n", StringComparison.Ordinal);
        if ((ScoreText.ScorerProblem(scorer, "the scorer", RemoveFromFile) ?? ScoreText.NoteProblem(note, "the note", RemoveFromFile)) is { } textProblem)
        {
            throw new ScoreCsvException($"{where}: {textProblem}");
        }

        return new ScoreCsvRow(record.Line, label, value, epoch, scorer.Length > 0 ? scorer : defaultScorer, note.Length > 0 ? note : null);
    }
}

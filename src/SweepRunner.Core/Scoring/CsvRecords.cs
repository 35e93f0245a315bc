using System.Text;

namespace SweepRunner.Core.Scoring;

/// <summary>One CSV record and the line it starts on (a quoted field may span lines).</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>Reads RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF line ends).</summary>
public static class CsvRecords
{
    public static IReadOnlyList<CsvRecord> Read(string text, string fileName)
    {
        var records = new List<CsvRecord>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoted = false;
        var fieldWasQuoted = false;
        for (var index = 0; index < text.Length; index++)
        {
            var character = text[index];
            if (quoted)
            {
                if (character == '"' && index + 1 < text.Length && text[index + 1] == '"')
                {
                    field.Append('"');
                    index++;
                }
                else if (character == '"')
                {
                    quoted = false;
                }
                else
                {
                    if (character == '\n') line++;
                    field.Append(character);
                }

                continue;
            }

            switch (character)
            {
                case '"' when field.Length == 0 && !fieldWasQuoted:
                    quoted = true;
                    fieldWasQuoted = true;
                    break;
                case '"':
                    throw new FormatException($"{fileName} line {line}: a quote inside an unquoted field; quote the whole field and double the quote (\"\")");
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldWasQuoted = false;
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldWasQuoted = false;
                    AddUnlessBlank(records, recordLine, fields);
                    fields = [];
                    line++;
                    recordLine = line;
                    break;
                default:
                    if (fieldWasQuoted)
                    {
                        throw new FormatException($"{fileName} line {line}: text after a closing quote; put the whole field in quotes");
                    }

                    field.Append(character);
                    break;
            }
        }

        if (quoted)
        {
            throw new FormatException($"{fileName} line {recordLine}: a quoted field is never closed");
        }

        fields.Add(field.ToString());
        AddUnlessBlank(records, recordLine, fields);
        return records;
    }

    private static void AddUnlessBlank(List<CsvRecord> records, int line, List<string> fields)
    {
        if (fields.Count == 1 && fields[0].Trim().Length == 0)
        {
            return;
        }

        records.Add(new CsvRecord(line, fields));
    }
}

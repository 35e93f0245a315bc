using System.Text;

namespace SweepRunner.TestSupport;

/// <summary>Reads RFC 4180 CSV back into records, independently of the writer under test.</summary>
public static class CsvText
{
    public static List<List<string>> Parse(string text)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var index = 0; index < text.Length; index++)
        {
            var character = text[index];
            if (quoted)
            {
                if (character != '"')
                {
                    field.Append(character);
                }
                else if (index + 1 < text.Length && text[index + 1] == '"')
                {
                    field.Append('"');
                    index++;
                }
                else
                {
                    quoted = false;
                }
            }
            else if (character == '"')
            {
                quoted = true;
            }
            else if (character == ',')
            {
                record.Add(field.ToString());
                field.Clear();
            }
            else if (character == '\r' && index + 1 < text.Length && text[index + 1] == '\n')
            {
                record.Add(field.ToString());
                field.Clear();
                records.Add(record);
                record = [];
                index++;
            }
            else
            {
                field.Append(character);
            }
        }

        Assert.False(quoted, "the CSV ends inside a quoted field");
        Assert.True(field.Length == 0 && record.Count == 0, "the CSV does not end with CRLF");
        return records;
    }
}

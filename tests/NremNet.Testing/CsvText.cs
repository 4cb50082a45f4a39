using System.Text;

namespace NremNet.Testing;

/// <summary>
/// A strict RFC 4180 reader for tests, independent of the writers it checks: a quote opens a field only at its start,
/// doubled quotes inside a quoted field are one quote, records end with CRLF or LF (the last may have none), and a quote,
/// or a CR not before LF, outside a quoted field is an error, as is text after a quoted field's closing quote.
/// </summary>
public static class CsvText
{
    /// <summary>The records of <paramref name="text"/>, each a list of fields.</summary>
    /// <exception cref="FormatException">The text is not well-formed CSV; the message gives the offset.</exception>
    public static List<List<string>> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var wasQuoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0 && !wasQuoted)
            {
                quoted = wasQuoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
                wasQuoted = false;
            }
            else if (c == '\n' || (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n'))
            {
                i += c == '\r' ? 1 : 0;
                row.Add(field.ToString());
                field.Clear();
                wasQuoted = false;
                rows.Add(row);
                row = [];
            }
            else if (c is '"' or '\r' || wasQuoted)
            {
                throw new FormatException($"Unexpected character {(int)c} outside a quoted field at offset {i}.");
            }
            else
            {
                field.Append(c);
            }
        }

        if (quoted)
        {
            throw new FormatException("A quoted field is not closed at the end of the text.");
        }

        if (field.Length > 0 || row.Count > 0 || wasQuoted)
        {
            // The last record may end without a line end (RFC 4180 §2.2).
            row.Add(field.ToString());
            rows.Add(row);
        }

        return rows;
    }
}

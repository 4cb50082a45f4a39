namespace NremNet.Domain.Statistics.Data;

/// <summary>
/// The header row of a file: which field holds which column. Names match ignoring case and surrounding spaces; every
/// unknown, unnamed, duplicated or missing column is reported on the header's line.
/// </summary>
internal sealed class CsvHeader
{
    private readonly Dictionary<string, int> _indexes;
    private readonly string[] _names;

    private CsvHeader(Dictionary<string, int> indexes, string[] names, bool complete)
    {
        _indexes = indexes;
        _names = names;
        Complete = complete;
    }

    /// <summary>How many fields every row must have.</summary>
    public int FieldCount => _names.Length;

    /// <summary>Whether every required column is there.</summary>
    public bool Complete { get; }

    /// <summary>
    /// Reads the header from the reader's current row. <paramref name="required"/> and <paramref name="optional"/> are the
    /// canonical names, as problems name them.
    /// </summary>
    public static CsvHeader Read(CsvReader reader, IReadOnlyList<string> required, IReadOnlyList<string> optional, ProblemCollector problems)
    {
        var known = required.Concat(optional).ToList();
        var expected = optional.Count == 0
            ? $"expected the columns {string.Join(',', required)}"
            : $"expected the columns {string.Join(',', required)} and optionally {string.Join(", ", optional)}";
        var indexes = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new string[reader.FieldCount];
        if (reader.Problem is not null)
        {
            problems.Add(reader.ProblemLine, string.Empty, $"the header is malformed: {reader.Problem}");
        }

        for (var i = 0; i < reader.FieldCount; i++)
        {
            var text = reader[i].Trim();
            var name = Match(text, known);
            names[i] = name ?? text.ToString();
            if (text.IsEmpty)
            {
                problems.Add(reader.Line, string.Empty, $"column {i + 1} of the header has no name; {expected}");
            }
            else if (name is null)
            {
                problems.Add(reader.Line, names[i], $"unknown column {CsvValues.Show(text)}; {expected}");
            }
            else if (!indexes.TryAdd(name, i))
            {
                problems.Add(reader.Line, name, $"column '{name}' appears twice in the header; name each column once");
            }
        }

        var complete = true;
        foreach (var column in required)
        {
            if (!indexes.ContainsKey(column))
            {
                complete = false;
                problems.Add(reader.Line, column, $"required column '{column}' is missing from the header; {expected}");
            }
        }

        return new CsvHeader(indexes, names, complete);
    }

    private static string? Match(ReadOnlySpan<char> text, List<string> known)
    {
        foreach (var name in known)
        {
            if (text.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>The field of a column, or -1 when the header does not have it.</summary>
    public int IndexOf(string column) => _indexes.TryGetValue(column, out var index) ? index : -1;

    /// <summary>The name of a field's column as problems give it.</summary>
    public string NameOf(int field) => field >= 0 && field < _names.Length ? _names[field] : string.Empty;
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace NremNet.Domain.Documents;

/// <summary>Reads a code as files write it; false when the text is not one.</summary>
internal delegate bool CodeParser<T>(string code, out T value);

/// <summary>
/// One reading of a file: the problems of its shape (not YAML, unknown keys, wrong types, bad codes), each with its
/// line, and the line of every path read, so that the rules' problems found afterwards get their lines too.
/// </summary>
internal sealed class DocumentReading
{
    private readonly List<DocumentProblem> _problems = [];
    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);

    /// <summary>
    /// The root of the YAML in <paramref name="text"/>, or null (with the problem recorded) when it is not YAML or holds
    /// nothing, which <paramref name="ifEmpty"/> then says. <paramref name="lineOffset"/> is the number of file lines
    /// before the text.
    /// </summary>
    public YamlValue? Load(string text, string ifEmpty, int lineOffset = 0)
    {
        ArgumentNullException.ThrowIfNull(text);
        var before = _problems.Count;
        var root = YamlTree.Load(text, lineOffset, _problems);
        if (_problems.Count > before)
        {
            return null;
        }

        if (root is null || root.IsNull)
        {
            Problem(string.Empty, LineOf(string.Empty), ifEmpty);
            return null;
        }

        return root;
    }

    public void Problem(string path, int line, string message) => _problems.Add(new DocumentProblem(path, message) { Line = line });

    /// <summary>Notes the line of <paramref name="path"/>; the first note holds.</summary>
    public void Mark(string path, int line) => _lines.TryAdd(path, line);

    /// <summary>The line of <paramref name="path"/>, else of its nearest parent that was read, else line 1.</summary>
    public int LineOf(string path)
    {
        while (true)
        {
            if (_lines.TryGetValue(path, out var line))
            {
                return line;
            }

            if (path.Length == 0)
            {
                return 1;
            }

            path = path[..Math.Max(0, path.LastIndexOfAny(['.', '[']))];
        }
    }

    /// <summary>A mapping's fields, checked against <paramref name="keys"/>; null (with the problem) when it is not a mapping.</summary>
    public YamlFields? Fields(YamlValue value, string path, string what, IReadOnlyList<string> keys)
    {
        Mark(path, value.Line);
        if (value.Kind != YamlValueKind.Mapping)
        {
            Problem(path, value.Line, $"expected {what} (keys {string.Join(", ", keys)}), found {value.Describe()}");
            return null;
        }

        return new YamlFields(this, value, path, keys);
    }

    /// <summary>A scalar's text, empty for a null; null (with the problem) when it is a list or a mapping.</summary>
    public string? Text(YamlValue value, string path)
    {
        if (value.Kind == YamlValueKind.Scalar)
        {
            return value.IsNull ? string.Empty : value.Text;
        }

        Wrong(value, path, "text");
        return null;
    }

    public decimal? Number(YamlValue value, string path)
    {
        if (value.IsNumber && decimal.TryParse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        Wrong(value, path, value.IsNumber ? "a decimal number of at most 28 digits" : "a number (digits, '.' as decimal point, no quotes)");
        return null;
    }

    /// <summary>A coded value; the default (unspecified) when empty, or not a code (with the problem naming <paramref name="allowed"/>).</summary>
    public T Code<T>(YamlValue value, string path, CodeParser<T> parse, string what, string allowed)
        where T : struct
    {
        if (Text(value, path) is { Length: > 0 } code)
        {
            if (parse(code, out var parsed))
            {
                return parsed;
            }

            Problem(path, value.Line, $"'{ProblemList.Shown(code)}' is not {what}; one of {allowed}");
        }

        return default;
    }

    /// <summary>The elements of a list, each with its path marked; null (with the problem) when it is not a list.</summary>
    public IReadOnlyList<YamlValue>? List(YamlValue value, string path, string what)
    {
        if (value.Kind != YamlValueKind.Sequence)
        {
            Wrong(value, path, what);
            return null;
        }

        for (var i = 0; i < value.Items.Count; i++)
        {
            Mark($"{path}[{i}]", value.Items[i].Line);
        }

        return value.Items;
    }

    public void Wrong(YamlValue value, string path, string expected) => Problem(path, value.Line, $"expected {expected}, found {value.Describe()}");

    /// <summary>
    /// The result: the shape's problems and the rules' problems (<paramref name="rules"/>, each given its line), in file
    /// order. A rule's problem at or below a path whose shape was already wrong is left out: it would only repeat it.
    /// </summary>
    public ParsedFile<T> Finish<T>(T value, IEnumerable<DocumentProblem> rules)
        where T : class
    {
        var broken = _problems.Select(p => p.Path).Where(p => p.Length > 0).ToList();
        var all = _problems
            .Concat(rules.Where(r => !broken.Any(b => Covers(b, r.Path))).Select(r => r with { Line = LineOf(r.Path) }))
            .OrderBy(p => p.Line ?? 0)
            .ToList();
        return all.Count == 0 ? new ParsedFile<T> { Value = value } : new ParsedFile<T> { Problems = all };
    }

    /// <summary>The result of a file that could not be read at all.</summary>
    public ParsedFile<T> Failed<T>()
        where T : class => new() { Problems = [.. _problems.OrderBy(p => p.Line ?? 0)] };

    private static bool Covers(string broken, string path) =>
        path.StartsWith(broken, StringComparison.Ordinal) && (path.Length == broken.Length || path[broken.Length] is '.' or '[');
}

/// <summary>The fields of one mapping of a file: unknown and repeated keys reported, each key's line marked.</summary>
internal sealed partial class YamlFields
{
    private readonly DocumentReading _reading;
    private readonly Dictionary<string, YamlValue> _values = new(StringComparer.Ordinal);
    private readonly List<(string Key, YamlValue Value)> _given = [];
    private readonly string _path;

    public YamlFields(DocumentReading reading, YamlValue mapping, string path, IReadOnlyList<string> keys)
    {
        _reading = reading;
        _path = path;
        foreach (var (key, value) in mapping.Entries)
        {
            if (key.Kind != YamlValueKind.Scalar || key.IsNull)
            {
                reading.Problem(path, key.Line, $"a key is a name, one of {string.Join(", ", keys)}; found {key.Describe()}");
                continue;
            }

            var keyPath = PathOf(key.Text);
            if (!keys.Contains(key.Text, StringComparer.Ordinal))
            {
                var near = keys.FirstOrDefault(k => string.Equals(k, key.Text, StringComparison.OrdinalIgnoreCase));
                reading.Problem(keyPath, key.Line, near is not null
                    ? $"unknown key '{key.Text}': keys are lower case, write '{near}'"
                    : $"unknown key '{ProblemList.Shown(key.Text)}'; the keys here are {string.Join(", ", keys)}");
            }
            else if (!_values.TryAdd(key.Text, value))
            {
                reading.Problem(keyPath, key.Line, $"'{key.Text}' is given more than once");
            }
            else
            {
                // The key's line, where a person looks for a field whose value starts on the next line.
                reading.Mark(keyPath, key.Line);
                _given.Add((key.Text, value));
            }
        }
    }

    /// <summary>The known keys given, each once, with their values, in file order.</summary>
    public IReadOnlyList<(string Key, YamlValue Value)> Given => _given;

    public string PathOf(string key) => _path.Length == 0 ? key : _path + "." + key;

    /// <summary>The value of <paramref name="key"/>, or null when it is absent or null.</summary>
    public YamlValue? Value(string key) => _values.TryGetValue(key, out var value) && !value.IsNull ? value : null;

    public string? Text(string key) => Value(key) is { } value ? _reading.Text(value, PathOf(key)) : null;

    public decimal? Number(string key) => Value(key) is { } value ? _reading.Number(value, PathOf(key)) : null;

    public int? WholeNumber(string key)
    {
        if (Value(key) is not { } value || _reading.Number(value, PathOf(key)) is not { } number)
        {
            return null;
        }

        if (decimal.Truncate(number) == number && number is >= int.MinValue and <= int.MaxValue)
        {
            return (int)number;
        }

        _reading.Wrong(value, PathOf(key), "a whole number");
        return null;
    }

    public T Code<T>(string key, CodeParser<T> parse, string what, string allowed)
        where T : struct => Value(key) is { } value ? _reading.Code(value, PathOf(key), parse, what, allowed) : default;

    /// <summary>A date and time with its offset, e.g. 2026-06-30T17:00:00+02:00: a deadline means the same instant on every node.</summary>
    public DateTimeOffset? Timestamp(string key)
    {
        if (Text(key) is not { } text)
        {
            return null;
        }

        if (TimestampShape().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var timestamp))
        {
            return timestamp;
        }

        _reading.Problem(PathOf(key), Value(key)!.Line, $"'{ProblemList.Shown(text)}' is not a date and time with its offset, e.g. 2026-06-30T17:00:00+02:00 or 2026-06-30T15:00:00Z");
        return null;
    }

    public IReadOnlyList<YamlValue>? List(string key, string what) => Value(key) is { } value ? _reading.List(value, PathOf(key), what) : null;

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex TimestampShape();
}

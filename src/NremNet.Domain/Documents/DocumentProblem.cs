using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using NremNet.Domain.Countries;

namespace NremNet.Domain.Documents;

/// <summary>Something wrong with a record people write as a file (a practice, a question, an answer), and what would be right.</summary>
/// <param name="Path">Where, as in the file, e.g. <c>items[2].options</c>; empty for the whole file.</param>
/// <param name="Message">What is wrong and what would be right.</param>
public sealed record DocumentProblem(string Path, string Message)
{
    /// <summary>The file line (from 1), when read from a file.</summary>
    public int? Line { get; init; }

    /// <summary>E.g. <c>line 9: items[0].options: 1 options; a choice offers at least 2</c>.</summary>
    public override string ToString()
    {
        var where = Line is { } line ? $"line {line}: " : string.Empty;
        return Path.Length == 0 ? where + Message : $"{where}{Path}: {Message}";
    }
}

/// <summary>What reading a file gave: the record, or every problem found (then no record).</summary>
/// <typeparam name="T">The record read.</typeparam>
public sealed record ParsedFile<T>
    where T : class
{
    /// <summary>The record, when the file has no problem.</summary>
    public T? Value { get; init; }

    /// <summary>Every problem, in file order; empty when <see cref="Value"/> is set.</summary>
    public IReadOnlyList<DocumentProblem> Problems { get; init; } = [];

    /// <summary>Whether the file was read without problems.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    public bool Succeeded => Value is not null;
}

/// <summary>Collects the problems of a record by path, with the checks the rules of several records share.</summary>
internal sealed partial class ProblemList
{
    /// <summary>At most this many characters in the id a node gives a record it publishes (a practice, a question).</summary>
    public const int MaxRecordIdLength = 64;

    private readonly List<DocumentProblem> _problems = [];

    public IReadOnlyList<DocumentProblem> Items => _problems;

    public void Add(string path, string message) => _problems.Add(new DocumentProblem(path, message));

    /// <summary>
    /// Checks a text: required or not, at most <paramref name="max"/> characters, no control characters but line breaks
    /// and tabs, and with <paramref name="singleLine"/> one line. True when it is present and passed, so it may be
    /// checked further.
    /// </summary>
    public bool Text(string path, string? value, int max, bool required, string? hint = null, bool singleLine = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                Add(path, hint is null ? "required" : "required: " + hint);
            }

            return false;
        }

        var passed = true;
        if (value.Length > max)
        {
            Add(path, $"{value.Length} characters; at most {max}");
            passed = false;
        }

        if (value.Any(c => char.IsControl(c) && c is not ('\n' or '\t') && (singleLine || c != '\r')))
        {
            Add(path, "contains control characters");
            passed = false;
        }
        else if (singleLine && value.Contains('\n', StringComparison.Ordinal))
        {
            Add(path, "one line only");
            passed = false;
        }

        return passed;
    }

    /// <summary>Checks that a list has at most <paramref name="max"/> entries.</summary>
    public void Count(string path, int count, int max)
    {
        if (count > max)
        {
            Add(path, $"{count} entries; at most {max}");
        }
    }

    /// <summary>Checks an ISO 3166-1 alpha-2 country code.</summary>
    public void CountryCode(string path, string? code, bool required)
    {
        if (string.IsNullOrEmpty(code))
        {
            if (required)
            {
                Add(path, "required: an ISO 3166-1 alpha-2 country code, e.g. SE");
            }
        }
        else if (!Country.IsValidCode(code))
        {
            Add(path, $"'{Shown(code)}' is not an ISO 3166-1 alpha-2 country code (upper case, e.g. SE)");
        }
    }

    /// <summary>Checks an ISO 639-1 language code; true when it is one. <paramref name="hint"/> says which language is meant.</summary>
    public bool LanguageCode(string path, string? code, string hint)
    {
        if (LanguageCodes.IsValid(code))
        {
            return true;
        }

        Add(path, string.IsNullOrEmpty(code)
            ? $"required: the ISO 639-1 code of {hint}, two lower-case letters, e.g. en"
            : $"'{Shown(code)}' is not an ISO 639-1 code (two lower-case letters, e.g. en)");
        return false;
    }

    /// <summary>Checks the id a node gives a record it publishes; <paramref name="example"/> shows one.</summary>
    public void RecordId(string path, string id, string example) =>
        Key(path, id, RecordIdPattern(), $"an id of 3 to {MaxRecordIdLength} letters, digits, '-', '_' or '.', starting with a letter or digit, e.g. {example}");

    /// <summary>Checks a key against a pattern, reporting the shape expected.</summary>
    public void Key(string path, string value, Regex pattern, string shape)
    {
        if (value.Length == 0)
        {
            Add(path, "required: " + shape);
        }
        else if (!pattern.IsMatch(value))
        {
            Add(path, $"'{Shown(value)}' is not {shape}");
        }
    }

    /// <summary>Reports the values that occur more than once.</summary>
    public void Duplicates(string path, IEnumerable<string> values, string what)
    {
        foreach (var repeated in values.GroupBy(v => v, StringComparer.Ordinal).Where(g => g.Count() > 1 && g.Key.Length > 0))
        {
            Add(path, $"{what} '{Shown(repeated.Key)}' is given {repeated.Count()} times; each once");
        }
    }

    /// <summary>A value repeated in a message, bounded so a long or hostile value cannot flood it.</summary>
    public static string Shown(string value) =>
        value.Length <= 80 ? value : string.Concat(value.AsSpan(0, 77), "...");

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{2,63}$")]
    private static partial Regex RecordIdPattern();
}

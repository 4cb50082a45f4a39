using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace NremNet.Domain.Documents;

/// <summary>The shapes a value of a YAML file takes.</summary>
internal enum YamlValueKind
{
    Mapping,
    Sequence,
    Scalar,
}

/// <summary>
/// A value of a YAML file with the file line it starts on. Plain scalars are typed as the YAML 1.2 core schema types
/// them (null, true/false, numbers); anything quoted, a block or tagged is text, so <c>language: no</c> is Norwegian,
/// not false.
/// </summary>
internal sealed partial class YamlValue(YamlValueKind kind, int line)
{
    public YamlValueKind Kind { get; } = kind;

    public int Line { get; } = line;

    public string Text { get; init; } = string.Empty;

    /// <summary>A plain, untagged scalar: its type comes from its text.</summary>
    public bool Plain { get; init; }

    /// <summary>A mapping's entries in file order, repeated and non-text keys kept so that they can be reported.</summary>
    public List<(YamlValue Key, YamlValue Value)> Entries { get; } = [];

    public List<YamlValue> Items { get; } = [];

    public bool IsNull => Kind == YamlValueKind.Scalar && Plain && IsNullText(Text);

    public bool IsBoolean => Kind == YamlValueKind.Scalar && Plain && IsBooleanText(Text);

    public bool IsNumber => Kind == YamlValueKind.Scalar && Plain && NumberPattern().IsMatch(Text);

    /// <summary>The value for people: "a list", "the number 3", "the text 'x'".</summary>
    public string Describe() => Kind switch
    {
        YamlValueKind.Mapping => "a mapping (keys and values)",
        YamlValueKind.Sequence => "a list",
        _ when IsNull => "nothing",
        _ when IsNumber => "the number " + ProblemList.Shown(Text),
        _ when IsBoolean => Text,
        _ => $"the text '{ProblemList.Shown(Text)}'",
    };

    /// <summary>Whether a plain scalar with this text would be read as something other than that text.</summary>
    public static bool ReadsAsNonText(string text) => IsNullText(text) || IsBooleanText(text) || NumberPattern().IsMatch(text);

    private static bool IsNullText(string text) => text is "" or "~" or "null" or "Null" or "NULL";

    private static bool IsBooleanText(string text) => text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE";

    [GeneratedRegex(@"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")]
    private static partial Regex NumberPattern();
}

/// <summary>
/// Reads the one YAML document of a file into <see cref="YamlValue"/>s with file lines. Aliases are refused (a few
/// aliases can stand for an exponential number of values) and nesting is bounded, so a hostile file costs what its
/// size does. Every such problem is reported, each with its line.
/// </summary>
internal static partial class YamlTree
{
    /// <summary>How deep values may nest, the root counting as 1; the files people write need 6.</summary>
    public const int MaxDepth = 8;

    /// <summary>
    /// The document's root, or null when the text holds no document or has a problem (added to
    /// <paramref name="problems"/>). <paramref name="lineOffset"/> is the number of file lines before the text.
    /// </summary>
    public static YamlValue? Load(string text, int lineOffset, List<DocumentProblem> problems)
    {
        var before = problems.Count;
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _))
            {
                return null;
            }

            parser.Consume<DocumentStart>();
            var root = Read(parser, lineOffset, problems, depth: 1);
            parser.Consume<DocumentEnd>();
            if (!parser.TryConsume<StreamEnd>(out _))
            {
                Problem(problems, parser.Current!.Start, lineOffset, "a second YAML document ('---'); a file holds one");
            }

            return problems.Count == before ? root : null;
        }
        catch (YamlException ex)
        {
            // YamlDotNet puts the span before its message; the line is reported on its own.
            Problem(problems, ex.Start, lineOffset, "not valid YAML: " + PositionPrefix().Replace(ex.Message, string.Empty));
            return null;
        }
        catch (InvalidOperationException) when (parser.Current is { } last)
        {
            // YamlDotNet's scanner gives up this way on some unclosed flow collections instead of a YamlException.
            Problem(problems, last.Start, lineOffset, "not valid YAML: cannot be read after this point; look for an unclosed '[', '{' or quote");
            return null;
        }
    }

    private static YamlValue Read(IParser parser, int lineOffset, List<DocumentProblem> problems, int depth)
    {
        if (depth > MaxDepth)
        {
            var refused = Problem(problems, parser.Current!.Start, lineOffset, $"nested deeper than {MaxDepth} levels");
            parser.SkipThisAndNestedEvents();
            return refused;
        }

        if (parser.TryConsume<Scalar>(out var scalar))
        {
            return new YamlValue(YamlValueKind.Scalar, Line(scalar.Start, lineOffset))
            {
                Text = scalar.Value,
                Plain = scalar.Style == ScalarStyle.Plain && scalar.Tag.IsEmpty,
            };
        }

        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            return Problem(problems, alias.Start, lineOffset, $"aliases (*{ProblemList.Shown(alias.Value.ToString())}) are not allowed: write the value out");
        }

        if (parser.TryConsume<SequenceStart>(out var sequenceStart))
        {
            var sequence = new YamlValue(YamlValueKind.Sequence, Line(sequenceStart.Start, lineOffset));
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                sequence.Items.Add(Read(parser, lineOffset, problems, depth + 1));
            }

            return sequence;
        }

        var mappingStart = parser.Consume<MappingStart>();
        var mapping = new YamlValue(YamlValueKind.Mapping, Line(mappingStart.Start, lineOffset));
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var key = Read(parser, lineOffset, problems, depth + 1);
            mapping.Entries.Add((key, Read(parser, lineOffset, problems, depth + 1)));
        }

        return mapping;
    }

    /// <summary>Adds a problem of the whole file at <paramref name="mark"/>, and gives a null value to read on with.</summary>
    private static YamlValue Problem(List<DocumentProblem> problems, Mark mark, int lineOffset, string message)
    {
        var line = Line(mark, lineOffset);
        problems.Add(new DocumentProblem(string.Empty, message) { Line = line });
        return new YamlValue(YamlValueKind.Scalar, line) { Plain = true };
    }

    private static int Line(Mark mark, int lineOffset) => (int)Math.Min(int.MaxValue, mark.Line + lineOffset);

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex PositionPrefix();
}

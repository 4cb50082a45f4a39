using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace NremNet.Cli.Referrals;

/// <summary>The kinds of value a form file holds, whichever format it is written in.</summary>
internal enum FormValueKind
{
    /// <summary>Keys and values.</summary>
    Mapping,

    /// <summary>A list.</summary>
    Sequence,

    /// <summary>Text (a JSON string; a quoted or plain YAML scalar that is not one of the others).</summary>
    Text,

    /// <summary>A number.</summary>
    Number,

    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>null, <c>~</c> or nothing: not given.</summary>
    Null,
}

/// <summary>One value of a form file: YAML and JSON are read into the same shape so that one reader maps both onto the form.</summary>
internal sealed record FormValue(FormValueKind Kind, string Text = "", IReadOnlyList<KeyValuePair<string, FormValue>>? Entries = null, IReadOnlyList<FormValue>? Items = null)
{
    /// <summary>The value's kind for people: "a list", "a mapping", "text", ...</summary>
    public string Describe() => Kind switch
    {
        FormValueKind.Mapping => "a mapping",
        FormValueKind.Sequence => "a list",
        FormValueKind.Number => $"the number {Text}",
        FormValueKind.Boolean => Text,
        FormValueKind.Null => "nothing",
        _ => $"the text '{Text}'",
    };
}

/// <summary>A form file that could not be read at all (not YAML or JSON), with where it went wrong.</summary>
internal sealed class FormSyntaxException(string message) : Exception(message);

/// <summary>Reads YAML (the core schema of YAML 1.2) and JSON into <see cref="FormValue"/>s.</summary>
internal static partial class FormDocument
{
    /// <summary>Reads JSON text.</summary>
    public static FormValue FromJson(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return Json(document.RootElement);
        }
        catch (JsonException ex)
        {
            throw new FormSyntaxException("not valid JSON: " + ex.Message);
        }
    }

    /// <summary>Reads YAML text: one document.</summary>
    public static FormValue FromYaml(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            // YamlDotNet puts both ends of the span before its message; people need the start only.
            var message = YamlPositionPrefix().Replace(ex.Message, string.Empty);
            throw new FormSyntaxException($"not valid YAML at line {ex.Start.Line}, column {ex.Start.Column}: {message}");
        }

        return stream.Documents.Count switch
        {
            0 => new FormValue(FormValueKind.Null),
            1 => Yaml(stream.Documents[0].RootNode),
            _ => throw new FormSyntaxException($"{stream.Documents.Count} YAML documents ('---'); a form file holds one referral"),
        };
    }

    private static FormValue Json(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => new FormValue(FormValueKind.Mapping, Entries: [.. element.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, Json(p.Value)))]),
        JsonValueKind.Array => new FormValue(FormValueKind.Sequence, Items: [.. element.EnumerateArray().Select(Json)]),
        JsonValueKind.String => new FormValue(FormValueKind.Text, element.GetString()!),
        JsonValueKind.Number => new FormValue(FormValueKind.Number, element.GetRawText()),
        JsonValueKind.True => new FormValue(FormValueKind.Boolean, "true"),
        JsonValueKind.False => new FormValue(FormValueKind.Boolean, "false"),
        _ => new FormValue(FormValueKind.Null),
    };

    private static FormValue Yaml(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var entries = new List<KeyValuePair<string, FormValue>>();
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name })
                    {
                        throw new FormSyntaxException($"line {key.Start.Line}: a key must be a plain name such as receiver_country");
                    }

                    entries.Add(KeyValuePair.Create(name, Yaml(value)));
                }

                return new FormValue(FormValueKind.Mapping, Entries: entries);
            case YamlSequenceNode sequence:
                return new FormValue(FormValueKind.Sequence, Items: [.. sequence.Children.Select(Yaml)]);
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                throw new FormSyntaxException($"line {node.Start.Line}: not a value a form file can hold");
        }
    }

    /// <summary>
    /// A scalar typed as the YAML 1.2 core schema types plain scalars: null, true/false, numbers; anything quoted, a
    /// block, or tagged !!str is text. So <c>citizenship: NO</c> is the text NO, not false (unlike YAML 1.1).
    /// </summary>
    private static FormValue Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style != ScalarStyle.Plain || (!scalar.Tag.IsEmpty && scalar.Tag.Value == "tag:yaml.org,2002:str"))
        {
            return new FormValue(FormValueKind.Text, text);
        }

        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return new FormValue(FormValueKind.Null);
        }

        if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return new FormValue(FormValueKind.Boolean, text.ToLower(CultureInfo.InvariantCulture));
        }

        return new FormValue(YamlNumber().IsMatch(text) ? FormValueKind.Number : FormValueKind.Text, text);
    }

    [GeneratedRegex(@"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")]
    private static partial Regex YamlNumber();

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex YamlPositionPrefix();
}

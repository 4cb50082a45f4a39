using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace NremNet.Cli.Practices;

/// <summary>Values written into the YAML the verbs print for people to paste or fill in (attachment lines, answer templates).</summary>
internal static partial class YamlText
{
    private static readonly JsonSerializerOptions Quoting = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// A scalar as YAML reads it back as the same text: plain when it cannot be mistaken for anything else (letters,
    /// digits, spaces, '.', '_', '-', '(' and ')', starting with a letter), else double-quoted (JSON quoting, which YAML reads).
    /// </summary>
    public static string Scalar(string value) =>
        PlainSafe().IsMatch(value) && !IsReserved(value) ? value : JsonSerializer.Serialize(value, Quoting);

    /// <summary>A text as one comment line: line breaks become spaces.</summary>
    public static string Comment(string text) =>
        string.Join(' ', text.Split((char[])['\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static bool IsReserved(string value) =>
        value.ToLowerInvariant() is "yes" or "no" or "true" or "false" or "on" or "off" or "null" or "y" or "n";

    [GeneratedRegex(@"^[\p{L}][\p{L}\p{N} ._()-]*(?<! )$")]
    private static partial Regex PlainSafe();
}

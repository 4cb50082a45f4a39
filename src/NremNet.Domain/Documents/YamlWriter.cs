using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace NremNet.Domain.Documents;

/// <summary>
/// Writes a YAML file people edit: block style, text quoted only where it would otherwise read as something else,
/// multi-line text as literal blocks, so a written file reads back through <see cref="DocumentReading"/> to the same
/// record. The root is a mapping; <see cref="Finish"/> gives the text.
/// </summary>
internal sealed class YamlWriter
{
    private readonly StringWriter _output = new(CultureInfo.InvariantCulture);
    private readonly Emitter _emitter;

    public YamlWriter()
    {
        _emitter = new Emitter(_output, 2, int.MaxValue);
        _emitter.Emit(new StreamStart());
        _emitter.Emit(new DocumentStart());
        _emitter.Emit(new MappingStart());
    }

    /// <summary>A key, or an element of a list.</summary>
    public void Text(string value) => _emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, value, StyleOf(value), true, true));

    /// <summary>A key and its text; nothing when <paramref name="value"/> is null.</summary>
    public void Text(string key, string? value)
    {
        if (value is not null)
        {
            Text(key);
            Text(value);
        }
    }

    /// <summary>A value written as it is: codes, numbers, timestamps.</summary>
    public void Plain(string key, string value)
    {
        Text(key);
        _emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, value, ScalarStyle.Plain, true, false));
    }

    public void Number(string key, decimal? value)
    {
        if (value is { } number)
        {
            Plain(key, number.ToString(CultureInfo.InvariantCulture));
        }
    }

    public void StartList(string key, bool flow = false)
    {
        Text(key);
        _emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, flow ? SequenceStyle.Flow : SequenceStyle.Block));
    }

    public void EndList() => _emitter.Emit(new SequenceEnd());

    /// <summary>A mapping as an element of a list.</summary>
    public void StartMapping() => _emitter.Emit(new MappingStart());

    /// <summary>A mapping as the value of <paramref name="key"/>.</summary>
    public void StartMapping(string key)
    {
        Text(key);
        StartMapping();
    }

    public void EndMapping() => _emitter.Emit(new MappingEnd());

    public string Finish()
    {
        _emitter.Emit(new MappingEnd());
        _emitter.Emit(new DocumentEnd(true));
        _emitter.Emit(new StreamEnd());
        return _output.ToString();
    }

    private static ScalarStyle StyleOf(string value) =>
        value.Contains('\r', StringComparison.Ordinal) ? ScalarStyle.DoubleQuoted
        : value.Contains('\n', StringComparison.Ordinal) ? ScalarStyle.Literal
        : YamlValue.ReadsAsNonText(value) ? ScalarStyle.DoubleQuoted
        : ScalarStyle.Any;
}

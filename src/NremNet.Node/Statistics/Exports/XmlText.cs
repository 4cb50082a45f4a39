using System.Text;
using System.Xml;

namespace NremNet.Node.Statistics.Exports;

/// <summary>
/// Text from elsewhere (a peer's reason or mechanism name, a label) made fit for an XML document: characters XML cannot
/// hold (control characters, lone surrogates) are replaced by U+FFFD, so writing never fails on them. Escaping
/// <c>&lt;</c>, <c>&amp;</c> and quotes is the XML writer's job.
/// </summary>
public static class XmlText
{
    /// <summary>The text with every character XML 1.0 cannot hold replaced by U+FFFD.</summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        if (IsClean(text))
        {
            return text;
        }

        var clean = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                clean.Append(c).Append(text[++i]);
            }
            else if (XmlConvert.IsXmlChar(c))
            {
                clean.Append(c);
            }
            else
            {
                clean.Append('\uFFFD');
            }
        }

        return clean.ToString();
    }

    private static bool IsClean(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (!XmlConvert.IsXmlChar(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}

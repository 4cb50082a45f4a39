using System.Text.RegularExpressions;
using NremNet.Domain.Documents;
using NremNet.Domain.Questions;

namespace NremNet.Node.Practices;

/// <summary>
/// The two parts an answer travels in: the items for the whole network, in clear in the envelope's content, and the items
/// for the asker only, sealed. Each part is an answer file holding only its own items, so each is read against the
/// question narrowed to the items it names; the network part of an answer without sealed items must answer every item.
/// </summary>
internal static partial class AnswerParts
{
    /// <summary>Reads one part of an answer: the items it holds, checked against the question's rules for them.</summary>
    public static ParsedFile<QuestionAnswer> Parse(string text, NetworkQuestion question, bool wholeAnswer)
    {
        ArgumentNullException.ThrowIfNull(question);
        if (wholeAnswer)
        {
            return AnswerFile.Parse(text, question);
        }

        var named = ItemLine().Matches(text ?? string.Empty).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        return AnswerFile.Parse(text ?? string.Empty, question with { Items = [.. question.Items.Where(i => named.Contains(i.Id))] });
    }

    /// <summary>An answer's network items and its asker-only items together, in the question's order.</summary>
    public static QuestionAnswer Merge(NetworkQuestion question, QuestionAnswer network, QuestionAnswer askerOnly)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(askerOnly);
        var order = question.Items.Select((item, index) => (item.Id, index)).ToDictionary(p => p.Id, p => p.index, StringComparer.Ordinal);
        return network with { Items = [.. network.Items.Concat(askerOnly.Items).OrderBy(i => order.GetValueOrDefault(i.ItemId, int.MaxValue))] };
    }

    [GeneratedRegex("""^\s*(?:-\s*)?item:\s*["']?([a-z][a-z0-9_]{0,31})["']?\s*$""", RegexOptions.Multiline)]
    private static partial Regex ItemLine();
}

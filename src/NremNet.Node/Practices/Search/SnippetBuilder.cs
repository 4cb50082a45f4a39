using System.Text;
using NremNet.Contracts.Local.V1;
using NremNet.Search.Analysis;
using NremNet.Search.Queries;
using NremNet.Search.Vocabulary;

namespace NremNet.Node.Practices.Search;

/// <summary>
/// What a hit's snippets mark: the query's terms (when the hit was found in the query's language, by its words) and
/// the vocabulary concepts the query names (labels in the hit's language). Each query word is a group of keys — its
/// term and the concepts whose label covers it — that a text satisfies when it holds any of them.
/// </summary>
internal sealed class SnippetQuery
{
    /// <summary>What to mark in a hit found in <paramref name="query"/>'s language (<paramref name="byWords"/>) or in another one through concepts.</summary>
    public SnippetQuery(SearchQuery query, bool byWords)
    {
        ArgumentNullException.ThrowIfNull(query);
        ByWords = byWords;
        Terms = byWords ? query.Terms.ToHashSet(StringComparer.Ordinal) : [];
        ConceptIds = query.ConceptIds.ToHashSet(StringComparer.Ordinal);
        Groups = query.Tokens
            .Select(t => (byWords ? [t.Term] : Array.Empty<string>())
                .Concat(query.Concepts.Where(c => c.Start <= t.Start && t.End <= c.End).Select(c => SearchIndex.ConceptToken(c.ConceptId)))
                .Distinct(StringComparer.Ordinal)
                .ToArray())
            .Where(g => g.Length > 0)
            .ToArray();
    }

    /// <summary>Whether the query's terms are marked (the hit was found by its words).</summary>
    public bool ByWords { get; }

    /// <summary>The terms to mark.</summary>
    public IReadOnlySet<string> Terms { get; }

    /// <summary>The concepts whose labels to mark.</summary>
    public IReadOnlySet<string> ConceptIds { get; }

    /// <summary>Per query word, the keys (a term, or a concept token <c>c_&lt;id&gt;</c>) that satisfy it.</summary>
    public IReadOnlyList<string[]> Groups { get; }
}

/// <summary>
/// Cuts the snippets of a hit from the plain text of the language entry it was found in, marking the words whose
/// analysed term is a query term (<see cref="TextAnalysis.Analyze"/>, which gives each term's place) and the labels of
/// the query's concepts (<see cref="ConceptVocabulary.Find"/>). The FTS5 tables hold analysed terms, so FTS5's own
/// <c>snippet()</c> could only show stems.
/// <para>
/// The title, summary, tags and organisation each give a snippet when they hold a match; the body only when they do
/// not show every query word between them (a body is long, and analysing it is most of a snippet's cost), read in
/// pieces up to the first place that shows every word, at most its first <see cref="MaxScannedLength"/> characters.
/// A snippet is the window of <see cref="WindowWords"/> words that shows the most query words (then the most
/// matches), matches centred, whitespace runs shown as one space, "…" where the text was cut; highlight offsets are
/// in UTF-16 code units of the snippet's text.
/// </para>
/// </summary>
internal static class SnippetBuilder
{
    /// <summary>The words of a snippet.</summary>
    public const int WindowWords = 30;

    /// <summary>How much of a field is read for matches, at most.</summary>
    public const int MaxScannedLength = 20_000;

    /// <summary>The text cut where a snippet's text was cut.</summary>
    public const string Ellipsis = "…";

    /// <summary>The most matches a field's window is chosen among.</summary>
    private const int MaxMarks = 200;

    /// <summary>How much of a field is analysed at a time (then up to the next whitespace).</summary>
    private const int PieceLength = 400;

    /// <summary>The snippets of one hit, in field order (title, summary, body, tags, organisation).</summary>
    public static IReadOnlyList<Snippet> Build(PracticeTexts texts, string language, SnippetQuery query)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(query);
        var snippets = new List<(int Order, Snippet Snippet)>();
        var shown = new bool[query.Groups.Count];
        var order = 0;
        string? body = null;
        foreach (var (field, text) in texts.Fields)
        {
            order++;
            if (field == "body")
            {
                body = text;
                continue;
            }

            if (Cut(field, text, language, query, shown, stopWhenAllShown: false) is { } snippet)
            {
                snippets.Add((order, snippet));
            }
        }

        if (body is not null && !shown.All(s => s) && Cut("body", body, language, query, new bool[query.Groups.Count], stopWhenAllShown: true) is { } bodySnippet)
        {
            snippets.Add((3, bodySnippet));
        }

        return snippets.OrderBy(s => s.Order).Select(s => s.Snippet).ToArray();
    }

    /// <summary>The snippet of one field, or null when it holds no match; <paramref name="shown"/> gets the groups it satisfies.</summary>
    private static Snippet? Cut(string field, string text, string language, SnippetQuery query, bool[] shown, bool stopWhenAllShown)
    {
        if (text.Length == 0)
        {
            return null;
        }

        var (marks, scanned) = Marks(text, language, query, shown, stopWhenAllShown);
        if (marks.Count == 0)
        {
            return null;
        }

        var words = Words(text, Math.Min(text.Length, scanned + (WindowWords * 20)));
        var (first, last) = BestWindow(marks, words, query);
        var slack = WindowWords - (last - first + 1);
        var start = Math.Max(0, first - Math.Max(0, slack / 2));
        var end = Math.Min(words.Count, start + WindowWords);
        start = Math.Max(0, Math.Min(start, end - WindowWords));

        var from = words[start].Start;
        var to = words[end - 1].End;
        var snippet = new StringBuilder(to - from + 2);
        if (start > 0)
        {
            snippet.Append(Ellipsis);
        }

        // Where each position of the cut text lands in the snippet, whitespace runs collapsed to one space.
        var map = new int[to - from + 1];
        var inSpace = false;
        for (var i = from; i < to; i++)
        {
            map[i - from] = snippet.Length;
            if (char.IsWhiteSpace(text[i]))
            {
                if (!inSpace)
                {
                    snippet.Append(' ');
                }

                inSpace = true;
            }
            else
            {
                snippet.Append(text[i]);
                inSpace = false;
            }
        }

        map[to - from] = snippet.Length;
        if (HasWordAfter(text, to))
        {
            snippet.Append(Ellipsis);
        }

        var result = new Snippet { Field = field, Text = snippet.ToString() };
        var highlightEnd = -1;
        foreach (var mark in marks.Where(m => m.Start >= from && m.End <= to).OrderBy(m => m.Start).ThenByDescending(m => m.Length))
        {
            var (markStart, markEnd) = (map[mark.Start - from], map[mark.End - from]);
            if (markStart < highlightEnd)
            {
                // Overlapping matches (a term inside a concept's label) become one highlight.
                var previous = result.Highlights[^1];
                highlightEnd = Math.Max(highlightEnd, markEnd);
                previous.Length = highlightEnd - previous.Start;
                continue;
            }

            result.Highlights.Add(new Highlight { Start = markStart, Length = markEnd - markStart });
            highlightEnd = markEnd;
        }

        return result;
    }

    /// <summary>
    /// The matches in <paramref name="text"/>, in order, read piece by piece (at most <see cref="MaxScannedLength"/>
    /// characters, and when <paramref name="stopWhenAllShown"/> only up to the piece that completes every group),
    /// and how far it was read.
    /// </summary>
    private static (List<Mark> Marks, int Scanned) Marks(string text, string language, SnippetQuery query, bool[] shown, bool stopWhenAllShown)
    {
        var marks = new List<Mark>();
        var start = 0;
        var limit = Math.Min(text.Length, MaxScannedLength);
        while (start < limit && marks.Count < MaxMarks)
        {
            var end = Math.Min(text.Length, start + PieceLength);
            while (end < text.Length && !char.IsWhiteSpace(text[end]))
            {
                end++;
            }

            var piece = start == 0 && end == text.Length ? text : text[start..end];
            var found = marks.Count;
            if (query.ByWords)
            {
                foreach (var token in TextAnalysis.Analyze(piece, language))
                {
                    if (query.Terms.Contains(token.Term))
                    {
                        marks.Add(new Mark(start + token.Start, token.Length, token.Term));
                    }
                }
            }

            if (query.ConceptIds.Count > 0)
            {
                foreach (var concept in ConceptVocabulary.Default.Find(piece, language))
                {
                    if (query.ConceptIds.Contains(concept.ConceptId))
                    {
                        marks.Add(new Mark(start + concept.Start, concept.Length, SearchIndex.ConceptToken(concept.ConceptId)));
                    }
                }
            }

            for (var m = found; m < marks.Count; m++)
            {
                for (var g = 0; g < query.Groups.Count; g++)
                {
                    shown[g] |= Array.IndexOf(query.Groups[g], marks[m].Key) >= 0;
                }
            }

            start = end;
            if (stopWhenAllShown && marks.Count > 0 && shown.All(s => s))
            {
                break;
            }
        }

        marks.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.Length.CompareTo(a.Length));
        return (marks.Count > MaxMarks ? marks.GetRange(0, MaxMarks) : marks, start);
    }

    /// <summary>
    /// The first and last word of the window of <see cref="WindowWords"/> words that starts at a match and holds the
    /// matches of the most groups, then the most matches; the earliest such window.
    /// </summary>
    private static (int First, int Last) BestWindow(List<Mark> marks, List<(int Start, int End)> words, SnippetQuery query)
    {
        var firstWords = marks.Select(m => WordAt(words, m.Start)).ToArray();
        var lastWords = marks.Select(m => WordAt(words, m.End - 1)).ToArray();
        var best = (Groups: -1, Marks: -1, First: 0, Last: 0);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < marks.Count; i++)
        {
            keys.Clear();
            var last = firstWords[i];
            var count = 0;
            for (var j = i; j < marks.Count && lastWords[j] < firstWords[i] + WindowWords; j++)
            {
                keys.Add(marks[j].Key);
                last = Math.Max(last, lastWords[j]);
                count++;
            }

            var groups = query.Groups.Count(g => g.Any(keys.Contains));
            if (groups > best.Groups || (groups == best.Groups && count > best.Marks))
            {
                best = (groups, count, firstWords[i], last);
            }
        }

        return (best.First, best.Last);
    }

    /// <summary>The word that holds position <paramref name="position"/> (or the last that starts before it).</summary>
    private static int WordAt(List<(int Start, int End)> words, int position)
    {
        var (low, high) = (0, words.Count - 1);
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (words[middle].Start <= position)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        return low;
    }

    /// <summary>The words (runs of non-whitespace) of <paramref name="text"/> that start before <paramref name="until"/>.</summary>
    private static List<(int Start, int End)> Words(string text, int until)
    {
        var words = new List<(int Start, int End)>();
        var i = 0;
        while (i < until)
        {
            while (i < until && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= until)
            {
                break;
            }

            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            words.Add((start, i));
        }

        return words;
    }

    private static bool HasWordAfter(string text, int position)
    {
        for (var i = position; i < text.Length; i++)
        {
            if (!char.IsWhiteSpace(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A match: its place in the field's text and the key it satisfies (a term or a concept token).</summary>
    private readonly record struct Mark(int Start, int Length, string Key)
    {
        public int End => Start + Length;
    }
}

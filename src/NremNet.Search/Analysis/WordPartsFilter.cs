using System.Globalization;
using System.Text;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Analysis.Util;

namespace NremNet.Search.Analysis;

/// <summary>
/// Splits each word of the tokenizer into runs of letters, digits and combining marks, so a term never holds a
/// character that the FTS5 index would treat as a separator: the tokenizer keeps <c>o'brien</c>, <c>3.5</c> and
/// <c>foo_bar</c> whole, the index would not, and an underscore inside a term could pass for a concept token.
/// Format characters (soft hyphen, zero-width joiners) are dropped without splitting. An elided article before an
/// apostrophe (French <c>l'</c>, <c>qu'</c>) and an English clitic after one (<c>'s</c>, <c>'t</c>) are dropped.
/// Runs straight after the tokenizer, while a term is still the exact slice of the original text, which is what keeps
/// the offsets of the parts right.
/// </summary>
internal sealed class WordPartsFilter : TokenFilter
{
    private readonly ICharTermAttribute _term;
    private readonly IOffsetAttribute _offset;
    private readonly IPositionIncrementAttribute _positionIncrement;
    private readonly CharArraySet? _elidedArticles;
    private readonly CharArraySet? _trailingClitics;
    private readonly Queue<Part> _pending = new();
    private readonly StringBuilder _builder = new();
    private State? _wordState;

    public WordPartsFilter(TokenStream input, CharArraySet? elidedArticles, CharArraySet? trailingClitics)
        : base(input)
    {
        _term = AddAttribute<ICharTermAttribute>();
        _offset = AddAttribute<IOffsetAttribute>();
        _positionIncrement = AddAttribute<IPositionIncrementAttribute>();
        _elidedArticles = elidedArticles;
        _trailingClitics = trailingClitics;
    }

    public override bool IncrementToken()
    {
        while (true)
        {
            if (_pending.Count > 0)
            {
                var part = _pending.Dequeue();
                RestoreState(_wordState);
                _term.SetEmpty().Append(part.Text);
                _offset.SetOffset(part.Start, part.End);
                _positionIncrement.PositionIncrement = 1;
                return true;
            }

            if (!m_input.IncrementToken())
            {
                return false;
            }

            if (IsPlainWord())
            {
                return true;
            }

            var parts = SplitWord();
            if (parts.Count == 0)
            {
                continue;
            }

            var first = parts[0];
            _term.SetEmpty().Append(first.Text);
            _offset.SetOffset(first.Start, first.End);
            if (parts.Count > 1)
            {
                _wordState = CaptureState();
                for (var i = 1; i < parts.Count; i++)
                {
                    _pending.Enqueue(parts[i]);
                }
            }

            return true;
        }
    }

    public override void Reset()
    {
        base.Reset();
        _pending.Clear();
        _wordState = null;
    }

    internal static bool IsWordCategory(UnicodeCategory category) => category switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => true,
        _ => false,
    };

    private static bool IsApostrophe(char c) => c is '\'' or '\u2019';

    private bool IsPlainWord()
    {
        var buffer = _term.Buffer;
        var length = _term.Length;
        var i = 0;
        while (i < length)
        {
            var c = buffer[i];
            if (c < 0x80)
            {
                if (!char.IsAsciiLetterOrDigit(c))
                {
                    return false;
                }

                i++;
                continue;
            }

            if (Rune.DecodeFromUtf16(buffer.AsSpan(i, length - i), out var rune, out var consumed) != System.Buffers.OperationStatus.Done
                || !IsWordCategory(Rune.GetUnicodeCategory(rune)))
            {
                return false;
            }

            i += consumed;
        }

        return true;
    }

    private List<Part> SplitWord()
    {
        var buffer = _term.Buffer;
        var length = _term.Length;
        var wordStart = _offset.StartOffset;

        // The tokenizer hands over the original slice; if something upstream ever changed its length, the parts keep
        // the whole word's offsets rather than point at the wrong characters.
        var exact = _offset.EndOffset - wordStart == length;
        var parts = new List<Part>();
        var separators = new List<char>();
        var partStart = -1;
        var partEnd = -1;
        _builder.Clear();

        var i = 0;
        while (i < length)
        {
            var status = Rune.DecodeFromUtf16(buffer.AsSpan(i, length - i), out var rune, out var consumed);
            var category = status == System.Buffers.OperationStatus.Done ? Rune.GetUnicodeCategory(rune) : UnicodeCategory.OtherNotAssigned;
            if (IsWordCategory(category))
            {
                if (partStart < 0)
                {
                    partStart = i;
                }

                _builder.Append(buffer, i, consumed);
                partEnd = i + consumed;
            }
            else if (category != UnicodeCategory.Format)
            {
                if (partStart >= 0)
                {
                    parts.Add(NewPart(partStart, partEnd));
                    separators.Add(buffer[i]);
                    partStart = -1;
                    _builder.Clear();
                }
            }

            i += consumed;
        }

        if (partStart >= 0)
        {
            parts.Add(NewPart(partStart, partEnd));
        }

        if (parts.Count > 1 && _trailingClitics is not null && IsApostrophe(separators[parts.Count - 2]) && _trailingClitics.Contains(parts[^1].Text))
        {
            parts.RemoveAt(parts.Count - 1);
        }

        if (parts.Count > 1 && _elidedArticles is not null && IsApostrophe(separators[0]) && _elidedArticles.Contains(parts[0].Text))
        {
            parts.RemoveAt(0);
        }

        return parts;

        Part NewPart(int start, int end) => exact
            ? new Part(_builder.ToString(), wordStart + start, wordStart + end)
            : new Part(_builder.ToString(), wordStart, _offset.EndOffset);
    }

    private readonly record struct Part(string Text, int Start, int End);
}

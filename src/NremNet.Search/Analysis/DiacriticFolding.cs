using System.Globalization;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.TokenAttributes;

namespace NremNet.Search.Analysis;

/// <summary>
/// Folds diacritics so a reader who types without accents finds the accented word: Latin letters to ASCII (Lucene's
/// ASCII folding: é to e, ß to ss, æ to ae), Russian ё to е, and combining marks after a Latin, Greek or Cyrillic letter
/// dropped (text typed in decomposed form). Marks of other scripts are kept: in Devanagari or Thai they are letters of
/// the word, not accents; Arabic marks are removed by the Arabic normalisation instead.
/// </summary>
internal static class DiacriticFolding
{
    /// <summary>The term with its diacritics folded, or the same instance when it has none.</summary>
    public static string Fold(string term)
    {
        if (!NeedsFolding(term))
        {
            return term;
        }

        var input = term.ToCharArray();
        var length = FoldMarks(input, input.Length);
        var output = new char[length * 4];
        var folded = ASCIIFoldingFilter.FoldToASCII(input, 0, output, 0, length);
        return new string(output, 0, folded);
    }

    internal static bool NeedsFolding(ReadOnlySpan<char> term)
    {
        foreach (var c in term)
        {
            if (c >= 0x80)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Maps ё and drops accent marks in place; returns the new length.</summary>
    private static int FoldMarks(char[] buffer, int length)
    {
        var written = 0;
        for (var i = 0; i < length; i++)
        {
            var c = buffer[i];
            if (c is 'ё' or 'Ё')
            {
                buffer[written++] = c == 'ё' ? 'е' : 'Е';
                continue;
            }

            if (written > 0 && CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark && IsAccentedScript(buffer[written - 1]))
            {
                continue;
            }

            buffer[written++] = c;
        }

        return written;
    }

    // Latin, Greek and Cyrillic (with their extensions below U+0530) and Latin Extended Additional.
    private static bool IsAccentedScript(char c) => c < '\u0530' || c is >= '\u1E00' and <= '\u1EFF';
}

/// <summary>Applies <see cref="DiacriticFolding"/> to every term; runs after the stemmer, which needs the accents.</summary>
internal sealed class DiacriticFoldingFilter : TokenFilter
{
    private readonly ICharTermAttribute _term;

    public DiacriticFoldingFilter(TokenStream input)
        : base(input)
    {
        _term = AddAttribute<ICharTermAttribute>();
    }

    public override bool IncrementToken()
    {
        if (!m_input.IncrementToken())
        {
            return false;
        }

        if (DiacriticFolding.NeedsFolding(_term.Buffer.AsSpan(0, _term.Length)))
        {
            var folded = DiacriticFolding.Fold(_term.ToString());
            _term.SetEmpty().Append(folded);
        }

        return true;
    }
}

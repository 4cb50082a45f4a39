namespace NremNet.Search.Analysis;

/// <summary>A term of analysed text, with the place of the word it comes from in the original text.</summary>
/// <param name="Term">The analysed term: lower-cased, stemmed where the language has a stemmer, diacritics folded.</param>
/// <param name="Start">Where the word starts in the original text, in UTF-16 code units (a <see cref="string"/> index).</param>
/// <param name="Length">How many UTF-16 code units the word takes in the original text.</param>
public readonly record struct AnalyzedToken(string Term, int Start, int Length)
{
    /// <summary>The index just after the word in the original text.</summary>
    public int End => Start + Length;
}

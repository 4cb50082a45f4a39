using NremNet.Search.Analysis;

namespace NremNet.Search.Vocabulary;

/// <summary>A concept of the trafficking vocabulary, with what professionals call it in each language.</summary>
/// <param name="Id">A stable identifier in lower-case ASCII and underscores, e.g. <c>forced_labour</c>.</param>
/// <param name="Theme">The area it belongs to, e.g. <c>exploitation</c>, <c>protection</c>, <c>prosecution</c>.</param>
/// <param name="Labels">Per canonical language code, its labels: the preferred term first, then common synonyms.</param>
public sealed record Concept(string Id, string Theme, IReadOnlyDictionary<string, IReadOnlyList<string>> Labels)
{
    /// <summary>The preferred label in <paramref name="language"/>, or the English one when it has none there.</summary>
    public string PreferredLabel(string language) =>
        Labels.TryGetValue(TextAnalysis.CanonicalLanguage(language), out var labels) && labels.Count > 0 ? labels[0] : Labels["en"][0];
}

/// <summary>Where a label of a concept occurs in a text.</summary>
/// <param name="ConceptId">The concept's <see cref="Concept.Id"/>.</param>
/// <param name="Start">Where the label's first word starts in the original text (a <see cref="string"/> index).</param>
/// <param name="Length">How many UTF-16 code units the label takes, up to the end of its last word.</param>
public readonly record struct ConceptMatch(string ConceptId, int Start, int Length)
{
    /// <summary>The index just after the label's last word.</summary>
    public int End => Start + Length;
}

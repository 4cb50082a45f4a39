using NremNet.Domain.Practices;

namespace NremNet.Node.Practices.Search;

/// <summary>
/// The plain text of one language entry of a practice: the original's, or a translation's (whose tags and
/// organisation are empty: they are not translated, and words of the original's language do not belong in another
/// language's index). What the FTS5 table holds is the analysis of these texts; snippets are cut from them.
/// </summary>
/// <param name="Title">The title.</param>
/// <param name="Summary">The summary.</param>
/// <param name="Body">The body as plain text (<see cref="PracticeMarkdown.ToPlainText"/>).</param>
/// <param name="Tags">The tags, comma-separated.</param>
/// <param name="Organisation">The organisation.</param>
internal sealed record PracticeTexts(string Title, string Summary, string Body, string Tags, string Organisation)
{
    /// <summary>The fields in FTS5 column order, with the names snippets carry.</summary>
    public IEnumerable<(string Field, string Text)> Fields =>
        [("title", Title), ("summary", Summary), ("body", Body), ("tags", Tags), ("organisation", Organisation)];

    /// <summary>
    /// The entries of a practice by canonical language (<see cref="SearchTables.Language"/>): the original's and each
    /// translation's. Two texts that fall into one index (<c>nb</c> and <c>nn</c> both go to <c>no</c>) are joined.
    /// </summary>
    public static IReadOnlyDictionary<string, PracticeTexts> Of(Practice practice)
    {
        ArgumentNullException.ThrowIfNull(practice);
        var entries = new Dictionary<string, PracticeTexts>(StringComparer.Ordinal)
        {
            [SearchTables.Language(practice.Language)] = new(
                practice.Title,
                practice.Summary,
                PracticeMarkdown.ToPlainText(practice.Body),
                string.Join(", ", practice.Tags),
                practice.Organisation),
        };
        foreach (var translation in practice.Translations)
        {
            var language = SearchTables.Language(translation.Language);
            var texts = new PracticeTexts(translation.Title, translation.Summary, PracticeMarkdown.ToPlainText(translation.Body), "", "");
            entries[language] = entries.TryGetValue(language, out var before) ? before.Join(texts) : texts;
        }

        return entries;
    }

    private PracticeTexts Join(PracticeTexts other) => new(
        Joined(Title, other.Title, " / "),
        Joined(Summary, other.Summary, "\n\n"),
        Joined(Body, other.Body, "\n\n"),
        Joined(Tags, other.Tags, ", "),
        Joined(Organisation, other.Organisation, " / "));

    private static string Joined(string first, string second, string separator) =>
        first.Length == 0 ? second : second.Length == 0 ? first : first + separator + second;
}

using System.Collections.Frozen;
using System.Text.Json;
using NremNet.Search.Analysis;

namespace NremNet.Search.Vocabulary;

/// <summary>
/// The multilingual vocabulary of trafficking concepts shipped with the software (an embedded resource), which lets a
/// query in one language find documents in another: both carry the concept's token. Labels are matched on analysed
/// terms, so inflected forms match too (<c>victimes de la traite</c> carries <c>victim_of_trafficking</c>).
/// Immutable and safe to use from many threads.
/// </summary>
public sealed class ConceptVocabulary
{
    private const string ResourceName = "NremNet.Search.Vocabulary.concepts.json";

    private static readonly Lazy<ConceptVocabulary> LazyDefault = new(LoadDefault);

    private readonly FrozenDictionary<string, Concept> _byId;

    // Per language: the labels' analysed terms, keyed by their first term.
    private readonly FrozenDictionary<string, FrozenDictionary<string, LabelTerms[]>> _labelsByLanguage;

    private ConceptVocabulary(IReadOnlyList<string> languages, IReadOnlyList<Concept> concepts, FrozenDictionary<string, FrozenDictionary<string, LabelTerms[]>> labelsByLanguage)
    {
        Languages = languages;
        Concepts = concepts;
        _byId = concepts.ToFrozenDictionary(c => c.Id, StringComparer.Ordinal);
        _labelsByLanguage = labelsByLanguage;
    }

    /// <summary>The vocabulary shipped with the software.</summary>
    public static ConceptVocabulary Default => LazyDefault.Value;

    /// <summary>The canonical codes of the languages every concept has labels in.</summary>
    public IReadOnlyList<string> Languages { get; }

    /// <summary>Every concept, in the order of the vocabulary file.</summary>
    public IReadOnlyList<Concept> Concepts { get; }

    /// <summary>The concept with <paramref name="id"/>, or null when there is none.</summary>
    public Concept? Concept(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _byId.GetValueOrDefault(id);
    }

    /// <summary>
    /// The concepts whose label occurs in <paramref name="text"/>, with where each occurs, in text order (a longer
    /// match before a shorter one at the same place). A concept found through a label inside a longer label of its
    /// own ("slavery" in "modern slavery") is reported once, with the longer label. Empty for a language the
    /// vocabulary has no labels in.
    /// </summary>
    public IReadOnlyList<ConceptMatch> Find(string text, string language)
    {
        ArgumentNullException.ThrowIfNull(text);
        var canonical = TextAnalysis.CanonicalLanguage(language);
        return _labelsByLanguage.ContainsKey(canonical) ? FindIn(TextAnalysis.AnalyzeCanonical(text, canonical), canonical) : [];
    }

    /// <summary>The concepts whose label occurs in already analysed tokens of <paramref name="canonicalLanguage"/>.</summary>
    internal IReadOnlyList<ConceptMatch> FindIn(IReadOnlyList<AnalyzedToken> tokens, string canonicalLanguage)
    {
        if (!_labelsByLanguage.TryGetValue(canonicalLanguage, out var labels) || tokens.Count == 0)
        {
            return [];
        }

        var found = new Dictionary<(string ConceptId, int Start), int>();
        for (var i = 0; i < tokens.Count; i++)
        {
            if (!labels.TryGetValue(tokens[i].Term, out var candidates))
            {
                continue;
            }

            foreach (var label in candidates)
            {
                if (!label.MatchesAt(tokens, i))
                {
                    continue;
                }

                var key = (label.ConceptId, tokens[i].Start);
                var end = tokens[i + label.Terms.Length - 1].End;
                if (!found.TryGetValue(key, out var knownEnd) || end > knownEnd)
                {
                    found[key] = end;
                }
            }
        }

        var ordered = found
            .Select(f => new ConceptMatch(f.Key.ConceptId, f.Key.Start, f.Value - f.Key.Start))
            .OrderBy(m => m.Start)
            .ThenByDescending(m => m.Length)
            .ThenBy(m => m.ConceptId, StringComparer.Ordinal);

        // "modern slavery" holds the label "slavery" too: one occurrence of the concept, not two.
        var kept = new List<ConceptMatch>(found.Count);
        foreach (var match in ordered)
        {
            if (!kept.Exists(k => k.ConceptId == match.ConceptId && k.Start <= match.Start && match.End <= k.End))
            {
                kept.Add(match);
            }
        }

        return kept;
    }

    /// <summary>Reads and checks a vocabulary; throws <see cref="InvalidDataException"/> listing every problem.</summary>
    internal static ConceptVocabulary Parse(string json)
    {
        var (languages, concepts, problems) = Read(json);
        if (problems.Count == 0)
        {
            problems.AddRange(Check(languages, concepts, out var labelsByLanguage));
            if (problems.Count == 0)
            {
                return new ConceptVocabulary(languages, concepts, labelsByLanguage);
            }
        }

        throw new InvalidDataException("The concept vocabulary has problems:" + Environment.NewLine + string.Join(Environment.NewLine, problems));
    }

    /// <summary>Every problem of a vocabulary, each naming the concept, language and label concerned.</summary>
    internal static IReadOnlyList<string> Validate(string json)
    {
        var (languages, concepts, problems) = Read(json);
        if (problems.Count == 0)
        {
            problems.AddRange(Check(languages, concepts, out _));
        }

        return problems;
    }

    private static ConceptVocabulary LoadDefault()
    {
        using var stream = typeof(ConceptVocabulary).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    private static (IReadOnlyList<string> Languages, IReadOnlyList<Concept> Concepts, List<string> Problems) Read(string json)
    {
        var problems = new List<string>();
        VocabularyFile? file;
        try
        {
            file = JsonSerializer.Deserialize<VocabularyFile>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            problems.Add($"{e.Path}: not valid vocabulary JSON ({e.Message})");
            return ([], [], problems);
        }

        if (file?.Languages is not { Count: > 0 } languages)
        {
            problems.Add("languages: missing; list the language codes every concept must have labels in");
            languages = [];
        }

        if (file?.Concepts is not { Count: > 0 } entries)
        {
            problems.Add("concepts: missing or empty");
            entries = [];
        }

        var concepts = new List<Concept>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (entry is null)
            {
                problems.Add($"concepts[{i}]: null");
                continue;
            }

            var labels = (entry.Labels ?? []).ToDictionary(
                l => l.Key,
                l => (IReadOnlyList<string>)(l.Value ?? []).Select(v => v ?? string.Empty).ToArray(),
                StringComparer.Ordinal);
            concepts.Add(new Concept(entry.Id ?? string.Empty, entry.Theme ?? string.Empty, labels));
        }

        return (languages, concepts, problems);
    }

    private static List<string> Check(IReadOnlyList<string> languages, IReadOnlyList<Concept> concepts, out FrozenDictionary<string, FrozenDictionary<string, LabelTerms[]>> labelsByLanguage)
    {
        var problems = new List<string>();
        foreach (var language in languages)
        {
            if (TextAnalysis.CanonicalLanguage(language) != language)
            {
                problems.Add($"languages: '{language}' is not a canonical code; write '{TextAnalysis.CanonicalLanguage(language)}'");
            }
        }

        var seenIds = new HashSet<string>(StringComparer.Ordinal);
        var owners = languages.ToDictionary(l => l, _ => new Dictionary<string, string>(StringComparer.Ordinal), StringComparer.Ordinal);
        var labels = languages.ToDictionary(l => l, _ => new List<LabelTerms>(), StringComparer.Ordinal);
        for (var i = 0; i < concepts.Count; i++)
        {
            var concept = concepts[i];
            var where = $"concepts[{i}] ({concept.Id})";
            if (!IsValidId(concept.Id))
            {
                problems.Add($"{where}.id: '{concept.Id}' must be lower-case ASCII letters, digits and underscores, starting with a letter");
            }
            else if (!seenIds.Add(concept.Id))
            {
                problems.Add($"{where}.id: '{concept.Id}' is used by an earlier concept");
            }

            if (string.IsNullOrWhiteSpace(concept.Theme))
            {
                problems.Add($"{where}.theme: missing");
            }

            foreach (var language in concept.Labels.Keys.Where(l => !owners.ContainsKey(l)).Order(StringComparer.Ordinal))
            {
                problems.Add($"{where}.labels.{language}: not one of the vocabulary's languages ({string.Join(", ", languages)})");
            }

            foreach (var language in languages)
            {
                if (!concept.Labels.TryGetValue(language, out var conceptLabels) || conceptLabels.Count == 0)
                {
                    problems.Add($"{where}.labels.{language}: missing; every concept needs at least one label in every language");
                    continue;
                }

                for (var j = 0; j < conceptLabels.Count; j++)
                {
                    CheckLabel($"{where}.labels.{language}[{j}]", concept.Id, language, conceptLabels[j], owners[language], labels[language], problems);
                }
            }
        }

        labelsByLanguage = labels.ToFrozenDictionary(
            l => l.Key,
            l => l.Value.GroupBy(t => t.Terms[0], StringComparer.Ordinal)
                .ToFrozenDictionary(g => g.Key, g => g.OrderByDescending(t => t.Terms.Length).ToArray(), StringComparer.Ordinal),
            StringComparer.Ordinal);
        return problems;
    }

    private static void CheckLabel(string where, string conceptId, string language, string label, Dictionary<string, string> owners, List<LabelTerms> labels, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(label))
        {
            problems.Add($"{where}: empty label");
            return;
        }

        var terms = TextAnalysis.AnalyzeCanonical(label, language).Select(t => t.Term).ToArray();
        if (terms.Length == 0)
        {
            problems.Add($"{where}: '{label}' has only stop words, so it could never be found");
            return;
        }

        // Words as the unstemmed analysis sees them, so "sans-papiers" counts two; bigram languages count one per label.
        var words = LanguageProfiles.IsBigramLanguage(language) ? 1 : TextAnalysis.AnalyzeCanonical(label, LanguageProfiles.Undetermined).Count;
        if (words > 1 && terms.Length == 1)
        {
            problems.Add($"{where}: '{label}' keeps one term ('{terms[0]}') after stop words, so that word alone would carry the concept");
        }

        var key = string.Join(' ', terms);
        if (owners.TryGetValue(key, out var owner))
        {
            problems.Add(owner == conceptId
                ? $"{where}: '{label}' repeats another label of the same concept once analysed ('{key}')"
                : $"{where}: '{label}' is analysed to the same terms ('{key}') as a label of '{owner}'; a text could not tell them apart");
            return;
        }

        owners[key] = conceptId;
        labels.Add(new LabelTerms(conceptId, terms));
    }

    private static bool IsValidId(string id) =>
        id.Length > 0 && char.IsAsciiLetterLower(id[0]) && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
    };

    private sealed record LabelTerms(string ConceptId, string[] Terms)
    {
        public bool MatchesAt(IReadOnlyList<AnalyzedToken> tokens, int start)
        {
            if (start + Terms.Length > tokens.Count)
            {
                return false;
            }

            for (var k = 1; k < Terms.Length; k++)
            {
                if (!string.Equals(tokens[start + k].Term, Terms[k], StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }
    }

    private sealed class VocabularyFile
    {
        public List<string>? Languages { get; set; }

        public List<ConceptEntry?>? Concepts { get; set; }
    }

    private sealed class ConceptEntry
    {
        public string? Id { get; set; }

        public string? Theme { get; set; }

        public Dictionary<string, List<string?>?>? Labels { get; set; }
    }
}

using System.CommandLine;
using System.Globalization;
using System.Text;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;
using NremNet.Contracts.Practices.V1;
using NremNet.Domain.Practices;
using NremNet.Domain.Statistics;

namespace NremNet.Cli.Practices;

/// <summary>
/// <c>nremnet practice search "text" [filters]</c>: the practice library on this node's replica — ranked hits with the
/// matched words marked, facet counts, and a "did you mean" for misspelt words.
/// </summary>
internal sealed class SearchPracticesCommand : DocumentVerb
{
    /// <summary>The hits table's columns.</summary>
    public static readonly IReadOnlyList<string> Headers = ["id", "country", "title", "grade", "year", "lang", "where it matches"];

    /// <summary>How matched words are marked in snippets (as Markdown marks bold text).</summary>
    public const string Mark = "**";

    /// <summary>The most hits one search returns.</summary>
    public const int MaxLimit = 200;

    private const int MaxFacetValues = 12;
    private const int SnippetLength = 160;

    private readonly Argument<string?> _text = new("text") { Description = "The words to look for, in any language the node indexes (give --query-lang); none lists every practice the filters let through.", Arity = ArgumentArity.ZeroOrOne };
    private readonly Option<string[]> _countries = new("--country") { Description = "Only practices of these owner countries, e.g. NL,SE." };
    private readonly Option<string[]> _themes = new("--theme") { Description = $"Only these thematic areas: {PracticeCatalogue.Allowed(PracticeCatalogue.Themes)}." };
    private readonly Option<string[]> _exploitation = new("--exploit") { Description = $"Only these forms of exploitation: {PracticeCatalogue.Allowed(PracticeCatalogue.ExploitationForms)}." };
    private readonly Option<string[]> _targetGroups = new("--target-group") { Description = $"Only these target groups: {PracticeCatalogue.Allowed(PracticeCatalogue.TargetGroups)}." };
    private readonly Option<string[]> _grades = new("--grade") { Description = $"Only these evidence grades: {string.Join(", ", EvidenceCatalogue.Rules.Select(r => r.Code))}." };
    private readonly Option<string[]> _languages = new("--lang") { Description = "Only practices written in, or translated into, these languages (ISO 639-1, e.g. en,nl)." };
    private readonly Option<string?> _queryLanguage = new("--query-lang") { Description = "The language of your words (ISO 639-1), so they are stemmed as that language and matched across languages through the concept vocabulary; default: the node's language." };
    private readonly Option<string[]> _years = new("--year") { Description = "Only practices whose period covers one of these years, e.g. 2023 or 2020-2024." };
    private readonly Option<string?> _order = new("--order") { Description = "relevance (default), newest or oldest." };
    private readonly Option<int?> _limit = new("--limit") { Description = $"At most this many hits (default 20, at most {MaxLimit})." };
    private readonly Option<int?> _offset = new("--offset") { Description = "Skip this many hits (to page on)." };
    private readonly Option<bool> _withdrawn = new("--withdrawn") { Description = "Also withdrawn practices (marked)." };

    public SearchPracticesCommand(CliContext context)
        : base(context, "search", "Search the practice library this node holds (its own and every peer's, also while they are offline): hits ranked by relevance with the matched words marked **like this**, counts per country, theme, form of exploitation, target group, grade, language and year, and a 'did you mean' for misspelt words.", role: null)
    {
        _order.AcceptOnlyFromAmong("relevance", "newest", "oldest");
        Arguments.Add(_text);
        Options.Add(_countries);
        Options.Add(_themes);
        Options.Add(_exploitation);
        Options.Add(_targetGroups);
        Options.Add(_grades);
        Options.Add(_languages);
        Options.Add(_queryLanguage);
        Options.Add(_years);
        Options.Add(_order);
        Options.Add(_limit);
        Options.Add(_offset);
        Options.Add(_withdrawn);
    }

    /// <summary>The request the command line asks for, or a usage error naming every wrong value at once.</summary>
    public SearchPracticesRequest Request(ParseResult parse)
    {
        var problems = new List<string>();
        var request = new SearchPracticesRequest
        {
            Text = parse.GetValue(_text)?.Trim() ?? string.Empty,
            Order = parse.GetValue(_order) switch
            {
                "newest" => SearchOrder.Newest,
                "oldest" => SearchOrder.Oldest,
                _ => SearchOrder.Unspecified,
            },
            IncludeWithdrawn = parse.GetValue(_withdrawn),
        };

        foreach (var country in Values(parse, _countries))
        {
            if (Domain.Countries.Country.Find(country) is { } found)
            {
                request.Countries.Add(found.Code);
            }
            else
            {
                problems.Add($"--country '{country}' is not an ISO 3166-1 alpha-2 country code; give two letters, e.g. NL, SE or NG.");
            }
        }

        request.Themes.AddRange(Codes(parse, _themes, "--theme", PracticeCatalogue.Themes, problems));
        request.Exploitation.AddRange(Codes(parse, _exploitation, "--exploit", PracticeCatalogue.ExploitationForms, problems));
        request.TargetGroups.AddRange(Codes(parse, _targetGroups, "--target-group", PracticeCatalogue.TargetGroups, problems));
        foreach (var grade in Values(parse, _grades))
        {
            if (EvidenceCatalogue.TryParseGrade(grade, out var parsed))
            {
                request.Grades.Add(EvidenceCatalogue.Code(parsed));
            }
            else
            {
                problems.Add($"--grade '{grade}' is not an evidence grade; one of {string.Join(", ", EvidenceCatalogue.Rules.Select(r => r.Code))}.");
            }
        }

        foreach (var language in Values(parse, _languages).Select(l => l.ToLowerInvariant()))
        {
            if (PracticeCatalogue.IsLanguage(language))
            {
                request.Languages.Add(language);
            }
            else
            {
                problems.Add($"--lang '{language}' is not an ISO 639-1 language code (two letters, e.g. en, nl, es).");
            }
        }

        if (parse.GetValue(_queryLanguage)?.Trim().ToLowerInvariant() is { Length: > 0 } queryLanguage)
        {
            if (PracticeCatalogue.IsLanguage(queryLanguage))
            {
                request.Language = queryLanguage;
            }
            else
            {
                problems.Add($"--query-lang '{queryLanguage}' is not an ISO 639-1 language code (two letters, e.g. en, fr, es).");
            }
        }

        foreach (var year in Values(parse, _years))
        {
            var parts = year.Split(['-', '–'], 2, StringSplitOptions.TrimEntries);
            if (parts.All(p => p.Length == 4 && int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y is >= PracticeLimits.FirstYear and <= PracticeLimits.LastYear)
                && int.Parse(parts[0], CultureInfo.InvariantCulture) <= int.Parse(parts[^1], CultureInfo.InvariantCulture))
            {
                for (var y = int.Parse(parts[0], CultureInfo.InvariantCulture); y <= int.Parse(parts[^1], CultureInfo.InvariantCulture); y++)
                {
                    if (!request.Years.Contains(y))
                    {
                        request.Years.Add(y);
                    }
                }
            }
            else
            {
                problems.Add($"--year '{year}' is not a year or a range of years from {PracticeLimits.FirstYear} to {PracticeLimits.LastYear}; write e.g. 2023 or 2020-2024.");
            }
        }

        if (parse.GetValue(_limit) is { } limit)
        {
            if (limit is >= 1 and <= MaxLimit)
            {
                request.Limit = limit;
            }
            else
            {
                problems.Add($"--limit is {limit}; give a number from 1 to {MaxLimit}.");
            }
        }

        if (parse.GetValue(_offset) is { } offset)
        {
            if (offset >= 0)
            {
                request.Offset = offset;
            }
            else
            {
                problems.Add($"--offset is {offset}; give 0 or more.");
            }
        }

        return problems.Count == 0
            ? request
            : throw new CliException(ExitCodes.Usage, string.Join(Environment.NewLine, problems));
    }

    /// <summary>A hit's row.</summary>
    public static IReadOnlyList<string> Row(SearchHit hit)
    {
        var practice = hit.Practice;
        var withdrawn = practice.Version.State == DocumentState.Withdrawn ? "[WITHDRAWN] " : string.Empty;
        var inactive = practice.Version.OwnerInactive ? "[owner no longer a member] " : string.Empty;
        IReadOnlyList<string> row =
        [
            DocumentIds.Short(practice.Version.DocumentId),
            practice.Version.OwnerCountry,
            withdrawn + inactive + practice.Title,
            practice.EvidenceGrade.Length == 0 ? "—" : practice.EvidenceGrade,
            practice.Year > 0 ? practice.Year.ToString(CultureInfo.InvariantCulture) : "—",
            practice.Language,
            Snippet(hit),
        ];
        return [.. row.Select(DocumentText.Safe)];
    }

    /// <summary>
    /// Where a hit matches, in one cell: the snippet of the summary or body with matched words marked (see <see cref="Mark"/>),
    /// else any other snippet, else the start of the summary; noted when it was found through the concept vocabulary or
    /// in a translation's index.
    /// </summary>
    public static string Snippet(SearchHit hit)
    {
        var snippet = hit.Snippets.FirstOrDefault(s => s.Highlights.Count > 0 && s.Field is "summary" or "body")
            ?? hit.Snippets.FirstOrDefault(s => s.Highlights.Count > 0)
            ?? hit.Snippets.FirstOrDefault();
        var text = snippet is null ? DocumentText.Cut(hit.Practice.Summary, SnippetLength) : Marked(snippet);
        var notes = new List<string>();
        if (snippet is not null && snippet.Field is not ("summary" or "body"))
        {
            notes.Add($"in {snippet.Field}");
        }

        if (hit.ByConcept)
        {
            notes.Add("by concept");
        }

        if (hit.MatchedLanguage.Length > 0 && hit.MatchedLanguage != hit.Practice.Language)
        {
            notes.Add($"in its {hit.MatchedLanguage} translation");
        }

        return notes.Count == 0 ? text : $"({string.Join(", ", notes)}) {text}";
    }

    /// <summary>
    /// A snippet's text on one line with each highlighted range marked, e.g. "…victims of **forced labour** in…"; a
    /// text longer than <paramref name="max"/> characters is cut to a window from shortly before its first match.
    /// </summary>
    public static string Marked(Snippet snippet, int max = SnippetLength)
    {
        var text = snippet.Text;
        var ranges = snippet.Highlights
            .Select(h => (Start: Math.Clamp(h.Start, 0, text.Length), End: Math.Clamp(h.Start + h.Length, 0, text.Length)))
            .Where(r => r.End > r.Start)
            .OrderBy(r => r.Start)
            .ToList();
        // Overlapping or touching ranges are marked as one.
        var merged = new List<(int Start, int End)>();
        foreach (var range in ranges)
        {
            if (merged.Count > 0 && range.Start <= merged[^1].End)
            {
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, range.End));
            }
            else
            {
                merged.Add(range);
            }
        }

        var (from, to) = Window(text, merged.Count > 0 ? merged[0].Start : 0, max);
        var marked = new StringBuilder(max + (merged.Count * 2 * Mark.Length) + 2);
        marked.Append(from > 0 ? "…" : string.Empty);
        var at = from;
        foreach (var (start, end) in merged.Where(r => r.Start >= from && r.End <= to))
        {
            marked.Append(text, at, start - at).Append(Mark).Append(text, start, end - start).Append(Mark);
            at = end;
        }

        marked.Append(text, at, to - at).Append(to < text.Length ? "…" : string.Empty);
        return string.Join(' ', marked.ToString().Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    /// <summary>The part of <paramref name="text"/> shown: at most <paramref name="max"/> characters, from a word start a little before <paramref name="first"/>, to a word end.</summary>
    private static (int From, int To) Window(string text, int first, int max)
    {
        if (text.Length <= max)
        {
            return (0, text.Length);
        }

        var from = Math.Max(0, Math.Min(first - (max / 4), text.Length - max));
        if (from > 0 && text.IndexOf(' ', from) is var space and >= 0 && space < first)
        {
            from = space + 1;
        }

        var to = Math.Min(text.Length, from + max);
        if (to < text.Length && text.LastIndexOf(' ', to - 1) is var end && end > Math.Max(from, first))
        {
            to = end;
        }

        return (from, to);
    }

    /// <summary>The facets, one row each: its name and its values with their counts, most frequent first.</summary>
    public static IEnumerable<IReadOnlyList<string>> Facets(IEnumerable<Facet> facets) =>
        facets.Where(f => f.Values.Count > 0).Select(f =>
        {
            var shown = f.Values.Take(MaxFacetValues).Select(v => $"{v.Value} {v.Count.ToString(CultureInfo.InvariantCulture)}");
            var more = f.Values.Count > MaxFacetValues ? $" · +{f.Values.Count - MaxFacetValues} more" : string.Empty;
            return (IReadOnlyList<string>)[f.Name.Replace('_', ' '), string.Join(" · ", shown) + more];
        });

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var request = Request(parse);
        using var session = Open(parse);
        var response = await session.Practices.SearchPracticesAsync(request, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        if (WroteJson(response))
        {
            return ExitCodes.Ok;
        }

        var node = session.Profile.Node;
        var query = request.Text.Length == 0 ? "every practice" : $"\"{request.Text}\"";
        if (response.Corrected && response.DidYouMean.Length > 0)
        {
            Output.Line($"No practice matches {query}; showing results for \"{response.DidYouMean}\".");
        }

        if (response.Hits.Count == 0)
        {
            Output.Line(response.Total > 0
                ? $"No hits from --offset {request.Offset}: {query} has {response.Total} in all."
                : $"No practice on {node} matches {query}{(HasFilters(request) ? " with these filters" : string.Empty)}.");
            ShowDidYouMean(response, request.Text);
            return ExitCodes.Ok;
        }

        var first = request.Offset + 1;
        Output.Table($"Practices on {node} matching {(response.Corrected ? $"\"{response.DidYouMean}\"" : query)}", Headers, response.Hits.Select(Row));
        if (!response.Corrected)
        {
            ShowDidYouMean(response, request.Text);
        }

        Output.Table($"Facets: counts among all {response.Total} hits", ["facet", "values and counts"], Facets(response.Facets));
        var last = request.Offset + response.Hits.Count;
        Output.Line(last < response.Total
            ? $"Hits {first}–{last} of {response.Total}; '--offset {last}' shows the next."
            : $"{DocumentText.Count(response.Total, "hit")}.");
        Output.Line("'nremnet practice show ID' shows one; ID may be the end of the id as shown. Matched words are marked **like this**.");
        return ExitCodes.Ok;
    }

    private void ShowDidYouMean(SearchPracticesResponse response, string text)
    {
        if (!response.Corrected && response.DidYouMean.Length > 0 && !string.Equals(response.DidYouMean, text, StringComparison.OrdinalIgnoreCase))
        {
            Output.Line($"Did you mean: {response.DidYouMean}?");
        }
    }

    private static bool HasFilters(SearchPracticesRequest request) =>
        request.Countries.Count + request.Themes.Count + request.Exploitation.Count + request.TargetGroups.Count
            + request.Grades.Count + request.Languages.Count + request.Years.Count > 0;

    private static IEnumerable<string> Codes(ParseResult parse, Option<string[]> option, string name, IReadOnlyList<CatalogueCode> catalogue, List<string> problems)
    {
        var codes = new List<string>();
        foreach (var value in Values(parse, option))
        {
            if (catalogue.FirstOrDefault(c => string.Equals(c.Id, value, StringComparison.OrdinalIgnoreCase)) is { } code)
            {
                codes.Add(code.Id);
            }
            else
            {
                problems.Add($"{name} '{value}' is not one of {PracticeCatalogue.Allowed(catalogue)}.");
            }
        }

        return codes.Distinct(StringComparer.Ordinal);
    }
}

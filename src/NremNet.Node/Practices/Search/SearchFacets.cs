using System.Globalization;
using System.Text;
using NremNet.Domain.Practices;

namespace NremNet.Node.Practices.Search;

/// <summary>The facets a search counts and filters by, in the order the response lists them.</summary>
internal enum SearchFacet
{
    /// <summary>The owner country (ISO 3166-1 alpha-2).</summary>
    Country = 0,

    /// <summary>A thematic area (<see cref="PracticeCatalogue.Themes"/>).</summary>
    Theme = 1,

    /// <summary>A form of exploitation (<see cref="PracticeCatalogue.ExploitationForms"/>).</summary>
    Exploitation = 2,

    /// <summary>A target group (<see cref="PracticeCatalogue.TargetGroups"/>).</summary>
    TargetGroup = 3,

    /// <summary>The evidence grade code (<c>EVALUATED</c>, <c>PROMISING</c>, <c>EMERGING</c>).</summary>
    Grade = 4,

    /// <summary>The original's language and each translation's (ISO 639-1).</summary>
    Language = 5,

    /// <summary>Each year the practice's period covers.</summary>
    Year = 6,
}

/// <summary>One facet value of a document.</summary>
/// <param name="Facet">The facet.</param>
/// <param name="Value">The value: a code, or a year in four digits.</param>
internal readonly record struct FacetValue(SearchFacet Facet, string Value);

/// <summary>
/// The facet values of a practice, and how they are stored with its entry (one <c>name=value</c> per line in
/// <c>practice_search_docs.facets</c>). Years: every year from the period's first month to its last; a period still
/// running ends, for the index, in the year its version was signed — a fact of the signed document, the same on every
/// node and for every reader, where "this year" would change the counts of an unchanged index at midnight on 31
/// December. A later version (any edit) moves that end.
/// </summary>
internal static class SearchFacets
{
    /// <summary>The facets in response order.</summary>
    public static readonly IReadOnlyList<SearchFacet> All = Enum.GetValues<SearchFacet>();

    /// <summary>The name of a facet in the response (<c>Facet.name</c>) and in the stored lines.</summary>
    public static string Name(SearchFacet facet) => facet switch
    {
        SearchFacet.Country => "country",
        SearchFacet.Theme => "theme",
        SearchFacet.Exploitation => "exploitation",
        SearchFacet.TargetGroup => "target_group",
        SearchFacet.Grade => "grade",
        SearchFacet.Language => "language",
        SearchFacet.Year => "year",
        _ => throw new ArgumentOutOfRangeException(nameof(facet), facet, "Not a facet."),
    };

    /// <summary>The facet values of <paramref name="practice"/>, each once.</summary>
    public static IReadOnlyList<FacetValue> Of(IndexedPractice practice)
    {
        ArgumentNullException.ThrowIfNull(practice);
        var content = practice.Practice;
        var values = new List<FacetValue> { new(SearchFacet.Country, practice.Version.OwnerCountry) };
        values.AddRange(content.Themes.Select(t => new FacetValue(SearchFacet.Theme, t)));
        values.AddRange(content.Exploitation.Select(e => new FacetValue(SearchFacet.Exploitation, e)));
        values.AddRange(content.TargetGroups.Select(g => new FacetValue(SearchFacet.TargetGroup, g)));
        var grade = EvidenceCatalogue.Code(content.Evidence.Grade);
        if (grade.Length > 0)
        {
            values.Add(new FacetValue(SearchFacet.Grade, grade));
        }

        values.Add(new FacetValue(SearchFacet.Language, content.Language));
        values.AddRange(content.Translations.Select(t => new FacetValue(SearchFacet.Language, t.Language)));
        var signedYear = practice.Version.SignedAt is { } signedAt ? signedAt.ToDateTimeOffset().Year : (int?)null;
        values.AddRange(Years(content.Period, signedYear).Select(y => new FacetValue(SearchFacet.Year, y.ToString("D4", CultureInfo.InvariantCulture))));
        return values.Where(v => v.Value.Length > 0).Distinct().ToArray();
    }

    /// <summary>
    /// The years a period covers: from its first year to its last, or to <paramref name="signedYear"/> while it runs
    /// (never before its first year, never after <see cref="PracticeLimits.LastYear"/>); none without a start.
    /// </summary>
    public static IEnumerable<int> Years(PracticePeriod period, int? signedYear)
    {
        ArgumentNullException.ThrowIfNull(period);
        if (period.From is not { } from)
        {
            return [];
        }

        var last = period.To?.Year ?? signedYear ?? from.Year;
        last = Math.Clamp(last, from.Year, Math.Max(from.Year, PracticeLimits.LastYear));
        return Enumerable.Range(from.Year, last - from.Year + 1);
    }

    /// <summary>The stored form: one <c>name=value</c> per line.</summary>
    public static string Encode(IEnumerable<FacetValue> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var text = new StringBuilder();
        foreach (var value in values)
        {
            if (value.Value.Contains('\n', StringComparison.Ordinal))
            {
                throw new ArgumentException($"The {Name(value.Facet)} value '{value.Value}' has a line break.", nameof(values));
            }

            text.Append(Name(value.Facet)).Append('=').Append(value.Value).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Reads the stored form; lines of facets this version does not know are skipped.</summary>
    public static IEnumerable<FacetValue> Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && TryParse(line[..equals], out var facet))
            {
                yield return new FacetValue(facet, line[(equals + 1)..]);
            }
        }
    }

    private static bool TryParse(string name, out SearchFacet facet)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(Name(candidate), name, StringComparison.Ordinal))
            {
                facet = candidate;
                return true;
            }
        }

        facet = default;
        return false;
    }
}

using System.Globalization;
using Grpc.Core;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Countries;
using NremNet.Domain.Practices;
using NremNet.Hosting.Grpc;

namespace NremNet.Node.Practices.Search;

/// <summary>A search request, checked and normalised.</summary>
/// <param name="Text">The words, trimmed; empty to browse.</param>
/// <param name="Language">The query's language (ISO 639-1): the request's, else the node's.</param>
/// <param name="Filters">Per filtered facet, the values allowed (any of them); a facet without filter is absent.</param>
/// <param name="Order">The order asked for.</param>
/// <param name="Limit">At most this many hits.</param>
/// <param name="Offset">Hits to skip.</param>
/// <param name="IncludeWithdrawn">Whether withdrawn practices are found too.</param>
internal sealed record SearchPlan(
    string Text,
    string Language,
    IReadOnlyDictionary<SearchFacet, IReadOnlySet<string>> Filters,
    SearchOrder Order,
    int Limit,
    int Offset,
    bool IncludeWithdrawn);

/// <summary>
/// Checks a <see cref="SearchPracticesRequest"/> against the catalogues and limits, reporting every problem at once
/// (INVALID_ARGUMENT with a <c>google.rpc.BadRequest</c> naming each field and value). Codes are accepted in any case
/// and normalised to the catalogue's (<c>nl</c>, <c>NL</c>, <c>LAB</c>, <c>prevention</c>, <c>PROMISING</c>).
/// </summary>
internal static class SearchRequestCheck
{
    /// <summary>Hits per page when the request does not say.</summary>
    public const int DefaultLimit = 20;

    /// <summary>The most hits one page may ask for.</summary>
    public const int MaxLimit = 200;

    /// <summary>The longest query text; longer is not a search but a pasted document.</summary>
    public const int MaxTextLength = 1_000;

    /// <summary>The most values one filter may list.</summary>
    public const int MaxFilterValues = 100;

    /// <summary>The checked plan of <paramref name="request"/>.</summary>
    /// <exception cref="RpcException">INVALID_ARGUMENT, naming every problem.</exception>
    public static SearchPlan Check(SearchPracticesRequest request, string nodeLanguage)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(nodeLanguage);
        var problems = new List<(string Field, string Description)>();

        var text = request.Text.Trim();
        if (text.Length > MaxTextLength)
        {
            problems.Add(("text", $"is {text.Length} characters long; a search has at most {MaxTextLength}"));
        }

        var language = nodeLanguage;
        if (request.Language.Length > 0)
        {
            language = request.Language.Trim().ToLowerInvariant();
            if (!PracticeCatalogue.IsLanguage(language))
            {
                problems.Add(("language", $"'{Shown(request.Language)}' is not an ISO 639-1 language code (two letters, e.g. fr)"));
            }
        }

        var filters = new Dictionary<SearchFacet, IReadOnlySet<string>>();
        Filter(filters, problems, SearchFacet.Country, "countries", request.Countries, c => c.ToUpperInvariant(), Country.IsValidCode,
            "an ISO 3166-1 alpha-2 country code (e.g. SE)");
        Filter(filters, problems, SearchFacet.Theme, "themes", request.Themes, c => c.ToLowerInvariant(), IsCode(PracticeCatalogue.Themes),
            "a theme; one of " + PracticeCatalogue.Allowed(PracticeCatalogue.Themes));
        Filter(filters, problems, SearchFacet.Exploitation, "exploitation", request.Exploitation, c => c.ToUpperInvariant(), IsCode(PracticeCatalogue.ExploitationForms),
            "a form of exploitation; one of " + PracticeCatalogue.Allowed(PracticeCatalogue.ExploitationForms));
        Filter(filters, problems, SearchFacet.TargetGroup, "target_groups", request.TargetGroups, c => c.ToLowerInvariant(), IsCode(PracticeCatalogue.TargetGroups),
            "a target group; one of " + PracticeCatalogue.Allowed(PracticeCatalogue.TargetGroups));
        Filter(filters, problems, SearchFacet.Grade, "grades", request.Grades, c => c.ToUpperInvariant(), c => EvidenceCatalogue.TryParseGrade(c, out _),
            "an evidence grade; one of " + string.Join(", ", EvidenceCatalogue.Rules.Select(r => r.Code)));
        Filter(filters, problems, SearchFacet.Language, "languages", request.Languages, c => c.ToLowerInvariant(), PracticeCatalogue.IsLanguage,
            "an ISO 639-1 language code (two letters, e.g. fr)");
        Filter(filters, problems, SearchFacet.Year, "years", request.Years.Select(y => y.ToString(CultureInfo.InvariantCulture)).ToList(), y => y,
            y => int.TryParse(y, NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is >= PracticeLimits.FirstYear and <= PracticeLimits.LastYear,
            $"a year from {PracticeLimits.FirstYear} to {PracticeLimits.LastYear}");

        if (!Enum.IsDefined(request.Order))
        {
            problems.Add(("order", $"{(int)request.Order} is not an order; one of {string.Join(", ", Enum.GetNames<SearchOrder>())}"));
        }

        if (request.Limit is < 0 or > MaxLimit)
        {
            problems.Add(("limit", $"is {request.Limit}; it must be from 1 to {MaxLimit} (0 for {DefaultLimit})"));
        }

        if (request.Offset < 0)
        {
            problems.Add(("offset", $"is {request.Offset}; it must be 0 or more"));
        }

        if (problems.Count > 0)
        {
            throw RichErrors.InvalidArgument("The search", problems);
        }

        return new SearchPlan(
            text,
            language,
            filters,
            request.Order,
            request.Limit == 0 ? DefaultLimit : request.Limit,
            request.Offset,
            request.IncludeWithdrawn);
    }

    private static void Filter(
        Dictionary<SearchFacet, IReadOnlySet<string>> filters,
        List<(string Field, string Description)> problems,
        SearchFacet facet,
        string field,
        IReadOnlyList<string> values,
        Func<string, string> normalise,
        Func<string, bool> isValid,
        string expected)
    {
        if (values.Count == 0)
        {
            return;
        }

        if (values.Count > MaxFilterValues)
        {
            problems.Add((field, $"lists {values.Count} values; a filter lists at most {MaxFilterValues}"));
            return;
        }

        var allowed = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < values.Count; i++)
        {
            var value = normalise(values[i].Trim());
            if (isValid(value))
            {
                allowed.Add(value);
            }
            else
            {
                problems.Add(($"{field}[{i}]", $"'{Shown(values[i])}' is not {expected}"));
            }
        }

        filters[facet] = allowed;
    }

    private static Func<string, bool> IsCode(IReadOnlyList<Domain.Statistics.CatalogueCode> codes) =>
        value => codes.Any(c => string.Equals(c.Id, value, StringComparison.Ordinal));

    /// <summary>A value as a message shows it: at most 40 characters, control characters replaced.</summary>
    private static string Shown(string value)
    {
        var shown = new string(value.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return shown.Length > 40 ? shown[..40] + "…" : shown;
    }
}

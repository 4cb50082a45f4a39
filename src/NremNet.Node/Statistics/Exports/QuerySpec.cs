using NremNet.Contracts.Aggregates.V1;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Statistics;

namespace NremNet.Node.Statistics.Exports;

/// <summary>Codes kept for one breakdown dimension (<c>--filter EXPLOIT=SEX,LAB</c>).</summary>
public sealed record QueryFilter(string Dimension, IReadOnlyList<string> Codes);

/// <summary>
/// A federated query as the command line asked it: the indicator, the breakdown dimensions (TIME_PERIOD excluded),
/// the order rows nest in (TIME_PERIOD included, where the user put it in <c>--by</c>, first otherwise), years,
/// filters and countries in the order given.
/// </summary>
public sealed record QuerySpec(
    string Indicator,
    IReadOnlyList<string> Breakdown,
    IReadOnlyList<string> RowOrder,
    int StartYear,
    int EndYear,
    IReadOnlyList<QueryFilter> Filters,
    IReadOnlyList<string> Countries)
{
    /// <summary>The peer API's query.</summary>
    public QueryRequest ToQueryRequest()
    {
        var request = new QueryRequest { Indicator = Indicator, StartYear = StartYear, EndYear = EndYear };
        request.Breakdown.AddRange(Breakdown);
        foreach (var filter in Filters)
        {
            var message = new DimensionFilter { Dimension = filter.Dimension };
            message.Codes.AddRange(filter.Codes);
            request.Filters.Add(message);
        }

        return request;
    }

    /// <summary>The user API's request.</summary>
    public FederatedQueryRequest ToRequest(TimeSpan? deadline, bool refresh)
    {
        var request = new FederatedQueryRequest { Query = ToQueryRequest(), Refresh = refresh };
        request.Countries.AddRange(Countries);
        if (deadline is { } d)
        {
            request.Deadline = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(d);
        }

        return request;
    }

    /// <summary>The indicator's label from the catalogue, or its id.</summary>
    public string IndicatorLabel => StatisticsCatalogue.FindIndicator(Indicator)?.Label ?? Indicator;

    /// <summary>The years as people write them: <c>2019–2024</c> or <c>2022</c>.</summary>
    public string Years => StartYear == EndYear
        ? StartYear.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : FormattableString.Invariant($"{StartYear}–{EndYear}");
}

/// <summary>Every country's result of one federated query, in the order the countries were asked, and who asked.</summary>
/// <param name="Query">What was asked.</param>
/// <param name="Results">One result per country, in <see cref="QuerySpec.Countries"/> order.</param>
/// <param name="Prepared">When the results were put together.</param>
/// <param name="Node">The node that ran the query (its country).</param>
public sealed record QueryOutcome(QuerySpec Query, IReadOnlyList<FederatedQueryResponse> Results, DateTimeOffset Prepared, string Node)
{
    /// <summary>Whether any answer says its figures are synthetic.</summary>
    public bool Synthetic => Results.Any(r => r.Answer?.Synthetic == true);

    /// <summary>The countries whose answers are synthetic.</summary>
    public IReadOnlyList<string> SyntheticCountries => [.. Results.Where(r => r.Answer?.Synthetic == true).Select(r => r.Country)];

    /// <summary>Puts streamed results in the order the countries were asked; countries that sent nothing come last, as they came.</summary>
    public static IReadOnlyList<FederatedQueryResponse> InAskedOrder(IEnumerable<FederatedQueryResponse> results, IReadOnlyList<string> countries) =>
        [.. results.OrderBy(r => countries.IndexOf(r.Country) is var i and >= 0 ? i : int.MaxValue)];
}

/// <summary>List helpers the renderers share.</summary>
public static class ListExtensions
{
    /// <summary>The position of <paramref name="value"/> (ordinal), or -1.</summary>
    public static int IndexOf(this IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (string.Equals(list[i], value, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}

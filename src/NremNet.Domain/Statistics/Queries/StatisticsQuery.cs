namespace NremNet.Domain.Statistics.Queries;

/// <summary>
/// A validated catalogue query: one indicator, up to <see cref="StatisticsCatalogue.MaxBreakdownDimensions"/> breakdown
/// dimensions of that indicator (plus TIME_PERIOD), a range of years and, per breakdown dimension, the codes wanted
/// ("_T" being the total over the dimension). The answer holds every cell of the breakdown and of its margins that the
/// filters keep.
/// </summary>
public sealed class StatisticsQuery
{
    private StatisticsQuery(CatalogueIndicator indicator, IReadOnlyList<string> breakdown, int startYear, int endYear, IReadOnlyDictionary<string, IReadOnlySet<string>> filters)
    {
        Indicator = indicator;
        Breakdown = breakdown;
        StartYear = startYear;
        EndYear = endYear;
        Filters = filters;
        Signatures = [.. Subsets(breakdown).Select(s => string.Join(';', s))];
    }

    /// <summary>The indicator.</summary>
    public CatalogueIndicator Indicator { get; }

    /// <summary>The breakdown dimensions, in catalogue order.</summary>
    public IReadOnlyList<string> Breakdown { get; }

    /// <summary>First year, inclusive.</summary>
    public int StartYear { get; }

    /// <summary>Last year, inclusive.</summary>
    public int EndYear { get; }

    /// <summary>Codes kept per filtered breakdown dimension.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> Filters { get; }

    /// <summary>At most this many problems are named; the rest are counted.</summary>
    public const int MaxProblems = 20;

    /// <summary>At most this many characters of a value the caller sent are echoed back.</summary>
    public const int MaxEcho = 40;

    /// <summary>The cell signatures an answer draws from: the breakdown and each of its margins, down to the total.</summary>
    public IReadOnlyList<string> Signatures { get; }

    /// <summary>Whether the query is the network baseline: yearly totals, no breakdown.</summary>
    public bool IsBaseline => Breakdown.Count == 0;

    /// <summary>A stable text form, for caches, ledgers and the audit log.</summary>
    public string Canonical => FormattableString.Invariant($"{Indicator.Id}|{string.Join(',', Breakdown)}|{StartYear}-{EndYear}|{string.Join(';', Filters.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Key + "=" + string.Join(',', f.Value.Order(StringComparer.Ordinal))))}");

    /// <summary>
    /// Validates a query as asked; every problem is named (field, what is wrong, what is allowed).
    /// </summary>
    /// <returns>The query, or null with the problems as (field, message).</returns>
    public static (StatisticsQuery? Query, IReadOnlyList<(string Field, string Message)> Problems) Create(
        string? indicatorId,
        IEnumerable<string> breakdown,
        int startYear,
        int endYear,
        IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> filters,
        int currentYear)
    {
        ArgumentNullException.ThrowIfNull(breakdown);
        ArgumentNullException.ThrowIfNull(filters);
        var problems = new List<(string, string)>();
        var indicator = StatisticsCatalogue.FindIndicator(indicatorId);
        if (indicator is null)
        {
            problems.Add(("indicator", $"'{Echo(indicatorId)}' is not an indicator of catalogue {StatisticsCatalogue.Version}; known: {string.Join(", ", StatisticsCatalogue.Indicators.Select(i => i.Id))}."));
        }

        var dimensions = new List<string>();
        foreach (var raw in breakdown)
        {
            var id = raw.Trim();
            if (id.Equals(StatisticsCatalogue.TimePeriod, StringComparison.Ordinal))
            {
                continue;
            }

            if (StatisticsCatalogue.FindDimension(id) is null)
            {
                problems.Add(("breakdown", $"'{Echo(id)}' is not a dimension of catalogue {StatisticsCatalogue.Version}."));
            }
            else if (indicator is not null && !indicator.HasDimension(id))
            {
                problems.Add(("breakdown", $"{indicator.Id} cannot be broken down by {id}; it can by {string.Join(", ", indicator.Dimensions)}."));
            }
            else if (dimensions.Contains(id, StringComparer.Ordinal))
            {
                problems.Add(("breakdown", $"{id} is named twice."));
            }
            else
            {
                dimensions.Add(id);
            }
        }

        if (dimensions.Count > StatisticsCatalogue.MaxBreakdownDimensions)
        {
            problems.Add(("breakdown", $"At most {StatisticsCatalogue.MaxBreakdownDimensions} dimensions besides TIME_PERIOD may be asked for at once; {dimensions.Count} were."));
        }

        if (startYear < StatisticsCatalogue.FirstYear || startYear > currentYear)
        {
            problems.Add(("start_year", $"{startYear} is outside {StatisticsCatalogue.FirstYear}–{currentYear}."));
        }

        if (endYear < StatisticsCatalogue.FirstYear || endYear > currentYear)
        {
            problems.Add(("end_year", $"{endYear} is outside {StatisticsCatalogue.FirstYear}–{currentYear}."));
        }

        if (endYear < startYear)
        {
            problems.Add(("end_year", $"The last year ({endYear}) comes before the first ({startYear})."));
        }

        var kept = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        foreach (var (dimensionId, codes) in filters)
        {
            if (!dimensions.Contains(dimensionId, StringComparer.Ordinal))
            {
                problems.Add(("filters", $"A filter on {Echo(dimensionId)} needs it among the breakdown dimensions."));
                continue;
            }

            var dimension = StatisticsCatalogue.Dimension(dimensionId);
            var set = new HashSet<string>(StringComparer.Ordinal);
            foreach (var code in codes)
            {
                if (code != StatisticsCatalogue.Total && !dimension.HasCode(code))
                {
                    problems.Add(("filters", $"'{Echo(code)}' is not a code of {dimensionId}; codes: {CodeList(dimension)}."));
                }
                else
                {
                    set.Add(code);
                }
            }

            if (set.Count == 0)
            {
                problems.Add(("filters", $"The filter on {dimensionId} keeps no code."));
            }
            else
            {
                kept[dimensionId] = set;
            }
        }

        if (problems.Count > MaxProblems)
        {
            // A request of any size gets an answer of bounded size: the error (and its audit record) echoes a summary.
            var more = problems.Count - MaxProblems;
            problems.RemoveRange(MaxProblems, more);
            problems.Add(("request", $"{more} more problems are not listed."));
        }

        if (problems.Count > 0)
        {
            return (null, problems);
        }

        var ordered = dimensions.OrderBy(StatisticsCatalogue.Order).ToList();
        return (new StatisticsQuery(indicator!, ordered, startYear, endYear, kept), problems);
    }

    /// <summary>Whether a cell of one of <see cref="Signatures"/> is wanted by the filters.</summary>
    public bool Wants(CellCodes cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        foreach (var dimension in Breakdown)
        {
            if (!Filters.TryGetValue(dimension, out var codes))
            {
                continue;
            }

            var code = cell.Has(dimension) ? cell.CodeOf(dimension) : StatisticsCatalogue.Total;
            if (!codes.Contains(code))
            {
                return false;
            }
        }

        return true;
    }

    private static string CodeList(CatalogueDimension dimension) => dimension.Codes.Count <= MaxProblems
        ? $"{string.Join(", ", dimension.Codes.Select(c => c.Id))}, {StatisticsCatalogue.Total}"
        : $"{dimension.Codes.Count} codes ({dimension.Codes[0].Id}, {dimension.Codes[1].Id}, …) and {StatisticsCatalogue.Total}";

    /// <summary>A value the caller sent, cut to <see cref="MaxEcho"/> characters for an error text or an audit record.</summary>
    public static string Echo(string? text) =>
        text is null ? string.Empty : text.Length <= MaxEcho ? text : string.Concat(text.AsSpan(0, MaxEcho), $"… ({text.Length} characters)");

    private static IEnumerable<List<string>> Subsets(IReadOnlyList<string> dimensions)
    {
        for (var mask = (1 << dimensions.Count) - 1; mask >= 0; mask--)
        {
            yield return [.. dimensions.Where((_, i) => (mask & (1 << i)) != 0)];
        }
    }
}

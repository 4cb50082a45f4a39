using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using NremNet.Contracts.Aggregates.V1;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Statistics;
using ConfidentialityStatus = NremNet.Contracts.Aggregates.V1.ConfidentialityStatus;
using ObservationStatus = NremNet.Contracts.Aggregates.V1.ObservationStatus;

namespace NremNet.Node.Statistics.Exports;

/// <summary>
/// How query results name statuses, codes and policies, the same in the command line's tables and in every export
/// (CSV, JSON, SDMX, XLSX) of the command line and the console.
/// </summary>
public static class StatisticsText
{
    /// <summary>A country's status as a stable word for JSON and scripts.</summary>
    public static string StatusId(CountryStatus status) => status switch
    {
        CountryStatus.Ok => "ok",
        CountryStatus.PartlyWithheld => "partly_withheld",
        CountryStatus.Denied => "denied",
        CountryStatus.Unavailable => "unavailable",
        CountryStatus.DeadlineExceeded => "deadline_exceeded",
        CountryStatus.NotAvailableForPeriod => "not_available_for_period",
        _ => "unspecified",
    };

    /// <summary>A country's status for people.</summary>
    public static string Status(CountryStatus status) => StatusId(status).Replace('_', ' ');

    /// <summary>Whether the country gave figures (some perhaps withheld).</summary>
    public static bool Answered(FederatedQueryResponse result) =>
        result.Answer is not null && result.Status is CountryStatus.Ok or CountryStatus.PartlyWithheld;

    /// <summary>SDMX OBS_STATUS code (A, O, Q, E, P); empty when not stated.</summary>
    public static string ObsStatus(ObservationStatus status) => status switch
    {
        ObservationStatus.Normal => "A",
        ObservationStatus.Missing => "O",
        ObservationStatus.Withheld => "Q",
        ObservationStatus.Estimated => "E",
        ObservationStatus.Provisional => "P",
        _ => string.Empty,
    };

    /// <summary>SDMX CONF_STATUS code (F, C, D); empty when not stated.</summary>
    public static string ConfStatus(ConfidentialityStatus status) => status switch
    {
        ConfidentialityStatus.Free => "F",
        ConfidentialityStatus.Primary => "C",
        ConfidentialityStatus.Secondary => "D",
        _ => string.Empty,
    };

    /// <summary>A protection as a stable word.</summary>
    public static string ProtectionId(Protection protection) => protection switch
    {
        Protection.Suppression => "suppression",
        Protection.CellKeyPerturbation => "perturbation",
        Protection.DifferentialPrivacy => "dp",
        Protection.None => "none",
        _ => "unspecified",
    };

    /// <summary>A protection for people.</summary>
    public static string ProtectionName(Protection protection) => protection switch
    {
        Protection.Suppression => "suppression",
        Protection.CellKeyPerturbation => "suppression + cell-key perturbation",
        Protection.DifferentialPrivacy => "differential privacy",
        Protection.None => "none (public data, released as published)",
        _ => "not stated",
    };

    /// <summary>A data source for people.</summary>
    public static string Source(DataSource source) => source switch
    {
        DataSource.CaseRecords => "case records",
        DataSource.PublishedStatistics => "published statistics",
        DataSource.None => "none",
        _ => "not stated",
    };

    /// <summary>A data source as a stable word.</summary>
    public static string SourceId(DataSource source) => source switch
    {
        DataSource.CaseRecords => "case_records",
        DataSource.PublishedStatistics => "published_statistics",
        DataSource.None => "none",
        _ => "unspecified",
    };

    /// <summary>
    /// What protected an answer, in one line: the protection, the threshold, the cells withheld, and for differential
    /// privacy the epsilon spent and the budget left.
    /// </summary>
    public static string Policy(DisclosurePolicy policy)
    {
        var text = ProtectionName(policy.Protection);
        if (policy.Protection == Protection.None)
        {
            return text;
        }

        if (policy.Protection == Protection.CellKeyPerturbation && policy.PerturbationBound > 0)
        {
            text += $" (±{Number(policy.PerturbationBound)})";
        }

        text += $", threshold {Number(policy.Threshold)}";

        if (policy.Protection == Protection.DifferentialPrivacy)
        {
            text += $", ε {Epsilon(policy.Epsilon)} spent, {Epsilon(policy.BudgetRemaining)} of {Epsilon(policy.BudgetTotal)} left this year";
        }

        return text + $"; withheld {Number(policy.PrimaryWithheld)} small (C), {Number(policy.SecondaryWithheld)} shielding (D)";
    }

    /// <summary>A duration in seconds for people: <c>0.21 s</c>, <c>12 s</c>, <c>3 min 5 s</c>.</summary>
    public static string Seconds(TimeSpan value) =>
        value.TotalSeconds < 10 ? value.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s"
            : value.TotalSeconds < 120 ? value.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + " s"
            : FormattableString.Invariant($"{(int)value.TotalMinutes} min {value.Seconds} s");

    /// <summary>A protobuf duration as a time span; zero when unset.</summary>
    public static TimeSpan Span(Duration? value) => value?.ToTimeSpan() ?? TimeSpan.Zero;

    /// <summary>Where an answer came from and how long it took, for people.</summary>
    public static string Timing(FederatedQueryResponse result)
    {
        var text = result.Answer is null ? $"took {Seconds(Span(result.Elapsed))}"
            : result.FromCache ? $"cached answer, {Seconds(Span(result.CacheAge))} old · took {Seconds(Span(result.Elapsed))}"
            : $"fresh answer · took {Seconds(Span(result.Elapsed))}";
        return result.Attempts > 1 ? text + $" · {result.Attempts} attempts" : text;
    }

    /// <summary>Years as ranges: <c>2015–2019, 2021</c>.</summary>
    public static string YearRanges(IEnumerable<int> years)
    {
        ArgumentNullException.ThrowIfNull(years);
        var sorted = years.Distinct().Order().ToList();
        var parts = new List<string>();
        for (var i = 0; i < sorted.Count;)
        {
            var j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1)
            {
                j++;
            }

            parts.Add(i == j ? FormattableString.Invariant($"{sorted[i]}") : FormattableString.Invariant($"{sorted[i]}–{sorted[j]}"));
            i = j + 1;
        }

        return string.Join(", ", parts);
    }

    /// <summary>An epsilon for people: up to three decimals.</summary>
    public static string Epsilon(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>A count for people, with thousands separators.</summary>
    public static string Number(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>The label of a code of a dimension (the total as "Total"), or the code itself when the catalogue does not know it.</summary>
    public static string CodeLabel(string dimension, string code)
    {
        if (code == StatisticsCatalogue.Total)
        {
            return "Total";
        }

        if (dimension == StatisticsCatalogue.TimePeriod)
        {
            return code;
        }

        var found = StatisticsCatalogue.FindDimension(dimension);
        var index = found?.IndexOf(code) ?? -1;
        return index >= 0 ? found!.Codes[index].Label : code;
    }

    /// <summary>The position of an indicator in the catalogue, unknown ones last.</summary>
    public static int IndicatorOrder(string indicator)
    {
        for (var i = 0; i < StatisticsCatalogue.Indicators.Count; i++)
        {
            if (StatisticsCatalogue.Indicators[i].Id == indicator)
            {
                return i;
            }
        }

        return int.MaxValue;
    }

    /// <summary>The label of a dimension, or its id.</summary>
    public static string DimensionLabel(string dimension) =>
        dimension switch
        {
            StatisticsCatalogue.TimePeriod => "Year",
            "REF_AREA" => "Reference area",
            "INDICATOR" => "Indicator",
            _ => StatisticsCatalogue.FindDimension(dimension)?.Label ?? dimension,
        };

    /// <summary>
    /// Orders codes of one dimension as the catalogue does: the total first, then catalogue order, then any other code
    /// alphabetically; years ascending.
    /// </summary>
    public static IComparer<string> CodeOrder(string dimension) => Comparer<string>.Create((a, b) =>
    {
        var (ra, rb) = (Rank(dimension, a), Rank(dimension, b));
        return ra != rb ? ra.CompareTo(rb) : string.CompareOrdinal(a, b);
    });

    private static int Rank(string dimension, string code)
    {
        if (code == StatisticsCatalogue.Total)
        {
            return -1;
        }

        if (dimension == StatisticsCatalogue.TimePeriod)
        {
            return int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var year) ? year : int.MaxValue;
        }

        var index = StatisticsCatalogue.FindDimension(dimension)?.IndexOf(code) ?? -1;
        return index >= 0 ? index : int.MaxValue;
    }
}

using Google.Protobuf.WellKnownTypes;
using NremNet.Contracts.Aggregates.V1;
using NremNet.Contracts.Local.V1;
using NremNet.Node.Statistics.Exports;

namespace NremNet.Node.Tests.Statistics.Exports;

/// <summary>
/// A hand-built federated query result (THB_VICT_REG by EXPLOIT, 2022-2023, codes _T, SEX and LAB): NL answered in full
/// with one noisy value and synthetic data; SE partly withheld (one small cell, one shielding cell, one missing year);
/// FI denied; BG did not answer in time. Shared with the command line's tests (linked into NremNet.Cli.Tests).
/// </summary>
internal static class SampleResults
{
    public static readonly DateTimeOffset Prepared = new(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);

    public static QuerySpec Spec(IReadOnlyList<string>? rowOrder = null) => new(
        "THB_VICT_REG",
        ["EXPLOIT"],
        rowOrder ?? ["TIME_PERIOD", "EXPLOIT"],
        2022,
        2023,
        [new QueryFilter("EXPLOIT", ["_T", "SEX", "LAB"])],
        ["NL", "SE", "FI", "BG"]);

    public static QueryOutcome Outcome(bool synthetic = true, IReadOnlyList<string>? rowOrder = null) =>
        new(Spec(rowOrder), [Netherlands(synthetic), Sweden(), Finland(), Bulgaria()], Prepared, "NL");

    /// <summary>The population (totals) of NL and SE for 2022 only, asked of the same countries: FI denied, BG too slow.</summary>
    public static QueryOutcome Population() =>
        new(new QuerySpec("POPULATION", [], ["TIME_PERIOD"], 2022, 2023, [], ["NL", "SE", "FI", "BG"]), [Residents("NL", 17_800_000), Residents("SE", 10_500_000), Finland(), Bulgaria()], Prepared, "NL");

    private static FederatedQueryResponse Residents(string country, long total)
    {
        var cell = new Cell { Value = total, ObservationStatus = ObservationStatus.Normal, ConfidentialityStatus = ConfidentialityStatus.Free };
        cell.Key["TIME_PERIOD"] = "2022";
        var answer = new QueryResponse { Country = country, Indicator = "POPULATION", Source = DataSource.PublishedStatistics, Synthetic = country == "NL", Policy = new DisclosurePolicy { Protection = Protection.None } };
        answer.YearsAvailable.Add(2022);
        answer.Cells.Add(cell);
        return new FederatedQueryResponse { Country = country, Status = CountryStatus.Ok, Answer = answer, Attempts = 1 };
    }

    public static FederatedQueryResponse Netherlands(bool synthetic) => new()
    {
        Country = "NL",
        Status = CountryStatus.Ok,
        MechanismName = "National Rapporteur NL (synthetic)",
        Attempts = 1,
        Elapsed = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(210)),
        CacheAge = Duration.FromTimeSpan(TimeSpan.Zero),
        Answer = Answer("NL", synthetic, Protection.CellKeyPerturbation, primary: 0, secondary: 0,
            Cell("2022", "_T", 958),
            Cell("2022", "SEX", 530),
            Cell("2022", "LAB", 212, noisy: true),
            Cell("2023", "_T", 1012),
            Cell("2023", "SEX", 611),
            Cell("2023", "LAB", 1240)),
    };

    public static FederatedQueryResponse Sweden() => new()
    {
        Country = "SE",
        Status = CountryStatus.PartlyWithheld,
        Reason = "1 small and 1 shielding cells withheld",
        MechanismName = "Swedish Rapporteur",
        Attempts = 2,
        FromCache = true,
        CacheAge = Duration.FromTimeSpan(TimeSpan.FromSeconds(35)),
        Elapsed = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(4)),
        Answer = Answer("SE", synthetic: false, Protection.Suppression, primary: 1, secondary: 1,
            Cell("2022", "_T", 412),
            Withheld("2022", "SEX", ConfidentialityStatus.Primary),
            Withheld("2022", "LAB", ConfidentialityStatus.Secondary),
            Missing("2023", "_T"),
            Cell("2023", "SEX", 95),
            Cell("2023", "LAB", 1)),
    };

    public static FederatedQueryResponse Finland() => new()
    {
        Country = "FI",
        Status = CountryStatus.Denied,
        Reason = "no agreement covers a breakdown by EXPLOIT",
        MechanismName = "Non-Discrimination Ombudsman FI",
        Attempts = 1,
        Elapsed = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(50)),
    };

    public static FederatedQueryResponse Bulgaria() => new()
    {
        Country = "BG",
        Status = CountryStatus.DeadlineExceeded,
        Reason = "no answer within 10 s",
        MechanismName = "National Commission BG",
        Attempts = 1,
        Elapsed = Duration.FromTimeSpan(TimeSpan.FromSeconds(10)),
    };

    private static QueryResponse Answer(string country, bool synthetic, Protection protection, int primary, int secondary, params Cell[] cells)
    {
        var answer = new QueryResponse
        {
            Country = country,
            Indicator = "THB_VICT_REG",
            Source = DataSource.CaseRecords,
            DataVersion = country == "NL" ? "17" : "4",
            DataUpdatedAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero)),
            CatalogueVersion = "2024.1",
            Synthetic = synthetic,
            Policy = new DisclosurePolicy
            {
                Protection = protection,
                Threshold = 5,
                PrimaryWithheld = primary,
                SecondaryWithheld = secondary,
                PerturbationBound = protection == Protection.CellKeyPerturbation ? 2 : 0,
                Description = $"Counts below 5 withheld ({country} policy).",
            },
        };
        answer.Breakdown.Add("EXPLOIT");
        answer.YearsAvailable.Add([2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023]);
        answer.Cells.Add(cells);
        return answer;
    }

    private static Cell Key(string year, string exploit, Cell cell)
    {
        cell.Key["TIME_PERIOD"] = year;
        cell.Key["EXPLOIT"] = exploit;
        return cell;
    }

    private static Cell Cell(string year, string exploit, long value, bool noisy = false) =>
        Key(year, exploit, new Cell { Value = value, ObservationStatus = ObservationStatus.Normal, ConfidentialityStatus = ConfidentialityStatus.Free, Noisy = noisy });

    private static Cell Withheld(string year, string exploit, ConfidentialityStatus status) =>
        Key(year, exploit, new Cell { ObservationStatus = ObservationStatus.Withheld, ConfidentialityStatus = status });

    private static Cell Missing(string year, string exploit) =>
        Key(year, exploit, new Cell { ObservationStatus = ObservationStatus.Missing, ConfidentialityStatus = ConfidentialityStatus.Free });
}

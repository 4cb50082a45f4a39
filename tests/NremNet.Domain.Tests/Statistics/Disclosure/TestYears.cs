using System.Collections.Concurrent;
using System.Diagnostics;
using NremNet.Domain.Countries;
using NremNet.Domain.Statistics;
using NremNet.Domain.Statistics.Aggregation;
using NremNet.Domain.Statistics.Data;
using NremNet.Domain.Statistics.Disclosure;
using NremNet.Solvers;

namespace NremNet.Domain.Tests.Statistics.Disclosure;

/// <summary>
/// One year of a node's synthetic data — case records, published tables or both — with its cells and their
/// protection, as the node would hold them.
/// </summary>
internal sealed record ProtectedYear(string Name, string Country, int Year, IReadOnlyList<CaseRecord> Records, List<StatisticsCell> Cells, IReadOnlyList<JointTable> Joint, YearProtection Protection, TimeSpan ProtectTime)
{
    public IReadOnlyList<ConfidentialityStatus> Status => Protection.Confidentiality;

    public List<PeerCell> View() => PeerCell.View(Cells, Protection.Confidentiality);

    /// <summary>Whether the node knows the cell's value: a published value missing or withheld at the source is unknown to it too.</summary>
    public bool Knows(int cell) => Cells[cell].Value is not null;

    public long TrueValue(int cell) => Cells[cell].Value ?? throw new InvalidOperationException($"{Cells[cell].Indicator} {Cells[cell].Cell} has no value at the source ({Cells[cell].Status}).");

    /// <summary>The units the year's indicators counted from case records count (<see cref="TestYears.Units"/>).</summary>
    public IEnumerable<PeerUnit> Units() => TestYears.Units(Records, Country, Year);

    public bool IsWithheld(int cell) => Protection.Confidentiality[cell] != ConfidentialityStatus.Free;

    public string Describe(int cell) => $"{Cells[cell].Indicator} {Cells[cell].Cell} ({Protection.Confidentiality[cell].Code()}, true {Cells[cell].Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"})";
}

/// <summary>
/// The years the disclosure tests protect and attack, each protected once per test run (protection takes seconds and
/// several test classes read the same years). Every generator has a fixed seed: the year, not picked for the outcome.
/// </summary>
internal static class TestYears
{
    public const int Year = 2023;
    public const int Threshold = DisclosureControl.DefaultThreshold;

    /// <summary>1,200 records of the realistic generator.</summary>
    public const string Realistic1200 = "realistic-1200";

    /// <summary>5,000 records of the realistic generator.</summary>
    public const string Realistic5000 = "realistic-5000";

    /// <summary>A small year built to be hard: one sex X victim, rows with a single small cell, a lone referral.</summary>
    public const string Adversarial = "adversarial";

    /// <summary>
    /// The 5,000 realistic records with a rare category at its worst: every victim of sex X recoded F, then four of sex X
    /// added, one in each citizenship group — a primary margin (SEX=X, 4) over four primary cells of 1.
    /// </summary>
    public const string RareCategory = "rare-category";

    /// <summary>
    /// Structural zeros: the 1,200 realistic records with no victim of sex X (recoded F) and no organ removal (recoded
    /// labour) — whole rows and columns of known zeros around the small cells.
    /// </summary>
    public const string StructuralZeros = "structural-zeros";

    /// <summary>
    /// One form of exploitation per sex: 400 realistic records where every woman was sexually exploited and every man in
    /// forced labour (sex X and unknown as generated) — SEX×AGE and EXPLOIT×AGE tell the same story twice.
    /// </summary>
    public const string OneFormPerSex = "one-form-per-sex";

    /// <summary>A tiny population: 7 records.</summary>
    public const string Tiny7 = "tiny-7";

    /// <summary>A tiny population: 12 records.</summary>
    public const string Tiny12 = "tiny-12";

    /// <summary>
    /// Categories of exactly one record: the 1,200 realistic records with a single victim of sex X, a single victim of
    /// organ removal and a single referral received.
    /// </summary>
    public const string SingleRecordCategory = "single-record-category";

    /// <summary>The year of the sample nodes attacked: their last year with every node's tables (NP misses 2024).</summary>
    public const int SampleYear = 2023;

    // The seed is the year: fixed, and not picked for the outcome.
    private const int Seed = Year;

    private static readonly ConcurrentDictionary<string, Lazy<ProtectedYear>> Cache = new(StringComparer.Ordinal);

    /// <summary>Every test year.</summary>
    public static readonly string[] All = [Realistic1200, Realistic5000, Adversarial, RareCategory, StructuralZeros, OneFormPerSex, Tiny7, Tiny12, SingleRecordCategory];

    /// <summary>
    /// The sample nodes of the demo federation, one year each, as <c>federation up</c> loads them: NL, SE, FI and BG with
    /// case records and published tables, NG, NP and AR with published tables only.
    /// </summary>
    public static readonly string[] Samples = [.. new[] { "NL", "SE", "FI", "BG", "NG", "NP", "AR" }.Select(c => $"sample-{c}-{SampleYear}")];

    public static ProtectedYear Get(string name) => Cache.GetOrAdd(name, n => new Lazy<ProtectedYear>(() => Build(n))).Value;

    public static List<CaseRecord> Records(string name) => name switch
    {
        Realistic1200 => SyntheticRegister.Realistic(1200, Year, Seed),
        Realistic5000 => SyntheticRegister.Realistic(5000, Year, Seed),
        Adversarial => AdversarialRecords(),
        RareCategory => RareCategoryRecords(),
        StructuralZeros => StructuralZeroRecords(),
        OneFormPerSex => OneFormPerSexRecords(),
        Tiny7 => SyntheticRegister.Realistic(7, Year, Seed),
        Tiny12 => SyntheticRegister.Realistic(12, Year, Seed),
        SingleRecordCategory => SingleRecordCategoryRecords(),
        _ => throw new ArgumentException($"No test year '{name}'.", nameof(name)),
    };

    /// <summary>The node's solver, as the node builds it.</summary>
    public static IIntegerSolver Solver() => new OrToolsSolver();

    /// <summary>Aggregates and protects records of one year.</summary>
    public static ProtectedYear Protect(string name, IReadOnlyList<CaseRecord> records, int threshold = Threshold) =>
        Protect(name, SyntheticRegister.Home, Year, records, [], threshold);

    /// <summary>Builds a node's release set of one year from its records and published values and protects it, as the node does.</summary>
    public static ProtectedYear Protect(string name, string country, int year, IReadOnlyList<CaseRecord> records, IEnumerable<PublishedValue> published, int threshold = Threshold)
    {
        var release = ReleaseYear.Of(year, country, records, published, SyntheticRegister.Key);
        var watch = Stopwatch.StartNew();
        var protection = DisclosureControl.Protect(year, release.Cells, release.Joint, threshold, Solver());
        return new ProtectedYear(name, country, year, records, release.Cells, release.Joint, protection, watch.Elapsed);
    }

    /// <summary>
    /// The units each indicator counts, written from the catalogue's definitions without the node's aggregation: every
    /// record is a registered victim; assisted ones, those granted a permit and those referred are counted again.
    /// </summary>
    public static IEnumerable<PeerUnit> Units(IEnumerable<CaseRecord> records, string country = SyntheticRegister.Home, int year = Year)
    {
        var home = Country.Get(country);
        foreach (var r in records.Where(r => r.YearIdentified == year))
        {
            string[] sex = [r.Sex];
            string[] age = [r.Age is null ? StatisticsCatalogue.Unknown : r.Age < 18 ? "Y_LT18" : "Y_GE18"];
            string[] citizen = [r.Citizenship is null ? StatisticsCatalogue.Unknown : r.Citizenship == home.Code ? "NAT" : Country.Find(r.Citizenship)?.IsEuMember == true ? "EU_OTH" : "NON_EU"];
            yield return new PeerUnit("THB_VICT_REG", [sex, age, citizen, [.. r.Exploitation], [r.IdentificationStatus]]);
            if (r.Assisted)
            {
                yield return new PeerUnit("THB_VICT_ASSIST", [sex, age]);
            }

            if (r.ResidencePermit)
            {
                yield return new PeerUnit("THB_VICT_RESPERM", [sex, age]);
            }

            if (r.ReferredTo.Count > 0)
            {
                yield return new PeerUnit("THB_TRM_OUT", [[.. r.ReferredTo]]);
            }

            if (r.ReferredFrom.Count > 0)
            {
                yield return new PeerUnit("THB_TRM_IN", [[.. r.ReferredFrom]]);
            }
        }
    }

    /// <summary>How many units of the indicator a cell counts: those carrying each of its codes.</summary>
    public static long Count(IEnumerable<PeerUnit> units, string indicator, CellCodes codes)
    {
        var dimensions = StatisticsCatalogue.Indicator(indicator).Dimensions;
        return units.Count(u => u.Indicator == indicator && codes.Codes.All(c => u.Codes[dimensions.ToList().IndexOf(c.Key)].Contains(c.Value)));
    }

    private static ProtectedYear Build(string name)
    {
        if (!name.StartsWith("sample-", StringComparison.Ordinal))
        {
            return Protect(name, Records(name));
        }

        var country = name.Split('-')[1];
        var records = SyntheticData.HoldsCaseRecords(country) ? SyntheticData.Cases(country, SampleYear, SampleYear).ToList() : [];
        return Protect(name, country, SampleYear, records, SyntheticData.Statistics(country, SampleYear, SampleYear));
    }

    private static List<CaseRecord> RareCategoryRecords()
    {
        var records = SyntheticRegister.Realistic(5000, Year, Seed).Select(r => r.Sex == "X" ? r with { Sex = "F" } : r).ToList();
        records.Add(SyntheticRegister.Record("X1", Year, sex: "X", age: 24, citizenship: SyntheticRegister.Home));
        records.Add(SyntheticRegister.Record("X2", Year, sex: "X", age: 31, citizenship: "RO", exploitation: ["LAB"]));
        records.Add(SyntheticRegister.Record("X3", Year, sex: "X", age: 19, citizenship: "NG"));
        records.Add(SyntheticRegister.Record("X4", Year, sex: "X", age: 27, citizenship: null));
        return records;
    }

    private static List<CaseRecord> StructuralZeroRecords() =>
        [.. SyntheticRegister.Realistic(1200, Year, Seed).Select(r => r with
        {
            Sex = r.Sex == "X" ? "F" : r.Sex,
            Exploitation = [.. r.Exploitation.Select(e => e == "ORG" ? "LAB" : e).Distinct().OrderBy(StatisticsCatalogue.Exploitation.IndexOf)],
        })];

    private static List<CaseRecord> OneFormPerSexRecords() =>
        [.. SyntheticRegister.Realistic(400, Year, Seed).Select(r => r.Sex switch
        {
            "F" => r with { Exploitation = ["SEX"] },
            "M" => r with { Exploitation = ["LAB"] },
            _ => r,
        })];

    private static List<CaseRecord> SingleRecordCategoryRecords()
    {
        var records = SyntheticRegister.Realistic(1200, Year, Seed).Select(r => r with
        {
            Sex = r.Sex == "X" ? "F" : r.Sex,
            Exploitation = [.. r.Exploitation.Select(e => e == "ORG" ? "LAB" : e).Distinct().OrderBy(StatisticsCatalogue.Exploitation.IndexOf)],
            ReferredFrom = [],
        }).ToList();
        records[0] = records[0] with { Sex = "X" };
        records[1] = records[1] with { Exploitation = ["LAB", "ORG"] };
        records[2] = records[2] with { ReferredFrom = ["BE"] };
        return records;
    }

    /// <summary>
    /// 62 victims: 30 adult national women sexually exploited; 12 adult Romanian women in labour exploitation, 4 of them
    /// referred to Germany; 11 adult Nigerian men in labour exploitation and 2 Nigerian boys in forced criminality (rows
    /// with one small cell); one victim of sex X (17, Vietnamese, sexual and labour exploitation, the only one referred
    /// to France); one man of unknown age and citizenship with no known form of exploitation; 5 adult Nigerian women
    /// referred from Belgium like him.
    /// </summary>
    private static List<CaseRecord> AdversarialRecords()
    {
        var records = new List<CaseRecord>();
        var id = 0;
        string Next() => $"A{++id:D3}";

        for (var i = 0; i < 30; i++)
        {
            records.Add(SyntheticRegister.Record(Next(), Year, status: i % 3 == 0 ? "PRESUMED" : "IDENT", age: 20 + i, assisted: i % 4 != 0));
        }

        for (var i = 0; i < 12; i++)
        {
            records.Add(SyntheticRegister.Record(Next(), Year, status: "PRESUMED", age: 25 + i, citizenship: "RO", exploitation: ["LAB"], permit: i < 6, referredTo: i < 4 ? ["DE"] : null));
        }

        for (var i = 0; i < 11; i++)
        {
            records.Add(SyntheticRegister.Record(Next(), Year, sex: "M", age: 22 + i, citizenship: "NG", exploitation: ["LAB"], assisted: i % 2 == 0, permit: i < 7));
        }

        records.Add(SyntheticRegister.Record(Next(), Year, sex: "M", age: 15, citizenship: "NG", exploitation: ["CRIM"]));
        records.Add(SyntheticRegister.Record(Next(), Year, sex: "M", age: 16, citizenship: "NG", exploitation: ["CRIM"], permit: true));
        records.Add(SyntheticRegister.Record(Next(), Year, status: "PRESUMED", sex: "X", age: 17, citizenship: "VN", exploitation: ["SEX", "LAB"], permit: true, referredTo: ["FR"]));
        records.Add(SyntheticRegister.Record(Next(), Year, status: "PRESUMED", sex: "M", age: null, citizenship: null, exploitation: ["UNK"], assisted: false, referredFrom: ["BE"]));
        for (var i = 0; i < 5; i++)
        {
            records.Add(SyntheticRegister.Record(Next(), Year, age: 40 + i, citizenship: "NG", exploitation: ["SEX"], referredFrom: ["BE"]));
        }

        return records;
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using NremNet.Domain.Statistics;
using NremNet.Domain.Statistics.Disclosure;

namespace NremNet.Domain.Tests.Statistics.Disclosure;

/// <summary>One year of synthetic cells with their protection, as the node would hold them.</summary>
internal sealed record ProtectedYear(string Name, int RecordCount, List<StatisticsCell> Cells, YearProtection Protection, TimeSpan ProtectTime)
{
    public List<ReleasedCell> View() => PeerAttacker.View(Cells, Protection.Confidentiality);

    public long TrueValue(int cell) => Cells[cell].Value!.Value;

    public string Describe(int cell) => $"{Cells[cell].Indicator} {Cells[cell].Cell} ({Protection.Confidentiality[cell].Code()}, true {Cells[cell].Value})";
}

/// <summary>
/// The years the disclosure tests protect and attack, each protected once per test run (protection takes seconds and
/// several test classes read the same years).
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

    // The seed is the year: fixed, and not picked for the outcome.
    private const int Seed = Year;

    private static readonly ConcurrentDictionary<string, Lazy<ProtectedYear>> Cache = new(StringComparer.Ordinal);

    public static ProtectedYear Get(string name) => Cache.GetOrAdd(name, n => new Lazy<ProtectedYear>(() => Build(n))).Value;

    public static List<CaseRecord> Records(string name) => name switch
    {
        Realistic1200 => SyntheticRegister.Realistic(1200, Year, Seed),
        Realistic5000 => SyntheticRegister.Realistic(5000, Year, Seed),
        Adversarial => AdversarialRecords(),
        RareCategory => RareCategoryRecords(),
        _ => throw new ArgumentException($"No test year '{name}'.", nameof(name)),
    };

    /// <summary>Aggregates and protects records of one year.</summary>
    public static ProtectedYear Protect(string name, IReadOnlyList<CaseRecord> records)
    {
        var cells = SyntheticRegister.OfYear(SyntheticRegister.Aggregate(records), Year);
        var watch = Stopwatch.StartNew();
        var protection = DisclosureControl.Protect(Year, cells, Threshold);
        return new ProtectedYear(name, records.Count, cells, protection, watch.Elapsed);
    }

    private static ProtectedYear Build(string name) => Protect(name, Records(name));

    /// <summary>
    /// 62 victims: 30 adult national women sexually exploited; 12 adult Romanian women in labour exploitation, 4 of them
    /// referred to Germany; 11 adult Nigerian men in labour exploitation and 2 Nigerian boys in forced criminality (rows
    /// with one small cell); one victim of sex X (17, Vietnamese, sexual and labour exploitation, the only one referred
    /// to France); one man of unknown age and citizenship with no known form of exploitation; 5 adult Nigerian women
    /// referred from Belgium like him.
    /// </summary>
    private static List<CaseRecord> RareCategoryRecords()
    {
        var records = SyntheticRegister.Realistic(5000, Year, Seed).Select(r => r.Sex == "X" ? r with { Sex = "F" } : r).ToList();
        records.Add(SyntheticRegister.Record("X1", Year, sex: "X", age: 24, citizenship: SyntheticRegister.Home));
        records.Add(SyntheticRegister.Record("X2", Year, sex: "X", age: 31, citizenship: "RO", exploitation: ["LAB"]));
        records.Add(SyntheticRegister.Record("X3", Year, sex: "X", age: 19, citizenship: "NG"));
        records.Add(SyntheticRegister.Record("X4", Year, sex: "X", age: 27, citizenship: null));
        return records;
    }

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

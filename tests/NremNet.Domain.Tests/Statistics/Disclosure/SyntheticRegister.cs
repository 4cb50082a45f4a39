using NremNet.Domain.Statistics;
using NremNet.Domain.Statistics.Aggregation;
using NremNet.Domain.Statistics.Disclosure;

namespace NremNet.Domain.Tests.Statistics.Disclosure;

/// <summary>
/// Synthetic case records for the disclosure tests (clearly not real people): a fixed-seed generator with the skew of
/// real registers — mostly women, sexual exploitation and labour exploitation, a handful of rare categories.
/// </summary>
internal static class SyntheticRegister
{
    /// <summary>The node's country in these tests.</summary>
    public const string Home = "NL";

    private static readonly string[] KnownForms = ["SEX", "LAB", "CRIM", "BEG", "MAR", "ORG", "OTH"];

    /// <summary>
    /// <paramref name="count"/> records of one year: F 70 %, sex X rare, several citizenship groups, exploitation mostly
    /// SEX/LAB with about 8 % of several forms and some unknown, about 3 % without age, 70 % assisted, permits for 25 %
    /// of non-nationals, about 3 % referred out and 3 % in, to and from a few countries.
    /// </summary>
    public static List<CaseRecord> Realistic(int count, int year, int seed)
    {
        var random = new Random(seed);
        var records = new List<CaseRecord>(count);
        for (var i = 0; i < count; i++)
        {
            var sex = Pick(random, ("F", 70.0), ("M", 27.6), ("X", 0.25), ("UNK", 2.15))!;
            int? age = random.NextDouble() < 0.03 ? null : random.NextDouble() < 0.2 ? random.Next(12, 18) : random.Next(18, 65);
            var citizenship = Pick(
                random,
                (Home, 38.0),
                ("RO", 10.0),
                ("BG", 7.0),
                ("PL", 5.0),
                ("HU", 3.0),
                ("NG", 10.0),
                ("UA", 8.0),
                ("VN", 5.0),
                ("CN", 4.0),
                ("MA", 3.0),
                (CaseRecord.Stateless, 1.0),
                (null, 6.0));
            var first = sex == "M"
                ? Pick(random, ("LAB", 55.0), ("SEX", 15.0), ("CRIM", 16.0), ("BEG", 5.0), ("MAR", 0.5), ("ORG", 1.0), ("OTH", 3.0), ("UNK", 4.5))!
                : Pick(random, ("SEX", 72.0), ("LAB", 14.0), ("CRIM", 3.0), ("BEG", 2.0), ("MAR", 2.0), ("ORG", 0.2), ("OTH", 2.8), ("UNK", 4.0))!;
            var forms = new List<string> { first };
            if (first != StatisticsCatalogue.Unknown && random.NextDouble() < 0.08)
            {
                var second = Pick(random, ("SEX", 30.0), ("LAB", 40.0), ("CRIM", 15.0), ("BEG", 5.0), ("MAR", 4.0), ("OTH", 6.0))!;
                if (second != first)
                {
                    forms.Add(second);
                }
            }

            var national = citizenship == Home;
            var referredTo = new List<string>();
            if (random.NextDouble() < 0.03)
            {
                referredTo.Add(Pick(random, ("BE", 30.0), ("DE", 30.0), ("RO", 20.0), ("NG", 12.0), ("UA", 8.0))!);
                if (random.NextDouble() < 0.1)
                {
                    referredTo.Add(Pick(random, ("FR", 50.0), ("DE", 50.0))!);
                }
            }

            var referredFrom = new List<string>();
            if (random.NextDouble() < 0.03)
            {
                referredFrom.Add(Pick(random, ("DE", 40.0), ("BE", 30.0), ("FR", 20.0), ("RO", 10.0))!);
            }

            records.Add(new CaseRecord(
                $"R{year}-{i:D5}",
                year,
                random.NextDouble() < 0.55 ? "IDENT" : "PRESUMED",
                sex,
                age,
                citizenship,
                [.. forms.Distinct().OrderBy(f => StatisticsCatalogue.Exploitation.IndexOf(f))],
                random.NextDouble() < 0.7,
                !national && citizenship is not null && random.NextDouble() < 0.25,
                [.. referredTo.Distinct().Order(StringComparer.Ordinal)],
                [.. referredFrom.Order(StringComparer.Ordinal)]));
        }

        return records;
    }

    /// <summary>A record with the defaults of an adult national woman sexually exploited, assisted, not referred.</summary>
    public static CaseRecord Record(
        string id,
        int year = 2023,
        string status = "IDENT",
        string sex = "F",
        int? age = 30,
        string? citizenship = Home,
        string[]? exploitation = null,
        bool assisted = true,
        bool permit = false,
        string[]? referredTo = null,
        string[]? referredFrom = null) =>
        new(id, year, status, sex, age, citizenship, exploitation ?? ["SEX"], assisted, permit, referredTo ?? [], referredFrom ?? []);

    /// <summary>A stable record key (FNV-1a of the id).</summary>
    public static uint Key(string recordId)
    {
        var hash = 2166136261u;
        foreach (var c in recordId)
        {
            unchecked
            {
                hash = (hash ^ c) * 16777619u;
            }
        }

        return hash;
    }

    /// <summary>Aggregates records of the home country.</summary>
    public static IReadOnlyList<StatisticsCell> Aggregate(IEnumerable<CaseRecord> records) => CaseAggregator.Aggregate(records, Home, Key);

    /// <summary>The cells of one year.</summary>
    public static List<StatisticsCell> OfYear(IEnumerable<StatisticsCell> cells, int year) => [.. cells.Where(c => c.Year == year)];

    private static string? Pick(Random random, params (string? Value, double Weight)[] choices)
    {
        var total = choices.Sum(c => c.Weight);
        var x = random.NextDouble() * total;
        foreach (var (value, weight) in choices)
        {
            x -= weight;
            if (x < 0)
            {
                return value;
            }
        }

        return choices[^1].Value;
    }
}

using NremNet.Domain.Statistics;
using NremNet.Domain.Statistics.Aggregation;
using NremNet.Domain.Statistics.Disclosure;

namespace NremNet.Domain.Tests.Statistics.Disclosure;

public class DisclosureControlTests(ITestOutputHelper output)
{
    private const int K = TestYears.Threshold;
    private const int Year = TestYears.Year;

    public static TheoryData<string> Years => [.. TestYears.All];

    /// <summary>The test years and one year of every sample node.</summary>
    public static TheoryData<string> NodeYears => [.. TestYears.All, .. TestYears.Samples];

    /// <summary>Years protected a second time (the cheaper ones, and one realistic year).</summary>
    public static TheoryData<string> YearsToProtectAgain => [TestYears.Realistic1200, TestYears.Adversarial, TestYears.OneFormPerSex, TestYears.Tiny7, TestYears.Tiny12];

    [Theory]
    [MemberData(nameof(NodeYears))]
    public void Protect_ProtectedYear_LeavesNothingUnprotectableAndCountsItsStatuses(string name)
    {
        var year = TestYears.Get(name);
        var p = year.Protection;

        output.WriteLine($"{name}: {year.Records.Count} records, {year.Cells.Count} cells, {p.Primary} C, {p.Secondary} D ({p.Relabelled} relabelled), {p.Solves} solves, {year.ProtectTime.TotalSeconds:0.0} s");
        Assert.Equal(year.Year, p.Year);
        Assert.Equal(year.Cells.Count, p.Confidentiality.Count);
        Assert.Equal(p.Confidentiality.Count(s => s == ConfidentialityStatus.Primary), p.Primary);
        Assert.Equal(p.Confidentiality.Count(s => s == ConfidentialityStatus.Secondary), p.Secondary);
        Assert.InRange(p.Relabelled, 0, p.Secondary);
        Assert.True(p.Primary + p.Relabelled > 0 || !TestYears.All.Contains(name), "every test year has small counts");
        Assert.Equal(0, p.Unprotectable);
    }

    [Theory]
    [MemberData(nameof(NodeYears))]
    public void Protect_ProtectedYear_WithholdsEverySmallNonZeroCount(string name)
    {
        var year = TestYears.Get(name);

        var released = Enumerable.Range(0, year.Cells.Count).Where(i => year.Cells[i].Value is > 0 and < K && !year.IsWithheld(i)).Select(year.Describe).ToList();

        Assert.True(released.Count == 0, "Small counts released: " + string.Join("; ", released));
    }

    /// <summary>The flags promise only what holds: C only on a count in [1, k-1]; a D cell may hold anything.</summary>
    [Theory]
    [MemberData(nameof(NodeYears))]
    public void Protect_ProtectedYear_FlagsCOnlyOnCountsFromOneToKMinusOne(string name)
    {
        var year = TestYears.Get(name);

        var wrong = Enumerable.Range(0, year.Cells.Count).Where(i => year.Status[i] == ConfidentialityStatus.Primary && year.Cells[i].Value is null or < 1 or >= K).Select(year.Describe).ToList();

        Assert.True(wrong.Count == 0, "C on a count outside [1, k-1]: " + string.Join("; ", wrong));
        Assert.Contains($"between 1 and {K - 1}", DisclosureControl.FlagPromise(K), StringComparison.Ordinal);
    }

    /// <summary>Every released value is the count of the records, counted here from the catalogue's definitions.</summary>
    [Theory]
    [MemberData(nameof(NodeYears))]
    public void Protect_ProtectedYear_ReleasesTrueCounts(string name)
    {
        var year = TestYears.Get(name);
        var units = year.Units().ToList();

        // A published value is released as published, or withheld; a counted one is the count.
        var wrong = year.View()
            .Select((c, i) => (Cell: c, Truth: c.FromCaseRecords ? TestYears.Count(units, c.Indicator, c.Codes) : year.Cells[i].Value))
            .Where(x => !x.Cell.IsWithheld && (x.Cell.FromCaseRecords || x.Cell.Value is not null) && x.Cell.Value != x.Truth)
            .Select(x => $"{x.Cell} but {x.Truth} at the source")
            .ToList();

        Assert.True(wrong.Count == 0, "Released values that are not the count: " + string.Join("; ", wrong.Take(10)));
        Assert.Contains(year.View(), c => !c.IsWithheld && c.Value > 0);
    }

    [Theory]
    [MemberData(nameof(YearsToProtectAgain))]
    public void Protect_SameCellsTwice_GivesTheSameStatuses(string name)
    {
        var year = TestYears.Get(name);

        var again = DisclosureControl.Protect(Year, year.Cells, year.Joint, K, TestYears.Solver());

        // The statuses are what is stored and answered; how many solves it took is reported, not part of the result.
        output.WriteLine($"{name}: {year.Protection.Solves} solves, then {again.Solves}");
        Assert.Equal(year.Protection.Confidentiality, again.Confidentiality);
        Assert.Equal((year.Protection.Primary, year.Protection.Secondary, year.Protection.Relabelled, year.Protection.Unprotectable), (again.Primary, again.Secondary, again.Relabelled, again.Unprotectable));
    }

    [Fact]
    public void Protect_LowerThreshold_MovesTheSmallCountsAndKeepsThePromise()
    {
        const int k = 3;
        var year = TestYears.Protect("adversarial-k3", TestYears.Records(TestYears.Adversarial), k);
        var attack = new PeerAttacker(year.View(), k).Attack();

        var small = Enumerable.Range(0, year.Cells.Count).Where(i => year.TrueValue(i) is 1 or 2).ToList();
        Assert.NotEmpty(small);
        Assert.All(small, i => Assert.True(year.IsWithheld(i), year.Describe(i)));
        Assert.All(Enumerable.Range(0, year.Cells.Count).Where(i => year.Status[i] == ConfidentialityStatus.Primary), i => Assert.InRange(year.TrueValue(i), 1, k - 1));
        Assert.Contains(year.Cells, c => c.Value is 3 or 4);
        Assert.Equal(0, year.Protection.Unprotectable);
        Assert.All(attack.Witnessed, w => Assert.True(PeerAttacker.Keeps(w.Value, year.Status[w.Key], k), $"{year.Describe(w.Key)} possible {w.Value}"));
    }

    [Fact]
    public void Protect_NoSmallCount_WithholdsNothing()
    {
        // Two groups of five alike: every cell is 0, 5 or 10.
        var records = new List<CaseRecord>();
        for (var i = 0; i < 5; i++)
        {
            records.Add(SyntheticRegister.Record($"f{i}", Year, age: 30 + i));
            records.Add(SyntheticRegister.Record($"m{i}", Year, status: "PRESUMED", sex: "M", age: 40 + i, citizenship: "NG", exploitation: ["LAB"], permit: true));
        }

        var year = TestYears.Protect("no-small-count", records);

        Assert.DoesNotContain(year.Cells, c => c.Value is > 0 and < K);
        Assert.All(year.Status, s => Assert.Equal(ConfidentialityStatus.Free, s));
        Assert.Equal((0, 0, 0, 0), (year.Protection.Primary, year.Protection.Secondary, year.Protection.Relabelled, year.Protection.Unprotectable));
    }

    [Fact]
    public void Protect_CellOfAnotherYear_IsRefused()
    {
        var year = TestYears.Get(TestYears.Tiny7);
        var cells = year.Cells.Append(new StatisticsCell("THB_VICT_REG", Year + 1, CellCodes.Total, 4, ObservationStatus.Normal, true, 0)).ToList();

        var ex = Assert.Throws<ArgumentException>(() => DisclosureControl.Protect(Year, cells, year.Joint, K, TestYears.Solver()));

        Assert.Contains($"must be of {Year}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Protect_JointTableOfAnotherYear_IsRefused()
    {
        var year = TestYears.Get(TestYears.Tiny7);
        var joint = year.Joint.Append(new JointTable("THB_VICT_REG", Year - 1, [])).ToList();

        var ex = Assert.Throws<ArgumentException>(() => DisclosureControl.Protect(Year, year.Cells, joint, K, TestYears.Solver()));

        Assert.Contains($"must be of {Year}", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(-5)]
    public void Protect_ThresholdBelowTwo_IsRefused(int threshold)
    {
        var year = TestYears.Get(TestYears.Tiny7);

        Assert.Throws<ArgumentOutOfRangeException>(() => DisclosureControl.Protect(Year, year.Cells, year.Joint, threshold, TestYears.Solver()));
    }

    /// <summary>
    /// A node holding only published tables (no records, no joint tables): suspects by sex and citizenship with both
    /// margins and the total, and convictions by sex and form of exploitation — small counts among them, a known zero
    /// and a value missing at the source. They are protected too, and keep the promise against the peer, who reads the
    /// tables as margins of one table of persons (which they are: they are counted here from 40 suspects).
    /// </summary>
    [Fact]
    public void Protect_PublishedTablesOnly_WithholdsSmallCountsAndKeepsThePromise()
    {
        var (cells, units) = PublishedTables();

        var protection = DisclosureControl.Protect(Year, cells, [], K, TestYears.Solver());
        var view = PeerCell.View(cells, protection.Confidentiality);
        var attacker = new PeerAttacker(view, K);
        var attack = attacker.Attack();

        output.WriteLine($"published only: {cells.Count} cells, {protection.Primary} C, {protection.Secondary} D ({protection.Relabelled} relabelled), {protection.Solves} solves");
        foreach (var (cell, interval) in attack.Witnessed.OrderBy(w => w.Key))
        {
            output.WriteLine($"  {view[cell]} true {cells[cell].Value}: possible {interval}, proven {attack.Bounds[cell]}");
        }

        var small = Enumerable.Range(0, cells.Count).Where(i => cells[i].Value is > 0 and < K).ToList();
        Assert.NotEmpty(small);
        Assert.All(small, i => Assert.NotEqual(ConfidentialityStatus.Free, protection.Confidentiality[i]));
        Assert.All(Enumerable.Range(0, cells.Count).Where(i => protection.Confidentiality[i] == ConfidentialityStatus.Primary), i => Assert.InRange(cells[i].Value!.Value, 1, K - 1));
        Assert.Equal(ConfidentialityStatus.Free, protection.Confidentiality[cells.FindIndex(c => c.Status == ObservationStatus.Missing)]);
        Assert.Equal(0, protection.Unprotectable);
        Assert.Empty(attacker.Violations(units));
        Assert.Empty(attacker.Difference());
        Assert.All(attack.Witnessed, w => Assert.True(PeerAttacker.Keeps(w.Value, protection.Confidentiality[w.Key], K), $"{view[w.Key]} true {cells[w.Key].Value}: possible {w.Value}, proven {attack.Bounds[w.Key]}"));
    }

    /// <summary>
    /// 40 suspects: 30 men, 8 women, 2 of unknown sex; by citizenship 22 national, 12 other EU, 6 non-EU; the
    /// convicted 14 of them, with forms of exploitation (one with two). Published: THB_SUSP total, SEX, CITIZEN_GRP and
    /// SEX × CITIZEN_GRP, the other-EU margin missing at the source; THB_CONV total, SEX, EXPLOIT and SEX × EXPLOIT.
    /// </summary>
    private static (List<StatisticsCell> Cells, List<PeerUnit> Units) PublishedTables()
    {
        var units = new List<PeerUnit>();
        void Suspects(int count, string sex, string citizen)
        {
            for (var i = 0; i < count; i++)
            {
                units.Add(new PeerUnit("THB_SUSP", [[sex], [citizen], [StatisticsCatalogue.Unknown]]));
            }
        }

        void Convicted(int count, string sex, params string[] forms)
        {
            for (var i = 0; i < count; i++)
            {
                units.Add(new PeerUnit("THB_CONV", [[sex], [StatisticsCatalogue.Unknown], forms]));
            }
        }

        Suspects(18, "M", "NAT");
        Suspects(8, "M", "EU_OTH");
        Suspects(4, "M", "NON_EU");
        Suspects(3, "F", "NAT");
        Suspects(3, "F", "EU_OTH");
        Suspects(2, "F", "NON_EU");
        Suspects(1, "UNK", "NAT");
        Suspects(1, "UNK", "EU_OTH");
        Convicted(7, "M", "SEX");
        Convicted(3, "M", "LAB");
        Convicted(1, "M", "SEX", "LAB");
        Convicted(2, "F", "SEX");
        Convicted(1, "F", "UNK");

        var cells = new List<StatisticsCell>();
        void Table(string indicator, params string[] dimensions)
        {
            var codes = new List<CellCodes> { CellCodes.Total };
            foreach (var dimension in dimensions)
            {
                codes = [.. codes.SelectMany(c => StatisticsCatalogue.Dimension(dimension).Codes.Select(code => c.With(dimension, code.Id)))];
            }

            foreach (var code in codes.Where(c => c.Count == dimensions.Length))
            {
                var missing = indicator == "THB_SUSP" && code.Key == "CITIZEN_GRP=EU_OTH";
                cells.Add(new StatisticsCell(indicator, Year, code, missing ? null : TestYears.Count(units, indicator, code), missing ? ObservationStatus.Missing : ObservationStatus.Normal, FromCaseRecords: false, 0));
            }
        }

        Table("THB_SUSP");
        Table("THB_SUSP", "SEX");
        Table("THB_SUSP", "CITIZEN_GRP");
        Table("THB_SUSP", "SEX", "CITIZEN_GRP");
        Table("THB_CONV");
        Table("THB_CONV", "SEX");
        Table("THB_CONV", "EXPLOIT");
        Table("THB_CONV", "SEX", "EXPLOIT");
        return (cells, units);
    }
}

using NremNet.Domain.Statistics;
using NremNet.Domain.Statistics.Disclosure;

namespace NremNet.Domain.Tests.Statistics.Disclosure;

public class DisclosureControlTests(ITestOutputHelper output)
{
    private const int K = TestYears.Threshold;
    private const int Year = TestYears.Year;

    private static readonly string[] ComputedIndicators = ["THB_VICT_REG", "THB_VICT_ASSIST", "THB_VICT_RESPERM", "THB_TRM_OUT", "THB_TRM_IN"];

    public static TheoryData<string> Years => [TestYears.Realistic1200, TestYears.Realistic5000, TestYears.Adversarial];

    public static TheoryData<string> RealisticYears => [TestYears.Realistic1200, TestYears.Realistic5000];

    [Theory]
    [MemberData(nameof(Years))]
    public void Protect_ProtectedYear_PrimaryCellsAreExactlyTheNonZeroCountsBelowK(string name)
    {
        var year = TestYears.Get(name);
        var status = year.Protection.Confidentiality;

        Assert.Equal(year.Cells.Count, status.Count);
        for (var i = 0; i < year.Cells.Count; i++)
        {
            Assert.True(year.Cells[i].Value is > 0 and < K == (status[i] == ConfidentialityStatus.Primary), year.Describe(i));
        }

        Assert.Equal(status.Count(s => s == ConfidentialityStatus.Primary), year.Protection.Primary);
        Assert.Equal(status.Count(s => s == ConfidentialityStatus.Secondary), year.Protection.Secondary);
        Assert.True(year.Protection.Primary > 0);
    }

    /// <summary>
    /// What holds even where a small cell given away by the flags alone is flagged D instead of C: every small count is
    /// withheld, and C is only ever on a small count.
    /// </summary>
    [Theory]
    [MemberData(nameof(Years))]
    [InlineData(TestYears.RareCategory)]
    public void Protect_ProtectedYear_WithholdsEverySmallCountAndFlagsCOnlyOnSmallCounts(string name)
    {
        var year = TestYears.Get(name);
        var status = year.Protection.Confidentiality;
        var small = Enumerable.Range(0, year.Cells.Count).Where(i => year.Cells[i].Value is > 0 and < K).ToList();

        output.WriteLine($"{name}: {small.Count} small counts, flagged D: {string.Join("; ", small.Where(i => status[i] == ConfidentialityStatus.Secondary).Select(year.Describe))}");
        Assert.All(small, i => Assert.NotEqual(ConfidentialityStatus.Free, status[i]));
        Assert.All(Enumerable.Range(0, year.Cells.Count).Where(i => status[i] == ConfidentialityStatus.Primary), i => Assert.InRange(year.TrueValue(i), 1, K - 1));
    }

    [Theory]
    [MemberData(nameof(Years))]
    public void Protect_ProtectedYear_ZerosAreNeverPrimary(string name)
    {
        var year = TestYears.Get(name);
        var zeros = Enumerable.Range(0, year.Cells.Count).Where(i => year.Cells[i].Value == 0).ToList();

        Assert.NotEmpty(zeros);
        Assert.All(zeros, i => Assert.NotEqual(ConfidentialityStatus.Primary, year.Protection.Confidentiality[i]));
    }

    [Fact]
    public void Protect_LowerThreshold_MovesThePrimaryCells()
    {
        var cells = TestYears.Get(TestYears.Realistic5000).Cells;

        var protection = DisclosureControl.Protect(Year, cells, 3);

        for (var i = 0; i < cells.Count; i++)
        {
            Assert.Equal(cells[i].Value is 1 or 2, protection.Confidentiality[i] == ConfidentialityStatus.Primary);
        }

        Assert.Contains(cells, c => c.Value is 3 or 4);
    }

    [Theory]
    [MemberData(nameof(Years))]
    public void Protect_ProtectedYear_NoSumLeavesAWithheldCountAlone(string name)
    {
        var year = TestYears.Get(name);
        var attacker = new PeerAttacker(year.View(), K);
        bool Withheld(int cell) => year.Protection.Confidentiality[cell] != ConfidentialityStatus.Free;

        // A sum with one withheld cell gives it away; withheld zeros alone in a sum are the differencing tests' concern.
        var lone = attacker.Relations.Where(r => r.IsEquality && r.Cells.Count(Withheld) == 1 && r.Cells.Any(c => Withheld(c) && year.TrueValue(c) > 0)).Select(r => r.Why).ToList();

        Assert.Empty(lone);
    }

    [Fact]
    public void Protect_OneVictimOfSexX_GetsAPartnerInItsRowAndItsColumn()
    {
        // 40 women, 30 men, one adult of sex X: in SEX x AGE the X row holds one small cell and zeros.
        var records = new List<CaseRecord>();
        for (var i = 0; i < 40; i++)
        {
            records.Add(SyntheticRegister.Record($"f{i}", Year, status: i % 2 == 0 ? "IDENT" : "PRESUMED", age: 20 + i));
        }

        for (var i = 0; i < 30; i++)
        {
            records.Add(SyntheticRegister.Record($"m{i}", Year, sex: "M", age: 20 + i, citizenship: "NG", exploitation: ["LAB"]));
        }

        records.Add(SyntheticRegister.Record("x", Year, sex: "X", age: 30));
        var year = TestYears.Protect("sex-x", records);
        var status = StatusOf(year);

        Assert.Equal(ConfidentialityStatus.Primary, status[("THB_VICT_REG", "SEX=X;AGE=Y_GE18")]);
        Assert.Equal(ConfidentialityStatus.Primary, status[("THB_VICT_REG", "SEX=X")]);

        // Its column: adults by sex.
        Assert.Contains(new[] { "F", "M", "UNK" }, s => status[("THB_VICT_REG", $"SEX={s};AGE=Y_GE18")] != ConfidentialityStatus.Free);

        // The row total SEX=X is withheld too, so the row's zeros say nothing; in SEX, another sex goes with it.
        Assert.Contains(new[] { "F", "M", "UNK" }, s => status[("THB_VICT_REG", $"SEX={s}")] != ConfidentialityStatus.Free);

        var recovered = new PeerAttacker(year.View(), K).Difference();
        Assert.DoesNotContain(recovered, r => year.TrueValue(r.Key) > 0);
    }

    [Fact]
    public void Protect_PublishedSmallCount_IsWithheldWithAPartnerAndMissingValuesStayAsTheyAre()
    {
        // Suspects from published tables: 12 in all, 3 women, 9 men; citizenship missing for one group.
        StatisticsCell Published(string key, long? value, ObservationStatus status = ObservationStatus.Normal) =>
            new("THB_SUSP", Year, CellCodes.Parse(key), value, status, FromCaseRecords: false, 0);
        var cells = new List<StatisticsCell>
        {
            Published(string.Empty, 12),
            Published("SEX=F", 3),
            Published("SEX=M", 9),
            Published("SEX=X", 0),
            Published("SEX=UNK", 0),
            Published("CITIZEN_GRP=NAT", 7),
            Published("CITIZEN_GRP=EU_OTH", null, ObservationStatus.Missing),
            Published("CITIZEN_GRP=NON_EU", 5),
            Published("CITIZEN_GRP=UNK", 0),
        };

        var protection = DisclosureControl.Protect(Year, cells, K);

        Assert.Equal(ConfidentialityStatus.Primary, protection.Confidentiality[1]);
        Assert.Equal(1, protection.Primary);
        Assert.True(protection.Confidentiality[0] != ConfidentialityStatus.Free || protection.Confidentiality[2] != ConfidentialityStatus.Free, "F = total - M - 0 - 0");
        Assert.Equal(ConfidentialityStatus.Free, protection.Confidentiality[6]);
        Assert.Equal(0, protection.Unprotectable);
    }

    [Theory]
    [MemberData(nameof(RealisticYears))]
    public void Protect_RealisticYear_GrandTotalsStayReleased(string name)
    {
        var year = TestYears.Get(name);

        var withheldTotals = Enumerable.Range(0, year.Cells.Count).Where(i => year.Cells[i].Cell.Count == 0 && year.Protection.Confidentiality[i] != ConfidentialityStatus.Free).Select(year.Describe).ToList();
        var margins = Enumerable.Range(0, year.Cells.Count).Where(i => year.Cells[i].Cell.Count == 1).ToList();
        var withheldMargins = margins.Where(i => year.Protection.Confidentiality[i] == ConfidentialityStatus.Secondary).ToList();

        output.WriteLine($"{name}: {withheldTotals.Count} grand totals withheld; {withheldMargins.Count} of {margins.Count} one-dimension margins withheld as secondary, e.g. {string.Join("; ", withheldMargins.OrderByDescending(year.TrueValue).Take(5).Select(year.Describe))}");
        Assert.Equal(ComputedIndicators.Length, year.Cells.Count(c => c.Cell.Count == 0));
        Assert.True(withheldTotals.Count == 0, "Withheld: " + string.Join("; ", withheldTotals));
    }

    [Theory]
    [MemberData(nameof(RealisticYears))]
    public void Protect_RealisticYear_LeavesNothingUnprotectable(string name)
    {
        var year = TestYears.Get(name);

        output.WriteLine($"{name}: {year.Protection.Primary} primary, {year.Protection.Secondary} secondary, {year.Protection.Solves} linear programs, {year.ProtectTime.TotalSeconds:0.0} s");
        Assert.Equal(0, year.Protection.Unprotectable);
    }

    [Fact]
    public void Protect_SameCellsTwice_GivesTheSameStatuses()
    {
        var cells = TestYears.Get(TestYears.Adversarial).Cells;

        var first = DisclosureControl.Protect(Year, cells, K);
        var second = DisclosureControl.Protect(Year, cells, K);

        Assert.Equal(first.Confidentiality, second.Confidentiality);
        Assert.Equal((first.Primary, first.Secondary, first.Unprotectable, first.Solves), (second.Primary, second.Secondary, second.Unprotectable, second.Solves));
        Assert.Equal(TestYears.Get(TestYears.Adversarial).Protection.Confidentiality, first.Confidentiality);
    }

    [Fact]
    public void Protect_CellOfAnotherYear_IsRefused()
    {
        var cells = TestYears.Get(TestYears.Adversarial).Cells.Take(3).Append(new StatisticsCell("THB_VICT_REG", Year + 1, CellCodes.Total, 4, ObservationStatus.Normal, true, 0)).ToList();

        var ex = Assert.Throws<ArgumentException>(() => DisclosureControl.Protect(Year, cells, K));

        Assert.Contains($"Every cell must be of {Year}", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => DisclosureControl.Protect(Year, [], 0));
    }

    private static Dictionary<(string, string), ConfidentialityStatus> StatusOf(ProtectedYear year) =>
        Enumerable.Range(0, year.Cells.Count).ToDictionary(i => (year.Cells[i].Indicator, year.Cells[i].Cell.Key), i => year.Protection.Confidentiality[i]);
}

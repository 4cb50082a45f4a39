using NremNet.Domain.Countries;
using NremNet.Domain.Statistics;
using NremNet.Domain.Statistics.Aggregation;
using NremNet.Domain.Statistics.Disclosure;

namespace NremNet.Domain.Tests.Statistics.Disclosure;

// CaseAggregator lives in Statistics/Aggregation; its tests sit with the disclosure tests because they feed the same
// cell lattice.
public class CaseAggregatorTests
{
    private const int Year = 2023;

    // Six victims of 2023 and one of 2024, seen from NL.
    private static readonly CaseRecord[] Records =
    [
        SyntheticRegister.Record("r1", Year, "IDENT", "F", 30, "NL", ["SEX"], assisted: true),
        SyntheticRegister.Record("r2", Year, "PRESUMED", "F", 16, "RO", ["SEX", "LAB"], assisted: true, permit: true, referredTo: ["DE"]),
        SyntheticRegister.Record("r3", Year, "IDENT", "M", 40, "NG", ["LAB"], assisted: false, permit: true),
        SyntheticRegister.Record("r4", Year, "PRESUMED", "M", null, null, ["UNK"], assisted: true, referredFrom: ["BE"]),
        SyntheticRegister.Record("r5", Year, "IDENT", "X", 17, CaseRecord.Stateless, ["CRIM", "BEG"], assisted: false, permit: true, referredTo: ["BE", "DE"]),
        SyntheticRegister.Record("r6", Year, "IDENT", "UNK", 18, "DE", ["LAB"], assisted: true),
        SyntheticRegister.Record("r7", Year + 1, "IDENT", "F", 25, "NL", ["SEX"], assisted: true),
    ];

    private static readonly Lazy<IReadOnlyList<StatisticsCell>> Cells = new(() => SyntheticRegister.Aggregate(Records));

    [Theory]
    [InlineData("", 6)]
    [InlineData("SEX=F", 2)]
    [InlineData("SEX=M", 2)]
    [InlineData("SEX=X", 1)]
    [InlineData("SEX=UNK", 1)]
    [InlineData("AGE=Y_LT18", 2)]
    [InlineData("AGE=Y_GE18", 3)]
    [InlineData("AGE=UNK", 1)]
    [InlineData("CITIZEN_GRP=NAT", 1)]
    [InlineData("CITIZEN_GRP=EU_OTH", 2)]
    [InlineData("CITIZEN_GRP=NON_EU", 2)]
    [InlineData("CITIZEN_GRP=UNK", 1)]
    [InlineData("ID_STATUS=IDENT", 4)]
    [InlineData("ID_STATUS=PRESUMED", 2)]
    [InlineData("SEX=F;AGE=Y_LT18", 1)]
    [InlineData("SEX=X;AGE=Y_LT18", 1)]
    [InlineData("SEX=M;CITIZEN_GRP=UNK", 1)]
    [InlineData("AGE=UNK;ID_STATUS=PRESUMED", 1)]
    [InlineData("CITIZEN_GRP=NON_EU;ID_STATUS=IDENT", 2)]
    public void Aggregate_RegisteredVictims_CountsEachPersonOnce(string key, long expected)
    {
        Assert.Equal(expected, Value("THB_VICT_REG", key));
    }

    [Theory]
    [InlineData("EXPLOIT=SEX", 2)]
    [InlineData("EXPLOIT=LAB", 3)]
    [InlineData("EXPLOIT=CRIM", 1)]
    [InlineData("EXPLOIT=BEG", 1)]
    [InlineData("EXPLOIT=UNK", 1)]
    [InlineData("SEX=F;EXPLOIT=SEX", 2)]
    [InlineData("SEX=F;EXPLOIT=LAB", 1)]
    [InlineData("SEX=X;EXPLOIT=CRIM", 1)]
    [InlineData("SEX=X;EXPLOIT=BEG", 1)]
    [InlineData("AGE=Y_LT18;EXPLOIT=LAB", 1)]
    [InlineData("CITIZEN_GRP=EU_OTH;EXPLOIT=LAB", 2)]
    [InlineData("EXPLOIT=LAB;ID_STATUS=PRESUMED", 1)]
    [InlineData("EXPLOIT=UNK;ID_STATUS=PRESUMED", 1)]
    public void Aggregate_SeveralFormsOfExploitation_CountsThePersonUnderEach(string key, long expected)
    {
        Assert.Equal(expected, Value("THB_VICT_REG", key));

        // Six persons, eight forms: the forms add up to more than the total.
        var forms = StatisticsCatalogue.Exploitation.Codes.Sum(c => Value("THB_VICT_REG", $"EXPLOIT={c.Id}"));
        Assert.Equal(8, forms);
    }

    [Fact]
    public void Aggregate_UnknownExploitation_IsCountedUnderUnknownOnly()
    {
        // r4, the only one with UNK, is a man of unknown age: his UNK cell is 1, every known form of his cells 0.
        Assert.Equal(1, Value("THB_VICT_REG", "AGE=UNK;EXPLOIT=UNK"));
        Assert.All(StatisticsCatalogue.Exploitation.Codes.Where(c => c.Id != "UNK"), c => Assert.Equal(0, Value("THB_VICT_REG", $"AGE=UNK;EXPLOIT={c.Id}")));
        Assert.Equal(1, Value("THB_VICT_REG", "SEX=M;EXPLOIT=UNK"));
    }

    [Theory]
    [InlineData("EXPLOIT=MAR")]
    [InlineData("EXPLOIT=ORG")]
    [InlineData("SEX=X;EXPLOIT=SEX")]
    [InlineData("SEX=UNK;AGE=Y_LT18")]
    [InlineData("CITIZEN_GRP=NAT;EXPLOIT=LAB")]
    public void Aggregate_NobodyInTheCell_GivesAKnownZero(string key)
    {
        var cell = Cell("THB_VICT_REG", key);

        Assert.Equal(0, cell.Value);
        Assert.Equal(ObservationStatus.Normal, cell.Status);
        Assert.Equal(0u, cell.CellKey);
    }

    [Theory]
    [InlineData("THB_VICT_ASSIST", "", 4)]
    [InlineData("THB_VICT_ASSIST", "SEX=F", 2)]
    [InlineData("THB_VICT_ASSIST", "SEX=X", 0)]
    [InlineData("THB_VICT_ASSIST", "AGE=UNK", 1)]
    [InlineData("THB_VICT_ASSIST", "SEX=UNK;AGE=Y_GE18", 1)]
    [InlineData("THB_VICT_RESPERM", "", 3)]
    [InlineData("THB_VICT_RESPERM", "SEX=X;AGE=Y_LT18", 1)]
    [InlineData("THB_VICT_RESPERM", "AGE=Y_GE18", 1)]
    [InlineData("THB_TRM_OUT", "", 2)]
    [InlineData("THB_TRM_OUT", "COUNTERPART_AREA=DE", 2)]
    [InlineData("THB_TRM_OUT", "COUNTERPART_AREA=BE", 1)]
    [InlineData("THB_TRM_OUT", "COUNTERPART_AREA=FR", 0)]
    [InlineData("THB_TRM_IN", "", 1)]
    [InlineData("THB_TRM_IN", "COUNTERPART_AREA=BE", 1)]
    public void Aggregate_Subpopulations_CountTheirOwnRecords(string indicator, string key, long expected)
    {
        Assert.Equal(expected, Value(indicator, key));
    }

    [Fact]
    public void Aggregate_TwoYears_GivesEveryCellOfEachYearOnceAndNoOtherIndicators()
    {
        var cells = Cells.Value;
        var countries = Country.Every.Count();

        // Registered: 1 + 21 codes + 166 pairs; assisted and permits: 1 + 7 + 12; referrals: 1 + one per country.
        var perYear = 188 + 20 + 20 + (2 * (1 + countries));
        Assert.Equal(2 * perYear, cells.Count);
        Assert.Equal(cells.Count, cells.Select(c => (c.Year, c.Indicator, c.Cell.Key)).Distinct().Count());
        Assert.All(cells, c => Assert.True(c.FromCaseRecords));
        Assert.DoesNotContain(cells, c => c.Indicator is "THB_SUSP" or "THB_PROS" or "THB_CONV");
        Assert.All(cells, c => Assert.True(c.Cell.Count <= StatisticsCatalogue.MaxBreakdownDimensions));
        Assert.Equal(1, cells.Single(c => c.Year == Year + 1 && c.Indicator == "THB_VICT_REG" && c.Cell.Count == 0).Value);
    }

    [Fact]
    public void Aggregate_CellKey_IsTheWrappingSumOfTheRecordKeys()
    {
        uint sum = 0;
        foreach (var id in new[] { "r1", "r2", "r3", "r4", "r5", "r6" })
        {
            unchecked
            {
                sum += SyntheticRegister.Key(id);
            }
        }

        Assert.Equal(sum, Cell("THB_VICT_REG", string.Empty).CellKey);
        Assert.Equal(SyntheticRegister.Key("r5"), Cell("THB_VICT_REG", "SEX=X").CellKey);
        Assert.Equal(unchecked(SyntheticRegister.Key("r2") + SyntheticRegister.Key("r5")), Cell("THB_TRM_OUT", "COUNTERPART_AREA=DE").CellKey);
    }

    [Theory]
    [InlineData(null, "UNK")]
    [InlineData(0, "Y_LT18")]
    [InlineData(17, "Y_LT18")]
    [InlineData(18, "Y_GE18")]
    [InlineData(95, "Y_GE18")]
    public void AgeGroup_Age_GivesTheCode(int? age, string expected)
    {
        Assert.Equal(expected, CaseAggregator.AgeGroup(age));
    }

    [Theory]
    [InlineData(null, "UNK")]
    [InlineData("NL", "NAT")]
    [InlineData("DE", "EU_OTH")]
    [InlineData("RO", "EU_OTH")]
    [InlineData("NG", "NON_EU")]
    [InlineData("GB", "NON_EU")]
    [InlineData("XX", "NON_EU")]
    public void CitizenGroup_Citizenship_IsSeenFromTheHomeCountry(string? citizenship, string expected)
    {
        Assert.Equal(expected, CaseAggregator.CitizenGroup(citizenship, Country.Get("NL")));
    }

    [Fact]
    public void CitizenGroup_SameCitizenshipFromAnotherHome_IsAnotherGroup()
    {
        Assert.Equal("EU_OTH", CaseAggregator.CitizenGroup("NL", Country.Get("BE")));
        Assert.Equal("NAT", CaseAggregator.CitizenGroup("BE", Country.Get("BE")));
    }

    [Fact]
    public void Aggregate_CodeNotInTheCatalogue_NamesIt()
    {
        var record = SyntheticRegister.Record("bad", Year, exploitation: ["FISHING"]);

        var ex = Assert.Throws<ArgumentException>(() => SyntheticRegister.Aggregate([record]));

        Assert.Contains("'FISHING' is not a code of EXPLOIT", ex.Message, StringComparison.Ordinal);
    }

    private static StatisticsCell Cell(string indicator, string key) =>
        Cells.Value.Single(c => c.Year == Year && c.Indicator == indicator && c.Cell.Key == key);

    private static long Value(string indicator, string key) => Cell(indicator, key).Value!.Value;
}

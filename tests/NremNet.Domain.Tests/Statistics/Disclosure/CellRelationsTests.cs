using NremNet.Domain.Statistics;
using NremNet.Domain.Statistics.Disclosure;

namespace NremNet.Domain.Tests.Statistics.Disclosure;

public class CellRelationsTests
{
    private const int Year = 2023;

    private static readonly CaseRecord[] Records =
    [
        SyntheticRegister.Record("r1", Year, "IDENT", "F", 30, "NL", ["SEX"]),
        SyntheticRegister.Record("r2", Year, "PRESUMED", "F", 16, "RO", ["SEX", "LAB"], permit: true, referredTo: ["DE"]),
        SyntheticRegister.Record("r3", Year, "IDENT", "M", 40, "NG", ["LAB"], assisted: false, permit: true),
        SyntheticRegister.Record("r4", Year, "PRESUMED", "M", null, null, ["UNK"], referredFrom: ["BE"]),
        SyntheticRegister.Record("r5", Year, "IDENT", "X", 17, CaseRecord.Stateless, ["CRIM", "BEG"], assisted: false, permit: true, referredTo: ["BE", "DE"]),
    ];

    private static readonly Lazy<(List<AuditCell> Cells, IReadOnlyList<Relation> Relations)> Small = new(() => Build(SyntheticRegister.Aggregate(Records)));

    [Fact]
    public void Build_AggregatedCells_EveryRelationHolds()
    {
        foreach (var (cells, relations) in new[] { Small.Value, Build(TestYears.Get(TestYears.Realistic1200).Cells) })
        {
            Assert.True(relations.Count > 800, $"only {relations.Count} relations");
            Assert.All(relations, r =>
            {
                var sum = r.Terms.Sum(t => t.Coefficient * cells[t.Cell].Value!.Value);
                Assert.True(r.Sense == ConstraintSense.Equal ? sum == 0 : sum <= 0, Describe(cells, r));
            });
        }
    }

    [Theory]
    [InlineData("", "SEX")]
    [InlineData("", "AGE")]
    [InlineData("", "CITIZEN_GRP")]
    [InlineData("", "ID_STATUS")]
    [InlineData("SEX=F", "AGE")]
    [InlineData("AGE=Y_LT18", "CITIZEN_GRP")]
    [InlineData("EXPLOIT=LAB", "SEX")]
    [InlineData("EXPLOIT=UNK", "ID_STATUS")]
    public void Build_SingleValuedDimension_ChildrenSumToTheParent(string parent, string dimension)
    {
        var (cells, relations) = Small.Value;
        var children = StatisticsCatalogue.Dimension(dimension).Codes.Select(c => ("THB_VICT_REG", CellCodes.Parse(parent).With(dimension, c.Id).Key, 1));

        var expected = Canonical([.. children, ("THB_VICT_REG", parent, -1)], ConstraintSense.Equal);

        Assert.Contains(expected, relations.Select(r => Canonical(cells, r)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("SEX=F")]
    [InlineData("ID_STATUS=PRESUMED")]
    public void Build_ExploitationWithExclusiveUnknown_GivesWithinAndCoverRelationsButNoSum(string parent)
    {
        var (cells, relations) = Small.Value;
        var canonical = relations.Select(r => Canonical(cells, r)).ToHashSet(StringComparer.Ordinal);
        var forms = StatisticsCatalogue.Exploitation.Codes.Select(c => c.Id).ToArray();
        var known = forms.Where(f => f != "UNK").ToArray();
        string Child(string form) => CellCodes.Parse(parent).With("EXPLOIT", form).Key;

        // Each form within the parent.
        foreach (var form in forms)
        {
            Assert.Contains(Canonical([("THB_VICT_REG", Child(form), 1), ("THB_VICT_REG", parent, -1)], ConstraintSense.LessOrEqual), canonical);
        }

        // Unknown excludes every other form: form + unknown within the parent.
        foreach (var form in known)
        {
            Assert.Contains(Canonical([("THB_VICT_REG", Child(form), 1), ("THB_VICT_REG", Child("UNK"), 1), ("THB_VICT_REG", parent, -1)], ConstraintSense.LessOrEqual), canonical);
        }

        // Those with a known form are covered by the known forms together: parent - unknown <= sum of known forms.
        Assert.Contains(Canonical([("THB_VICT_REG", parent, 1), ("THB_VICT_REG", Child("UNK"), -1), .. known.Select(f => ("THB_VICT_REG", Child(f), -1))], ConstraintSense.LessOrEqual), canonical);

        // Nothing else ties the parent to its forms; in particular no sum, since the forms add up to more (r2 and r5
        // have two each).
        var childKeys = forms.Select(Child).ToHashSet(StringComparer.Ordinal);
        var own = relations.Where(r => r.Terms.All(t => cells[t.Cell].Indicator == "THB_VICT_REG" && (cells[t.Cell].Codes.Key == parent || childKeys.Contains(cells[t.Cell].Codes.Key)))).ToList();
        Assert.Equal(forms.Length + known.Length + 1, own.Count);
        Assert.All(own, r => Assert.Equal(ConstraintSense.LessOrEqual, r.Sense));
    }

    [Theory]
    [InlineData("THB_VICT_ASSIST", "")]
    [InlineData("THB_VICT_ASSIST", "SEX=F")]
    [InlineData("THB_VICT_ASSIST", "SEX=F;AGE=Y_LT18")]
    [InlineData("THB_VICT_RESPERM", "SEX=X;AGE=Y_LT18")]
    [InlineData("THB_VICT_RESPERM", "AGE=UNK")]
    [InlineData("THB_TRM_OUT", "")]
    [InlineData("THB_TRM_IN", "")]
    public void Build_Subpopulation_StaysWithinTheRegisteredVictimsOfTheSameCell(string indicator, string key)
    {
        var (cells, relations) = Small.Value;

        var expected = Canonical([(indicator, key, 1), ("THB_VICT_REG", key, -1)], ConstraintSense.LessOrEqual);

        Assert.Contains(expected, relations.Select(r => Canonical(cells, r)));
    }

    [Fact]
    public void Build_PartnerCountries_EachWithinTheTotalAndTogetherAtLeastIt()
    {
        var (cells, relations) = Small.Value;
        var canonical = relations.Select(r => Canonical(cells, r)).ToHashSet(StringComparer.Ordinal);
        var countries = StatisticsCatalogue.CounterpartArea.Codes.Select(c => c.Id).ToArray();

        Assert.Contains(Canonical([("THB_TRM_OUT", "COUNTERPART_AREA=DE", 1), ("THB_TRM_OUT", string.Empty, -1)], ConstraintSense.LessOrEqual), canonical);
        Assert.Contains(Canonical([("THB_TRM_OUT", string.Empty, 1), .. countries.Select(c => ("THB_TRM_OUT", $"COUNTERPART_AREA={c}", -1))], ConstraintSense.LessOrEqual), canonical);

        // A country is not a dimension of the registered victims: no subpopulation relation for it.
        Assert.DoesNotContain(relations, r => r.Terms.Any(t => cells[t.Cell].Codes.Has("COUNTERPART_AREA")) && r.Terms.Any(t => cells[t.Cell].Indicator == "THB_VICT_REG"));
    }

    [Fact]
    public void Build_PublishedTableThatDoesNotAddUp_KeepsOnlyTheRelationsThatHold()
    {
        // Suspects as published: 10 in all, but F + M = 9 (published tables need not add up); X missing.
        var cells = new List<AuditCell>
        {
            new("THB_SUSP", CellCodes.Total, 10, false),
            new("THB_SUSP", CellCodes.Of(("SEX", "F")), 3, false),
            new("THB_SUSP", CellCodes.Of(("SEX", "M")), 6, false),
            new("THB_SUSP", CellCodes.Of(("SEX", "X")), null, false),
            new("THB_SUSP", CellCodes.Of(("SEX", "UNK")), 0, false),
            new("THB_SUSP", CellCodes.Of(("CITIZEN_GRP", "NAT")), 4, false),
            new("THB_SUSP", CellCodes.Of(("CITIZEN_GRP", "EU_OTH")), 2, false),
            new("THB_SUSP", CellCodes.Of(("CITIZEN_GRP", "NON_EU")), 4, false),
            new("THB_SUSP", CellCodes.Of(("CITIZEN_GRP", "UNK")), 0, false),
        };

        var relations = CellRelations.Build(cells);

        // Only the citizenship groups, which do add up, give a relation.
        var only = Assert.Single(relations);
        Assert.Equal(ConstraintSense.Equal, only.Sense);
        Assert.Equal(Canonical([.. new[] { "NAT", "EU_OTH", "NON_EU", "UNK" }.Select(g => ("THB_SUSP", $"CITIZEN_GRP={g}", 1)), ("THB_SUSP", string.Empty, -1)], ConstraintSense.Equal), Canonical(cells, only));
    }

    [Fact]
    public void Build_PublishedAssistedVictims_AreNotTiedToRegisteredVictims()
    {
        // Published, not counted from the same records: nothing says the assisted are among these registered.
        var cells = new List<AuditCell>
        {
            new("THB_VICT_REG", CellCodes.Total, 10, false),
            new("THB_VICT_ASSIST", CellCodes.Total, 8, false),
            new("THB_VICT_RESPERM", CellCodes.Total, 3, true),
        };

        Assert.Empty(CellRelations.Build(cells));
    }

    /// <summary>
    /// The audit relies on the same relations as the independent attacker (<see cref="PeerAttacker"/>), save the
    /// attacker's "at most MaxCodesPerUnit codes each", which the audit does not use.
    /// </summary>
    [Fact]
    public void Build_RealisticYear_GivesTheRelationsAPeerWrites()
    {
        var year = TestYears.Get(TestYears.Realistic5000);
        var (cells, relations) = Build(year.Cells);
        var attacker = new PeerAttacker(year.View(), TestYears.Threshold);

        var audit = relations.Select(r => Canonical(cells, r)).ToHashSet(StringComparer.Ordinal);
        var peer = attacker.Relations.Where(r => !r.Why.EndsWith("at most MaxCodesPerUnit codes each", StringComparison.Ordinal))
            .Select(r => Canonical([.. r.Cells.Select((c, t) => (cells[c].Indicator, cells[c].Codes.Key, r.Coefficients[t]))], r.IsEquality ? ConstraintSense.Equal : ConstraintSense.LessOrEqual))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Empty(peer.Except(audit));
        Assert.Empty(audit.Except(peer));
    }

    private static (List<AuditCell> Cells, IReadOnlyList<Relation> Relations) Build(IEnumerable<StatisticsCell> statisticsCells)
    {
        var cells = statisticsCells.Where(c => c.Year == Year).Select(c => new AuditCell(c.Indicator, c.Cell, c.Value, c.FromCaseRecords)).ToList();
        return (cells, CellRelations.Build(cells));
    }

    private static string Canonical(List<AuditCell> cells, Relation relation) =>
        Canonical([.. relation.Terms.Select(t => (cells[t.Cell].Indicator, cells[t.Cell].Codes.Key, t.Coefficient))], relation.Sense);

    private static string Canonical((string Indicator, string Key, int Coefficient)[] terms, ConstraintSense sense) =>
        string.Join(" ", terms.Select(t => $"{(t.Coefficient > 0 ? "+" : "-")}{Math.Abs(t.Coefficient)}*{t.Indicator}[{t.Key}]").Order(StringComparer.Ordinal))
        + (sense == ConstraintSense.Equal ? " = 0" : " <= 0");

    private static string Describe(List<AuditCell> cells, Relation relation) =>
        string.Join(" ", relation.Terms.Select(t => $"{t.Coefficient:+0;-0}*{cells[t.Cell].Indicator}[{cells[t.Cell].Codes}]={cells[t.Cell].Value}")) + (relation.Sense == ConstraintSense.Equal ? " = 0" : " <= 0");
}

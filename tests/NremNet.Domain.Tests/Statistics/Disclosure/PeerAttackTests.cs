using System.Collections.Concurrent;
using NremNet.Domain.Statistics;
using NremNet.Domain.Statistics.Disclosure;

namespace NremNet.Domain.Tests.Statistics.Disclosure;

/// <summary>
/// Attacks the protected years as a peer would (<see cref="PeerAttacker"/>, written without the node's audit): from the
/// released values and the flags of the withheld cells, by differencing single relations and by whole-number programs
/// over the joint tables. The pass marks are the flags' promise: no withheld cell pinned; a C cell keeps at least
/// min(3, k-1) possible values in [1, k-1]; a D cell at least k possible values.
/// </summary>
public class PeerAttackTests(ITestOutputHelper output)
{
    private const int K = TestYears.Threshold;

    private static readonly ConcurrentDictionary<string, Lazy<(PeerAttacker Attacker, PeerAttack Attack)>> Attacks = new(StringComparer.Ordinal);

    /// <summary>The test years, made of case records.</summary>
    public static TheoryData<string> Years => [.. TestYears.All];

    /// <summary>The test years and one year of every sample node (case records and published tables, or published tables only).</summary>
    public static TheoryData<string> NodeYears => [.. TestYears.All, .. TestYears.Samples];

    [Theory]
    [MemberData(nameof(Years))]
    public void Program_ProtectedYear_HoldsForTheTrueJointTable(string name)
    {
        var year = TestYears.Get(name);
        var attacker = new PeerAttacker(year.View(), K);

        var violations = attacker.Violations(year.Units());

        output.WriteLine($"{name}: {attacker.VariableCount} joint variables, {attacker.Constraints.Count} constraints");
        Assert.True(attacker.VariableCount > 0 && attacker.Constraints.Count > year.Cells.Count / 2, "the program is empty");
        Assert.True(violations.Count == 0, "The true records do not fit the peer's program: " + string.Join("; ", violations.Take(10)));
    }

    [Theory]
    [MemberData(nameof(NodeYears))]
    public void Relations_ProtectedYear_HoldForTheTrueValues(string name)
    {
        var year = TestYears.Get(name);
        var attacker = new PeerAttacker(year.View(), K);

        // A value missing or withheld at the source is unknown to the node too: relations through it are not checked.
        var checkable = attacker.Relations.Where(r => r.Cells.All(year.Knows)).ToList();
        var broken = checkable.Where(r => !r.HoldsFor(year.TrueValue)).Select(r => r.Why).ToList();

        output.WriteLine($"{name}: {attacker.Relations.Count} relations, {checkable.Count} through known values only");
        Assert.True(checkable.Count > (year.Records.Count > 0 ? 800 : 20), $"only {checkable.Count} relations to check");
        Assert.Empty(broken);
    }

    [Theory]
    [MemberData(nameof(NodeYears))]
    public void Difference_ProtectedYear_RecoversNoWithheldCell(string name)
    {
        var year = TestYears.Get(name);
        var attacker = new PeerAttacker(year.View(), K);

        // What the node withheld; a published value withheld at the source is the source's to protect, and unknown here.
        var recovered = attacker.Difference().Where(r => year.IsWithheld(r.Key)).ToDictionary();

        Assert.All(recovered, r => Assert.Equal(year.TrueValue(r.Key), r.Value));
        Assert.True(recovered.Count == 0, "Recovered by differencing: " + string.Join("; ", recovered.Select(r => $"{year.Describe(r.Key)} = {r.Value}")));
    }

    [Theory]
    [MemberData(nameof(NodeYears))]
    public void Attack_ProtectedYear_IntervalsHoldTheTruth(string name)
    {
        var year = TestYears.Get(name);

        var attack = Attack(year);

        // Sound on both sides: a value shown possible lies within what the peer proves, and the truth within both.
        var unsound = attack.Bounds.Keys
            .Where(c => (year.Knows(c) && !attack.Bounds[c].Contains(year.TrueValue(c))) || attack.Witnessed[c].Lower < attack.Bounds[c].Lower || attack.Witnessed[c].Upper > attack.Bounds[c].Upper)
            .Select(c => $"{year.Describe(c)} proven {attack.Bounds[c]} witnessed {attack.Witnessed[c]}")
            .ToList();
        Assert.Equal(year.Status.Count(s => s != ConfidentialityStatus.Free), attack.Bounds.Count);
        Assert.True(unsound.Count == 0, "The attacker is unsound: " + string.Join("; ", unsound));
    }

    [Theory]
    [MemberData(nameof(NodeYears))]
    public void Attack_ProtectedYear_PinsNoWithheldCell(string name)
    {
        var year = TestYears.Get(name);

        var attack = Attack(year);

        var pinned = attack.Bounds.Where(b => b.Value.IsPinned).Select(b => $"{year.Describe(b.Key)} = {b.Value.Lower}").ToList();
        Assert.True(pinned.Count == 0, "Pinned: " + string.Join("; ", pinned));
    }

    [Theory]
    [MemberData(nameof(NodeYears))]
    public void Attack_ProtectedYear_KeepsEveryWithheldCellAsWideAsItsFlagPromises(string name)
    {
        var year = TestYears.Get(name);

        var attack = Attack(year);

        Report(year, attack);

        // Judged on the values whole-number solutions show possible (never wider than the truth); a cell the attacker
        // could not settle (unproven) fails here rather than pass on trust.
        var narrowed = attack.Witnessed
            .Where(w => !PeerAttacker.Keeps(w.Value, year.Status[w.Key], K))
            .Select(w => $"{year.Describe(w.Key)}: possible {w.Value}, the peer proves {attack.Bounds[w.Key]}")
            .ToList();
        Assert.True(narrowed.Count == 0, $"Narrowed below the promise ({attack.Unproven} solves unproven): " + string.Join("; ", narrowed));
    }

    /// <summary>The attacker has teeth: against primary suppression alone it recovers small cells, and only true values.</summary>
    [Theory]
    [InlineData(TestYears.Realistic1200)]
    [InlineData(TestYears.Adversarial)]
    public void Attack_PrimarySuppressionOnly_RecoversSmallCells(string name)
    {
        var year = TestYears.Get(name);
        var view = year.Cells.Select(c => new PeerCell(
            c.Indicator,
            c.Cell,
            c.Value is > 0 and < K ? ConfidentialityStatus.Primary : ConfidentialityStatus.Free,
            c.Value is > 0 and < K ? null : c.Value,
            c.FromCaseRecords)).ToList();
        var attacker = new PeerAttacker(view, K);

        var recovered = attacker.Difference();
        var attack = attacker.Attack();

        var pinned = attack.Bounds.Where(b => b.Value.IsPinned).ToList();
        var narrowed = attack.Bounds.Where(b => !PeerAttacker.Keeps(b.Value, ConfidentialityStatus.Primary, K)).ToList();
        output.WriteLine($"{name}, primary suppression only: {attack.Bounds.Count} withheld, {recovered.Count} recovered by differencing, {pinned.Count} pinned and {narrowed.Count} narrowed below the promise by the integer program, e.g. {string.Join("; ", pinned.Take(3).Select(b => $"{Describe(year, b.Key)} = {b.Value.Lower}"))}");
        Assert.NotEmpty(recovered);
        Assert.All(recovered, r => Assert.Equal(year.TrueValue(r.Key), r.Value));
        Assert.All(attack.Bounds, b => Assert.True(b.Value.Contains(year.TrueValue(b.Key)), $"{Describe(year, b.Key)} outside {b.Value}"));
        Assert.True(pinned.Count >= recovered.Count, $"the program pins {pinned.Count}, differencing {recovered.Count}");
        Assert.True(pinned.Count > recovered.Count || narrowed.Count > pinned.Count, "the program learns nothing differencing does not");
    }

    /// <summary>
    /// The joint table has teeth: six boys in forced criminality, the only victims in it and the only men and the only
    /// minors. With the whole SEX × AGE table withheld, no relation between two tables gives anything away — but the
    /// victims in forced criminality are male (SEX × EXPLOIT) and minors (AGE × EXPLOIT), so (M, Y_LT18) is all six.
    /// </summary>
    [Fact]
    public void Attack_SexByAgeWithheldButSharedByOneForm_RecoveredThroughTheJointTable()
    {
        var records = new List<CaseRecord>();
        for (var i = 0; i < 6; i++)
        {
            records.Add(SyntheticRegister.Record($"b{i}", TestYears.Year, sex: "M", age: 15, exploitation: ["CRIM"], assisted: false));
        }

        for (var i = 0; i < 10; i++)
        {
            records.Add(SyntheticRegister.Record($"w{i}", TestYears.Year, sex: "F", age: 30 + i, exploitation: ["SEX"], assisted: false));
        }

        var cells = SyntheticRegister.OfYear(SyntheticRegister.Aggregate(records), TestYears.Year);
        bool SexByAge(StatisticsCell c) => c.Indicator == "THB_VICT_REG" && c.Cell.Signature == "SEX;AGE";
        var view = cells.Select(c => new PeerCell(c.Indicator, c.Cell, SexByAge(c) ? ConfidentialityStatus.Secondary : ConfidentialityStatus.Free, SexByAge(c) ? null : c.Value, true)).ToList();
        var boys = cells.FindIndex(c => c.Indicator == "THB_VICT_REG" && c.Cell.Key == "SEX=M;AGE=Y_LT18");
        var attacker = new PeerAttacker(view, K);

        var recovered = attacker.Difference();
        var attack = attacker.Attack();

        output.WriteLine($"differencing recovered {recovered.Count}; the joint program gives (M, Y_LT18) {attack.Bounds[boys]}");
        Assert.Empty(recovered);
        Assert.Equal(new PeerInterval(6, 6), attack.Bounds[boys]);
        Assert.All(attack.Bounds, b => Assert.True(b.Value.IsPinned, $"{cells[b.Key].Cell} {b.Value}"));
        Assert.Empty(attacker.Violations(TestYears.Units(records)));
    }

    private static string Describe(ProtectedYear year, int cell) => $"{year.Cells[cell].Indicator} {year.Cells[cell].Cell} (true {year.Cells[cell].Value})";

    private static PeerAttack Attack(ProtectedYear year) =>
        Attacks.GetOrAdd(year.Name, _ => new Lazy<(PeerAttacker, PeerAttack)>(() =>
        {
            var attacker = new PeerAttacker(year.View(), K);
            return (attacker, attacker.Attack());
        })).Value.Attack;

    private void Report(ProtectedYear year, PeerAttack attack)
    {
        var p = year.Protection;
        output.WriteLine($"{year.Name}: {year.Records.Count} records, {year.Cells.Count} cells ({year.Cells.Count(c => !c.FromCaseRecords)} published); protected in {year.ProtectTime.TotalSeconds:0.0} s with {p.Solves} solves: {p.Primary} primary (C), {p.Secondary} secondary (D) of which {p.Relabelled} relabelled small cells, {p.Unprotectable} unprotectable");
        output.WriteLine($"attacker: {attack.Variables} joint variables, {attack.Constraints} constraints; {attack.LinearSolves} linear and {attack.IntegerSolves} whole-number solves ({attack.Unproven} unproven) in {attack.Elapsed.TotalSeconds:0.0} s");
        Narrowest("C cells", attack.Witnessed.Where(w => year.Status[w.Key] == ConfidentialityStatus.Primary), w => w.SmallValues(K));
        Narrowest("D cells with a small count", attack.Witnessed.Where(w => year.Status[w.Key] == ConfidentialityStatus.Secondary && year.Cells[w.Key].Value is > 0 and < K), w => w.Count);
        Narrowest("D cells of k or more", attack.Witnessed.Where(w => year.Status[w.Key] == ConfidentialityStatus.Secondary && year.Cells[w.Key].Value >= K), w => w.Count);
        Narrowest("withheld zeros", attack.Witnessed.Where(w => year.Cells[w.Key].Value == 0), w => w.Count);

        void Narrowest(string what, IEnumerable<KeyValuePair<int, PeerInterval>> cells, Func<PeerInterval, long> width)
        {
            var list = cells.OrderBy(w => width(w.Value)).ThenBy(w => w.Key).ToList();
            if (list.Count == 0)
            {
                output.WriteLine($"  {what}: none");
                return;
            }

            var (cell, interval) = list[0];
            output.WriteLine($"  {what}: {list.Count}, narrowest {width(interval)} values possible, e.g. {year.Describe(cell)} possible {interval}, proven {attack.Bounds[cell]}");
        }
    }
}

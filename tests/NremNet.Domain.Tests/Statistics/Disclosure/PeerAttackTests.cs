using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using NremNet.Domain.Statistics;

namespace NremNet.Domain.Tests.Statistics.Disclosure;

/// <summary>
/// Attacks the protected years as a peer would (<see cref="PeerAttacker"/>, written without the node's audit): from the
/// released cells and the flags of the withheld ones, by differencing single relations and by one linear program over
/// every withheld cell of the year. The pass marks are the design's: no withheld cell exactly; a small cell (true value
/// 1 to k-1, whatever its flag) never narrowed below k whole numbers by the values, nor below three by the values and
/// the primary flags; a secondary cell of k or more never below k whole numbers by the values.
/// </summary>
public class PeerAttackTests(ITestOutputHelper output)
{
    private const int K = TestYears.Threshold;

    private static readonly ConcurrentDictionary<(string Year, string Peer), Lazy<Attack>> Attacks = new();

    public static TheoryData<string> Years => [TestYears.Realistic1200, TestYears.Realistic5000, TestYears.Adversarial, TestYears.RareCategory];

    private enum Peer
    {
        /// <summary>Released values, withheld cells only known to be non-negative.</summary>
        Values,

        /// <summary>Also reads the primary flags: a C cell is in [1, k-1].</summary>
        ValuesAndPrimaryFlags,

        /// <summary>Values only, and the registered victims' single-valued tables as margins of one hidden table.</summary>
        JointTable,

        /// <summary>The joint table and the primary flags.</summary>
        JointTableAndPrimaryFlags,
    }

    [Theory]
    [MemberData(nameof(Years))]
    public void Relations_ProtectedYear_HoldForTheTrueValues(string name)
    {
        var year = TestYears.Get(name);
        var attacker = new PeerAttacker(year.View(), K);

        var broken = attacker.Relations.Where(r => !r.HoldsFor(year.TrueValue)).Select(r => r.Why).ToList();

        output.WriteLine($"{name}: {attacker.Relations.Count} relations");
        Assert.True(attacker.Relations.Count > 800, $"only {attacker.Relations.Count} relations");
        Assert.Empty(broken);
    }

    [Theory]
    [MemberData(nameof(Years))]
    public void Difference_ProtectedYear_RecoversNoWithheldCell(string name)
    {
        var year = TestYears.Get(name);
        var attacker = new PeerAttacker(year.View(), K);

        var recovered = attacker.Difference();

        PrintCounts(year);
        output.WriteLine($"differencing over {attacker.Relations.Count} relations recovered {recovered.Count} cells");
        Assert.All(recovered, r => Assert.Equal(year.TrueValue(r.Key), r.Value));
        Assert.True(recovered.Count == 0, "Recovered by differencing: " + string.Join("; ", recovered.Select(r => $"{year.Describe(r.Key)} = {r.Value}")));
    }

    [Theory]
    [MemberData(nameof(Years))]
    public void Solve_PeerReadingValues_KeepsSmallCellsAndSecondaryCellsKWide(string name)
    {
        var year = TestYears.Get(name);

        var attack = Run(year, Peer.Values);

        var failures = attack.Bounds.Where(b => (IsSmall(year, b.Key) || IsSecondary(year, b.Key)) && b.Value.Width < K).Select(b => $"{year.Describe(b.Key)} {b.Value}").ToList();
        Assert.True(failures.Count == 0, "Narrowed below k by a peer reading the values: " + string.Join("; ", failures));
    }

    [Theory]
    [MemberData(nameof(Years))]
    public void Solve_PeerReadingValues_PinsNoWithheldCell(string name)
    {
        var year = TestYears.Get(name);

        var attack = Run(year, Peer.Values);

        var pinned = attack.Bounds.Where(b => b.Value.IsExact).Select(b => $"{year.Describe(b.Key)} {b.Value}").ToList();
        Assert.True(pinned.Count == 0, "Pinned by a peer reading the values: " + string.Join("; ", pinned));
    }

    [Theory]
    [MemberData(nameof(Years))]
    public void Solve_PeerReadingValuesAndPrimaryFlags_KeepsSmallCellsThreeValues(string name)
    {
        var year = TestYears.Get(name);

        var attack = Run(year, Peer.ValuesAndPrimaryFlags);

        var failures = attack.Bounds.Where(b => IsSmall(year, b.Key) && b.Value.Width < 2).Select(b => $"{year.Describe(b.Key)} {b.Value}").ToList();
        Assert.True(failures.Count == 0, "Narrowed below three values by a peer reading values and flags: " + string.Join("; ", failures));
    }

    [Theory]
    [MemberData(nameof(Years))]
    public void Solve_PeerReadingValuesAndPrimaryFlags_PinsNoWithheldCell(string name)
    {
        var year = TestYears.Get(name);

        var attack = Run(year, Peer.ValuesAndPrimaryFlags);

        var pinned = attack.Bounds.Where(b => b.Value.IsExact).Select(b => $"{year.Describe(b.Key)} {b.Value}").ToList();
        Assert.True(pinned.Count == 0, "Pinned by a peer reading values and flags: " + string.Join("; ", pinned));
    }

    /// <summary>
    /// A stronger peer: the registered victims' tables of SEX, AGE, CITIZEN_GRP and ID_STATUS are margins of one hidden
    /// four-way table of non-negative counts, which the pairwise relations alone do not say.
    /// </summary>
    [Theory]
    [InlineData(TestYears.Realistic5000)]
    [InlineData(TestYears.Adversarial)]
    [InlineData(TestYears.RareCategory)]
    public void Solve_PeerRebuildingTheJointTable_KeepsSmallCellsAndSecondaryCellsWide(string name)
    {
        var year = TestYears.Get(name);

        var blind = Run(year, Peer.JointTable);
        var informed = Run(year, Peer.JointTableAndPrimaryFlags);

        var failures = blind.Bounds.Where(b => (IsSmall(year, b.Key) || IsSecondary(year, b.Key)) && b.Value.Width < K)
            .Concat(informed.Bounds.Where(b => IsSmall(year, b.Key) && b.Value.Width < 2))
            .Select(b => $"{year.Describe(b.Key)} {b.Value}")
            .ToList();
        Assert.True(failures.Count == 0, "Narrowed through the joint table: " + string.Join("; ", failures));
    }

    [Theory]
    [MemberData(nameof(Years))]
    public void Protect_SameRecordsAgainInAnotherOrder_PeerGetsTheSameAnswer(string name)
    {
        var year = TestYears.Get(name);
        var records = TestYears.Records(name);
        var shuffled = records.OrderBy(r => SyntheticRegister.Key(r.RecordId + "/shuffle")).ToList();
        Assert.NotEqual(records.Select(r => r.RecordId), shuffled.Select(r => r.RecordId));

        var again = TestYears.Protect(name, shuffled);

        Assert.Equal(Answer(year), Answer(again));
    }

    /// <summary>The attacker has teeth: against primary suppression alone it recovers small cells, and only true values.</summary>
    [Fact]
    public void Difference_PrimarySuppressionOnly_RecoversTrueSmallValues()
    {
        var year = TestYears.Get(TestYears.Realistic1200);
        var view = year.Cells.Select(c => new ReleasedCell(
            c.Indicator,
            c.Cell,
            c.Value is > 0 and < K ? ConfidentialityStatus.Primary : ConfidentialityStatus.Free,
            c.Value is > 0 and < K ? null : c.Value)).ToList();
        var attacker = new PeerAttacker(view, K);

        var recovered = attacker.Difference();
        var bounds = attacker.Solve(informed: false);

        output.WriteLine($"primary only: {view.Count(c => c.IsWithheld)} withheld, {recovered.Count} recovered by differencing, {bounds.Count(b => b.Value.Width < K)} narrowed below k by the program");
        Assert.NotEmpty(recovered);
        Assert.All(recovered, r => Assert.Equal(year.TrueValue(r.Key), r.Value));
        Assert.All(bounds, b => Assert.True(b.Value.Contains(year.TrueValue(b.Key)), $"{year.Describe(b.Key)} outside {b.Value}"));
        Assert.True(bounds.Count(b => b.Value.IsExact) >= recovered.Count);
    }

    /// <summary>A withheld cell whose true value is small, whether flagged C or — relabelled — D.</summary>
    private static bool IsSmall(ProtectedYear year, int cell) => year.TrueValue(cell) is > 0 and < K;

    private static bool IsSecondary(ProtectedYear year, int cell) =>
        year.Protection.Confidentiality[cell] == ConfidentialityStatus.Secondary && year.TrueValue(cell) >= K;

    private static List<string> Answer(ProtectedYear year) =>
        [.. year.View().Select(c => $"{c.Indicator}|{c.Codes.Key}|{c.Status.Code()}|{c.Value?.ToString(CultureInfo.InvariantCulture)}").Order(StringComparer.Ordinal)];

    private Attack Run(ProtectedYear year, Peer peer)
    {
        var attack = Attacks.GetOrAdd((year.Name, peer.ToString()), _ => new Lazy<Attack>(() =>
        {
            var attacker = new PeerAttacker(year.View(), K);
            var watch = Stopwatch.StartNew();
            var bounds = attacker.Solve(informed: peer is Peer.ValuesAndPrimaryFlags or Peer.JointTableAndPrimaryFlags, jointTable: peer is Peer.JointTable or Peer.JointTableAndPrimaryFlags);
            return new Attack(bounds, attacker.ProgramSize.Variables, attacker.ProgramSize.Constraints, watch.Elapsed);
        })).Value;

        Report(year, peer, attack);

        // The intervals hold the truth: the relations and the program are sound, so a wide interval means something.
        var outside = attack.Bounds.Where(b => !b.Value.Contains(year.TrueValue(b.Key))).Select(b => $"{year.Describe(b.Key)} {b.Value}").ToList();
        Assert.True(outside.Count == 0, "The attacker is unsound: " + string.Join("; ", outside));
        return attack;
    }

    private void PrintCounts(ProtectedYear year) =>
        output.WriteLine($"{year.Name}: {year.RecordCount} records, {year.Cells.Count} cells, {year.Protection.Primary} primary (C), {year.Protection.Secondary} secondary (D) of which {Enumerable.Range(0, year.Cells.Count).Count(i => year.Protection.Confidentiality[i] == ConfidentialityStatus.Secondary && year.Cells[i].Value is > 0 and < K)} small, {year.Protection.Unprotectable} unprotectable by the node's own audit; protected in {year.ProtectTime.TotalSeconds:0.0} s");

    private void Report(ProtectedYear year, Peer peer, Attack attack)
    {
        PrintCounts(year);
        output.WriteLine($"peer {peer}: one program of {attack.Variables} withheld cells and {attack.Constraints} relations, min and max of each in {attack.Elapsed.TotalSeconds:0.0} s");
        Narrowest("small (1 to k-1)", attack.Bounds.Where(b => IsSmall(year, b.Key)));
        Narrowest("secondary >= k", attack.Bounds.Where(b => IsSecondary(year, b.Key)));
        Narrowest("withheld zeros", attack.Bounds.Where(b => year.TrueValue(b.Key) == 0));

        void Narrowest(string what, IEnumerable<KeyValuePair<int, PeerBounds>> cells)
        {
            var list = cells.OrderBy(b => b.Value.Width).ThenBy(b => b.Key).ToList();
            if (list.Count == 0)
            {
                output.WriteLine($"  {what}: none");
                return;
            }

            var width = list[0].Value.Width;
            var at = list.TakeWhile(b => b.Value.Width == width).ToList();
            output.WriteLine($"  {what}: {list.Count} cells, narrowest floor(max) - ceil(min) = {width} for {at.Count}, e.g. {year.Describe(at[0].Key)} {at[0].Value}");
        }
    }

    private sealed record Attack(Dictionary<int, PeerBounds> Bounds, int Variables, int Constraints, TimeSpan Elapsed);
}

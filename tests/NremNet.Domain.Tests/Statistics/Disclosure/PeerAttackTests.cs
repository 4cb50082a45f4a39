using System.Diagnostics;
using System.Globalization;
using NremNet.Domain.Statistics;

namespace NremNet.Domain.Tests.Statistics.Disclosure;

/// <summary>
/// Attacks the protected years as a peer would (<see cref="PeerAttacker"/>, written without the node's audit): from the
/// released cells and the flags of the withheld ones, by differencing single relations and by one linear program over
/// every withheld cell of the year. The pass marks are the design's: no withheld cell exactly, a primary cell never
/// narrowed below k whole numbers by the values (three by the values and the flags), a secondary cell of k or more
/// never below k whole numbers.
/// </summary>
public class PeerAttackTests(ITestOutputHelper output)
{
    private const int K = TestYears.Threshold;

    public static TheoryData<string> Years => [TestYears.Realistic1200, TestYears.Realistic5000, TestYears.Adversarial, TestYears.RareCategory];

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
        Assert.True(recovered.Count == 0, "Recovered by differencing: " + string.Join("; ", recovered.Select(r => $"{year.Describe(r.Key)} = {r.Value}")));
    }

    [Theory]
    [MemberData(nameof(Years))]
    public void Solve_PeerReadingValues_PinsNothingAndLeavesPrimaryCellsKWide(string name)
    {
        var year = TestYears.Get(name);
        var attacker = new PeerAttacker(year.View(), K);
        var watch = Stopwatch.StartNew();

        var bounds = attacker.Solve(informed: false);

        Report(year, attacker, bounds, "values only", watch.Elapsed);
        AssertSound(year, bounds);
        var failures = bounds.Where(b => b.Value.IsExact
                || (IsPrimary(year, b.Key) && b.Value.Width < K)
                || (IsSecondary(year, b.Key) && year.TrueValue(b.Key) >= K && b.Value.Width < K))
            .Select(b => $"{year.Describe(b.Key)} {b.Value}")
            .ToList();
        Assert.True(failures.Count == 0, "Narrowed by a peer reading the values: " + string.Join("; ", failures));
    }

    [Theory]
    [MemberData(nameof(Years))]
    public void Solve_PeerReadingValuesAndFlags_PinsNothingAndLeavesPrimaryCellsThreeValues(string name)
    {
        var year = TestYears.Get(name);
        var attacker = new PeerAttacker(year.View(), K);
        var watch = Stopwatch.StartNew();

        var bounds = attacker.Solve(informed: true);

        Report(year, attacker, bounds, "values and C in [1, k-1]", watch.Elapsed);
        AssertSound(year, bounds);
        var failures = bounds.Where(b => b.Value.IsExact || (IsPrimary(year, b.Key) && b.Value.Width < 2))
            .Select(b => $"{year.Describe(b.Key)} {b.Value}")
            .ToList();
        Assert.True(failures.Count == 0, "Narrowed by a peer reading values and flags: " + string.Join("; ", failures));
    }

    /// <summary>
    /// Beyond the primary flags: a D cell is never in [1, k-1] (it would be C), so one the program keeps below k is 0 and
    /// one it keeps above 0 is at least k. The primary cells must still keep three values.
    /// </summary>
    [Theory]
    [MemberData(nameof(Years))]
    public void SolveReadingFlags_PeerDeducingSecondaryCells_LeavesPrimaryCellsThreeValues(string name)
    {
        var year = TestYears.Get(name);
        var attacker = new PeerAttacker(year.View(), K);
        var watch = Stopwatch.StartNew();

        var bounds = attacker.SolveReadingFlags();

        Report(year, attacker, bounds, "values, C in [1, k-1], D in {0} or [k, inf)", watch.Elapsed);
        AssertSound(year, bounds);
        var zeros = bounds.Where(b => IsSecondary(year, b.Key) && b.Value.IsExact).Select(b => year.Describe(b.Key)).ToList();
        output.WriteLine($"secondary cells the flags show to be 0: {zeros.Count}{(zeros.Count > 0 ? ": " + string.Join("; ", zeros) : string.Empty)}");
        var failures = bounds.Where(b => (IsPrimary(year, b.Key) && b.Value.Width < 2) || (IsSecondary(year, b.Key) && year.TrueValue(b.Key) >= K && b.Value.IsExact))
            .Select(b => $"{year.Describe(b.Key)} {b.Value}")
            .ToList();
        Assert.True(failures.Count == 0, "Narrowed by a peer reading every flag: " + string.Join("; ", failures));
    }

    /// <summary>
    /// A stronger peer: the registered victims' tables of SEX, AGE, CITIZEN_GRP and ID_STATUS are margins of one hidden
    /// four-way table of non-negative counts, which the pairwise relations alone do not say.
    /// </summary>
    [Theory]
    [InlineData(TestYears.Realistic5000)]
    [InlineData(TestYears.Adversarial)]
    public void Solve_PeerRebuildingTheJointTable_PinsNothingAndLeavesPrimaryCellsKWide(string name)
    {
        var year = TestYears.Get(name);
        var attacker = new PeerAttacker(year.View(), K);
        var watch = Stopwatch.StartNew();

        var blind = attacker.Solve(informed: false, jointTable: true);
        var informed = attacker.Solve(informed: true, jointTable: true);

        Report(year, attacker, blind, "joint table, values only", watch.Elapsed);
        Report(year, attacker, informed, "joint table, values and C in [1, k-1]", TimeSpan.Zero);
        AssertSound(year, blind);
        AssertSound(year, informed);
        var failures = blind.Where(b => b.Value.IsExact || (IsPrimary(year, b.Key) && b.Value.Width < K))
            .Concat(informed.Where(b => b.Value.IsExact || (IsPrimary(year, b.Key) && b.Value.Width < 2)))
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

    private static bool IsPrimary(ProtectedYear year, int cell) => year.Protection.Confidentiality[cell] == ConfidentialityStatus.Primary;

    private static bool IsSecondary(ProtectedYear year, int cell) => year.Protection.Confidentiality[cell] == ConfidentialityStatus.Secondary;

    private static List<string> Answer(ProtectedYear year) =>
        [.. year.View().Select(c => $"{c.Indicator}|{c.Codes.Key}|{c.Status.Code()}|{c.Value?.ToString(CultureInfo.InvariantCulture)}").Order(StringComparer.Ordinal)];

    /// <summary>The attacker's intervals hold the truth: its relations and program are sound, so a wide interval means something.</summary>
    private static void AssertSound(ProtectedYear year, Dictionary<int, PeerBounds> bounds)
    {
        var outside = bounds.Where(b => !b.Value.Contains(year.TrueValue(b.Key))).Select(b => $"{year.Describe(b.Key)} {b.Value}").ToList();
        Assert.True(outside.Count == 0, "The attacker is unsound: " + string.Join("; ", outside));
    }

    private void PrintCounts(ProtectedYear year) =>
        output.WriteLine($"{year.Name}: {year.RecordCount} records, {year.Cells.Count} cells, {year.Protection.Primary} primary (C), {year.Protection.Secondary} secondary (D), {year.Protection.Unprotectable} unprotectable by the node's own audit; protected in {year.ProtectTime.TotalSeconds:0.0} s");

    private void Report(ProtectedYear year, PeerAttacker attacker, Dictionary<int, PeerBounds> bounds, string peer, TimeSpan elapsed)
    {
        PrintCounts(year);
        output.WriteLine($"peer reading {peer}: one program of {attacker.ProgramSize.Variables} withheld cells and {attacker.ProgramSize.Constraints} relations, min and max of each in {elapsed.TotalSeconds:0.0} s");
        Narrowest("primary", bounds.Where(b => IsPrimary(year, b.Key)));
        Narrowest("secondary >= k", bounds.Where(b => IsSecondary(year, b.Key) && year.TrueValue(b.Key) >= K));
        Narrowest("secondary < k", bounds.Where(b => IsSecondary(year, b.Key) && year.TrueValue(b.Key) < K));

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
            output.WriteLine($"  {what}: {list.Count} cells, narrowest width {width} (floor(max) - ceil(min)) for {at.Count}, e.g. {year.Describe(at[0].Key)} {at[0].Value}");
        }
    }
}

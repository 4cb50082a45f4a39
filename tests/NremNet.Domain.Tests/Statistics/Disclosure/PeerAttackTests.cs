using System.Diagnostics;

namespace NremNet.Domain.Tests.Statistics.Disclosure;

public class PeerAttackTests(ITestOutputHelper output)
{
    public static TheoryData<string> Years => [.. (Environment.GetEnvironmentVariable("PEER_YEARS")?.Split(',') ?? TestYears.All)];

    [Theory]
    [MemberData(nameof(Years))]
    public void Attack_Measure(string name)
    {
        var year = TestYears.Get(name);
        var watch = Stopwatch.StartNew();
        var attacker = new PeerAttacker(year.View(), TestYears.Threshold);
        var build = watch.Elapsed;
        var violations = attacker.Violations(TestYears.Units(year.Records));
        var attack = attacker.Attack();
        output.WriteLine($"{name}: {year.Records.Count} records, {year.Cells.Count} cells, C {year.Protection.Primary}, D {year.Protection.Secondary}, relabelled {year.Protection.Relabelled}, unprot {year.Protection.Unprotectable}, solves {year.Protection.Solves}, protect {year.ProtectTime.TotalSeconds:0.0}s; attacker build {build.TotalSeconds:0.0}s vars {attack.Variables} cons {attack.Constraints} solves {attack.LinearSolves} integer {attack.IntegerSolves} unproven {attack.Unproven} time {attack.Elapsed.TotalSeconds:0.0}s (LP {attack.RelaxationTime.TotalSeconds:0.0}s); violations {violations.Count}");
        foreach (var v in violations.Take(5))
        {
            output.WriteLine(v);
        }

        foreach (var (cell, b) in attack.Bounds.OrderBy(b => b.Key))
        {
            var c = year.Status[cell];
            var w = attack.Witnessed[cell];
            var bad = !PeerAttacker.Keeps(w, c, 5) || !b.Contains(year.TrueValue(cell)) || w.Lower < b.Lower || w.Upper > b.Upper;
            if (bad)
            {
                output.WriteLine($"  FAIL {year.Describe(cell)} {b} witnessed {attack.Witnessed[cell]}");
            }
        }
    }
}

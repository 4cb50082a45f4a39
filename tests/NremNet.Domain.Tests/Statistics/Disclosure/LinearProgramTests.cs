using NremNet.Domain.Statistics.Disclosure;

namespace NremNet.Domain.Tests.Statistics.Disclosure;

public class LinearProgramTests
{
    private const double Tolerance = 1e-7;

    [Fact]
    public void MinimizeMaximize_EqualityWithUpperBound_GivesHandComputedRanges()
    {
        // x0 + x1 = 10, x0 <= 7
        var program = new LinearProgram(2);
        program.Add([(0, 1), (1, 1)], ConstraintSense.Equal, 10);
        program.Bound(0, 0, 7);

        AssertRange(program, 0, 0, 7);
        AssertRange(program, 1, 3, 10);
    }

    [Fact]
    public void MinimizeMaximize_Inequalities_GiveTheVertexAtTheirCrossing()
    {
        // x0 + x1 <= 4, x0 - x1 <= 1: x0 is highest where both bind, at (2.5, 1.5).
        var program = new LinearProgram(2);
        program.Add([(0, 1), (1, 1)], ConstraintSense.LessOrEqual, 4);
        program.Add([(0, 1), (1, -1)], ConstraintSense.LessOrEqual, 1);

        AssertRange(program, 0, 0, 2.5);
        AssertRange(program, 1, 0, 4);
    }

    [Fact]
    public void MinimizeMaximize_LowerAndUpperBounds_ShiftTheRange()
    {
        // x0 in [2, 5], x1 in [0, 3], x0 + x1 = 6
        var program = new LinearProgram(2);
        program.Bound(0, 2, 5);
        program.Bound(1, 0, 3);
        program.Add([(0, 1), (1, 1)], ConstraintSense.Equal, 6);

        AssertRange(program, 0, 3, 5);
        AssertRange(program, 1, 1, 3);
    }

    [Fact]
    public void MinimizeMaximize_NegativeRightSide_ActsAsAtLeast()
    {
        // -x0 - x1 <= -3 (x0 + x1 >= 3), x0 <= 1
        var program = new LinearProgram(2);
        program.Add([(0, -1), (1, -1)], ConstraintSense.LessOrEqual, -3);
        program.Bound(0, 0, 1);

        AssertRange(program, 0, 0, 1);
        Assert.Equal(2, program.Minimize(1), Tolerance);
        Assert.Equal(double.PositiveInfinity, program.Maximize(1));
    }

    [Fact]
    public void Maximize_Unbounded_IsPositiveInfinity()
    {
        // x0 - x1 = 2: both can grow together.
        var program = new LinearProgram(2);
        program.Add([(0, 1), (1, -1)], ConstraintSense.Equal, 2);

        Assert.Equal(double.PositiveInfinity, program.Maximize(0));
        Assert.Equal(double.PositiveInfinity, program.Maximize(1));
        Assert.Equal(2, program.Minimize(0), Tolerance);
        Assert.Equal(0, program.Minimize(1), Tolerance);
    }

    [Fact]
    public void IsFeasible_EqualityBelowALowerBound_IsFalseAndSolvesThrow()
    {
        // x0 + x1 = 3 with x0 >= 5
        var program = new LinearProgram(2);
        program.Add([(0, 1), (1, 1)], ConstraintSense.Equal, 3);
        program.Bound(0, 5, 9);

        Assert.False(program.IsFeasible());
        Assert.Throws<InvalidOperationException>(() => program.Maximize(0));
        Assert.Throws<InvalidOperationException>(() => program.Minimize(1));
    }

    [Fact]
    public void IsFeasible_ContradictoryInequalities_IsFalse()
    {
        // x0 + x1 <= 2 and x0 >= 3 (-x0 <= -3)
        var program = new LinearProgram(2);
        program.Add([(0, 1), (1, 1)], ConstraintSense.LessOrEqual, 2);
        program.Add([(0, -1)], ConstraintSense.LessOrEqual, -3);

        Assert.False(program.IsFeasible());
    }

    [Fact]
    public void MinimizeMaximize_RedundantEqualities_PinTheSolution()
    {
        // x0 + x1 = 5 twice over (once doubled) and x0 - x1 = 1: x = (3, 2); the redundant rows keep an artificial.
        var program = new LinearProgram(2);
        program.Add([(0, 1), (1, 1)], ConstraintSense.Equal, 5);
        program.Add([(0, 2), (1, 2)], ConstraintSense.Equal, 10);
        program.Add([(0, 1), (1, -1)], ConstraintSense.Equal, 1);

        Assert.True(program.IsFeasible());
        AssertRange(program, 0, 3, 3);
        AssertRange(program, 1, 2, 2);
    }

    [Fact]
    public void Maximize_BealeCyclingExample_TerminatesAtTheOptimum()
    {
        // Beale (1955), on which Dantzig's rule with the lowest-index tie-break cycles; z = 3/4 x0 - 150 x1 + 1/50 x2 - 6 x3
        // is highest, 1/20, at x0 = 1/25, x2 = 1.
        var program = new LinearProgram(5);
        program.Add([(0, 0.25), (1, -60), (2, -1.0 / 25), (3, 9)], ConstraintSense.LessOrEqual, 0);
        program.Add([(0, 0.5), (1, -90), (2, -1.0 / 50), (3, 3)], ConstraintSense.LessOrEqual, 0);
        program.Add([(2, 1)], ConstraintSense.LessOrEqual, 1);
        program.Add([(4, 1), (0, -0.75), (1, 150), (2, -1.0 / 50), (3, 6)], ConstraintSense.Equal, 0);

        Assert.Equal(0.05, program.Maximize(4), Tolerance);
        Assert.Equal(0, program.Minimize(4), Tolerance);
        Assert.Equal(1, program.Maximize(2), Tolerance);
    }

    [Fact]
    public void MinimizeMaximize_DegenerateCycleOfInequalities_ForcesEqualValues()
    {
        // x0 <= x1 <= x2 <= x0 through the origin (every pivot there is degenerate), x0 + x1 + x2 <= 3.
        var program = new LinearProgram(3);
        program.Add([(0, 1), (1, -1)], ConstraintSense.LessOrEqual, 0);
        program.Add([(1, 1), (2, -1)], ConstraintSense.LessOrEqual, 0);
        program.Add([(2, 1), (0, -1)], ConstraintSense.LessOrEqual, 0);
        program.Add([(0, 1), (1, 1), (2, 1)], ConstraintSense.LessOrEqual, 3);

        for (var v = 0; v < 3; v++)
        {
            AssertRange(program, v, 0, 1);
        }
    }

    [Fact]
    public void MinimizeMaximize_RepeatedAndInterleaved_GiveTheSameAnswersAsFreshPrograms()
    {
        var constraints = new (int, double)[][] { [(0, 1), (1, 2), (2, 1)], [(0, 1), (1, -1)], [(1, 1), (2, 3)] };
        var senses = new[] { ConstraintSense.LessOrEqual, ConstraintSense.Equal, ConstraintSense.LessOrEqual };
        var rights = new double[] { 12, 1, 9 };
        LinearProgram Build()
        {
            var program = new LinearProgram(3);
            for (var i = 0; i < constraints.Length; i++)
            {
                program.Add(constraints[i], senses[i], rights[i]);
            }

            return program;
        }

        var expected = Enumerable.Range(0, 3).Select(v => (Build().Minimize(v), Build().Maximize(v))).ToArray();
        var shared = Build();

        foreach (var v in new[] { 2, 0, 1, 1, 2, 0, 0 })
        {
            Assert.Equal(expected[v].Item2, shared.Maximize(v), Tolerance);
            Assert.Equal(expected[v].Item1, shared.Minimize(v), Tolerance);
        }

        // By hand: x0 = x1 + 1, so 3 x1 + x2 <= 11 and x1 + 3 x2 <= 9: x1 at most 11/3, x0 at most 14/3, x2 at most 3.
        Assert.Equal(14.0 / 3, expected[0].Item2, Tolerance);
        Assert.Equal(1, expected[0].Item1, Tolerance);
        Assert.Equal(3, expected[2].Item2, Tolerance);
    }

    [Fact]
    public void Maximize_ConstraintAddedAfterASolve_IsTakenIntoAccount()
    {
        var program = new LinearProgram(2);
        program.Add([(0, 1), (1, 1)], ConstraintSense.LessOrEqual, 4);
        Assert.Equal(4, program.Maximize(0), Tolerance);

        program.Add([(0, 1)], ConstraintSense.LessOrEqual, 1);
        program.Bound(1, 0, 2);

        Assert.Equal(1, program.Maximize(0), Tolerance);
        Assert.Equal(2, program.Maximize(1), Tolerance);
    }

    [Fact]
    public void Bound_LowerAboveUpper_Throws()
    {
        var program = new LinearProgram(1);

        Assert.Throws<ArgumentOutOfRangeException>(() => program.Bound(0, 3, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => program.Bound(0, -1, 2));
    }

    /// <summary>
    /// Random small programs in a box, against every vertex found by brute force: each triple of constraints taken as
    /// equalities, solved, and kept when it satisfies all of them. Many of them are degenerate (integer data, several
    /// constraints through one vertex).
    /// </summary>
    [Fact]
    public void MinimizeMaximize_RandomBoxedPrograms_MatchVertexEnumeration()
    {
        var random = new Random(20231);
        var checkedPrograms = 0;
        var infeasible = 0;
        for (var trial = 0; trial < 300; trial++)
        {
            var rows = new List<(double[] A, ConstraintSense Sense, double B)>();
            var count = random.Next(2, 6);
            for (var i = 0; i < count; i++)
            {
                var a = new double[3];
                for (var j = 0; j < 3; j++)
                {
                    a[j] = random.Next(-3, 4);
                }

                rows.Add((a, random.Next(4) == 0 ? ConstraintSense.Equal : ConstraintSense.LessOrEqual, random.Next(-3, 11)));
            }

            var lower = new double[3];
            var upper = new double[3];
            for (var j = 0; j < 3; j++)
            {
                lower[j] = random.Next(3) == 0 ? random.Next(1, 3) : 0;
                upper[j] = lower[j] + random.Next(0, 8);
            }

            var program = new LinearProgram(3);
            foreach (var (a, sense, b) in rows)
            {
                program.Add(Enumerable.Range(0, 3).Where(j => a[j] != 0).Select(j => (j, a[j])), sense, b);
            }

            for (var j = 0; j < 3; j++)
            {
                program.Bound(j, lower[j], upper[j]);
            }

            var vertices = Vertices(rows, lower, upper);
            Assert.Equal(vertices.Count > 0, program.IsFeasible());
            if (vertices.Count == 0)
            {
                infeasible++;
                continue;
            }

            for (var j = 0; j < 3; j++)
            {
                Assert.Equal(vertices.Min(x => x[j]), program.Minimize(j), 1e-6);
                Assert.Equal(vertices.Max(x => x[j]), program.Maximize(j), 1e-6);
            }

            checkedPrograms++;
        }

        // Both kinds occur, so both sides of the comparison were exercised.
        Assert.InRange(checkedPrograms, 50, 300);
        Assert.InRange(infeasible, 10, 300);
    }

    private static void AssertRange(LinearProgram program, int variable, double min, double max)
    {
        Assert.Equal(min, program.Minimize(variable), Tolerance);
        Assert.Equal(max, program.Maximize(variable), Tolerance);
    }

    private static List<double[]> Vertices(List<(double[] A, ConstraintSense Sense, double B)> rows, double[] lower, double[] upper)
    {
        // Every constraint as a plane a·x = b: the rows, and x_j = lower_j, x_j = upper_j.
        var planes = rows.Select(r => (r.A, r.B)).ToList();
        for (var j = 0; j < 3; j++)
        {
            var unit = new double[3];
            unit[j] = 1;
            planes.Add((unit, lower[j]));
            planes.Add((unit, upper[j]));
        }

        var vertices = new List<double[]>();
        for (var p = 0; p < planes.Count; p++)
        {
            for (var q = p + 1; q < planes.Count; q++)
            {
                for (var r = q + 1; r < planes.Count; r++)
                {
                    if (Solve3([planes[p].A, planes[q].A, planes[r].A], [planes[p].B, planes[q].B, planes[r].B]) is { } x && Satisfies(x, rows, lower, upper))
                    {
                        vertices.Add(x);
                    }
                }
            }
        }

        return vertices;
    }

    private static bool Satisfies(double[] x, List<(double[] A, ConstraintSense Sense, double B)> rows, double[] lower, double[] upper)
    {
        const double slack = 1e-9;
        for (var j = 0; j < 3; j++)
        {
            if (x[j] < lower[j] - slack || x[j] > upper[j] + slack)
            {
                return false;
            }
        }

        foreach (var (a, sense, b) in rows)
        {
            var lhs = (a[0] * x[0]) + (a[1] * x[1]) + (a[2] * x[2]);
            if (sense == ConstraintSense.Equal ? Math.Abs(lhs - b) > slack : lhs > b + slack)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Gaussian elimination with partial pivoting; null when singular.</summary>
    private static double[]? Solve3(double[][] a, double[] b)
    {
        var m = new double[3][];
        for (var i = 0; i < 3; i++)
        {
            m[i] = [a[i][0], a[i][1], a[i][2], b[i]];
        }

        for (var c = 0; c < 3; c++)
        {
            var pivot = c;
            for (var r = c + 1; r < 3; r++)
            {
                if (Math.Abs(m[r][c]) > Math.Abs(m[pivot][c]))
                {
                    pivot = r;
                }
            }

            if (Math.Abs(m[pivot][c]) < 1e-12)
            {
                return null;
            }

            (m[c], m[pivot]) = (m[pivot], m[c]);
            for (var r = 0; r < 3; r++)
            {
                if (r != c)
                {
                    var f = m[r][c] / m[c][c];
                    for (var k = c; k < 4; k++)
                    {
                        m[r][k] -= f * m[c][k];
                    }
                }
            }
        }

        return [m[0][3] / m[0][0], m[1][3] / m[1][1], m[2][3] / m[2][2]];
    }
}

namespace NremNet.Domain.Statistics.Disclosure;

/// <summary>The sense of a linear constraint.</summary>
internal enum ConstraintSense
{
    /// <summary>Left side at most the right side.</summary>
    LessOrEqual,

    /// <summary>Left side equals the right side.</summary>
    Equal,
}

/// <summary>
/// A small linear program over non-negative bounded variables, solved with a dense two-phase simplex (Dantzig pricing,
/// Bland's rule once pivots stall). Built for the disclosure audit: one feasibility phase, then many objectives — the
/// lowest and highest value of each variable — each started from the previous optimal basis, which stays feasible.
/// </summary>
internal sealed class LinearProgram
{
    private const double Epsilon = 1e-9;
    private const int StallLimit = 50;

    private readonly int _variables;
    private readonly double[] _lower;
    private readonly double[] _upper;
    private readonly List<(double[] Coefficients, ConstraintSense Sense, double Right)> _constraints = [];

    // The tableau after the feasibility phase: rows of [coefficients | right side], the basic column of each row.
    private double[][]? _rows;
    private int[]? _basis;
    private int _columns;
    private bool _feasible;

    public LinearProgram(int variables)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(variables);
        _variables = variables;
        _lower = new double[variables];
        _upper = new double[variables];
        Array.Fill(_upper, double.PositiveInfinity);
    }

    /// <summary>How many pivots all solves took, for tests and measurements.</summary>
    public long Pivots { get; private set; }

    /// <summary>Bounds a variable (both finite or the upper one infinite; the lower one at least 0).</summary>
    public void Bound(int variable, double lower, double upper)
    {
        if (lower < 0 || upper < lower)
        {
            throw new ArgumentOutOfRangeException(nameof(lower), $"Bounds [{lower}, {upper}] are not 0 <= lower <= upper.");
        }

        _lower[variable] = lower;
        _upper[variable] = upper;
        _rows = null;
    }

    /// <summary>Adds Σ coefficient·x (sense) right.</summary>
    public void Add(IEnumerable<(int Variable, double Coefficient)> terms, ConstraintSense sense, double right)
    {
        var coefficients = new double[_variables];
        foreach (var (variable, coefficient) in terms)
        {
            coefficients[variable] += coefficient;
        }

        _constraints.Add((coefficients, sense, right));
        _rows = null;
    }

    /// <summary>Whether any point satisfies every constraint and bound.</summary>
    public bool IsFeasible()
    {
        Prepare();
        return _feasible;
    }

    /// <summary>The highest value of a variable, +∞ when unbounded.</summary>
    /// <exception cref="InvalidOperationException">No point satisfies the constraints.</exception>
    public double Maximize(int variable) => _lower[variable] + Optimize(variable, 1.0);

    /// <summary>The lowest value of a variable.</summary>
    /// <exception cref="InvalidOperationException">No point satisfies the constraints.</exception>
    public double Minimize(int variable) => _lower[variable] - Optimize(variable, -1.0);

    private double Optimize(int variable, double direction)
    {
        Prepare();
        if (!_feasible)
        {
            throw new InvalidOperationException("The constraints have no solution.");
        }

        var rows = _rows!;
        var basis = _basis!;
        var m = rows.Length;
        var rhs = _columns;

        // Objective row in the form z - c·y = 0, priced out against the current basis.
        var objective = new double[_columns + 1];
        objective[variable] = -direction;
        for (var i = 0; i < m; i++)
        {
            var cost = objective[basis[i]];
            if (cost != 0)
            {
                var row = rows[i];
                for (var j = 0; j <= rhs; j++)
                {
                    objective[j] -= cost * row[j];
                }
            }
        }

        return Run(rows, basis, objective, _columns) ? objective[rhs] : double.PositiveInfinity;
    }

    /// <summary>Builds the tableau in standard form and finds a feasible basis (phase one).</summary>
    private void Prepare()
    {
        if (_rows is not null)
        {
            return;
        }

        // Shift every variable by its lower bound: x = lower + y, y >= 0; finite upper bounds become rows.
        var all = new List<(double[] Coefficients, ConstraintSense Sense, double Right)>(_constraints.Count + _variables);
        foreach (var (coefficients, sense, right) in _constraints)
        {
            var shifted = right;
            for (var j = 0; j < _variables; j++)
            {
                shifted -= coefficients[j] * _lower[j];
            }

            all.Add((coefficients, sense, shifted));
        }

        for (var j = 0; j < _variables; j++)
        {
            if (!double.IsPositiveInfinity(_upper[j]))
            {
                var unit = new double[_variables];
                unit[j] = 1;
                all.Add((unit, ConstraintSense.LessOrEqual, _upper[j] - _lower[j]));
            }
        }

        // Columns: variables, one slack per inequality, one artificial per row that needs one.
        var m = all.Count;
        var slacks = all.Count(c => c.Sense == ConstraintSense.LessOrEqual);
        var needsArtificial = all.Select(c => c.Sense == ConstraintSense.Equal || c.Right < 0).ToArray();
        var artificials = needsArtificial.Count(a => a);
        var columns = _variables + slacks + artificials;
        var firstArtificial = _variables + slacks;
        var rows = new double[m][];
        var basis = new int[m];
        var slack = _variables;
        var artificial = firstArtificial;
        for (var i = 0; i < m; i++)
        {
            var (coefficients, sense, right) = all[i];
            var row = new double[columns + 1];
            Array.Copy(coefficients, row, _variables);
            var slackColumn = -1;
            if (sense == ConstraintSense.LessOrEqual)
            {
                slackColumn = slack++;
                row[slackColumn] = 1;
            }

            row[columns] = right;
            if (right < 0)
            {
                for (var j = 0; j <= columns; j++)
                {
                    row[j] = -row[j];
                }
            }

            if (needsArtificial[i])
            {
                row[artificial] = 1;
                basis[i] = artificial++;
            }
            else
            {
                basis[i] = slackColumn;
            }

            rows[i] = row;
        }

        // Phase one: drive the artificials to zero (maximise -Σ artificials).
        var phaseOne = new double[columns + 1];
        for (var i = 0; i < m; i++)
        {
            if (basis[i] >= firstArtificial)
            {
                var row = rows[i];
                for (var j = 0; j <= columns; j++)
                {
                    phaseOne[j] -= row[j];
                }
            }
        }

        for (var j = firstArtificial; j < columns; j++)
        {
            phaseOne[j] = 0;
        }

        Run(rows, basis, phaseOne, columns);
        _feasible = phaseOne[columns] >= -1e-7 * Math.Max(1, Scale(all));

        // Pivot the artificials left in the basis (at zero) out, or drop their rows when redundant.
        var kept = new List<int>(m);
        for (var i = 0; i < m; i++)
        {
            if (basis[i] >= firstArtificial)
            {
                var row = rows[i];
                var entering = -1;
                for (var j = 0; j < firstArtificial; j++)
                {
                    if (Math.Abs(row[j]) > Epsilon)
                    {
                        entering = j;
                        break;
                    }
                }

                if (entering < 0)
                {
                    continue;
                }

                Pivot(rows, basis, null, i, entering, columns);
            }

            kept.Add(i);
        }

        // Drop the artificial columns: keep [variables | slacks | right side].
        _columns = firstArtificial;
        _rows = kept.Select(i =>
        {
            var row = new double[_columns + 1];
            Array.Copy(rows[i], row, _columns);
            row[_columns] = rows[i][columns];
            return row;
        }).ToArray();
        _basis = kept.Select(i => basis[i]).ToArray();
    }

    private static double Scale(List<(double[] Coefficients, ConstraintSense Sense, double Right)> constraints) =>
        constraints.Count == 0 ? 1 : constraints.Max(c => Math.Abs(c.Right));

    /// <summary>Maximises the objective row in place; false when it is unbounded.</summary>
    private bool Run(double[][] rows, int[] basis, double[] objective, int columns)
    {
        var stalled = 0;
        while (true)
        {
            // Entering column: most negative reduced cost, or the first negative one (Bland) once stalled.
            var entering = -1;
            var best = -Epsilon;
            for (var j = 0; j < columns; j++)
            {
                if (objective[j] < best)
                {
                    entering = j;
                    if (stalled > StallLimit)
                    {
                        break;
                    }

                    best = objective[j];
                }
            }

            if (entering < 0)
            {
                return true;
            }

            // Leaving row: minimum ratio; ties go to the lowest basic column (Bland).
            var leaving = -1;
            var ratio = double.PositiveInfinity;
            for (var i = 0; i < rows.Length; i++)
            {
                var a = rows[i][entering];
                if (a > Epsilon)
                {
                    var r = rows[i][columns] / a;
                    if (r < ratio - Epsilon || (r <= ratio + Epsilon && leaving >= 0 && basis[i] < basis[leaving]))
                    {
                        ratio = r;
                        leaving = i;
                    }
                }
            }

            if (leaving < 0)
            {
                return false;
            }

            stalled = ratio <= Epsilon ? stalled + 1 : 0;
            Pivot(rows, basis, objective, leaving, entering, columns);
        }
    }

    private void Pivot(double[][] rows, int[] basis, double[]? objective, int pivotRow, int pivotColumn, int columns)
    {
        Pivots++;
        var pivot = rows[pivotRow];
        var scale = 1.0 / pivot[pivotColumn];
        for (var j = 0; j <= columns; j++)
        {
            pivot[j] *= scale;
        }

        pivot[pivotColumn] = 1;
        for (var i = 0; i < rows.Length; i++)
        {
            if (i != pivotRow)
            {
                Eliminate(rows[i], pivot, pivotColumn, columns);
            }
        }

        if (objective is not null)
        {
            Eliminate(objective, pivot, pivotColumn, columns);
        }

        basis[pivotRow] = pivotColumn;
    }

    private static void Eliminate(double[] row, double[] pivot, int pivotColumn, int columns)
    {
        var factor = row[pivotColumn];
        if (factor == 0)
        {
            return;
        }

        for (var j = 0; j <= columns; j++)
        {
            row[j] -= factor * pivot[j];
        }

        row[pivotColumn] = 0;
    }
}

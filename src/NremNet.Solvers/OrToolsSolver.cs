using Google.OrTools.LinearSolver;
using Google.OrTools.Sat;
using NremNet.Domain.Statistics.Disclosure;

namespace NremNet.Solvers;

/// <summary>
/// <see cref="IIntegerSolver"/> on Google OR-Tools, built for the disclosure audit's programs — sums over tables, whose
/// linear optima are very often whole numbers. A question is answered by GLOP's linear programs first, kept between
/// questions so each starts from the last basis; a whole-number linear optimum is the integer optimum too. Only when
/// real numbers mislead does a branch-and-bound search (CBC), then CP-SAT, work in whole numbers. Everything runs
/// single-threaded, and CP-SAT stops on a deterministic effort limit (its "deterministic time", not the clock), so the
/// same program always gets the same answer on any machine and under any load: protection stored once per import must
/// not depend on how busy the node was.
/// </summary>
public sealed class OrToolsSolver : IIntegerSolver
{
    /// <summary>The default CP-SAT effort per integer solve, in deterministic time units.</summary>
    public const double DefaultEffort = 2.0;

    private long _linearAnswers;
    private long _integerAnswers;

    /// <summary>A solver that gives CP-SAT <paramref name="effort"/> deterministic time units per integer solve.</summary>
    public OrToolsSolver(double effort = DefaultEffort)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(effort);
        Parameters = FormattableString.Invariant($"num_workers:1,random_seed:7,max_deterministic_time:{effort},log_search_progress:false");
    }

    /// <summary>How many questions linear programs answered.</summary>
    public long LinearAnswers => Interlocked.Read(ref _linearAnswers);

    /// <summary>How many questions needed a search in whole numbers.</summary>
    public long IntegerAnswers => Interlocked.Read(ref _integerAnswers);

    internal string Parameters { get; }

    /// <inheritdoc />
    public IProgramSession Open(IntegerProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        return new OrToolsSession(this, program);
    }

    internal void Counted(bool linear)
    {
        if (linear)
        {
            Interlocked.Increment(ref _linearAnswers);
        }
        else
        {
            Interlocked.Increment(ref _integerAnswers);
        }
    }
}

/// <summary>One program's linear models (kept for warm starts) and its whole-number searches.</summary>
internal sealed class OrToolsSession(OrToolsSolver owner, IntegerProgram program) : IProgramSession
{
    private const double Integral = 1e-7;
    private const long Unbounded = long.MaxValue / 16;
    private const int MaxStretch = 4;
    private const long BranchAndBoundGuardMilliseconds = 30_000;

    private LinearModel? _nearest;
    private LinearModel? _optimum;

    public SolveResult Optimize(int variable, bool maximize)
    {
        Check(variable);
        _optimum ??= new LinearModel(program, nearest: false);
        var relaxed = _optimum.Optimize(variable, maximize);
        if (relaxed is null && !_optimum.Failed)
        {
            owner.Counted(linear: true);
            return new SolveResult(SolveStatus.Infeasible, 0, null);
        }

        if (relaxed is not null && Whole(relaxed) is { } values)
        {
            owner.Counted(linear: true);
            return new SolveResult(SolveStatus.Optimal, values[variable], values);
        }

        owner.Counted(linear: false);
        return SolveInteger(variable, maximize, null);
    }

    public SolveResult Find(int variable, long lower, long upper)
    {
        Check(variable);
        _nearest ??= new LinearModel(program, nearest: true);
        var nearest = _nearest.Nearest(variable, lower, upper);
        if (nearest is null && !_nearest.Failed)
        {
            owner.Counted(linear: true);
            return new SolveResult(SolveStatus.Infeasible, 0, null);
        }

        // Real numbers failed numerically: straight to the search in whole numbers.
        nearest ??= Array.ConvertAll(program.Hint.ToArray(), v => (double)v);
        if (Whole(nearest) is { } whole && whole[variable] >= lower && whole[variable] <= upper)
        {
            owner.Counted(linear: true);
            return new SolveResult(SolveStatus.Optimal, 0, whole);
        }

        // The way from the hint to the nearest real solution, stretched until its steps are whole, is sometimes one.
        for (var stretch = 2; stretch <= MaxStretch; stretch++)
        {
            var candidate = new long[nearest.Length];
            for (var v = 0; v < candidate.Length; v++)
            {
                candidate[v] = program.Hint[v] + (long)Math.Round(stretch * (nearest[v] - program.Hint[v]));
            }

            if (candidate[variable] >= lower && candidate[variable] <= upper && program.IsSolution(candidate))
            {
                owner.Counted(linear: true);
                return new SolveResult(SolveStatus.Feasible, 0, candidate);
            }
        }

        owner.Counted(linear: false);
        return SolveBranchAndBound(variable, lower, upper) is { } searched
            ? new SolveResult(SolveStatus.Feasible, 0, searched)
            : SolveInteger(variable, maximize: false, (lower, upper));
    }

    public IReadOnlyList<double>? Relax(int variable, bool maximize, VariableRange? restrict = null)
    {
        Check(variable);
        _optimum ??= new LinearModel(program, nearest: false);
        if (restrict is not { } range)
        {
            return _optimum.Optimize(variable, maximize);
        }

        Check(range.Variable);
        return _optimum.Within(range.Variable, range.Lower, range.Upper, () => _optimum.Optimize(variable, maximize));
    }

    public void Dispose()
    {
        _nearest?.Dispose();
        _optimum?.Dispose();
    }

    private void Check(int variable)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(variable);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(variable, program.VariableCount);
    }

    private long[]? Whole(double[] relaxed)
    {
        if (!Array.TrueForAll(relaxed, v => Math.Abs(v - Math.Round(v)) < Integral))
        {
            return null;
        }

        var values = Array.ConvertAll(relaxed, v => (long)Math.Round(v));
        return program.IsSolution(values) ? values : null;
    }

    /// <summary>
    /// Any whole solution CBC finds with the variable in range, or null. CBC has no deterministic effort limit; a
    /// guard of wall time stops a search that runs away (never seen on the audit's programs), and CP-SAT, which has
    /// one, decides then.
    /// </summary>
    private long[]? SolveBranchAndBound(int variable, long lower, long upper)
    {
        using var solver = Solver.CreateSolver("CBC") ?? throw new InvalidOperationException("OR-Tools has no CBC solver in this build.");
        var variables = LinearModel.Build(solver, program, integer: true);
        variables[variable].SetBounds(Math.Max(lower, program.Bounds[variable].Lower), Math.Min(upper, program.Bounds[variable].Upper));
        solver.Objective().SetMinimization();
        solver.SetTimeLimit(BranchAndBoundGuardMilliseconds);
        if (solver.Solve() is not (Solver.ResultStatus.OPTIMAL or Solver.ResultStatus.FEASIBLE))
        {
            return null;
        }

        var values = Array.ConvertAll(variables, v => (long)Math.Round(v.SolutionValue()));
        return program.IsSolution(values) && values[variable] >= lower && values[variable] <= upper ? values : null;
    }

    private SolveResult SolveInteger(int variable, bool maximize, (long Lower, long Upper)? range)
    {
        var model = new CpModel();
        var variables = new IntVar[program.VariableCount];
        for (var v = 0; v < variables.Length; v++)
        {
            var (lower, upper) = program.Bounds[v];
            if (v == variable && range is { } r)
            {
                (lower, upper) = (Math.Max(lower, r.Lower), Math.Min(upper, r.Upper));
                if (lower > upper)
                {
                    return new SolveResult(SolveStatus.Infeasible, 0, null);
                }
            }

            variables[v] = model.NewIntVar(lower, upper, string.Empty);
            model.AddHint(variables[v], program.Hint[v]);
        }

        foreach (var constraint in program.Constraints)
        {
            var terms = new IntVar[constraint.Terms.Count];
            var coefficients = new long[terms.Length];
            for (var t = 0; t < terms.Length; t++)
            {
                terms[t] = variables[constraint.Terms[t].Variable];
                coefficients[t] = constraint.Terms[t].Coefficient;
            }

            model.AddLinearConstraint(Google.OrTools.Sat.LinearExpr.WeightedSum(terms, coefficients), constraint.Lower, constraint.Upper);
        }

        if (range is null && maximize)
        {
            model.Maximize(variables[variable]);
        }
        else if (range is null)
        {
            model.Minimize(variables[variable]);
        }

        var solver = new CpSolver { StringParameters = owner.Parameters };
        var status = solver.Solve(model);
        var result = status switch
        {
            CpSolverStatus.Optimal => SolveStatus.Optimal,
            CpSolverStatus.Feasible => SolveStatus.Feasible,
            CpSolverStatus.Infeasible => SolveStatus.Infeasible,
            CpSolverStatus.ModelInvalid => throw new InvalidOperationException("CP-SAT found a disclosure program invalid: " + model.Validate()),
            _ => SolveStatus.Unknown,
        };
        if (result is not (SolveStatus.Optimal or SolveStatus.Feasible))
        {
            return new SolveResult(result, 0, null);
        }

        var values = new long[variables.Length];
        for (var v = 0; v < values.Length; v++)
        {
            values[v] = solver.Value(variables[v]);
        }

        return new SolveResult(result, range is null ? (long)Math.Round(solver.BestObjectiveBound) : 0, values);
    }

    /// <summary>A GLOP model of the program, kept so that each question starts from the previous basis.</summary>
    private sealed class LinearModel : IDisposable
    {
        private readonly Solver _solver;
        private readonly Variable[] _variables;
        private readonly IntegerProgram _program;
        private int _objective = -1;

        public LinearModel(IntegerProgram program, bool nearest)
        {
            _program = program;
            _solver = Solver.CreateSolver("GLOP") ?? throw new InvalidOperationException("OR-Tools has no GLOP solver in this build.");

            // Questions change one variable's bounds between solves: the dual simplex restarts from the last basis.
            _solver.SetSolverSpecificParametersAsString("use_dual_simplex:true");
            _variables = Build(_solver, program, integer: false);

            if (!nearest)
            {
                return;
            }

            // value - above + below = hint, with above, below ≥ 0: their sum is |value - hint| at the optimum.
            var objective = _solver.Objective();
            for (var v = 0; v < _variables.Length; v++)
            {
                var above = _solver.MakeNumVar(0, double.PositiveInfinity, string.Empty);
                var below = _solver.MakeNumVar(0, double.PositiveInfinity, string.Empty);
                var row = _solver.MakeConstraint(program.Hint[v], program.Hint[v]);
                row.SetCoefficient(_variables[v], 1);
                row.SetCoefficient(above, -1);
                row.SetCoefficient(below, 1);
                objective.SetCoefficient(above, 1);
                objective.SetCoefficient(below, 1);
            }

            objective.SetMinimization();
        }

        public static Variable[] Build(Solver solver, IntegerProgram program, bool integer)
        {
            var variables = new Variable[program.VariableCount];
            for (var v = 0; v < variables.Length; v++)
            {
                var (lower, upper) = program.Bounds[v];
                variables[v] = integer ? solver.MakeIntVar(lower, upper, string.Empty) : solver.MakeNumVar(lower, upper, string.Empty);
            }

            var coefficients = new Dictionary<int, long>();
            foreach (var constraint in program.Constraints)
            {
                var row = solver.MakeConstraint(
                    constraint.Lower <= -Unbounded ? double.NegativeInfinity : constraint.Lower,
                    constraint.Upper >= Unbounded ? double.PositiveInfinity : constraint.Upper);
                coefficients.Clear();
                foreach (var term in constraint.Terms)
                {
                    coefficients[term.Variable] = coefficients.GetValueOrDefault(term.Variable) + term.Coefficient;
                }

                foreach (var (variable, coefficient) in coefficients)
                {
                    row.SetCoefficient(variables[variable], coefficient);
                }
            }

            return variables;
        }

        /// <summary>The real solution closest to the hint with the variable in range, or null.</summary>
        public double[]? Nearest(int variable, long lower, long upper) => Within(variable, lower, upper, Solve);

        /// <summary>Answers <paramref name="question"/> with one variable kept within a range.</summary>
        public double[]? Within(int variable, long lower, long upper, Func<double[]?> question)
        {
            var (own, ownUpper) = _program.Bounds[variable];
            var narrowed = (Math.Max(lower, own), Math.Min(upper, ownUpper));
            if (narrowed.Item1 > narrowed.Item2)
            {
                Failed = false;
                return null;
            }

            _variables[variable].SetBounds(narrowed.Item1, narrowed.Item2);
            try
            {
                return question();
            }
            finally
            {
                _variables[variable].SetBounds(own, ownUpper);
            }
        }

        /// <summary>The real optimum of one variable, or null when there is no solution.</summary>
        public double[]? Optimize(int variable, bool maximize)
        {
            var objective = _solver.Objective();
            if (_objective >= 0)
            {
                objective.SetCoefficient(_variables[_objective], 0);
            }

            objective.SetCoefficient(_variables[variable], 1);
            _objective = variable;
            objective.SetOptimizationDirection(maximize);
            return Solve();
        }

        public void Dispose() => _solver.Dispose();

        /// <summary>Whether the last solve failed numerically (neither optimal nor proven infeasible).</summary>
        public bool Failed { get; private set; }

        private double[]? Solve()
        {
            var status = _solver.Solve();
            Failed = status is not (Solver.ResultStatus.OPTIMAL or Solver.ResultStatus.INFEASIBLE);
            return status == Solver.ResultStatus.OPTIMAL ? Array.ConvertAll(_variables, v => v.SolutionValue()) : null;
        }
    }
}

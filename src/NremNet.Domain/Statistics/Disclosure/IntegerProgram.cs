namespace NremNet.Domain.Statistics.Disclosure;

/// <summary>One term of a linear expression: a coefficient times a variable.</summary>
/// <param name="Variable">The variable's index in its program.</param>
/// <param name="Coefficient">Its whole-number coefficient.</param>
public readonly record struct LinearTerm(int Variable, long Coefficient);

/// <summary>A linear constraint: <c>Lower ≤ Σ coefficient·variable ≤ Upper</c>.</summary>
/// <param name="Terms">The terms.</param>
/// <param name="Lower">The lowest value of the sum.</param>
/// <param name="Upper">The highest value of the sum.</param>
public sealed record LinearConstraint(IReadOnlyList<LinearTerm> Terms, long Lower, long Upper);

/// <summary>
/// A program over whole-number variables, each within an interval, with linear constraints: what an attacker writes
/// from everything a node releases, and what the node's audit solves before anything is released.
/// </summary>
public sealed class IntegerProgram
{
    private readonly List<(long Lower, long Upper)> _bounds = [];
    private readonly List<LinearConstraint> _constraints = [];
    private readonly List<long> _hint = [];

    /// <summary>The bounds of each variable, by index.</summary>
    public IReadOnlyList<(long Lower, long Upper)> Bounds => _bounds;

    /// <summary>The constraints.</summary>
    public IReadOnlyList<LinearConstraint> Constraints => _constraints;

    /// <summary>A known solution, one value per variable, that a solver may start from (every value given).</summary>
    public IReadOnlyList<long> Hint => _hint;

    /// <summary>How many variables it has.</summary>
    public int VariableCount => _bounds.Count;

    /// <summary>Adds a variable within [<paramref name="lower"/>, <paramref name="upper"/>].</summary>
    /// <param name="lower">Its lowest value.</param>
    /// <param name="upper">Its highest value.</param>
    /// <param name="hint">Its value in a known solution.</param>
    /// <returns>Its index.</returns>
    public int AddVariable(long lower, long upper, long hint)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lower, upper);
        _bounds.Add((lower, upper));
        _hint.Add(hint);
        return _bounds.Count - 1;
    }

    /// <summary>Whether <paramref name="values"/> (one per variable) is a solution: every bound and constraint holds.</summary>
    public bool IsSolution(IReadOnlyList<long> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != _bounds.Count)
        {
            return false;
        }

        for (var v = 0; v < values.Count; v++)
        {
            if (values[v] < _bounds[v].Lower || values[v] > _bounds[v].Upper)
            {
                return false;
            }
        }

        foreach (var constraint in _constraints)
        {
            long sum = 0;
            foreach (var term in constraint.Terms)
            {
                sum += term.Coefficient * values[term.Variable];
            }

            if (sum < constraint.Lower || sum > constraint.Upper)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A copy with one more constraint, <c>lower ≤ Σ terms ≤ upper</c>.</summary>
    public IntegerProgram With(IReadOnlyList<LinearTerm> terms, long lower, long upper)
    {
        var copy = new IntegerProgram();
        copy._bounds.AddRange(_bounds);
        copy._hint.AddRange(_hint);
        copy._constraints.AddRange(_constraints);
        copy.Add(terms, lower, upper);
        return copy;
    }

    /// <summary>Adds <c>lower ≤ Σ terms ≤ upper</c>.</summary>
    public void Add(IReadOnlyList<LinearTerm> terms, long lower, long upper)
    {
        ArgumentNullException.ThrowIfNull(terms);
        foreach (var term in terms)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(term.Variable);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(term.Variable, _bounds.Count);
        }

        _constraints.Add(new LinearConstraint(terms, lower, upper));
    }
}

/// <summary>A variable kept within [Lower, Upper] for one question.</summary>
/// <param name="Variable">The variable.</param>
/// <param name="Lower">Its lowest value.</param>
/// <param name="Upper">Its highest value.</param>
public readonly record struct VariableRange(int Variable, long Lower, long Upper);

/// <summary>How a solve ended.</summary>
public enum SolveStatus
{
    /// <summary>The optimum was found and proven.</summary>
    Optimal,

    /// <summary>A solution was found; the effort limit came before a proof of optimality.</summary>
    Feasible,

    /// <summary>No solution exists.</summary>
    Infeasible,

    /// <summary>Nothing was found or proven within the effort limit.</summary>
    Unknown,
}

/// <summary>The outcome of optimising one variable.</summary>
/// <param name="Status">How the solve ended.</param>
/// <param name="Bound">The proven bound on the objective (upper when maximising, lower when minimising); meaningful when optimal or feasible.</param>
/// <param name="Values">The best solution found (one value per variable), or null when none was.</param>
public sealed record SolveResult(SolveStatus Status, long Bound, IReadOnlyList<long>? Values);

/// <summary>
/// Solves <see cref="IntegerProgram"/>s over whole numbers. The disclosure audit needs nothing else from a solver, so
/// the domain stays free of any particular one. Answers must be deterministic (same program, same answer), so that
/// protection computed twice is the same.
/// </summary>
public interface IIntegerSolver
{
    /// <summary>Opens a program to ask several questions of it; the program must not change while it is open.</summary>
    IProgramSession Open(IntegerProgram program);
}

/// <summary>Questions about one <see cref="IntegerProgram"/>, answered faster together than one by one.</summary>
public interface IProgramSession : IDisposable
{
    /// <summary>The lowest or highest value <paramref name="variable"/> can take in a whole-number solution.</summary>
    SolveResult Optimize(int variable, bool maximize);

    /// <summary>
    /// A whole-number solution with <paramref name="variable"/> in [<paramref name="lower"/>, <paramref name="upper"/>],
    /// preferably close to the program's hint; none when it is infeasible (or not found within the effort limit).
    /// </summary>
    SolveResult Find(int variable, long lower, long upper);

    /// <summary>
    /// The optimum of the linear relaxation (variables allowed to be fractional), one value per variable, or null when
    /// even that has no solution or it could not be solved. Cheap: a guide for where to look, never a proof.
    /// </summary>
    /// <param name="variable">The variable to optimise.</param>
    /// <param name="maximize">Whether to maximise it (else minimise).</param>
    /// <param name="restrict">For this question only, one variable kept within a range.</param>
    IReadOnlyList<double>? Relax(int variable, bool maximize, VariableRange? restrict = null);
}

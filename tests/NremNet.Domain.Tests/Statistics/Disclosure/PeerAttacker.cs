using System.Diagnostics;
using System.Globalization;
using Google.OrTools.LinearSolver;
using Google.OrTools.Sat;
using NremNet.Domain.Statistics;
using NremNet.Domain.Statistics.Disclosure;

namespace NremNet.Domain.Tests.Statistics.Disclosure;

/// <summary>
/// What a peer receives for one cell of the release set: the flag always, the value only when the cell is released and
/// known (a published cell missing at the source comes as F without a value), and whether the indicator was counted
/// from case records (the answer's policy says so).
/// </summary>
internal sealed record PeerCell(string Indicator, CellCodes Codes, ConfidentialityStatus Status, long? Value, bool FromCaseRecords)
{
    public bool IsWithheld => Status != ConfidentialityStatus.Free;

    public override string ToString() => $"{Indicator} {Codes} ({Status.Code()}{(Value is { } v ? FormattableString.Invariant($" {v}") : string.Empty)})";

    /// <summary>The peer's view of a protected year: every cell with its flag, values of released cells only.</summary>
    public static List<PeerCell> View(IReadOnlyList<StatisticsCell> cells, IReadOnlyList<ConfidentialityStatus> status) =>
        [.. cells.Select((c, i) => new PeerCell(
            c.Indicator,
            c.Cell,
            status[i],
            status[i] == ConfidentialityStatus.Free && c.Status is not (ObservationStatus.Missing or ObservationStatus.Withheld) ? c.Value : null,
            c.FromCaseRecords))];
}

/// <summary>One unit (person) an indicator counts, with its codes on each of the indicator's dimensions, in catalogue order.</summary>
internal sealed record PeerUnit(string Indicator, IReadOnlyList<IReadOnlyList<string>> Codes);

/// <summary>A relation the peer writes from the published catalogue: Σ coefficient·cell (= or ≤) 0.</summary>
internal sealed record PeerRelation(int[] Cells, int[] Coefficients, bool IsEquality, string Why)
{
    public long Evaluate(Func<int, long> value)
    {
        long sum = 0;
        for (var i = 0; i < Cells.Length; i++)
        {
            sum += Coefficients[i] * value(Cells[i]);
        }

        return sum;
    }

    public bool HoldsFor(Func<int, long> value)
    {
        var sum = Evaluate(value);
        return IsEquality ? sum == 0 : sum <= 0;
    }
}

/// <summary>A linear constraint of the peer's integer program over the joint tables: Lower ≤ Σ coefficient·variable ≤ Upper.</summary>
internal sealed record PeerConstraint(int[] Variables, long[] Coefficients, long Lower, long Upper, string Why)
{
    public bool HoldsFor(long[] values)
    {
        long sum = 0;
        for (var t = 0; t < Variables.Length; t++)
        {
            sum += Coefficients[t] * values[Variables[t]];
        }

        return sum >= Lower && sum <= Upper;
    }
}

/// <summary>The whole numbers a peer cannot rule out for a withheld cell: [Lower, Upper].</summary>
internal readonly record struct PeerInterval(long Lower, long Upper)
{
    /// <summary>How many whole numbers remain possible.</summary>
    public long Count => Upper - Lower + 1;

    /// <summary>Whether exactly one value remains.</summary>
    public bool IsPinned => Lower == Upper;

    /// <summary>How many of the possible values lie in [1, k-1].</summary>
    public long SmallValues(int threshold) => Math.Max(0, Math.Min(Upper, threshold - 1) - Math.Max(Lower, 1) + 1);

    public bool Contains(long value) => value >= Lower && value <= Upper;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"[{Lower}, {(Upper >= PeerAttacker.Cap ? "inf" : Upper.ToString(CultureInfo.InvariantCulture))}]");
}

/// <summary>What the integer attack found: per withheld cell, the interval the peer proves and the one its solutions show.</summary>
/// <param name="Bounds">Per withheld cell (index into the view), the integer interval the peer can prove: the flag's own range, narrowed to the relaxation's bounds rounded inwards where the solutions left the cell unsettled, and to the integer optimum (or CP-SAT's proven bound) where a cell was solved exactly. The true interval lies inside.</param>
/// <param name="Witnessed">Per withheld cell, the lowest and highest value seen in whole-number solutions of the peer's program: values proven possible. The true interval contains it.</param>
/// <param name="Variables">Joint-table variables left after released zeros ruled combinations out.</param>
/// <param name="Constraints">Constraints of the program.</param>
/// <param name="LinearSolves">Linear relaxations solved: a minimum or maximum of one cell each.</param>
/// <param name="IntegerSolves">CP-SAT solves in whole numbers.</param>
/// <param name="Unproven">Solves that stopped at the effort limit before proving optimality.</param>
/// <param name="RelaxationTime">Time until the linear relaxations were done (the first, spreading whole-number solutions included).</param>
/// <param name="Elapsed">Time taken in all.</param>
internal sealed record PeerAttack(Dictionary<int, PeerInterval> Bounds, Dictionary<int, PeerInterval> Witnessed, int Variables, int Constraints, int LinearSolves, int IntegerSolves, int Unproven, TimeSpan RelaxationTime, TimeSpan Elapsed);

/// <summary>
/// An adversary written independently of the node's audit — it uses neither <c>YearModel</c>, <c>SuppressionSearch</c>,
/// <c>CellRelations</c> nor <c>OrToolsSolver</c>, and states its programs to CP-SAT itself. It knows the public catalogue
/// and sees only what a peer can obtain: every cell of a year's release set (every indicator, total, one- and
/// two-dimensional breakdown) with its flag F, C or D, and the value of the released cells. Code subsets, year ranges
/// and repeats only select from that set, so this view is everything they can give.
/// <para>
/// (a) Differencing: a relation of the catalogue with a single withheld cell left gives it away.
/// </para>
/// <para>
/// (b) One integer program per year over the joint tables: per indicator, a whole-number variable for every combination
/// of codes over all of its dimensions at once that the catalogue allows — for a multi-valued dimension every set of
/// codes a unit may carry (any non-empty set of at most <see cref="CatalogueDimension.MaxCodesPerUnit"/> known codes, or
/// the exclusive unknown code alone); so for registered victims SEX × AGE × CITIZEN_GRP × (2^7 - 1 + 1 sets of forms) ×
/// ID_STATUS, and for referrals every set of up to three partner countries. No restriction that only the data could
/// justify: the catalogue is all the peer knows. Every released cell is the sum of the joint cells it covers; a C
/// cell's sum lies in [1, k-1], a D cell's is any count; each subpopulation counted from the case records (assisted,
/// permit, referred) lies within the registered victims with the same codes on the dimensions both have (for
/// referrals, which share none: in all). Published tables are read the same way, as margins of one table of the persons
/// counted — stronger than relations between the tables, and true whenever the tables add up. Combinations covered by a
/// released zero are zero and left out (before sets of codes are formed, so the partner sets stay few) — a deduction
/// the peer is entitled to, and what keeps the program small; so is a dimension no cell breaks down. Then, for every
/// withheld cell, the lowest and highest whole number it can take (<see cref="Attack"/>). Like the flags' promise, this
/// counts the whole numbers between the two: a gap inside the interval, were there one, is not looked for.
/// </para>
/// </summary>
internal sealed class PeerAttacker
{
    /// <summary>The largest count of one joint cell the peer considers; far above any register (it only keeps domains finite).</summary>
    public const long Cap = 1_000_000;

    /// <summary>The single code set of a dimension no cell breaks down.</summary>
    private const int Unobserved = -1;

    /// <summary>Most joint combinations of one indicator the peer will enumerate.</summary>
    private const int MaxCombinations = 1_000_000;

    /// <summary>Pairs of solutions that spread every withheld cell, before the relaxation.</summary>
    private const int SpreadRounds = 2;

    /// <summary>Solutions that push many cells at once, before cells are settled one by one.</summary>
    private const int BatchRounds = 6;

    // One worker, a fixed seed and a deterministic effort limit: the same view always gets the same answer. Presolve
    // off: on these programs it costs more than the search it saves. A batch solution only needs to be good; an exact
    // solve needs its optimum proven.
    private const string BatchParameters = "num_workers:1,random_seed:11,max_deterministic_time:4,cp_model_presolve:false,symmetry_level:0,log_search_progress:false";
    private const string ExactParameters = "num_workers:1,random_seed:11,max_deterministic_time:20,cp_model_presolve:false,symmetry_level:0,log_search_progress:false";

    private readonly IReadOnlyList<PeerCell> _view;
    private readonly int _threshold;
    private readonly Dictionary<(string Indicator, string Key), int> _index = [];
    private readonly Dictionary<string, Block> _blocks = new(StringComparer.Ordinal);
    private readonly List<long> _upper = [];
    private readonly int[][] _cover;
    private readonly List<PeerConstraint> _constraints = [];

    /// <summary>Writes the peer's relations and integer program for one year's view.</summary>
    public PeerAttacker(IReadOnlyList<PeerCell> view, int threshold)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 2);
        _view = view;
        _threshold = threshold;
        for (var i = 0; i < view.Count; i++)
        {
            _index[(view[i].Indicator, view[i].Codes.Key)] = i;
        }

        _cover = new int[view.Count][];
        Array.Fill(_cover, Array.Empty<int>());
        foreach (var group in Enumerable.Range(0, view.Count).GroupBy(i => view[i].Indicator, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            // Public data (the population) is released as published, relates to no protected cell and tells the peer
            // nothing about one: it takes no part in the program.
            if (!IsPublic(group.Key))
            {
                AddBlock(group.Key, [.. group]);
            }
        }

        AddCellConstraints();
        AddSubpopulations();
        Relations = WriteRelations(view);
    }

    /// <summary>Every relation the peer can write between the cells of the year from the catalogue alone.</summary>
    public IReadOnlyList<PeerRelation> Relations { get; }

    /// <summary>The integer program's constraints.</summary>
    public IReadOnlyList<PeerConstraint> Constraints => _constraints;

    /// <summary>How many joint-table variables the program has.</summary>
    public int VariableCount => _upper.Count;

    /// <summary>
    /// Whether the true units fit the peer's program — each in a combination it allows, and every constraint holding:
    /// the program is sound, so the intervals it gives hold the truth. Returns what does not hold.
    /// </summary>
    public List<string> Violations(IEnumerable<PeerUnit> units)
    {
        ArgumentNullException.ThrowIfNull(units);
        var values = new long[_upper.Count];
        var problems = new List<string>();
        foreach (var unit in units)
        {
            if (!_blocks.TryGetValue(unit.Indicator, out var block))
            {
                continue;
            }

            var codes = unit.Codes.Select((c, d) => block.Observed[d] ? c.Select(block.Dimensions[d].IndexOf).Order().ToArray() : [Unobserved]).ToArray();
            if (block.VariableOf.TryGetValue(Key(codes), out var variable))
            {
                values[variable]++;
            }
            else
            {
                problems.Add($"{unit.Indicator} unit {string.Join(" | ", unit.Codes.Select(c => string.Join(',', c)))} falls in a combination the program rules out");
            }
        }

        for (var v = 0; v < values.Length; v++)
        {
            if (values[v] > _upper[v])
            {
                problems.Add($"variable {v} is {values[v]}, above its bound {_upper[v]}");
            }
        }

        problems.AddRange(_constraints.Where(c => !c.HoldsFor(values)).Select(c => c.Why));
        return problems;
    }

    /// <summary>
    /// (a) Differencing: whenever a relation has a single withheld cell left, solve it (an equality gives its value, an
    /// inequality that caps it at 0 gives 0); repeat with what was learned until nothing more comes out.
    /// </summary>
    public Dictionary<int, long> Difference()
    {
        var known = new Dictionary<int, long>();
        for (var i = 0; i < _view.Count; i++)
        {
            if (_view[i].Value is { } v)
            {
                known[i] = v;
            }
        }

        var recovered = new Dictionary<int, long>();
        var progress = true;
        while (progress)
        {
            progress = false;
            foreach (var relation in Relations)
            {
                var unknown = -1;
                var unknownCount = 0;
                var unknownCoefficient = 0;
                long rest = 0;
                for (var t = 0; t < relation.Cells.Length; t++)
                {
                    if (known.TryGetValue(relation.Cells[t], out var v))
                    {
                        rest += relation.Coefficients[t] * v;
                    }
                    else
                    {
                        unknown = relation.Cells[t];
                        unknownCoefficient = relation.Coefficients[t];
                        unknownCount++;
                    }
                }

                if (unknownCount != 1 || !_view[unknown].IsWithheld)
                {
                    continue;
                }

                // coefficient·x + rest (= or ≤) 0
                long? value = null;
                if (relation.IsEquality && -rest % unknownCoefficient == 0)
                {
                    value = -rest / unknownCoefficient;
                }
                else if (!relation.IsEquality && unknownCoefficient > 0 && rest >= 0)
                {
                    value = 0;
                }

                if (value is { } solved)
                {
                    known[unknown] = solved;
                    recovered[unknown] = solved;
                    progress = true;
                }
            }
        }

        return recovered;
    }

    /// <summary>Whether an interval keeps the flag's promise (<see cref="DisclosureControl.FlagPromise"/>): a C cell at least min(3, k-1) values in [1, k-1], a D cell at least k values, and neither pinned.</summary>
    public static bool Keeps(PeerInterval interval, ConfidentialityStatus status, int threshold) =>
        !interval.IsPinned && (status == ConfidentialityStatus.Primary ? interval.SmallValues(threshold) >= Math.Min(3, threshold - 1) : interval.Count >= threshold);

    /// <summary>
    /// (b) The integer attack: for every withheld cell, the whole numbers it can take over the joint tables. Two kinds
    /// of proof close in on them from both sides. From inside: whole-number solutions of the program (CP-SAT), each a
    /// possible value of every withheld cell at once — a solution with all withheld cells as low as they go together and
    /// one with all as high come first, and settle most cells. From outside: the minimum and maximum of the linear
    /// relaxation (GLOP, kept between questions so each starts from the last basis), rounded inwards — bounds the peer
    /// may rely on — for the cells the solutions have not settled. Then more solutions that push every undecided cell
    /// to the end it is furthest from; and at last, for every cell the two sides still leave undecided — neither do the
    /// solutions show its promise kept, nor do the bounds show it broken — CP-SAT minimises or maximises that cell in
    /// whole numbers, which settles it exactly.
    /// </summary>
    public PeerAttack Attack()
    {
        var watch = Stopwatch.StartNew();
        var withheld = Enumerable.Range(0, _view.Count).Where(i => _view[i].IsWithheld).ToArray();
        var low = withheld.ToDictionary(c => c, _ => long.MaxValue);
        var high = withheld.ToDictionary(c => c, _ => long.MinValue);
        var outer = new Dictionary<int, PeerInterval>(withheld.Length);
        var linearSolves = 0;
        var integerSolves = 0;
        var unproven = 0;
        foreach (var cell in withheld)
        {
            // What the flag alone says; a cell all of whose combinations a released zero rules out is 0.
            outer[cell] = _cover[cell].Length == 0 ? new PeerInterval(0, 0)
                : _view[cell].Status == ConfidentialityStatus.Primary ? new PeerInterval(1, _threshold - 1)
                : new PeerInterval(0, Math.Min(Cap, _cover[cell].Sum(v => _upper[v])));
        }

        void Witness(IReadOnlyList<long> solution)
        {
            foreach (var cell in withheld)
            {
                long sum = 0;
                foreach (var v in _cover[cell])
                {
                    sum += solution[v];
                }

                low[cell] = Math.Min(low[cell], sum);
                high[cell] = Math.Max(high[cell], sum);
            }
        }

        PeerInterval Inner(int cell) => new(low[cell], high[cell]);
        bool Decided(int cell) =>
            (low[cell] <= high[cell] && Keeps(Inner(cell), _view[cell].Status, _threshold)) || !Keeps(outer[cell], _view[cell].Status, _threshold) || outer[cell] == Inner(cell);

        var (model, variables) = BuildModel();
        (CpSolverStatus Status, double Bound)? Solve(IEnumerable<(int Cell, long Sign)> objective, bool exact)
        {
            var coefficients = new SortedDictionary<int, long>();
            foreach (var (cell, sign) in objective)
            {
                foreach (var v in _cover[cell])
                {
                    coefficients[v] = coefficients.GetValueOrDefault(v) + sign;
                }
            }

            var terms = coefficients.Where(t => t.Value != 0).ToArray();
            model.Model.Objective = null;
            model.Minimize(Google.OrTools.Sat.LinearExpr.WeightedSum(terms.Select(t => variables[t.Key]), terms.Select(t => t.Value)));
            integerSolves++;
            using var solver = new CpSolver { StringParameters = exact ? ExactParameters : BatchParameters };
            var status = solver.Solve(model);
            switch (status)
            {
                case CpSolverStatus.Optimal or CpSolverStatus.Feasible:
                    Witness(solver.Response!.Solution);
                    return (status, solver.BestObjectiveBound);
                case CpSolverStatus.Infeasible:
                    throw new InvalidOperationException("The peer's view has no whole-number solution: the release contradicts the catalogue.");
                case CpSolverStatus.ModelInvalid:
                    throw new InvalidOperationException("CP-SAT found the peer's program invalid: " + model.Validate());
                default:
                    return null;
            }
        }

        // From inside: solutions that push half of the withheld cells down and half up, then the other way round — the
        // halves drawn with a fixed seed. All down at once says little when the withheld cells add up to released ones.
        var open = withheld.Where(c => _cover[c].Length > 0).ToList();
        var random = new Random(11);
        for (var round = 0; round < SpreadRounds && open.Count > 0; round++)
        {
            var signs = open.ToDictionary(c => c, _ => random.Next(2) == 0 ? 1L : -1L);
            Solve(open.Select(c => (c, signs[c])), exact: false);
            Solve(open.Where(c => !Decided(c)).Select(c => (c, -signs[c])), exact: false);
        }

        // From outside: the relaxation, for the cells not settled yet.
        using (var relaxation = new Relaxation(_upper, _constraints))
        {
            foreach (var cell in open.Where(c => !Decided(c)))
            {
                var ends = new long[2];
                foreach (var maximize in (bool[])[false, true])
                {
                    linearSolves++;
                    var (objective, values) = relaxation.Optimize(_cover[cell], maximize)
                        ?? throw new InvalidOperationException("The peer's view has no solution: the release contradicts the catalogue.");
                    ends[maximize ? 1 : 0] = maximize ? (long)Math.Floor(objective + 1e-6) : (long)Math.Ceiling(objective - 1e-6);
                    if (Whole(values) is { } whole)
                    {
                        Witness(whole);
                    }
                }

                outer[cell] = new PeerInterval(Math.Max(outer[cell].Lower, ends[0]), Math.Min(outer[cell].Upper, ends[1]));
            }
        }

        var relaxationTime = watch.Elapsed;

        // Solutions that push every undecided cell towards the end its solutions are furthest from.
        for (var round = 0; round < BatchRounds; round++)
        {
            var undecided = open.Where(c => !Decided(c)).ToList();
            if (undecided.Count == 0)
            {
                break;
            }

            var before = undecided.ToDictionary(c => c, Inner);
            Solve(undecided.Select(c => (c, low[c] > high[c] || low[c] - outer[c].Lower >= outer[c].Upper - high[c] ? 1L : -1L)), exact: false);
            if (undecided.TrueForAll(c => before[c] == Inner(c)))
            {
                break;
            }
        }

        // The rest, one end of one cell at a time, exactly.
        foreach (var cell in open)
        {
            foreach (var maximize in (bool[])[false, true])
            {
                if (Decided(cell) || (maximize ? high[cell] == outer[cell].Upper : low[cell] == outer[cell].Lower))
                {
                    continue;
                }

                var result = Solve([(cell, maximize ? -1 : 1)], exact: true);
                if (result is not { Status: CpSolverStatus.Optimal })
                {
                    unproven++;
                }

                if (result is { } bounded)
                {
                    // The proven bound is what the peer can be sure of, whether or not the search finished.
                    outer[cell] = maximize
                        ? outer[cell] with { Upper = Math.Min(outer[cell].Upper, (long)Math.Floor(-bounded.Bound + 1e-6)) }
                        : outer[cell] with { Lower = Math.Max(outer[cell].Lower, (long)Math.Ceiling(bounded.Bound - 1e-6)) };
                }
            }
        }

        var witnessed = withheld.ToDictionary(c => c, c => _cover[c].Length == 0 ? new PeerInterval(0, 0) : Inner(c));
        return new PeerAttack(outer, witnessed, _upper.Count, _constraints.Count, linearSolves, integerSolves, unproven, relaxationTime, watch.Elapsed);
    }

    /// <summary>The values rounded, when every one is whole and they satisfy the program; else null.</summary>
    private long[]? Whole(double[] values)
    {
        var whole = new long[values.Length];
        for (var v = 0; v < values.Length; v++)
        {
            whole[v] = (long)Math.Round(values[v]);
            if (Math.Abs(values[v] - whole[v]) > 1e-7 || whole[v] < 0 || whole[v] > _upper[v])
            {
                return null;
            }
        }

        return _constraints.TrueForAll(c => c.HoldsFor(whole)) ? whole : null;
    }

    private (CpModel Model, IntVar[] Variables) BuildModel()
    {
        var model = new CpModel();
        var variables = new IntVar[_upper.Count];
        for (var v = 0; v < variables.Length; v++)
        {
            variables[v] = model.NewIntVar(0, _upper[v], string.Empty);
        }

        foreach (var constraint in _constraints)
        {
            model.AddLinearConstraint(Google.OrTools.Sat.LinearExpr.WeightedSum(constraint.Variables.Select(v => variables[v]), constraint.Coefficients), constraint.Lower, constraint.Upper);
        }

        return (model, variables);
    }

    private static string Key(int[][] codes) => string.Join('|', codes.Select(c => string.Join(',', c)));

    /// <summary>The code sets a unit may carry on one dimension, without codes a released zero of the dimension rules out.</summary>
    private static List<int[]> Options(CatalogueDimension dimension, HashSet<int> excluded)
    {
        var open = Enumerable.Range(0, dimension.Codes.Count).Where(c => !excluded.Contains(c)).ToArray();
        if (!dimension.MultiValued)
        {
            return [.. open.Select(c => new[] { c })];
        }

        var exclusive = dimension.ExclusiveCode is { } code ? dimension.IndexOf(code) : -1;
        var combinable = open.Where(c => c != exclusive).ToArray();
        var sets = new List<int[]>();
        if (exclusive >= 0 && !excluded.Contains(exclusive))
        {
            sets.Add([exclusive]);
        }

        void Extend(List<int> prefix, int from)
        {
            for (var i = from; i < combinable.Length; i++)
            {
                prefix.Add(combinable[i]);
                sets.Add([.. prefix]);
                if (prefix.Count < dimension.MaxCodesPerUnit)
                {
                    Extend(prefix, i + 1);
                }

                prefix.RemoveAt(prefix.Count - 1);
            }
        }

        Extend([], 0);
        return sets;
    }

    private void AddBlock(string indicatorId, int[] cells)
    {
        var indicator = StatisticsCatalogue.Indicator(indicatorId);
        var dimensions = indicator.Dimensions.Select(StatisticsCatalogue.Dimension).ToArray();
        // A dimension no cell of the view breaks down is left out of the joint table: nothing released tells its codes
        // apart, so every program over it has the same solutions for the cells.
        var observed = dimensions.Select(d => cells.Any(c => _view[c].Codes.Has(d.Id))).ToArray();
        var block = new Block(indicator, dimensions, observed, cells.All(c => _view[c].FromCaseRecords));
        _blocks.Add(indicatorId, block);

        // Codes a released zero of a one-dimensional table rules out, before enumerating sets of them.
        var options = new List<int[]>[dimensions.Length];
        long size = 1;
        for (var d = 0; d < dimensions.Length; d++)
        {
            if (!observed[d])
            {
                options[d] = [[Unobserved]];
                continue;
            }

            var excluded = new HashSet<int>();
            for (var c = 0; c < dimensions[d].Codes.Count; c++)
            {
                if (_index.TryGetValue((indicatorId, CellCodes.Of((dimensions[d].Id, dimensions[d].Codes[c].Id)).Key), out var cell) && _view[cell].Value == 0)
                {
                    excluded.Add(c);
                }
            }

            options[d] = Options(dimensions[d], excluded);
            size *= Math.Max(1, options[d].Count);
            if (size > MaxCombinations)
            {
                throw new InvalidOperationException($"{indicatorId}: more than {MaxCombinations} joint combinations survive the released zeros; the peer's program would be too large.");
            }
        }

        var combinations = new List<int[][]> { Array.Empty<int[]>() };
        foreach (var choices in options)
        {
            combinations = [.. combinations.SelectMany(prefix => choices.Select(choice => (int[][])[.. prefix, choice]))];
        }

        // Which combinations each cell covers; those under a released zero are zero.
        var covered = new List<int>[cells.Length];
        var zero = new bool[combinations.Count];
        for (var n = 0; n < cells.Length; n++)
        {
            var wanted = _view[cells[n]].Codes.Codes.Select(c => (Position: Array.FindIndex(dimensions, d => d.Id == c.Key), Code: StatisticsCatalogue.Dimension(c.Key).IndexOf(c.Value))).ToArray();
            covered[n] = [];
            for (var j = 0; j < combinations.Count; j++)
            {
                var combination = combinations[j];
                if (Array.TrueForAll(wanted, w => Array.IndexOf(combination[w.Position], w.Code) >= 0))
                {
                    covered[n].Add(j);
                }
            }

            if (_view[cells[n]].Value == 0)
            {
                covered[n].ForEach(j => zero[j] = true);
            }
        }

        var variableOf = new int[combinations.Count];
        for (var j = 0; j < combinations.Count; j++)
        {
            variableOf[j] = -1;
            if (!zero[j])
            {
                variableOf[j] = _upper.Count;
                _upper.Add(Cap);
                block.Combinations.Add(combinations[j]);
                block.Variables.Add(variableOf[j]);
                block.VariableOf[Key(combinations[j])] = variableOf[j];
            }
        }

        for (var n = 0; n < cells.Length; n++)
        {
            var cell = cells[n];
            _cover[cell] = [.. covered[n].Where(j => !zero[j]).Select(j => variableOf[j])];
            if (_view[cell].Value is { } value)
            {
                // A joint cell is never more than a released cell that covers it.
                foreach (var v in _cover[cell])
                {
                    _upper[v] = Math.Min(_upper[v], value);
                }
            }
        }
    }

    private static bool IsPublic(string indicator) => StatisticsCatalogue.FindIndicator(indicator)?.ExemptFromDisclosureControl == true;

    private void AddCellConstraints()
    {
        for (var cell = 0; cell < _view.Count; cell++)
        {
            var view = _view[cell];
            if (IsPublic(view.Indicator))
            {
                continue;
            }

            var ones = _cover[cell].Select(_ => 1L).ToArray();
            if (view.Value is { } value)
            {
                _constraints.Add(new PeerConstraint(_cover[cell], ones, value, value, $"{view}: released"));
            }
            else if (view.Status == ConfidentialityStatus.Primary)
            {
                _constraints.Add(new PeerConstraint(_cover[cell], ones, 1, _threshold - 1, $"{view}: C says 1 to {_threshold - 1}"));
            }
        }
    }

    /// <summary>Each subpopulation counted from the case records lies within the registered victims with the same shared codes.</summary>
    private void AddSubpopulations()
    {
        var whole = _blocks.Values.FirstOrDefault(b => b.Indicator.Basis == CaseBasis.RegisteredVictims && b.FromCaseRecords);
        if (whole is null)
        {
            return;
        }

        foreach (var part in _blocks.Values.Where(b => b.FromCaseRecords && b.Indicator.Basis is not null and not CaseBasis.RegisteredVictims).OrderBy(b => b.Indicator.Id, StringComparer.Ordinal))
        {
            var shared = part.Dimensions
                .Where((d, i) => !d.MultiValued && part.Observed[i] && whole.Indicator.HasDimension(d.Id) && whole.Observed[Array.IndexOf(whole.Dimensions, d)])
                .ToArray();
            var assignments = new List<int[]> { Array.Empty<int>() };
            foreach (var dimension in shared)
            {
                assignments = [.. assignments.SelectMany(a => Enumerable.Range(0, dimension.Codes.Count).Select(c => (int[])[.. a, c]))];
            }

            foreach (var assignment in assignments)
            {
                var inPart = Matching(part, shared, assignment);
                var inWhole = Matching(whole, shared, assignment);
                var codes = string.Join(';', shared.Select((d, s) => $"{d.Id}={d.Codes[assignment[s]].Id}"));
                _constraints.Add(new PeerConstraint(
                    [.. inPart, .. inWhole],
                    [.. inPart.Select(_ => 1L), .. inWhole.Select(_ => -1L)],
                    long.MinValue,
                    0,
                    $"{part.Indicator.Id} {(codes.Length == 0 ? "(total)" : codes)} within {whole.Indicator.Id}"));
            }
        }
    }

    private static List<int> Matching(Block block, CatalogueDimension[] shared, int[] assignment)
    {
        var positions = shared.Select(d => Array.FindIndex(block.Dimensions, x => x.Id == d.Id)).ToArray();
        var matching = new List<int>();
        for (var j = 0; j < block.Combinations.Count; j++)
        {
            var combination = block.Combinations[j];
            var matches = true;
            for (var s = 0; s < positions.Length && matches; s++)
            {
                matches = combination[positions[s]][0] == assignment[s];
            }

            if (matches)
            {
                matching.Add(block.Variables[j]);
            }
        }

        return matching;
    }

    /// <summary>
    /// The relations a peer can write from the catalogue alone, for differencing. For each cell of at most one
    /// broken-down dimension and each further dimension of its indicator: a single-valued dimension's codes add up to
    /// the cell; a multi-valued one's codes each stay within it, together reach at least it and at most MaxCodesPerUnit
    /// times it, and with an exclusive unknown code every other code plus the unknown stays within it and the known
    /// codes reach at least the cell minus the unknown. A subpopulation counted from the case records stays within the
    /// registered victims of the same cell.
    /// </summary>
    private static List<PeerRelation> WriteRelations(IReadOnlyList<PeerCell> view)
    {
        var index = new Dictionary<(string, string), int>();
        for (var i = 0; i < view.Count; i++)
        {
            index[(view[i].Indicator, view[i].Codes.Key)] = i;
        }

        var relations = new List<PeerRelation>();
        for (var p = 0; p < view.Count; p++)
        {
            var parent = view[p];
            if (parent.Codes.Count >= 2)
            {
                continue;
            }

            foreach (var dimensionId in StatisticsCatalogue.Indicator(parent.Indicator).Dimensions)
            {
                if (parent.Codes.Has(dimensionId))
                {
                    continue;
                }

                var dimension = StatisticsCatalogue.Dimension(dimensionId);
                var children = new List<int>();
                foreach (var code in dimension.Codes)
                {
                    if (index.TryGetValue((parent.Indicator, parent.Codes.With(dimensionId, code.Id).Key), out var child))
                    {
                        children.Add(child);
                    }
                }

                if (children.Count != dimension.Codes.Count)
                {
                    continue;
                }

                var why = $"{parent.Indicator} {parent.Codes} by {dimensionId}";
                if (!dimension.MultiValued)
                {
                    relations.Add(new PeerRelation([.. children, p], [.. children.Select(_ => 1), -1], true, why + ": sum"));
                    continue;
                }

                foreach (var child in children)
                {
                    relations.Add(new PeerRelation([child, p], [1, -1], false, why + ": code within"));
                }

                relations.Add(new PeerRelation([p, .. children], [1, .. children.Select(_ => -1)], false, why + ": at least one code each"));
                relations.Add(new PeerRelation([.. children, p], [.. children.Select(_ => 1), -dimension.MaxCodesPerUnit], false, why + ": at most MaxCodesPerUnit codes each"));
                if (dimension.ExclusiveCode is { } exclusiveCode)
                {
                    var exclusive = children[dimension.IndexOf(exclusiveCode)];
                    var known = children.Where(c => c != exclusive).ToArray();
                    foreach (var child in known)
                    {
                        relations.Add(new PeerRelation([child, exclusive, p], [1, 1, -1], false, why + ": code and unknown disjoint"));
                    }

                    relations.Add(new PeerRelation([p, exclusive, .. known], [1, -1, .. known.Select(_ => -1)], false, why + ": known codes cover the rest"));
                }
            }
        }

        var registered = StatisticsCatalogue.Indicators.First(i => i.Basis == CaseBasis.RegisteredVictims);
        for (var i = 0; i < view.Count; i++)
        {
            var cell = view[i];
            if (!cell.FromCaseRecords || cell.Indicator == registered.Id || StatisticsCatalogue.Indicator(cell.Indicator).Basis is null)
            {
                continue;
            }

            if (cell.Codes.Codes.All(c => registered.HasDimension(c.Key)) && index.TryGetValue((registered.Id, cell.Codes.Key), out var whole) && view[whole].FromCaseRecords)
            {
                relations.Add(new PeerRelation([i, whole], [1, -1], false, $"{cell.Indicator} {cell.Codes} within registered"));
            }
        }

        return relations;
    }

    /// <summary>The linear relaxation of the peer's program on GLOP, kept so that each question starts from the last basis.</summary>
    private sealed class Relaxation : IDisposable
    {
        private readonly Solver _solver;
        private readonly Variable[] _variables;
        private int[] _objective = [];

        public Relaxation(IReadOnlyList<long> upper, IReadOnlyList<PeerConstraint> constraints)
        {
            _solver = Solver.CreateSolver("GLOP") ?? throw new InvalidOperationException("OR-Tools has no GLOP solver in this build.");
            _variables = [.. upper.Select(u => _solver.MakeNumVar(0, u, string.Empty))];
            foreach (var constraint in constraints)
            {
                var row = _solver.MakeConstraint(
                    constraint.Lower == long.MinValue ? double.NegativeInfinity : constraint.Lower,
                    constraint.Upper == long.MaxValue ? double.PositiveInfinity : constraint.Upper);
                for (var t = 0; t < constraint.Variables.Length; t++)
                {
                    row.SetCoefficient(_variables[constraint.Variables[t]], constraint.Coefficients[t]);
                }
            }
        }

        /// <summary>The optimum of a sum of variables and the solution reaching it; null when there is no solution.</summary>
        public (double Objective, double[] Values)? Optimize(int[] sum, bool maximize)
        {
            var objective = _solver.Objective();
            foreach (var v in _objective)
            {
                objective.SetCoefficient(_variables[v], 0);
            }

            foreach (var v in sum)
            {
                objective.SetCoefficient(_variables[v], 1);
            }

            _objective = sum;
            objective.SetOptimizationDirection(maximize);
            return _solver.Solve() switch
            {
                Solver.ResultStatus.OPTIMAL => (objective.Value(), Array.ConvertAll(_variables, v => v.SolutionValue())),
                Solver.ResultStatus.INFEASIBLE => null,
                var status => throw new InvalidOperationException($"GLOP could not solve the peer's relaxation ({status})."),
            };
        }

        public void Dispose() => _solver.Dispose();
    }

    /// <summary>The joint table of one indicator: its surviving combinations and their variables.</summary>
    private sealed class Block(CatalogueIndicator indicator, CatalogueDimension[] dimensions, bool[] observed, bool fromCaseRecords)
    {
        public CatalogueIndicator Indicator { get; } = indicator;

        public CatalogueDimension[] Dimensions { get; } = dimensions;

        public bool[] Observed { get; } = observed;

        public bool FromCaseRecords { get; } = fromCaseRecords;

        public List<int[][]> Combinations { get; } = [];

        public List<int> Variables { get; } = [];

        public Dictionary<string, int> VariableOf { get; } = new(StringComparer.Ordinal);
    }
}

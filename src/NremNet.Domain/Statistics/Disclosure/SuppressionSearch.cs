namespace NremNet.Domain.Statistics.Disclosure;

/// <summary>
/// Primary and secondary suppression of one year's release set, proven against an attacker who knows every released
/// value and every flag, combines them on the joint table (<see cref="YearModel"/>) and reasons in whole numbers.
/// <para>
/// The promise, for every withheld cell: a C cell (its flag says 1 to k-1) keeps at least three possible values
/// inside [1, k-1] (all of them when k-1 is less); a D cell (its flag says only "withheld") keeps at least k possible
/// values — so a withheld zero is never pinned to 0.
/// </para>
/// <para>
/// Possible values are proven by witnesses: whole-number tables that agree with everything released and every flag.
/// The true data is the first; every solver solution is another, and it shows a possible value for every withheld cell
/// at once. Withholding more only adds solutions, so a witness stays valid as the pattern grows and a cell once proven
/// stays proven. For a cell still short, the solver looks for a witness that reaches far enough while moving as few
/// and as small released cells as it can; the cells it moved are withheld (D), and the witness proves the cell. When
/// no such witness exists — a small cell given away by the flags of the small cells around it, say — the flags that
/// pin it are relabelled D (which promises nothing about the value), then the component's totals are withheld too, and
/// at last everything, which always holds. Nothing is ever answered as protected that was not proven.
/// </para>
/// </summary>
internal sealed class SuppressionSearch
{
    private const int MaxRounds = 400;

    // Information lost by withholding a cell, per cell and per person counted: inner cells before margins.
    private const long InnerCellCost = 20;
    private const long MarginCost = 60;

    private readonly YearModel _model;
    private readonly int _threshold;
    private readonly IIntegerSolver _solver;
    private readonly ConfidentialityStatus[] _status;
    private readonly long[] _low;
    private readonly long[] _high;
    private readonly int[] _escalation;

    public SuppressionSearch(YearModel model, int threshold, IIntegerSolver solver)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(solver);
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 2);
        _model = model;
        _threshold = threshold;
        _solver = solver;
        var count = model.Cells.Count;
        _status = new ConfidentialityStatus[count];
        _low = new long[count];
        _high = new long[count];
        _escalation = new int[count];
        for (var i = 0; i < count; i++)
        {
            _low[i] = _high[i] = model.Cells[i].Value ?? 0;
        }
    }

    /// <summary>The status of every cell, in the order of the model's cells.</summary>
    public IReadOnlyList<ConfidentialityStatus> Status => _status;

    /// <summary>Withheld cells that could not be proven (expected: none); they stay withheld and are reported.</summary>
    public IReadOnlyList<int> Unprotectable { get; private set; } = [];

    /// <summary>Small cells whose C flag would have given them away, flagged D instead.</summary>
    public int Relabelled { get; private set; }

    /// <summary>How many integer programs were solved.</summary>
    public long Solves { get; private set; }

    /// <summary>C cells keep this many values in [1, k-1].</summary>
    private int SmallValuesNeeded => Math.Min(3, _threshold - 1);

    /// <summary>The lowest and highest value proven possible for a withheld cell so far.</summary>
    public (long Low, long High) Witnessed(int cell) => (_low[cell], _high[cell]);

    public void Run()
    {
        for (var i = 0; i < _model.Cells.Count; i++)
        {
            if (_model.ComponentOf[i] >= 0 && _model.Cells[i].Value is > 0 and var v && v < _threshold)
            {
                _status[i] = ConfidentialityStatus.Primary;
            }
        }

        var unprotectable = new List<int>();
        for (var component = 0; component < _model.ComponentCount; component++)
        {
            unprotectable.AddRange(RunComponent(component));
        }

        Unprotectable = [.. unprotectable.Order()];
    }

    private List<int> RunComponent(int component)
    {
        var cells = _model.CellsOf(component).ToArray();
        for (var round = 0; round < MaxRounds; round++)
        {
            var unproven = Ordered(cells).Where(c => !Proven(c)).ToList();
            if (unproven.Count == 0)
            {
                return [];
            }

            // Every cell still short is tried on the same pattern (one program, its linear models kept warm); those no
            // witness reaches are mended together, and the next round starts from the pattern that makes.
            var pattern = _model.Program(component, _status, _threshold);
            var failing = new List<int>();
            using (var session = _solver.Open(pattern.Program))
            {
                foreach (var cell in unproven)
                {
                    if (!Proven(cell) && !Reach(pattern, session, cell))
                    {
                        failing.Add(cell);
                    }
                }
            }

            // One cell per table is mended a round: the cells withheld for it often prove its neighbours too, and
            // mending those at the same time would withhold more than needed.
            var mend = failing.GroupBy(c => (_model.Cells[c].Indicator, _model.Cells[c].Cell.Signature)).Select(g => g.First()).ToList();
            foreach (var cell in MendLinear(component, mend))
            {
                if (!MendInteger(component, cells, cell))
                {
                    Escalate(cells, cell);
                }
            }
        }

        // Not reached in practice: withhold everything of the component, and report what still cannot be proven.
        foreach (var cell in cells)
        {
            if (_status[cell] == ConfidentialityStatus.Free)
            {
                _status[cell] = ConfidentialityStatus.Secondary;
            }
        }

        var final = _model.Program(component, _status, _threshold);
        using var last = _solver.Open(final.Program);
        foreach (var cell in Ordered(cells))
        {
            foreach (var maximize in (bool[])[true, false])
            {
                Solves++;
                Record(final, last.Optimize(final.Aux[cell], maximize));
            }
        }

        return [.. Ordered(cells).Where(c => !Proven(c))];
    }

    /// <summary>Withheld cells, C before D, then in the order given (deterministic).</summary>
    private int[] Ordered(int[] cells) =>
        [.. cells.Where(c => _status[c] != ConfidentialityStatus.Free).OrderBy(c => _status[c] == ConfidentialityStatus.Primary ? 0 : 1).ThenBy(c => c)];

    /// <summary>
    /// Looks for a witness taking <paramref name="cell"/> to each target in turn: the linear relaxation first (if real
    /// numbers cannot reach it, whole numbers cannot), then a search in whole numbers for any solution that does.
    /// </summary>
    private bool Reach(PatternProgram pattern, IProgramSession session, int cell)
    {
        foreach (var (target, maximize) in Targets(cell))
        {
            var aux = pattern.Aux[cell];
            Solves++;
            var found = session.Find(aux, maximize ? target : 0, maximize ? long.MaxValue / 16 : target);
            if (found.Values is { } values)
            {
                Record(pattern, values);
                Extend(pattern, values);
            }

            if (Proven(cell))
            {
                return true;
            }
        }

        return Proven(cell);
    }

    /// <summary>
    /// A witness is the truth plus a whole-number move that keeps every released cell as it is; the same move made
    /// backwards, or twice, often keeps within every bound too — each such solution is one more witness, for free.
    /// </summary>
    private void Extend(PatternProgram pattern, IReadOnlyList<long> values)
    {
        var hint = pattern.Program.Hint;
        foreach (var times in (int[])[-1, 2, -2, 3, -3])
        {
            var candidate = new long[hint.Count];
            for (var v = 0; v < candidate.Length; v++)
            {
                candidate[v] = hint[v] + (times * (values[v] - hint[v]));
            }

            if (pattern.Program.IsSolution(candidate))
            {
                Record(pattern, candidate);
            }
        }
    }

    /// <summary>
    /// Finds, by linear programming, the cheapest way to take each failing cell far enough by moving released cells
    /// around it — a cost per person moved, inner cells cheaper than margins, small counts cheaper than large — and
    /// withholds the cells those ways move. The next round proves the cells in whole numbers, or mends them again.
    /// One program per indicator serves all its failing cells: only the target changes between them.
    /// </summary>
    /// <returns>The cells linear programming could not mend, in order.</returns>
    private List<int> MendLinear(int component, List<int> failing)
    {
        var left = new List<int>();
        var moved = new HashSet<int>();
        foreach (var group in failing.GroupBy(c => _model.Cells[c].Indicator, StringComparer.Ordinal))
        {
            var deviable = Candidates(component, group.First());
            var (pattern, cost) = DeviationProgram(component, deviable);
            using var session = _solver.Open(pattern.Program);
            foreach (var cell in group)
            {
                var mended = false;
                foreach (var (target, maximize) in Targets(cell))
                {
                    Solves++;
                    var range = new VariableRange(pattern.Aux[cell], maximize ? target : 0, maximize ? long.MaxValue / 16 : target);
                    if (session.Relax(cost, maximize: false, range) is not { } values)
                    {
                        continue;
                    }

                    var ways = pattern.Deviations.Where(d => values[d.Up] + values[d.Down] > 1e-6).Select(d => d.Cell).ToList();
                    mended = ways.Count > 0;
                    moved.UnionWith(ways);
                    break;
                }

                if (!mended)
                {
                    left.Add(cell);
                }
            }
        }

        foreach (var cell in moved)
        {
            _status[cell] = ConfidentialityStatus.Secondary;
        }

        return left;
    }

    /// <summary>
    /// The integer form of <see cref="MendLinear"/>, for when real numbers mislead: the cheapest witness in whole
    /// numbers, whose moved cells are withheld, and which proves the cell. False when no witness exists.
    /// </summary>
    private bool MendInteger(int component, int[] cells, int cell)
    {
        var deviable = Candidates(component, cell);
        (PatternProgram Pattern, IReadOnlyList<long> Values)? best = null;
        foreach (var (target, maximize) in Targets(cell))
        {
            var (pattern, cost) = DeviationProgram(component, deviable);
            pattern.Program.Add([new LinearTerm(pattern.Aux[cell], 1)], maximize ? target : 0, maximize ? long.MaxValue / 16 : target);
            Solves++;
            using var session = _solver.Open(pattern.Program);
            var result = session.Optimize(cost, maximize: false);
            if (result.Values is not { } values)
            {
                continue;
            }

            if (values[cost] == 0)
            {
                Apply(cells, pattern, values);
                return true;
            }

            best ??= (pattern, values);
        }

        if (best is not { } found)
        {
            return false;
        }

        Apply(cells, found.Pattern, found.Values);
        return true;
    }

    /// <summary>The program in which released cells may move, at a cost per person moved; the cost's variable.</summary>
    private (PatternProgram Pattern, int Cost) DeviationProgram(int component, HashSet<int> deviable)
    {
        var pattern = _model.Program(component, _status, _threshold, deviable);
        var program = pattern.Program;
        var terms = new List<LinearTerm>();
        foreach (var deviation in pattern.Deviations)
        {
            var weight = Cost(deviation.Cell);
            terms.Add(new LinearTerm(deviation.Up, weight));
            terms.Add(new LinearTerm(deviation.Down, weight));
        }

        var cost = program.AddVariable(0, long.MaxValue / 16, 0);
        terms.Add(new LinearTerm(cost, -1));
        program.Add(terms, 0, 0);
        return (pattern, cost);
    }

    /// <summary>Withholds the cells a witness moved, and records the witness: it holds for the new pattern.</summary>
    private void Apply(int[] cells, PatternProgram pattern, IReadOnlyList<long> values)
    {
        foreach (var deviation in pattern.Deviations)
        {
            if (values[deviation.Up] + values[deviation.Down] == 0)
            {
                continue;
            }

            _status[deviation.Cell] = ConfidentialityStatus.Secondary;
            var value = _model.Cells[deviation.Cell].Value!.Value + values[deviation.Up] - values[deviation.Down];
            _low[deviation.Cell] = Math.Min(_low[deviation.Cell], value);
            _high[deviation.Cell] = Math.Max(_high[deviation.Cell], value);
        }

        Record(pattern, values);
    }

    /// <summary>Every withheld cell's value in a solution is a possible value of it.</summary>
    private void Record(PatternProgram pattern, SolveResult result)
    {
        if (result.Values is { } values)
        {
            Record(pattern, values);
        }
    }

    private void Record(PatternProgram pattern, IReadOnlyList<long> values)
    {
        for (var cell = 0; cell < pattern.Aux.Length; cell++)
        {
            if (pattern.Aux[cell] >= 0)
            {
                _low[cell] = Math.Min(_low[cell], values[pattern.Aux[cell]]);
                _high[cell] = Math.Max(_high[cell], values[pattern.Aux[cell]]);
            }
        }
    }

    /// <summary>The directions to look in first: a C cell towards the middle of [1, k-1], a D cell up.</summary>
    private bool[] Directions(int cell) =>
        _status[cell] == ConfidentialityStatus.Primary && _model.Cells[cell].Value * 2 > _threshold ? [false, true] : [true, false];

    /// <summary>
    /// When nothing around a cell can move it far enough, one step at a time until something can: relabel it D if it is
    /// C; relabel the C cells of its indicator that overlap it; withhold its indicator's total; relabel every C of its
    /// indicator; withhold the whole indicator; at last withhold everything of the component.
    /// </summary>
    private void Escalate(int[] cells, int cell)
    {
        var indicator = _model.Cells[cell].Indicator;
        var own = cells.Where(c => _model.Cells[c].Indicator == indicator).ToList();
        while (true)
        {
            var step = _escalation[cell]++;
            List<int> chosen;
            switch (step)
            {
                case 0:
                    // The cell's own C flag pins it.
                    chosen = _status[cell] == ConfidentialityStatus.Primary ? [cell] : [];
                    chosen.ForEach(Relabel);
                    break;
                case 1:
                    // The C flags of the cells it overlaps pin it.
                    chosen = [.. _model.Neighbours[cell].Where(n => _status[n] == ConfidentialityStatus.Primary && _model.Cells[n].Indicator == indicator)];
                    chosen.ForEach(Relabel);
                    break;
                case 2:
                    // Its indicator's total is too small for the room it needs.
                    chosen = [.. own.Where(c => _status[c] == ConfidentialityStatus.Free && _model.Cells[c].Cell.Count == 0)];
                    chosen.ForEach(c => _status[c] = ConfidentialityStatus.Secondary);
                    break;
                case 3:
                    chosen = [.. own.Where(c => _status[c] == ConfidentialityStatus.Primary)];
                    chosen.ForEach(Relabel);
                    break;
                case 4:
                    chosen = [.. own.Where(c => _status[c] == ConfidentialityStatus.Free)];
                    chosen.ForEach(c => _status[c] = ConfidentialityStatus.Secondary);
                    break;
                default:
                    // Everything of the component: nothing is released, so nothing can be narrowed.
                    foreach (var other in cells)
                    {
                        if (_status[other] == ConfidentialityStatus.Primary)
                        {
                            Relabel(other);
                        }
                        else if (_status[other] == ConfidentialityStatus.Free)
                        {
                            _status[other] = ConfidentialityStatus.Secondary;
                        }
                    }

                    return;
            }

            if (chosen.Count > 0)
            {
                return;
            }
        }
    }

    private void Relabel(int cell)
    {
        // D promises nothing about the value: every witness so far still agrees with it.
        _status[cell] = ConfidentialityStatus.Secondary;
        Relabelled++;
    }

    /// <summary>
    /// The released cells, other than totals, that may be withheld to widen <paramref name="cell"/>: those of its
    /// indicator, and those of a related indicator (subpopulation and whole) broken down only by dimensions both have.
    /// </summary>
    private HashSet<int> Candidates(int component, int cell)
    {
        var self = StatisticsCatalogue.Indicator(_model.Cells[cell].Indicator);
        var candidates = new HashSet<int>();
        foreach (var other in _model.CellsOf(component))
        {
            var candidate = _model.Cells[other];
            if (_status[other] != ConfidentialityStatus.Free || candidate.Cell.Count == 0)
            {
                continue;
            }

            if (candidate.Indicator == self.Id || candidate.Cell.Codes.All(c => self.HasDimension(c.Key)))
            {
                candidates.Add(other);
            }
        }

        return candidates;
    }

    private long Cost(int cell) => (_model.Cells[cell].Cell.Count >= 2 ? InnerCellCost : MarginCost) + (Math.Min(_model.Cells[cell].Value!.Value, 1_000) / 25);

    private bool Proven(int cell)
    {
        var (low, high) = (_low[cell], _high[cell]);
        return _status[cell] switch
        {
            ConfidentialityStatus.Primary => SmallValues(low, high) >= SmallValuesNeeded,
            ConfidentialityStatus.Secondary => high - low + 1 >= _threshold,
            _ => true,
        };
    }

    private long SmallValues(long low, long high) => Math.Max(0, Math.Min(high, _threshold - 1) - Math.Max(low, 1) + 1);


    /// <summary>The values a witness must reach for the cell to be proven, in the order to try.</summary>
    private IEnumerable<(long Target, bool Maximize)> Targets(int cell)
    {
        var (low, high) = (_low[cell], _high[cell]);
        if (_status[cell] == ConfidentialityStatus.Primary)
        {
            var need = SmallValuesNeeded;
            var up = (Math.Max(low, 1) + need - 1, true);
            var down = (Math.Min(high, _threshold - 1) - need + 1, false);
            var candidates = new List<(long, bool)>();
            if (up.Item1 <= _threshold - 1)
            {
                candidates.Add(up);
            }

            if (down.Item1 >= 1)
            {
                candidates.Add(down);
            }

            return _model.Cells[cell].Value * 2 > _threshold ? candidates.OrderBy(c => c.Item2) : candidates.OrderByDescending(c => c.Item2);
        }

        var reachUp = (low + _threshold - 1, true);
        var reachDown = (high - _threshold + 1, false);
        return reachDown.Item1 >= 0 && high - reachDown.Item1 < reachUp.Item1 - low ? [reachDown, reachUp] : reachDown.Item1 >= 0 ? [reachUp, reachDown] : [reachUp];
    }
}

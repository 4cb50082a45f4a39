namespace NremNet.Domain.Statistics.Disclosure;

/// <summary>What a peer can learn about a withheld cell: the lowest and highest value it can have.</summary>
/// <param name="Lower">The lowest value consistent with everything released.</param>
/// <param name="Upper">The highest; +∞ when nothing bounds it.</param>
internal readonly record struct Interval(double Lower, double Upper)
{
    private const double Slack = 1e-6;

    /// <summary>How many whole numbers apart the ends are (the width an integer attacker sees).</summary>
    public double Width => double.IsPositiveInfinity(Upper) ? double.PositiveInfinity : Math.Floor(Upper + Slack) - Math.Ceiling(Lower - Slack);

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"[{Lower:0.###}, {(double.IsPositiveInfinity(Upper) ? "∞" : Upper.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture))}]");
}

/// <summary>
/// Primary and secondary suppression of one year's linked tables, with an audit by linear programming.
/// <para>
/// Primary: a known non-zero value below the threshold k is withheld. Secondary: further cells are withheld until
/// every withheld cell passes two audits over every relation a peer can rely on (<see cref="CellRelations"/>), the
/// released values being known:
/// </para>
/// <list type="number">
/// <item>values only known to be non-negative: the interval of every withheld cell spans at least k whole numbers;</item>
/// <item>the peer also reads the statuses — a primary cell lies in [1, k-1], a secondary one is at least k — and still
/// cannot place a primary cell more narrowly than [1, k-1], nor a secondary one within fewer than k whole numbers.</item>
/// </list>
/// Both audits cover every table of the year at once, so combining the answers to different breakdowns gains nothing
/// beyond what a single audit already allowed for. Withholding more only widens intervals, so a cell that passes stays
/// passing while the search adds secondary cells for the ones that do not.
/// </summary>
internal sealed class SuppressionAudit
{
    private const int CandidatesTried = 6;

    private readonly IReadOnlyList<AuditCell> _cells;
    private readonly IReadOnlyList<Relation> _relations;
    private readonly List<int>[] _relationsOf;
    private readonly int _threshold;
    private readonly ConfidentialityStatus[] _status;

    public SuppressionAudit(IReadOnlyList<AuditCell> cells, IReadOnlyList<Relation> relations, int threshold)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(relations);
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);
        _cells = cells;
        _relations = relations;
        _threshold = threshold;
        _status = new ConfidentialityStatus[cells.Count];
        _relationsOf = new List<int>[cells.Count];
        for (var i = 0; i < cells.Count; i++)
        {
            _relationsOf[i] = [];
        }

        for (var r = 0; r < relations.Count; r++)
        {
            foreach (var term in relations[r].Terms)
            {
                _relationsOf[term.Cell].Add(r);
            }
        }
    }

    /// <summary>The status of every cell, in the order given.</summary>
    public IReadOnlyList<ConfidentialityStatus> Status => _status;

    /// <summary>Withheld cells that could not be brought to pass the audit (none in practice; reported, never hidden).</summary>
    public IReadOnlyList<int> Unprotectable { get; private set; } = [];

    /// <summary>How many linear programs were solved.</summary>
    public long Solves { get; private set; }

    /// <summary>Applies primary suppression, then adds secondary suppression until every withheld cell passes.</summary>
    public void Run()
    {
        var pending = new List<int>();
        for (var i = 0; i < _cells.Count; i++)
        {
            if (_cells[i].Value is > 0 and var v && v < _threshold)
            {
                _status[i] = ConfidentialityStatus.Primary;
                pending.Add(i);
            }
        }

        var unprotectable = new HashSet<int>();
        while (pending.Count > 0)
        {
            var failing = new List<int>();
            var checkedCells = new HashSet<int>();
            foreach (var cell in pending)
            {
                if (checkedCells.Contains(cell))
                {
                    continue;
                }

                var component = Component(cell, _status);
                var pendingHere = component.Where(c => pending.Contains(c)).ToList();
                checkedCells.UnionWith(component);
                failing.AddRange(Failing(component, _status, pendingHere));
            }

            pending = [];
            foreach (var cell in failing.Distinct())
            {
                if (!Passes(cell, _status))
                {
                    var added = ChooseSecondary(cell);
                    if (added < 0)
                    {
                        unprotectable.Add(cell);
                        continue;
                    }

                    _status[added] = ConfidentialityStatus.Secondary;
                    pending.Add(added);
                    pending.Add(cell);
                }
            }

            pending = [.. pending.Distinct()];
        }

        Unprotectable = [.. unprotectable.Where(c => !Passes(c, _status)).Order()];
    }

    /// <summary>The interval of a withheld cell, as a peer reading only the values (informed: also the statuses) sees it.</summary>
    public Interval IntervalOf(int cell, bool informed)
    {
        var component = Component(cell, _status);
        var program = Program(component, _status, informed);
        var variable = component.IndexOf(cell);
        return new Interval(program.Minimize(variable), program.Maximize(variable));
    }

    private bool Passes(int cell, ConfidentialityStatus[] status) =>
        Failing(Component(cell, status), status, [cell]).Count == 0;

    /// <summary>Which of <paramref name="check"/> fail either audit, with <paramref name="status"/> as the withheld set.</summary>
    private List<int> Failing(List<int> component, ConfidentialityStatus[] status, List<int> check)
    {
        var failing = new List<int>();
        var blind = Program(component, status, informed: false);
        var informed = Program(component, status, informed: true);
        foreach (var cell in check)
        {
            var variable = component.IndexOf(cell);
            Solves += 4;
            var open = new Interval(blind.Minimize(variable), blind.Maximize(variable));
            var read = new Interval(informed.Minimize(variable), informed.Maximize(variable));
            var passes = open.Width >= _threshold && (status[cell] == ConfidentialityStatus.Primary
                ? read.Lower <= 1 + 1e-6 && read.Upper >= _threshold - 1 - 1e-6
                : read.Width >= _threshold);
            if (!passes)
            {
                failing.Add(cell);
            }
        }

        return failing;
    }

    /// <summary>The withheld cells linked to <paramref name="cell"/> through relations (cells of known value only).</summary>
    private List<int> Component(int cell, ConfidentialityStatus[] status)
    {
        var component = new List<int> { cell };
        var seen = new HashSet<int> { cell };
        var seenRelations = new HashSet<int>();
        for (var next = 0; next < component.Count; next++)
        {
            foreach (var r in _relationsOf[component[next]])
            {
                if (!seenRelations.Add(r))
                {
                    continue;
                }

                foreach (var term in _relations[r].Terms)
                {
                    if (status[term.Cell] != ConfidentialityStatus.Free && seen.Add(term.Cell))
                    {
                        component.Add(term.Cell);
                    }
                }
            }
        }

        return component;
    }

    /// <summary>The linear program over a component's withheld cells, released cells being constants.</summary>
    private LinearProgram Program(List<int> component, ConfidentialityStatus[] status, bool informed)
    {
        var variableOf = new Dictionary<int, int>(component.Count);
        for (var v = 0; v < component.Count; v++)
        {
            variableOf[component[v]] = v;
        }

        var program = new LinearProgram(component.Count);
        if (informed)
        {
            for (var v = 0; v < component.Count; v++)
            {
                var cell = component[v];
                if (status[cell] == ConfidentialityStatus.Primary)
                {
                    program.Bound(v, 1, _threshold - 1);
                }
                else if (_cells[cell].Value >= _threshold)
                {
                    program.Bound(v, _threshold, double.PositiveInfinity);
                }
            }
        }

        var relations = new HashSet<int>();
        foreach (var cell in component)
        {
            relations.UnionWith(_relationsOf[cell]);
        }

        foreach (var r in relations.Order())
        {
            var relation = _relations[r];
            double right = 0;
            var terms = new List<(int, double)>(relation.Terms.Length);
            foreach (var term in relation.Terms)
            {
                if (variableOf.TryGetValue(term.Cell, out var variable))
                {
                    terms.Add((variable, term.Coefficient));
                }
                else
                {
                    right -= term.Coefficient * _cells[term.Cell].Value!.Value;
                }
            }

            program.Add(terms, relation.Sense, right);
        }

        return program;
    }

    /// <summary>
    /// Picks the released cell to withhold so that <paramref name="cell"/> passes: among the cells sharing a relation with
    /// it (or, failing that, with the withheld cells linked to it), inner cells before margins and small values before
    /// large ones; the first of the cheapest few that makes it pass, else the one that widens it most. -1 when none is left.
    /// </summary>
    private int ChooseSecondary(int cell)
    {
        var candidates = Candidates(cell, allowZero: false);
        if (candidates.Count == 0)
        {
            candidates = Candidates(cell, allowZero: true);
        }

        if (candidates.Count == 0)
        {
            return -1;
        }

        var best = candidates[0];
        var bestWidth = double.NegativeInfinity;
        foreach (var candidate in candidates.Take(CandidatesTried))
        {
            var trial = (ConfidentialityStatus[])_status.Clone();
            trial[candidate] = ConfidentialityStatus.Secondary;
            var component = Component(cell, trial);
            if (Failing(component, trial, [cell]).Count == 0)
            {
                return candidate;
            }

            var program = Program(component, trial, informed: false);
            var variable = component.IndexOf(cell);
            var width = new Interval(program.Minimize(variable), program.Maximize(variable)).Width;
            if (width > bestWidth)
            {
                best = candidate;
                bestWidth = width;
            }
        }

        return best;
    }

    private List<int> Candidates(int cell, bool allowZero)
    {
        var reached = new HashSet<int> { cell };
        var frontier = new List<int> { cell };
        while (frontier.Count > 0)
        {
            var found = new HashSet<int>();
            var withheld = new List<int>();
            foreach (var member in frontier)
            {
                foreach (var r in _relationsOf[member])
                {
                    foreach (var term in _relations[r].Terms)
                    {
                        if (!reached.Add(term.Cell))
                        {
                            continue;
                        }

                        if (_status[term.Cell] != ConfidentialityStatus.Free)
                        {
                            withheld.Add(term.Cell);
                        }
                        else if (_cells[term.Cell].Value is { } value && (allowZero || value >= _threshold))
                        {
                            found.Add(term.Cell);
                        }
                    }
                }
            }

            if (found.Count > 0)
            {
                return [.. found.OrderByDescending(c => _cells[c].Codes.Count).ThenBy(c => _cells[c].Value).ThenBy(c => c)];
            }

            frontier = withheld;
        }

        return [];
    }
}

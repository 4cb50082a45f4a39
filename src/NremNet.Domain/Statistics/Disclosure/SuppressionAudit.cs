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
/// <item>the peer also reads the statuses — a primary cell lies in [1, k-1]; a secondary one is either empty or at least
/// k, so only its being non-negative is certain — and still
/// cannot pin a primary cell down (its interval keeps at least (k-1)/2 + 1 values: a primary cell inside a primary
/// margin cannot keep all of [1, k-1]), nor place a secondary one of k or more within fewer than k whole numbers.</item>
/// </list>
/// <para>
/// The year's cells form one table per pair of dimensions (every indicator's cells whose breakdown lies within the
/// pair, with their margins and totals). Each table is audited by its own small linear program; the tables are linked
/// through the margins and totals they share, and what one table lets a peer learn about a shared withheld cell is
/// carried into every other table as a bound on that cell, repeated until nothing narrows further. The interval of a
/// cell is the intersection of what every table containing it allows. Withholding more only widens intervals, so a
/// cell that passes stays passing while the search adds secondary cells for the ones that do not.
/// </para>
/// </summary>
internal sealed class SuppressionAudit
{
    private const int CandidatesTried = 6;
    private const int MaxRounds = 60;
    private const int MaxPropagationPasses = 20;
    private const double Slack = 1e-6;

    // A primary cell's status already says it lies in [1, k-1]; combined with the statuses of withheld cells around
    // it that range may shrink a little, never to fewer than this many steps (three values at k = 5).
    private int InformedPrimaryWidth => Math.Max(1, (_threshold - 1) / 2);

    private readonly IReadOnlyList<AuditCell> _cells;
    private readonly IReadOnlyList<Relation> _relations;
    private readonly int _threshold;
    private readonly ConfidentialityStatus[] _status;

    // Tables: the relations and cells of each, and the tables each cell belongs to.
    private readonly List<int>[][] _relationsOfIn;
    private readonly List<int>[] _tablesOf;
    private readonly int _tables;
    private readonly bool[] _shared;

    // What the peer learns about shared withheld cells from all tables: blind and informed.
    private readonly Interval[] _blindBound;
    private readonly Interval[] _informedBound;

    public SuppressionAudit(IReadOnlyList<AuditCell> cells, IReadOnlyList<Relation> relations, int threshold)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(relations);
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);
        _cells = cells;
        _relations = relations;
        _threshold = threshold;
        _status = new ConfidentialityStatus[cells.Count];
        _blindBound = new Interval[cells.Count];
        _informedBound = new Interval[cells.Count];

        // The tables: every pair of dimensions some cell is broken down by, and every dimension no pair covers.
        var pairs = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var cell in cells)
        {
            if (cell.Codes.Count == 2)
            {
                pairs.Add(cell.Codes.Signature);
            }
        }

        var scopes = pairs.Select(p => p.Split(';').ToHashSet(StringComparer.Ordinal)).ToList();
        foreach (var cell in cells)
        {
            if (cell.Codes.Count <= 1 && !scopes.Any(s => cell.Codes.Codes.All(c => s.Contains(c.Key))))
            {
                scopes.Add(cell.Codes.Codes.Select(c => c.Key).ToHashSet(StringComparer.Ordinal));
            }
        }

        _tables = scopes.Count;
        _tablesOf = new List<int>[cells.Count];
        _shared = new bool[cells.Count];
        for (var i = 0; i < cells.Count; i++)
        {
            _tablesOf[i] = [];
            for (var t = 0; t < scopes.Count; t++)
            {
                if (cells[i].Codes.Codes.All(c => scopes[t].Contains(c.Key)))
                {
                    _tablesOf[i].Add(t);
                }
            }

            _shared[i] = _tablesOf[i].Count > 1;
        }

        _relationsOfIn = new List<int>[scopes.Count][];
        for (var t = 0; t < scopes.Count; t++)
        {
            _relationsOfIn[t] = new List<int>[cells.Count];
        }

        for (var r = 0; r < relations.Count; r++)
        {
            var dimensions = relations[r].Terms.SelectMany(term => cells[term.Cell].Codes.Codes.Select(c => c.Key)).ToHashSet(StringComparer.Ordinal);
            for (var t = 0; t < scopes.Count; t++)
            {
                if (!dimensions.IsSubsetOf(scopes[t]))
                {
                    continue;
                }

                foreach (var term in relations[r].Terms)
                {
                    (_relationsOfIn[t][term.Cell] ??= []).Add(r);
                }
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
        for (var i = 0; i < _cells.Count; i++)
        {
            if (_cells[i].Value is > 0 and var v && v < _threshold)
            {
                _status[i] = ConfidentialityStatus.Primary;
            }
        }

        Search();

        // A small cell given away by the statuses alone (say a primary margin whose every part is primary too) is
        // flagged as secondary instead: the flag then no longer says it is small.
        if (Unprotectable.Count > 0)
        {
            var relabelled = false;
            foreach (var cell in Unprotectable)
            {
                if (_status[cell] == ConfidentialityStatus.Primary)
                {
                    _status[cell] = ConfidentialityStatus.Secondary;
                    relabelled = true;
                }
            }

            if (relabelled)
            {
                Search();
            }
        }

        // Last resort for the few cells the search cannot shield (very small populations): withhold the rest of the
        // tables that give them away, then search again.
        for (var attempt = 0; attempt < 2 && Unprotectable.Count > 0; attempt++)
        {
            foreach (var cell in Unprotectable)
            {
                foreach (var table in _tablesOf[cell].Where(t => !PassesIn(cell, t, _status)))
                {
                    for (var other = 0; other < _cells.Count; other++)
                    {
                        if (_status[other] == ConfidentialityStatus.Free && _cells[other].Codes.Count > 0 && _cells[other].Value is not null && _tablesOf[other].Contains(table))
                        {
                            _status[other] = ConfidentialityStatus.Secondary;
                        }
                    }
                }
            }

            Search();
        }
    }

    private void Search()
    {
        var stuck = new HashSet<int>();
        for (var round = 0; round < MaxRounds; round++)
        {
            Propagate();
            var failing = Withheld().Where(c => !stuck.Contains(c) && FailingTable(c, _status) >= 0).ToList();
            if (failing.Count == 0)
            {
                break;
            }

            foreach (var cell in failing)
            {
                if (FailingTable(cell, _status) < 0)
                {
                    continue;
                }

                // Widen the cell where it is given away: the tables in which, on their own, it is narrowest first.
                var added = -1;
                foreach (var table in _tablesOf[cell].OrderBy(t => IntervalIn(cell, t, _status, informed: false, local: true).Width).ThenBy(t => IntervalIn(cell, t, _status, informed: true, local: true).Width))
                {
                    added = ChooseSecondary(cell, table);
                    if (added >= 0)
                    {
                        break;
                    }
                }

                if (added < 0)
                {
                    stuck.Add(cell);
                    continue;
                }

                _status[added] = ConfidentialityStatus.Secondary;
            }
        }

        Propagate();
        Unprotectable = [.. Withheld().Where(c => FailingTable(c, _status) >= 0).Order()];
    }

    /// <summary>The interval of a withheld cell, as a peer reading only the values (informed: also the statuses) sees it.</summary>
    public Interval IntervalOf(int cell, bool informed)
    {
        Propagate();
        var lower = 0.0;
        var upper = double.PositiveInfinity;
        foreach (var table in _tablesOf[cell])
        {
            var interval = IntervalIn(cell, table, _status, informed);
            lower = Math.Max(lower, interval.Lower);
            upper = Math.Min(upper, interval.Upper);
        }

        return new Interval(lower, upper);
    }

    private IEnumerable<int> Withheld() => Enumerable.Range(0, _cells.Count).Where(c => _status[c] != ConfidentialityStatus.Free);

    private List<int> RelationsOf(int table, int cell) => _relationsOfIn[table][cell] ?? [];

    /// <summary>
    /// Carries what each table lets a peer learn about the withheld cells it shares with other tables into every
    /// other table, until no bound narrows further.
    /// </summary>
    private void Propagate()
    {
        for (var i = 0; i < _cells.Count; i++)
        {
            _blindBound[i] = new Interval(0, double.PositiveInfinity);
            _informedBound[i] = DefaultInformed(i, _status);
        }

        for (var pass = 0; pass < MaxPropagationPasses; pass++)
        {
            var narrowed = false;
            for (var table = 0; table < _tables; table++)
            {
                var done = new HashSet<int>();
                for (var cell = 0; cell < _cells.Count; cell++)
                {
                    if (!_shared[cell] || _status[cell] == ConfidentialityStatus.Free || done.Contains(cell) || !_tablesOf[cell].Contains(table))
                    {
                        continue;
                    }

                    var component = Component(cell, table, _status);
                    done.UnionWith(component);
                    foreach (var informed in (bool[])[false, true])
                    {
                        var program = Program(component, table, _status, informed);
                        var bounds = informed ? _informedBound : _blindBound;
                        for (var v = 0; v < component.Count; v++)
                        {
                            var member = component[v];
                            if (!_shared[member])
                            {
                                continue;
                            }

                            Solves += 2;
                            var lower = program.Minimize(v);
                            var upper = program.Maximize(v);
                            var old = bounds[member];
                            if (lower > old.Lower + Slack || upper < old.Upper - Slack)
                            {
                                bounds[member] = new Interval(Math.Max(old.Lower, lower), Math.Min(old.Upper, upper));
                                narrowed = true;
                            }
                        }
                    }
                }
            }

            if (!narrowed)
            {
                return;
            }
        }
    }

    // A secondary cell may be empty (zeros are withheld to shield others too), so its status says only that it is
    // not between 1 and k-1: a peer can rely on no more than it being non-negative.
    private Interval DefaultInformed(int cell, ConfidentialityStatus[] status) =>
        status[cell] == ConfidentialityStatus.Primary ? new Interval(1, _threshold - 1) : new Interval(0, double.PositiveInfinity);

    /// <summary>A table in which <paramref name="cell"/> fails either audit, or -1 when it passes in all.</summary>
    private int FailingTable(int cell, ConfidentialityStatus[] status)
    {
        foreach (var table in _tablesOf[cell])
        {
            if (!PassesIn(cell, table, status))
            {
                return table;
            }
        }

        return -1;
    }

    private bool PassesIn(int cell, int table, ConfidentialityStatus[] status, bool local = false)
    {
        var open = IntervalIn(cell, table, status, informed: false, local);
        if (open.Width < _threshold)
        {
            return false;
        }

        if (_cells[cell].Value == 0)
        {
            // An empty withheld cell only needs to stay as open as any other to a peer reading values.
            return true;
        }

        var read = IntervalIn(cell, table, status, informed: true, local);
        return status[cell] == ConfidentialityStatus.Primary
            ? read.Width >= InformedPrimaryWidth
            : read.Width >= (_cells[cell].Value < _threshold ? InformedPrimaryWidth : _threshold);
    }

    private Interval IntervalIn(int cell, int table, ConfidentialityStatus[] status, bool informed, bool local = false)
    {
        var component = Component(cell, table, status);
        var program = Program(component, table, status, informed, local ? cell : -1);
        var variable = component.IndexOf(cell);
        Solves += 2;
        return new Interval(program.Minimize(variable), program.Maximize(variable));
    }

    /// <summary>The withheld cells linked to <paramref name="cell"/> through the relations of one table.</summary>
    private List<int> Component(int cell, int table, ConfidentialityStatus[] status)
    {
        var component = new List<int> { cell };
        var seen = new HashSet<int> { cell };
        var seenRelations = new HashSet<int>();
        for (var next = 0; next < component.Count; next++)
        {
            foreach (var r in RelationsOf(table, component[next]))
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

    /// <summary>
    /// The linear program over a component's withheld cells within one table, released cells being constants and
    /// shared cells bounded by what the other tables give away.
    /// </summary>
    private LinearProgram Program(List<int> component, int table, ConfidentialityStatus[] status, bool informed, int local = -1)
    {
        var variableOf = new Dictionary<int, int>(component.Count);
        for (var v = 0; v < component.Count; v++)
        {
            variableOf[component[v]] = v;
        }

        var program = new LinearProgram(component.Count);
        for (var v = 0; v < component.Count; v++)
        {
            var cell = component[v];
            var bound = !_shared[cell] || cell == local ? (informed ? DefaultInformed(cell, status) : new Interval(0, double.PositiveInfinity))
                : status == _status ? (informed ? _informedBound[cell] : _blindBound[cell])
                : Intersect(informed ? _informedBound[cell] : _blindBound[cell], informed ? DefaultInformed(cell, status) : new Interval(0, double.PositiveInfinity));
            if (bound.Lower > 0 || !double.IsPositiveInfinity(bound.Upper))
            {
                program.Bound(v, bound.Lower, Math.Max(bound.Lower, bound.Upper));
            }
        }

        var relations = new HashSet<int>();
        foreach (var cell in component)
        {
            relations.UnionWith(RelationsOf(table, cell));
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

    private static Interval Intersect(Interval a, Interval b) => new(Math.Max(a.Lower, b.Lower), Math.Min(a.Upper, b.Upper));

    /// <summary>
    /// Picks the released cell to withhold so that <paramref name="cell"/> passes in <paramref name="table"/>: among the
    /// cells sharing a relation with it there (or, failing that, with the withheld cells linked to it), inner cells
    /// before margins and small values before large ones; the first of the cheapest few that makes it pass, else the
    /// one that widens it most. -1 when none is left.
    /// </summary>
    private int ChooseSecondary(int cell, int table)
    {
        // Yearly totals are the network's baseline (open to every member): never withheld to shield another cell.
        var candidates = Candidates(cell, table, allowZero: false).Where(c => _cells[c].Codes.Count > 0).ToList();
        if (candidates.Count == 0)
        {
            candidates = Candidates(cell, table, allowZero: true).Where(c => _cells[c].Codes.Count > 0).ToList();
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
            if (PassesIn(cell, table, trial, local: true))
            {
                return candidate;
            }

            var width = IntervalIn(cell, table, trial, informed: false, local: true).Width;
            if (width > bestWidth)
            {
                best = candidate;
                bestWidth = width;
            }
        }

        return best;
    }

    private List<int> Candidates(int cell, int table, bool allowZero)
    {
        var reached = new HashSet<int> { cell };
        var frontier = new List<int> { cell };
        while (frontier.Count > 0)
        {
            var found = new HashSet<int>();
            var withheld = new List<int>();
            foreach (var member in frontier)
            {
                foreach (var r in RelationsOf(table, member))
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
                return [.. found.OrderByDescending(c => _cells[c].Codes.Count).ThenBy(c => _shared[c] ? 1 : 0).ThenBy(c => _cells[c].Value).ThenBy(c => c)];
            }

            frontier = withheld;
        }

        return [];
    }
}

using NremNet.Domain.Statistics.Aggregation;

namespace NremNet.Domain.Statistics.Disclosure;

/// <summary>A linear relation between latent variables that holds in the data: <c>Lower ≤ Σ coefficient·latent ≤ Upper</c>.</summary>
/// <param name="Component">The component it binds.</param>
/// <param name="Latent">The latent variables.</param>
/// <param name="Coefficients">Their coefficients.</param>
/// <param name="Lower">The lowest value of the sum.</param>
/// <param name="Upper">The highest.</param>
/// <param name="BetweenCells">Whether it relates cells of one table (published tables), so that they count as neighbours; false for the bound of a subpopulation by the whole.</param>
internal sealed record LatentRelation(int Component, int[] Latent, long[] Coefficients, long Lower, long Upper, bool BetweenCells);

/// <summary>The program of one component under one suppression pattern.</summary>
/// <param name="Program">The integer program.</param>
/// <param name="Aux">Per cell of the year, the program variable holding its value when it is withheld; -1 otherwise.</param>
/// <param name="Deviations">Each released cell allowed to leave its value, with the variables of its rise and fall.</param>
internal sealed record PatternProgram(IntegerProgram Program, int[] Aux, IReadOnlyList<Deviation> Deviations);

/// <summary>A released cell allowed to leave its value in a program: value = truth + Up - Down.</summary>
internal readonly record struct Deviation(int Cell, int Up, int Down);

/// <summary>
/// Everything a peer can rely on about one year's release set, stated on latent whole-number variables, as the
/// strongest attacker would state it.
/// <para>
/// For the indicators counted from case records the latent variables are the joint table of the records: one per
/// combination of codes over all of an indicator's dimensions at once (a set of codes for a multi-valued dimension),
/// and every released cell is the sum of the joint cells it covers. Relations through any dimension — a withheld
/// SEX×AGE cell reached through the forms of exploitation its victims share — are therefore seen, which no check of
/// one table at a time can. The subpopulations (assisted, granted a permit, referred) have their own joint tables,
/// each within the registered victims of the same codes on the dimensions they share. For multi-valued dimensions the
/// joint table allows every single code and every set of codes that occurs in the data: fewer combinations than the
/// catalogue allows, so what the audit lets an attacker learn is at least what a real attacker can (the audit errs on
/// the safe side).
/// </para>
/// <para>
/// For indicators imported as published tables the records behind them are not known; each cell with a known value is
/// a latent variable and the relations among the tables (margins, totals, <see cref="CellRelations"/>) bind them.
/// </para>
/// <para>
/// Cells that share no latent variable and no relation fall into separate components, each solved on its own.
/// </para>
/// </summary>
internal sealed class YearModel
{
    private const long LowerUnbounded = long.MinValue / 8;

    private readonly List<long> _latentTruth = [];
    private readonly List<int> _latentComponent = [];
    private readonly List<LatentRelation> _relations = [];
    private readonly long[] _caps;

    private YearModel(IReadOnlyList<StatisticsCell> cells, IReadOnlyList<JointTable> joint)
    {
        Cells = cells;
        Latent = new int[cells.Count][];
        ComponentOf = new int[cells.Count];
        Array.Fill(ComponentOf, -1);
        Array.Fill(Latent, Array.Empty<int>());
        var components = 0;

        var fromRecords = Enumerable.Range(0, cells.Count).Where(i => cells[i].FromCaseRecords && cells[i].Value is not null).ToList();
        if (fromRecords.Count > 0)
        {
            AddJointComponent(components++, fromRecords, joint);
        }

        foreach (var group in Enumerable.Range(0, cells.Count)
            .Where(i => !cells[i].FromCaseRecords && Known(cells[i]))
            .GroupBy(i => cells[i].Indicator, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            AddRelationComponent(components++, [.. group]);
        }

        ComponentCount = components;
        _caps = new long[components];
        for (var i = 0; i < _latentTruth.Count; i++)
        {
            _caps[_latentComponent[i]] += _latentTruth[i];
        }

        // A latent variable is capped far above anything the data holds: a restriction of what an attacker must
        // consider, so on the safe side, and it keeps sums within 64 bits.
        for (var c = 0; c < components; c++)
        {
            _caps[c] = Math.Max(1_000, 4 * _caps[c]);
        }

        Neighbours = BuildNeighbours();
    }

    /// <summary>The year's cells.</summary>
    public IReadOnlyList<StatisticsCell> Cells { get; }

    /// <summary>Per cell, the latent variables it sums (empty for cells the model does not hold: unknown values).</summary>
    public int[][] Latent { get; }

    /// <summary>Per cell, its component; -1 for cells the model does not hold.</summary>
    public int[] ComponentOf { get; }

    /// <summary>How many components.</summary>
    public int ComponentCount { get; }

    /// <summary>Per cell, the cells that overlap it: sharing a latent variable, or a relation of published tables.</summary>
    public int[][] Neighbours { get; }

    /// <summary>The latent variables' true values.</summary>
    public IReadOnlyList<long> LatentTruth => _latentTruth;

    /// <summary>Builds the model of one year.</summary>
    /// <param name="cells">The year's cells, all indicators.</param>
    /// <param name="joint">The joint tables of the year's case records (every indicator counted from them).</param>
    /// <exception cref="ArgumentException">A cell counted from case records has no joint table, or does not equal the sum of the joint cells it covers.</exception>
    public static YearModel Build(IReadOnlyList<StatisticsCell> cells, IReadOnlyList<JointTable> joint)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(joint);
        return new YearModel(cells, joint);
    }

    /// <summary>Whether a published cell's value is known to the node (not missing, not withheld at publication).</summary>
    public static bool Known(StatisticsCell cell) =>
        cell.Value is not null && cell.Status is not (ObservationStatus.Missing or ObservationStatus.Withheld);

    /// <summary>The cells the model holds in one component.</summary>
    public IEnumerable<int> CellsOf(int component) => Enumerable.Range(0, Cells.Count).Where(i => ComponentOf[i] == component);

    /// <summary>
    /// The attacker's program for one component under a suppression pattern: released cells are known sums, withheld
    /// cells are variables within what their flag says (C: 1 to k-1; D: any count), latent variables covered by a
    /// released zero are zero and left out.
    /// </summary>
    /// <param name="component">The component.</param>
    /// <param name="status">The status of every cell of the year.</param>
    /// <param name="threshold">k.</param>
    /// <param name="deviable">Released cells that may leave their value (<see cref="PatternProgram.Deviations"/>); null for none.</param>
    public PatternProgram Program(int component, IReadOnlyList<ConfidentialityStatus> status, int threshold, IReadOnlySet<int>? deviable = null)
    {
        var cap = _caps[component];
        var forced = new bool[_latentTruth.Count];
        foreach (var cell in CellsOf(component))
        {
            if (status[cell] == ConfidentialityStatus.Free && Cells[cell].Value == 0 && deviable?.Contains(cell) != true)
            {
                foreach (var latent in Latent[cell])
                {
                    forced[latent] = true;
                }
            }
        }

        // The attacker's table may hold any combination no released zero rules out. The audit allows fewer: those the
        // data holds, and those inside a withheld cell (or one it may withhold) — a smaller program, and on the safe
        // side, as every solution of it is one of the attacker's too.
        var open = new bool[_latentTruth.Count];
        foreach (var cell in CellsOf(component))
        {
            if (status[cell] != ConfidentialityStatus.Free || deviable?.Contains(cell) == true)
            {
                foreach (var latent in Latent[cell])
                {
                    open[latent] = true;
                }
            }
        }

        var program = new IntegerProgram();
        var variableOf = new Dictionary<int, int>();
        for (var latent = 0; latent < _latentTruth.Count; latent++)
        {
            if (_latentComponent[latent] == component && !forced[latent] && (_latentTruth[latent] > 0 || open[latent]))
            {
                variableOf[latent] = program.AddVariable(0, cap, _latentTruth[latent]);
            }
        }

        var aux = new int[Cells.Count];
        Array.Fill(aux, -1);
        var deviations = new List<Deviation>();
        foreach (var cell in CellsOf(component))
        {
            var terms = new List<LinearTerm>(Latent[cell].Length + 1);
            foreach (var latent in Latent[cell])
            {
                if (variableOf.TryGetValue(latent, out var variable))
                {
                    terms.Add(new LinearTerm(variable, 1));
                }
            }

            var truth = Cells[cell].Value!.Value;
            if (status[cell] != ConfidentialityStatus.Free)
            {
                var primary = status[cell] == ConfidentialityStatus.Primary;
                aux[cell] = program.AddVariable(primary ? 1 : 0, primary ? threshold - 1 : cap, truth);
                terms.Add(new LinearTerm(aux[cell], -1));
                program.Add(terms, 0, 0);
            }
            else if (deviable?.Contains(cell) == true)
            {
                // value = truth + up - down: the cell keeps its value unless up or down is above zero.
                var up = program.AddVariable(0, cap, 0);
                var down = program.AddVariable(0, truth, 0);
                terms.Add(new LinearTerm(up, -1));
                terms.Add(new LinearTerm(down, 1));
                program.Add(terms, truth, truth);
                deviations.Add(new Deviation(cell, up, down));
            }
            else if (terms.Count > 0)
            {
                program.Add(terms, truth, truth);
            }
            else if (truth != 0)
            {
                throw new InvalidOperationException($"{Cells[cell].Indicator} {Cells[cell].Cell} is released as {truth} but covers no latent count.");
            }
        }

        foreach (var relation in _relations)
        {
            if (relation.Component != component)
            {
                continue;
            }

            var terms = new List<LinearTerm>(relation.Latent.Length);
            for (var t = 0; t < relation.Latent.Length; t++)
            {
                if (variableOf.TryGetValue(relation.Latent[t], out var variable))
                {
                    terms.Add(new LinearTerm(variable, relation.Coefficients[t]));
                }
            }

            if (terms.Count > 0)
            {
                program.Add(terms, relation.Lower, relation.Upper);
            }
        }

        return new PatternProgram(program, aux, deviations);
    }

    private void AddJointComponent(int component, List<int> cellIndexes, IReadOnlyList<JointTable> joint)
    {
        var registered = StatisticsCatalogue.Indicators.First(i => i.Basis == CaseBasis.RegisteredVictims);
        var firstLatent = new Dictionary<string, (int First, int[][][] Combinations, CatalogueIndicator Indicator)>(StringComparer.Ordinal);
        foreach (var indicatorId in cellIndexes.Select(i => Cells[i].Indicator).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var indicator = StatisticsCatalogue.Indicator(indicatorId);
            var table = joint.FirstOrDefault(t => t.Indicator == indicatorId)
                ?? throw new ArgumentException($"{indicatorId} is counted from case records but its joint table is missing.", nameof(joint));
            var dimensions = indicator.Dimensions.Select(StatisticsCatalogue.Dimension).ToArray();
            var options = new List<int[]>[dimensions.Length];
            for (var d = 0; d < dimensions.Length; d++)
            {
                options[d] = [.. Enumerable.Range(0, dimensions[d].Codes.Count).Select(c => new[] { c })];
                if (dimensions[d].MultiValued)
                {
                    var seen = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var entry in table.Entries)
                    {
                        if (entry.Codes[d].Length > 1 && seen.Add(string.Join(',', entry.Codes[d])))
                        {
                            options[d].Add(entry.Codes[d]);
                        }
                    }
                }
            }

            var combinations = Product(options);
            var first = _latentTruth.Count;
            var indexOf = new Dictionary<string, int>(combinations.Length, StringComparer.Ordinal);
            foreach (var combination in combinations)
            {
                indexOf[JointEntry.KeyOf(combination)] = _latentTruth.Count;
                _latentTruth.Add(0);
                _latentComponent.Add(component);
            }

            foreach (var entry in table.Entries)
            {
                _latentTruth[indexOf[JointEntry.KeyOf(entry.Codes)]] += entry.Count;
            }

            firstLatent[indicatorId] = (first, combinations, indicator);
        }

        foreach (var cell in cellIndexes)
        {
            var (first, combinations, indicator) = firstLatent[Cells[cell].Indicator];
            var wanted = Cells[cell].Cell.Codes.Select(c => (Position: IndexIn(indicator, c.Key), Code: StatisticsCatalogue.Dimension(c.Key).IndexOf(c.Value))).ToArray();
            var latent = new List<int>();
            long sum = 0;
            for (var j = 0; j < combinations.Length; j++)
            {
                if (Array.TrueForAll(wanted, w => Array.IndexOf(combinations[j][w.Position], w.Code) >= 0))
                {
                    latent.Add(first + j);
                    sum += _latentTruth[first + j];
                }
            }

            if (sum != Cells[cell].Value)
            {
                throw new ArgumentException($"{Cells[cell].Indicator} {Cells[cell].Cell} is {Cells[cell].Value} but its joint table sums to {sum}.", nameof(joint));
            }

            Latent[cell] = [.. latent];
            ComponentOf[cell] = component;
        }

        // Each subpopulation lies within the registered victims of the same codes, on the dimensions both have.
        if (!firstLatent.TryGetValue(registered.Id, out var whole))
        {
            return;
        }

        foreach (var (id, part) in firstLatent)
        {
            if (id == registered.Id)
            {
                continue;
            }

            var shared = part.Indicator.Dimensions.Where(registered.HasDimension).Select(StatisticsCatalogue.Dimension).ToArray();
            if (shared.Any(d => d.MultiValued))
            {
                throw new InvalidOperationException($"{id} shares a multi-valued dimension with {registered.Id}; the audit cannot bound it.");
            }

            foreach (var codes in Product([.. shared.Select(d => Enumerable.Range(0, d.Codes.Count).Select(c => new[] { c }).ToList())]))
            {
                var coded = shared.Select((d, s) => (d.Id, Code: codes[s][0])).ToArray();
                var inPart = Matching(part, coded);
                var inWhole = Matching(whole, coded);
                _relations.Add(new LatentRelation(component, [.. inPart, .. inWhole], [.. inPart.Select(_ => 1L), .. inWhole.Select(_ => -1L)], LowerUnbounded, 0, BetweenCells: false));
            }
        }
    }

    private static List<int> Matching((int First, int[][][] Combinations, CatalogueIndicator Indicator) table, (string Dimension, int Code)[] coded)
    {
        var positions = coded.Select(c => (Position: IndexIn(table.Indicator, c.Dimension), c.Code)).ToArray();
        var matching = new List<int>();
        for (var j = 0; j < table.Combinations.Length; j++)
        {
            if (Array.TrueForAll(positions, p => table.Combinations[j][p.Position][0] == p.Code))
            {
                matching.Add(table.First + j);
            }
        }

        return matching;
    }

    private void AddRelationComponent(int component, List<int> cellIndexes)
    {
        var auditCells = cellIndexes.Select(i => new AuditCell(Cells[i].Indicator, Cells[i].Cell, Cells[i].Value, false)).ToList();
        foreach (var cell in cellIndexes)
        {
            Latent[cell] = [_latentTruth.Count];
            ComponentOf[cell] = component;
            _latentTruth.Add(Cells[cell].Value!.Value);
            _latentComponent.Add(component);
        }

        foreach (var relation in CellRelations.Build(auditCells))
        {
            _relations.Add(new LatentRelation(
                component,
                [.. relation.Terms.Select(t => Latent[cellIndexes[t.Cell]][0])],
                [.. relation.Terms.Select(t => (long)t.Coefficient)],
                relation.Sense == ConstraintSense.Equal ? 0 : LowerUnbounded,
                0,
                BetweenCells: true));
        }
    }

    private int[][] BuildNeighbours()
    {
        // Latent variables linked by a relation count as shared.
        var linked = new Dictionary<int, HashSet<int>>();
        foreach (var relation in _relations.Where(r => r.BetweenCells))
        {
            foreach (var latent in relation.Latent)
            {
                if (!linked.TryGetValue(latent, out var set))
                {
                    linked[latent] = set = [];
                }

                set.UnionWith(relation.Latent);
            }
        }

        var cellsOfLatent = new List<int>[_latentTruth.Count];
        for (var cell = 0; cell < Cells.Count; cell++)
        {
            foreach (var latent in Latent[cell])
            {
                (cellsOfLatent[latent] ??= []).Add(cell);
            }
        }

        var neighbours = new int[Cells.Count][];
        for (var cell = 0; cell < Cells.Count; cell++)
        {
            var reach = new HashSet<int>();
            foreach (var latent in Latent[cell])
            {
                reach.Add(latent);
                if (linked.TryGetValue(latent, out var set))
                {
                    reach.UnionWith(set);
                }
            }

            var found = new SortedSet<int>();
            foreach (var latent in reach)
            {
                foreach (var other in cellsOfLatent[latent] ?? [])
                {
                    if (other != cell)
                    {
                        found.Add(other);
                    }
                }
            }

            neighbours[cell] = [.. found];
        }

        return neighbours;
    }

    private static int IndexIn(CatalogueIndicator indicator, string dimension)
    {
        for (var i = 0; i < indicator.Dimensions.Count; i++)
        {
            if (indicator.Dimensions[i] == dimension)
            {
                return i;
            }
        }

        throw new ArgumentException($"{indicator.Id} has no dimension {dimension}.", nameof(dimension));
    }

    private static int[][][] Product(IReadOnlyList<List<int[]>> options)
    {
        var result = new List<int[][]> { Array.Empty<int[]>() };
        foreach (var choices in options)
        {
            var next = new List<int[][]>(result.Count * choices.Count);
            foreach (var prefix in result)
            {
                foreach (var choice in choices)
                {
                    next.Add([.. prefix, choice]);
                }
            }

            result = next;
        }

        return [.. result];
    }
}

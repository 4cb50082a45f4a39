namespace NremNet.Domain.Statistics.Disclosure;

/// <summary>The sense of a relation.</summary>
internal enum ConstraintSense
{
    /// <summary>Left side at most zero.</summary>
    LessOrEqual,

    /// <summary>Left side equals zero.</summary>
    Equal,
}

/// <summary>One term of a relation: a coefficient times a cell's value.</summary>
internal readonly record struct Term(int Cell, int Coefficient);

/// <summary>A linear relation between cells that the data always satisfies: Σ coefficient·value (sense) 0.</summary>
internal sealed record Relation(Term[] Terms, ConstraintSense Sense);

/// <summary>One cell of a year's tables, as the audit sees it.</summary>
/// <param name="Indicator">The indicator id.</param>
/// <param name="Codes">The cell's codes.</param>
/// <param name="Value">The true value; null when not known (missing, or withheld already at publication).</param>
/// <param name="FromCaseRecords">Whether it was computed from the node's case records.</param>
internal sealed record AuditCell(string Indicator, CellCodes Codes, long? Value, bool FromCaseRecords);

/// <summary>
/// Every relation a peer can rely on between the cells of one year — the relations of the linked tables every
/// catalogue query draws from: a single-valued dimension's codes add up to their parent cell; a multi-valued
/// dimension's codes each stay within the parent and together reach at least it, with the unknown code excluding
/// the others; a subpopulation counted from the same case records (assisted, granted a permit, referred) stays within
/// the registered victims of the same cell.
/// </summary>
internal static class CellRelations
{
    public static IReadOnlyList<Relation> Build(IReadOnlyList<AuditCell> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var index = new Dictionary<(string Indicator, string Key), int>(cells.Count);
        for (var i = 0; i < cells.Count; i++)
        {
            index[(cells[i].Indicator, cells[i].Codes.Key)] = i;
        }

        var relations = new List<Relation>();
        for (var p = 0; p < cells.Count; p++)
        {
            var parent = cells[p];
            if (parent.Codes.Count >= StatisticsCatalogue.MaxBreakdownDimensions)
            {
                continue;
            }

            var indicator = StatisticsCatalogue.Indicator(parent.Indicator);
            foreach (var dimensionId in indicator.Dimensions)
            {
                if (parent.Codes.Has(dimensionId))
                {
                    continue;
                }

                var dimension = StatisticsCatalogue.Dimension(dimensionId);
                var children = new int[dimension.Codes.Count];
                var complete = true;
                for (var c = 0; c < children.Length && complete; c++)
                {
                    complete = index.TryGetValue((parent.Indicator, parent.Codes.With(dimensionId, dimension.Codes[c].Id).Key), out children[c]);
                }

                if (complete)
                {
                    AddBreakdown(relations, cells, p, dimension, children);
                }
            }
        }

        AddSubpopulations(relations, cells, index);
        return relations;
    }

    private static void AddBreakdown(List<Relation> relations, IReadOnlyList<AuditCell> cells, int parent, CatalogueDimension dimension, int[] children)
    {
        if (!dimension.MultiValued)
        {
            // The codes partition the parent.
            AddIfHolds(relations, cells, [.. children.Select(c => new Term(c, 1)), new Term(parent, -1)], ConstraintSense.Equal);
            return;
        }

        // Each code is a subset of the parent.
        foreach (var child in children)
        {
            AddIfHolds(relations, cells, [new Term(child, 1), new Term(parent, -1)], ConstraintSense.LessOrEqual);
        }

        var exclusive = dimension.ExclusiveCode is null ? -1 : dimension.IndexOf(dimension.ExclusiveCode);
        if (exclusive < 0)
        {
            // Every unit counted carries at least one code.
            AddIfHolds(relations, cells, [new Term(parent, 1), .. children.Select(c => new Term(c, -1))], ConstraintSense.LessOrEqual);
            return;
        }

        // Those with a known code, parent - unknown, are at least the largest code and at most all codes together.
        var unknown = children[exclusive];
        var known = children.Where((_, i) => i != exclusive).ToArray();
        foreach (var child in known)
        {
            AddIfHolds(relations, cells, [new Term(child, 1), new Term(unknown, 1), new Term(parent, -1)], ConstraintSense.LessOrEqual);
        }

        AddIfHolds(relations, cells, [new Term(parent, 1), new Term(unknown, -1), .. known.Select(c => new Term(c, -1))], ConstraintSense.LessOrEqual);
    }

    private static void AddSubpopulations(List<Relation> relations, IReadOnlyList<AuditCell> cells, Dictionary<(string Indicator, string Key), int> index)
    {
        var registered = StatisticsCatalogue.Indicators.First(i => i.Basis == CaseBasis.RegisteredVictims);
        for (var i = 0; i < cells.Count; i++)
        {
            var cell = cells[i];
            var indicator = StatisticsCatalogue.Indicator(cell.Indicator);
            if (!cell.FromCaseRecords || indicator.Basis is null or CaseBasis.RegisteredVictims || !cell.Codes.Codes.All(c => registered.HasDimension(c.Key)))
            {
                continue;
            }

            if (index.TryGetValue((registered.Id, cell.Codes.Key), out var whole) && cells[whole].FromCaseRecords)
            {
                AddIfHolds(relations, cells, [new Term(i, 1), new Term(whole, -1)], ConstraintSense.LessOrEqual);
            }
        }
    }

    /// <summary>
    /// Keeps a relation only when every value in it is known and satisfies it: published tables need not add up, and a
    /// relation that does not hold in the data tells a peer nothing certain.
    /// </summary>
    private static void AddIfHolds(List<Relation> relations, IReadOnlyList<AuditCell> cells, Term[] terms, ConstraintSense sense)
    {
        long sum = 0;
        foreach (var term in terms)
        {
            if (cells[term.Cell].Value is not { } value)
            {
                return;
            }

            sum += term.Coefficient * value;
        }

        if (sense == ConstraintSense.Equal ? sum == 0 : sum <= 0)
        {
            relations.Add(new Relation(terms, sense));
        }
    }
}

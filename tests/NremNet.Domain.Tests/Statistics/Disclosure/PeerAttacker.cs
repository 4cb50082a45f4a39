using NremNet.Domain.Statistics;
using NremNet.Domain.Statistics.Disclosure;

namespace NremNet.Domain.Tests.Statistics.Disclosure;

/// <summary>What a peer receives for one cell: the flag always, the value only when the cell is released.</summary>
internal sealed record ReleasedCell(string Indicator, CellCodes Codes, ConfidentialityStatus Status, long? Value)
{
    public bool IsWithheld => Status != ConfidentialityStatus.Free;
}

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

/// <summary>The lowest and highest value a peer can give a withheld cell.</summary>
internal readonly record struct PeerBounds(double Lower, double Upper)
{
    private const double Slack = 1e-6;

    /// <summary>floor(max) - ceil(min): how many whole numbers apart the ends are (+∞ when unbounded).</summary>
    public double Width => double.IsPositiveInfinity(Upper) ? double.PositiveInfinity : Math.Floor(Upper + Slack) - Math.Ceiling(Lower - Slack);

    /// <summary>Whether exactly one whole number is possible.</summary>
    public bool IsExact => Width < 1;

    public bool Contains(long value) => value >= Lower - Slack && value <= Upper + Slack;

    public override string ToString() => FormattableString.Invariant($"[{Lower:0.###}, {(double.IsPositiveInfinity(Upper) ? "inf" : Upper.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture))}]");
}

/// <summary>
/// An adversary written independently of the node's audit (it does not use <c>SuppressionAudit</c> or
/// <c>CellRelations</c>): it knows the public catalogue and the disclosure rules, and sees only what a peer can obtain —
/// every cell of every indicator and every breakdown of up to two dimensions, with its flag (F, C, D), and the value of
/// the released ones. It differences single relations, then combines all answers of the year in one linear program
/// over every withheld cell at once.
/// </summary>
internal sealed class PeerAttacker
{
    private readonly IReadOnlyList<ReleasedCell> _view;
    private readonly int _threshold;
    private readonly int[] _variableOf;
    private readonly List<int> _withheld = [];

    /// <summary>Builds the attacker over every cell of the year, all indicators and breakdowns together.</summary>
    public PeerAttacker(IReadOnlyList<ReleasedCell> view, int threshold)
    {
        _view = view;
        _threshold = threshold;
        Relations = WriteRelations(view);
        _variableOf = new int[view.Count];
        Array.Fill(_variableOf, -1);
        for (var i = 0; i < view.Count; i++)
        {
            if (view[i].IsWithheld)
            {
                _variableOf[i] = _withheld.Count;
                _withheld.Add(i);
            }
        }
    }

    /// <summary>Every relation the peer can write between the cells of the year.</summary>
    public IReadOnlyList<PeerRelation> Relations { get; }

    /// <summary>Size of the last linear program: variables and constraints.</summary>
    public (int Variables, int Constraints) ProgramSize { get; private set; }

    /// <summary>The peer's view of protected cells: the flag of each, the value of released ones only.</summary>
    public static List<ReleasedCell> View(IReadOnlyList<StatisticsCell> cells, IReadOnlyList<ConfidentialityStatus> status) =>
        [.. cells.Select((c, i) => new ReleasedCell(c.Indicator, c.Cell, status[i], status[i] == ConfidentialityStatus.Free ? c.Value : null))];

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

                if (unknownCount != 1)
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

    /// <summary>
    /// (b) One linear program over every withheld cell of the year at once, with every relation, non-negativity and — when
    /// <paramref name="informed"/> — primary cells in [1, k-1]; the lowest and highest value of each withheld cell.
    /// </summary>
    public Dictionary<int, PeerBounds> Solve(bool informed, bool jointTable = false)
    {
        // With jointTable, the registered victims' cells of the single-valued dimensions are also tied to one hidden
        // table SEX x AGE x CITIZEN_GRP x ID_STATUS of non-negative counts that all of them are margins of.
        var joint = jointTable ? JointCells() : [];
        var program = new LinearProgram(_withheld.Count + (jointTable ? JointSize : 0));
        for (var v = 0; v < _withheld.Count; v++)
        {
            if (informed && _view[_withheld[v]].Status == ConfidentialityStatus.Primary)
            {
                program.Bound(v, 1, _threshold - 1);
            }
        }

        foreach (var (cell, members) in joint)
        {
            var terms = members.Select(m => (_withheld.Count + m, 1.0)).ToList();
            if (_variableOf[cell] >= 0)
            {
                terms.Add((_variableOf[cell], -1.0));
                program.Add(terms, ConstraintSense.Equal, 0);
            }
            else
            {
                program.Add(terms, ConstraintSense.Equal, _view[cell].Value!.Value);
            }
        }

        var constraints = 0;
        foreach (var relation in Relations)
        {
            var terms = new List<(int, double)>();
            double right = 0;
            for (var t = 0; t < relation.Cells.Length; t++)
            {
                var cell = relation.Cells[t];
                if (_variableOf[cell] >= 0)
                {
                    terms.Add((_variableOf[cell], relation.Coefficients[t]));
                }
                else
                {
                    right -= relation.Coefficients[t] * _view[cell].Value!.Value;
                }
            }

            if (terms.Count > 0)
            {
                program.Add(terms, relation.IsEquality ? ConstraintSense.Equal : ConstraintSense.LessOrEqual, right);
                constraints++;
            }
        }

        ProgramSize = (_withheld.Count, constraints);
        var bounds = new Dictionary<int, PeerBounds>(_withheld.Count);
        for (var v = 0; v < _withheld.Count; v++)
        {
            bounds[_withheld[v]] = new PeerBounds(program.Minimize(v), program.Maximize(v));
        }

        return bounds;
    }

    private static readonly string[] JointDimensions = ["SEX", "AGE", "CITIZEN_GRP", "ID_STATUS"];

    private static int JointSize => JointDimensions.Aggregate(1, (size, d) => size * StatisticsCatalogue.Dimension(d).Codes.Count);

    /// <summary>Every registered-victims cell of the single-valued dimensions, with the hidden joint cells it adds up.</summary>
    private List<(int Cell, List<int> Members)> JointCells()
    {
        var cells = new List<(int, List<int>)>();
        var dimensions = JointDimensions.Select(StatisticsCatalogue.Dimension).ToArray();
        for (var i = 0; i < _view.Count; i++)
        {
            var cell = _view[i];
            if (cell.Indicator != "THB_VICT_REG" || !cell.Codes.Codes.All(c => JointDimensions.Contains(c.Key)))
            {
                continue;
            }

            var members = new List<int>();
            for (var j = 0; j < JointSize; j++)
            {
                var rest = j;
                var matches = true;
                for (var d = dimensions.Length - 1; d >= 0; d--)
                {
                    var code = dimensions[d].Codes[rest % dimensions[d].Codes.Count].Id;
                    rest /= dimensions[d].Codes.Count;
                    var wanted = cell.Codes.CodeOf(dimensions[d].Id);
                    matches &= wanted == StatisticsCatalogue.Total || wanted == code;
                }

                if (matches)
                {
                    members.Add(j);
                }
            }

            cells.Add((i, members));
        }

        return cells;
    }

    /// <summary>
    /// The relations a peer can write from the catalogue alone. For each cell of at most one broken-down dimension and
    /// each further dimension of its indicator: a single-valued dimension's codes add up to the cell; a multi-valued
    /// one's codes each stay within it, together reach at least it and at most MaxCodesPerUnit times it, and with an
    /// exclusive unknown code every other code plus the unknown stays within it and the known codes reach at least the
    /// cell minus the unknown. A subpopulation counted from the same case records (assisted, permit, referred) stays
    /// within the registered victims of the same cell.
    /// </summary>
    private static List<PeerRelation> WriteRelations(IReadOnlyList<ReleasedCell> view)
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

        var registered = StatisticsCatalogue.Indicator("THB_VICT_REG");
        for (var i = 0; i < view.Count; i++)
        {
            var cell = view[i];
            if (cell.Indicator == registered.Id || StatisticsCatalogue.Indicator(cell.Indicator).Basis is null)
            {
                continue;
            }

            if (cell.Codes.Codes.All(c => registered.HasDimension(c.Key)) && index.TryGetValue((registered.Id, cell.Codes.Key), out var whole))
            {
                relations.Add(new PeerRelation([i, whole], [1, -1], false, $"{cell.Indicator} {cell.Codes} within registered"));
            }
        }

        return relations;
    }
}

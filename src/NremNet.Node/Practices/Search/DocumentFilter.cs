using NremNet.Contracts.Practices.V1;

namespace NremNet.Node.Practices.Search;

/// <summary>
/// The filters of a search compiled against a document table: a document passes when it is in the index, published
/// (or withdrawn, when asked for), and holds, for every filtered facet, at least one of the values asked for
/// (values of one facet are alternatives, facets are all required).
/// </summary>
internal sealed class DocumentFilter
{
    // Per facet value id: the bits of the filtered facets this value satisfies.
    private readonly int[] _satisfies;
    private readonly int _required;
    private readonly bool _includeWithdrawn;

    /// <summary>The filters of <paramref name="plan"/> against <paramref name="documents"/>' values.</summary>
    public DocumentFilter(IndexedDocuments documents, SearchPlan plan)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(plan);
        _includeWithdrawn = plan.IncludeWithdrawn;
        _satisfies = new int[documents.Values.Count];
        foreach (var (facet, allowed) in plan.Filters)
        {
            var bit = 1 << (int)facet;
            _required |= bit;
            foreach (var value in allowed)
            {
                var id = documents.Values.Find(new FacetValue(facet, value));
                if (id >= 0)
                {
                    _satisfies[id] |= bit;
                }
            }
        }
    }

    /// <summary>Whether <paramref name="entry"/> passes.</summary>
    public bool Accepts(in DocumentEntry entry)
    {
        if (entry.State != (int)DocumentState.Published && !(_includeWithdrawn && entry.State == (int)DocumentState.Withdrawn))
        {
            return false;
        }

        if (_required == 0)
        {
            return true;
        }

        var satisfied = 0;
        foreach (var value in entry.Values)
        {
            satisfied |= _satisfies[value];
        }

        return (satisfied & _required) == _required;
    }
}

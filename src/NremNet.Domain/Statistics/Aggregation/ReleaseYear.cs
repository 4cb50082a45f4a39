using System.Security.Cryptography;
using System.Text;
using NremNet.Domain.Statistics.Disclosure;

namespace NremNet.Domain.Statistics.Aggregation;

/// <summary>
/// Everything a node releases for one year before protection: the cells counted from its case records (every table a
/// query can select) with their joint tables, and its published values for the indicators the records do not cover.
/// Disclosure control then protects them together (<see cref="DisclosureControl.Protect"/>).
/// </summary>
/// <param name="Year">The reference year.</param>
/// <param name="Cells">The release set, counted cells first, then published ones in the order given.</param>
/// <param name="Joint">The joint tables behind the counted cells.</param>
public sealed record ReleaseYear(int Year, List<StatisticsCell> Cells, IReadOnlyList<JointTable> Joint)
{
    /// <summary>Builds the release set of one year.</summary>
    /// <param name="year">The reference year.</param>
    /// <param name="country">The node's country, which decides citizenship groups.</param>
    /// <param name="records">The node's case records identified in <paramref name="year"/>.</param>
    /// <param name="published">The node's published values of <paramref name="year"/>.</param>
    /// <param name="recordKey">The record key of a record id (for cell-key perturbation).</param>
    /// <exception cref="ArgumentException">A record or a published value belongs to another year.</exception>
    public static ReleaseYear Of(int year, string country, IReadOnlyList<CaseRecord> records, IEnumerable<PublishedValue> published, Func<string, uint> recordKey)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(published);
        if (records.FirstOrDefault(r => r.YearIdentified != year) is { } stray)
        {
            throw new ArgumentException($"Case record {stray.RecordId} was identified in {stray.YearIdentified}, not {year}.", nameof(records));
        }

        var cells = new List<StatisticsCell>(CaseAggregator.Aggregate(records, country, recordKey));
        var covered = cells.Select(c => c.Indicator).ToHashSet(StringComparer.Ordinal);
        foreach (var value in published)
        {
            if (value.Year != year)
            {
                throw new ArgumentException($"A published value of {value.Indicator} is for {value.Year}, not {year}.", nameof(published));
            }

            if (!covered.Contains(value.Indicator))
            {
                cells.Add(new StatisticsCell(value.Indicator, year, value.Cell, value.Value, value.Status, false, PublishedKey(value.Indicator, year, value.Cell)));
            }
        }

        return new ReleaseYear(year, cells, CaseAggregator.Joint(records, country));
    }

    /// <summary>The cell key of a published value: a hash of what identifies it, so it is the same on every import.</summary>
    public static uint PublishedKey(string indicator, int year, CellCodes cell) =>
        BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes($"{indicator}|{year}|{cell.Key}")));
}

using NremNet.Domain.Countries;
using NremNet.Domain.Statistics.Disclosure;

namespace NremNet.Domain.Statistics.Aggregation;

/// <summary>
/// Computes every cell a query can ask for — for each year, each indicator counted from case records, and each table
/// of up to <see cref="StatisticsCatalogue.MaxBreakdownDimensions"/> dimensions — from person-level records, in one
/// pass. Zeros are real cells (a known zero); cell keys are the wrapping sum of the record keys they count.
/// </summary>
public static class CaseAggregator
{
    /// <summary>Aggregates the records of a node of <paramref name="country"/>.</summary>
    /// <param name="records">The node's case records.</param>
    /// <param name="country">The node's country, which decides citizenship groups.</param>
    /// <param name="recordKey">The record key of a record id (for cell-key perturbation).</param>
    public static IReadOnlyList<StatisticsCell> Aggregate(IEnumerable<CaseRecord> records, string country, Func<string, uint> recordKey)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(recordKey);
        var home = Country.Get(country);
        var tables = StatisticsCatalogue.Indicators.Where(i => i.Basis is not null).Select(i => new IndicatorTables(i)).ToArray();
        var years = new SortedDictionary<int, Accumulator[][]>();
        var codes = new int[StatisticsCatalogue.Dimensions.Count][];
        foreach (var record in records)
        {
            if (!years.TryGetValue(record.YearIdentified, out var year))
            {
                year = tables.Select(t => t.NewAccumulators()).ToArray();
                years.Add(record.YearIdentified, year);
            }

            var key = recordKey(record.RecordId);
            Codes(record, home, codes);
            for (var t = 0; t < tables.Length; t++)
            {
                if (Counts(tables[t].Indicator.Basis!.Value, record))
                {
                    tables[t].Add(year[t], codes, tables[t].Indicator.Basis == CaseBasis.ReferralsSent ? Indexes(record.ReferredTo) : tables[t].Indicator.Basis == CaseBasis.ReferralsReceived ? Indexes(record.ReferredFrom) : null, key);
                }
            }
        }

        var cells = new List<StatisticsCell>();
        foreach (var (year, accumulators) in years)
        {
            for (var t = 0; t < tables.Length; t++)
            {
                tables[t].Emit(year, accumulators[t], cells);
            }
        }

        return cells;
    }

    /// <summary>
    /// The joint distribution behind the cells: for each year and each indicator counted from case records, how many
    /// units carry each combination of codes over all the indicator's dimensions at once (a set of codes for a
    /// multi-valued dimension). Every cell of <see cref="Aggregate"/> is a sum of these counts; the disclosure audit
    /// reasons on them, as an attacker combining every table can.
    /// </summary>
    /// <param name="records">The node's case records.</param>
    /// <param name="country">The node's country, which decides citizenship groups.</param>
    public static IReadOnlyList<JointTable> Joint(IEnumerable<CaseRecord> records, string country)
    {
        ArgumentNullException.ThrowIfNull(records);
        var home = Country.Get(country);
        var indicators = StatisticsCatalogue.Indicators.Where(i => i.Basis is not null).ToArray();
        var orders = indicators.Select(i => i.Dimensions.Select(StatisticsCatalogue.Order).ToArray()).ToArray();
        var counts = new SortedDictionary<int, Dictionary<string, (int[][] Codes, long Count)>[]>();
        var codes = new int[StatisticsCatalogue.Dimensions.Count][];
        foreach (var record in records)
        {
            if (!counts.TryGetValue(record.YearIdentified, out var year))
            {
                year = [.. indicators.Select(_ => new Dictionary<string, (int[][], long)>(StringComparer.Ordinal))];
                counts.Add(record.YearIdentified, year);
            }

            Codes(record, home, codes);
            for (var t = 0; t < indicators.Length; t++)
            {
                var basis = indicators[t].Basis!.Value;
                if (!Counts(basis, record))
                {
                    continue;
                }

                codes[5] = basis == CaseBasis.ReferralsSent ? Indexes(record.ReferredTo) : basis == CaseBasis.ReferralsReceived ? Indexes(record.ReferredFrom) : [];
                var entry = orders[t].Select(d => codes[d].Order().ToArray()).ToArray();
                var key = JointEntry.KeyOf(entry);
                year[t][key] = year[t].TryGetValue(key, out var found) ? (found.Codes, found.Count + 1) : (entry, 1);
            }
        }

        var tables = new List<JointTable>();
        foreach (var (year, perIndicator) in counts)
        {
            for (var t = 0; t < indicators.Length; t++)
            {
                tables.Add(new JointTable(indicators[t].Id, year, [.. perIndicator[t].OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => new JointEntry(e.Value.Codes, e.Value.Count))]));
            }
        }

        return tables;
    }

    /// <summary>The code of AGE for an age in years.</summary>
    public static string AgeGroup(int? age) => age switch
    {
        null => StatisticsCatalogue.Unknown,
        < 18 => "Y_LT18",
        _ => "Y_GE18",
    };

    /// <summary>The code of CITIZEN_GRP for a citizenship, seen from <paramref name="home"/>.</summary>
    public static string CitizenGroup(string? citizenship, Country home)
    {
        ArgumentNullException.ThrowIfNull(home);
        if (citizenship is null)
        {
            return StatisticsCatalogue.Unknown;
        }

        if (citizenship == home.Code)
        {
            return "NAT";
        }

        return Country.Find(citizenship)?.IsEuMember == true ? "EU_OTH" : "NON_EU";
    }

    internal static bool Counts(CaseBasis basis, CaseRecord record) => basis switch
    {
        CaseBasis.RegisteredVictims => true,
        CaseBasis.AssistedVictims => record.Assisted,
        CaseBasis.ResidencePermits => record.ResidencePermit,
        CaseBasis.ReferralsSent => record.ReferredTo.Count > 0,
        CaseBasis.ReferralsReceived => record.ReferredFrom.Count > 0,
        _ => false,
    };

    private static void Codes(CaseRecord record, Country home, int[][] codes)
    {
        codes[0] = [Index(StatisticsCatalogue.Sex, record.Sex)];
        codes[1] = [Index(StatisticsCatalogue.Age, AgeGroup(record.Age))];
        codes[2] = [Index(StatisticsCatalogue.CitizenGroup, CitizenGroup(record.Citizenship, home))];
        codes[3] = [.. record.Exploitation.Select(e => Index(StatisticsCatalogue.Exploitation, e))];
        codes[4] = [Index(StatisticsCatalogue.IdentificationStatus, record.IdentificationStatus)];
        codes[5] = [];
    }

    private static int[] Indexes(IReadOnlyList<string> countries) =>
        [.. countries.Select(c => Index(StatisticsCatalogue.CounterpartArea, c))];

    private static int Index(CatalogueDimension dimension, string code)
    {
        var index = dimension.IndexOf(code);
        return index >= 0 ? index : throw new ArgumentException($"'{code}' is not a code of {dimension.Id}.", nameof(code));
    }

    /// <summary>Counts and key sums of one table of one year.</summary>
    private sealed class Accumulator(int size)
    {
        public long[] Counts { get; } = new long[size];

        public uint[] Keys { get; } = new uint[size];
    }

    /// <summary>The tables of one indicator: every set of at most two of its dimensions.</summary>
    private sealed class IndicatorTables
    {
        private readonly int[][] _signatures;

        public IndicatorTables(CatalogueIndicator indicator)
        {
            Indicator = indicator;
            var dimensions = indicator.Dimensions.Select(StatisticsCatalogue.Order).ToArray();
            var signatures = new List<int[]> { Array.Empty<int>() };
            for (var a = 0; a < dimensions.Length; a++)
            {
                signatures.Add([dimensions[a]]);
                for (var b = a + 1; b < dimensions.Length; b++)
                {
                    signatures.Add([dimensions[a], dimensions[b]]);
                }
            }

            _signatures = [.. signatures];
        }

        public CatalogueIndicator Indicator { get; }

        public Accumulator[] NewAccumulators() =>
            [.. _signatures.Select(s => new Accumulator(s.Aggregate(1, (size, d) => size * StatisticsCatalogue.Dimensions[d].Codes.Count)))];

        public void Add(Accumulator[] accumulators, int[][] codes, int[]? partners, uint key)
        {
            int[] CodesOf(int dimension) => dimension == 5 ? partners ?? [] : codes[dimension];

            for (var s = 0; s < _signatures.Length; s++)
            {
                var signature = _signatures[s];
                var accumulator = accumulators[s];
                switch (signature.Length)
                {
                    case 0:
                        Count(accumulator, 0, key);
                        break;
                    case 1:
                        foreach (var a in CodesOf(signature[0]))
                        {
                            Count(accumulator, a, key);
                        }

                        break;
                    default:
                        var width = StatisticsCatalogue.Dimensions[signature[1]].Codes.Count;
                        foreach (var a in CodesOf(signature[0]))
                        {
                            foreach (var b in CodesOf(signature[1]))
                            {
                                Count(accumulator, (a * width) + b, key);
                            }
                        }

                        break;
                }
            }
        }

        public void Emit(int year, Accumulator[] accumulators, List<StatisticsCell> cells)
        {
            for (var s = 0; s < _signatures.Length; s++)
            {
                var signature = _signatures[s];
                var accumulator = accumulators[s];
                for (var i = 0; i < accumulator.Counts.Length; i++)
                {
                    CellCodes codes;
                    if (signature.Length == 0)
                    {
                        codes = CellCodes.Total;
                    }
                    else if (signature.Length == 1)
                    {
                        codes = CellCodes.Of((StatisticsCatalogue.Dimensions[signature[0]].Id, StatisticsCatalogue.Dimensions[signature[0]].Codes[i].Id));
                    }
                    else
                    {
                        var first = StatisticsCatalogue.Dimensions[signature[0]];
                        var second = StatisticsCatalogue.Dimensions[signature[1]];
                        codes = CellCodes.Of((first.Id, first.Codes[i / second.Codes.Count].Id), (second.Id, second.Codes[i % second.Codes.Count].Id));
                    }

                    cells.Add(new StatisticsCell(Indicator.Id, year, codes, accumulator.Counts[i], ObservationStatus.Normal, FromCaseRecords: true, accumulator.Keys[i]));
                }
            }
        }

        private static void Count(Accumulator accumulator, int index, uint key)
        {
            accumulator.Counts[index]++;
            unchecked
            {
                accumulator.Keys[index] += key;
            }
        }
    }
}

/// <summary>How many units of one indicator carry one combination of codes over all its dimensions.</summary>
/// <param name="Codes">Per dimension of the indicator, in catalogue order, the indexes of the codes the units carry: one for a single-valued dimension, a set in ascending order for a multi-valued one.</param>
/// <param name="Count">How many units.</param>
public sealed record JointEntry(int[][] Codes, long Count)
{
    /// <summary>A text key for a combination of codes.</summary>
    public static string KeyOf(int[][] codes) => string.Join('|', codes.Select(c => string.Join(',', c)));
}

/// <summary>The joint distribution of one indicator's units in one year (only combinations that occur).</summary>
/// <param name="Indicator">The indicator id.</param>
/// <param name="Year">The year.</param>
/// <param name="Entries">Each combination that occurs, with its count.</param>
public sealed record JointTable(string Indicator, int Year, IReadOnlyList<JointEntry> Entries);

using System.Globalization;

namespace NremNet.Domain.Statistics.Rates;

/// <summary>One figure of a query's results: a country's value of one cell in one year, with how it was marked.</summary>
/// <param name="Country">REF_AREA, ISO 3166-1 alpha-2.</param>
/// <param name="Year">TIME_PERIOD.</param>
/// <param name="Cell">The cell's codes (dimensions at their total left out).</param>
/// <param name="Value">OBS_VALUE as released; null when withheld or missing.</param>
/// <param name="Status">OBS_STATUS as released.</param>
/// <param name="Confidentiality">CONF_STATUS as released: <see cref="ConfidentialityStatus.Free"/> unless withheld.</param>
/// <param name="Noisy">Whether the value carries deliberate noise (cell-key perturbation or differential privacy).</param>
/// <param name="Synthetic">Whether the country's figures are synthetic.</param>
public sealed record Figure(string Country, int Year, CellCodes Cell, long? Value, ObservationStatus Status, ConfidentialityStatus Confidentiality, bool Noisy, bool Synthetic)
{
    /// <summary>Whether the value is withheld (OBS_STATUS Q, or CONF_STATUS C or D).</summary>
    public bool Withheld => Status == ObservationStatus.Withheld || Confidentiality != ConfidentialityStatus.Free;

    /// <summary>Whether the value is not known and not withheld.</summary>
    public bool Missing => !Withheld && Value is null;
}

/// <summary>What a rate is.</summary>
public enum RateOutcome
{
    /// <summary>A rate was computed (see <see cref="Rate.Noisy"/> and <see cref="Rate.Status"/> for its markings).</summary>
    Rate,

    /// <summary>The count is withheld, so is the rate: it is never computed from a hidden value.</summary>
    Withheld,

    /// <summary>The count is missing, so is the rate.</summary>
    Missing,

    /// <summary>The count is known but no population covers it (see <see cref="Rate.Gap"/>).</summary>
    NotAvailable,
}

/// <summary>Why a rate is not given.</summary>
public enum RateGap
{
    /// <summary>Nothing: the rate is given.</summary>
    None,

    /// <summary>The count is withheld.</summary>
    CountWithheld,

    /// <summary>The count is missing.</summary>
    CountMissing,

    /// <summary>The country gave no population for the year.</summary>
    NoPopulation,

    /// <summary>The country's population of the year is not given for the cell's code of a dimension the population has (e.g. SEX=UNK).</summary>
    PopulationNotByCode,

    /// <summary>The population of the cell is withheld.</summary>
    PopulationWithheld,

    /// <summary>The population of the cell is missing.</summary>
    PopulationMissing,

    /// <summary>The population of the cell is 0.</summary>
    PopulationZero,
}

/// <summary>A rate per 100,000 population of one figure.</summary>
/// <param name="Count">The figure the rate is of.</param>
/// <param name="Outcome">Whether a rate was computed, and if not, whether it is withheld, missing or not available.</param>
/// <param name="Value">The rate per 100,000; null unless <see cref="Outcome"/> is <see cref="RateOutcome.Rate"/>.</param>
/// <param name="Noisy">Whether the rate carries the deliberate noise of its count (or of its population).</param>
/// <param name="Status">OBS_STATUS of the rate: the count's, or estimated/provisional when the population is.</param>
/// <param name="PopulationCell">The population cell it is per: the count's codes on the dimensions the population has.</param>
/// <param name="Population">The population it is per, when given.</param>
/// <param name="Gap">Why no rate is given, or <see cref="RateGap.None"/>.</param>
/// <param name="Reason">The gap in words (English), empty when the rate is given.</param>
public sealed record Rate(Figure Count, RateOutcome Outcome, double? Value, bool Noisy, ObservationStatus Status, CellCodes PopulationCell, long? Population, RateGap Gap, string Reason)
{
    /// <summary>Whether the rate is of synthetic figures (the count's or the population's).</summary>
    public bool Synthetic { get; init; }
}

/// <summary>
/// Rates per 100,000 population: each count divided by the resident population (<see cref="StatisticsCatalogue.Population"/>)
/// of the same country, year and — on the dimensions the population has (SEX, AGE) — the same codes. A count broken
/// down by another dimension too (EXPLOIT, say) is per the population of its margin on SEX and AGE: female victims of
/// sexual exploitation per 100,000 women and girls. A withheld, missing or noisy count gives a withheld, missing or
/// noisy rate; a rate is never computed from a hidden value.
/// </summary>
public static class PopulationRates
{
    /// <summary>Rates are per this many residents.</summary>
    public const double Per = 100_000;

    /// <summary>Whether rates per population make sense for an indicator: a count of persons other than the population itself.</summary>
    public static bool Applies(CatalogueIndicator indicator)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        return indicator.Id != StatisticsCatalogue.Population.Id && indicator.Unit == StatisticsCatalogue.Population.Unit;
    }

    /// <summary>
    /// The breakdown to ask the population for, to give rates of a query broken down by <paramref name="breakdown"/>: its
    /// dimensions that the population has, in catalogue order (none: the population's totals).
    /// </summary>
    public static IReadOnlyList<string> PopulationBreakdown(IEnumerable<string> breakdown)
    {
        ArgumentNullException.ThrowIfNull(breakdown);
        var asked = breakdown.ToHashSet(StringComparer.Ordinal);
        return [.. StatisticsCatalogue.Population.Dimensions.Where(asked.Contains)];
    }

    /// <summary>The population cell a count's cell is per: its codes on the dimensions the population has.</summary>
    public static CellCodes PopulationCell(CellCodes cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return CellCodes.Of(cell.Codes.Where(c => StatisticsCatalogue.Population.HasDimension(c.Key)));
    }

    /// <summary>The rate of every count, in the order of <paramref name="counts"/>.</summary>
    /// <param name="counts">The figures of an indicator (see <see cref="Applies"/>).</param>
    /// <param name="population">The population figures of the same countries and years, broken down by <see cref="PopulationBreakdown"/> or more.</param>
    public static IReadOnlyList<Rate> Compute(IEnumerable<Figure> counts, IEnumerable<Figure> population)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(population);
        var residents = new Dictionary<(string Country, int Year), Dictionary<string, Figure>>();
        foreach (var figure in population)
        {
            if (!residents.TryGetValue((figure.Country, figure.Year), out var cells))
            {
                residents[(figure.Country, figure.Year)] = cells = new Dictionary<string, Figure>(StringComparer.Ordinal);
            }

            cells[figure.Cell.Key] = figure;
        }

        return [.. counts.Select(count => Of(count, residents))];
    }

    private static Rate Of(Figure count, Dictionary<(string Country, int Year), Dictionary<string, Figure>> residents)
    {
        var cell = PopulationCell(count.Cell);
        Rate Gap(RateOutcome outcome, RateGap gap, string reason, Figure? population = null) =>
            new(count, outcome, null, false, count.Status, cell, population?.Value, gap, reason) { Synthetic = count.Synthetic || population?.Synthetic == true };

        if (count.Withheld)
        {
            return Gap(RateOutcome.Withheld, RateGap.CountWithheld, "the count is withheld, so the rate is withheld too");
        }

        if (count.Value is not { } value)
        {
            return Gap(RateOutcome.Missing, RateGap.CountMissing, "the count is missing, so the rate is missing too");
        }

        var where = string.Create(CultureInfo.InvariantCulture, $"{count.Country} {count.Year}");
        if (!residents.TryGetValue((count.Country, count.Year), out var cells))
        {
            return Gap(RateOutcome.NotAvailable, RateGap.NoPopulation, $"no population of {where} was given");
        }

        if (!cells.TryGetValue(cell.Key, out var population))
        {
            return Gap(RateOutcome.NotAvailable, RateGap.PopulationNotByCode, $"the population of {where} is not given for {Describe(cell)}");
        }

        if (population.Withheld)
        {
            return Gap(RateOutcome.NotAvailable, RateGap.PopulationWithheld, $"the population of {where}, {Describe(cell)}, is withheld", population);
        }

        if (population.Value is not { } residentCount)
        {
            return Gap(RateOutcome.NotAvailable, RateGap.PopulationMissing, $"the population of {where}, {Describe(cell)}, is missing", population);
        }

        if (residentCount == 0)
        {
            return Gap(RateOutcome.NotAvailable, RateGap.PopulationZero, $"the population of {where}, {Describe(cell)}, is 0", population);
        }

        return new Rate(count, RateOutcome.Rate, value * Per / residentCount, count.Noisy || population.Noisy, Status(count.Status, population.Status), cell, residentCount, RateGap.None, string.Empty)
        {
            Synthetic = count.Synthetic || population.Synthetic,
        };
    }

    // A rate is as final as the less final of its two parts: provisional before estimated before normal.
    private static ObservationStatus Status(ObservationStatus count, ObservationStatus population) =>
        count == ObservationStatus.Provisional || population == ObservationStatus.Provisional ? ObservationStatus.Provisional
        : count == ObservationStatus.Estimated || population == ObservationStatus.Estimated ? ObservationStatus.Estimated
        : count;

    private static string Describe(CellCodes cell) => cell.Count == 0 ? "the total" : cell.Key;
}

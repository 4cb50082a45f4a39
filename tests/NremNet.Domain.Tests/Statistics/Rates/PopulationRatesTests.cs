using NremNet.Domain.Statistics;
using NremNet.Domain.Statistics.Rates;

namespace NremNet.Domain.Tests.Statistics.Rates;

public sealed class PopulationRatesTests
{
    private static readonly Figure[] Population =
    [
        Count("NL", 2023, CellCodes.Total, 17_800_000),
        Count("NL", 2023, CellCodes.Of(("SEX", "F")), 9_000_000),
        Count("NL", 2023, CellCodes.Of(("SEX", "M")), 8_800_000),
        Count("NL", 2023, CellCodes.Of(("SEX", "F"), ("AGE", "Y_LT18")), 1_700_000),
        Count("SE", 2023, CellCodes.Total, 10_500_000),
        Count("SE", 2023, CellCodes.Of(("SEX", "F")), null, ObservationStatus.Withheld, ConfidentialityStatus.Primary),
        Count("SE", 2023, CellCodes.Of(("SEX", "M")), null, ObservationStatus.Missing),
        Count("FI", 2023, CellCodes.Total, 0),
        Count("FI", 2022, CellCodes.Total, 5_500_000, ObservationStatus.Estimated),
    ];

    [Fact]
    public void Compute_KnownCountAndPopulation_GivesTheRatePer100000()
    {
        var rate = Single(Count("NL", 2023, CellCodes.Total, 890));

        Assert.Equal(RateOutcome.Rate, rate.Outcome);
        Assert.Equal(5.0, rate.Value!.Value, 10);
        Assert.Equal(17_800_000, rate.Population);
        Assert.Equal((RateGap.None, string.Empty, false), (rate.Gap, rate.Reason, rate.Noisy));
        Assert.Equal(ObservationStatus.Normal, rate.Status);
    }

    [Fact]
    public void Compute_SexAndAge_ArePerThePopulationOfTheSameSexAndAge()
    {
        var girls = Single(Count("NL", 2023, CellCodes.Of(("SEX", "F"), ("AGE", "Y_LT18")), 85));
        var women = Single(Count("NL", 2023, CellCodes.Of(("SEX", "F")), 450));

        Assert.Equal(5.0, girls.Value!.Value, 10);
        Assert.Equal(CellCodes.Of(("SEX", "F"), ("AGE", "Y_LT18")), girls.PopulationCell);
        Assert.Equal(5.0, women.Value!.Value, 10);
    }

    [Fact]
    public void Compute_OtherDimensions_ArePerThePopulationOfTheirMarginOnSexAndAge()
    {
        var sexual = Single(Count("NL", 2023, CellCodes.Of(("SEX", "F"), ("EXPLOIT", "SEX")), 180));
        var labour = Single(Count("NL", 2023, CellCodes.Of(("EXPLOIT", "LAB")), 356));

        Assert.Equal(CellCodes.Of(("SEX", "F")), sexual.PopulationCell);
        Assert.Equal(2.0, sexual.Value!.Value, 10);
        Assert.Equal(CellCodes.Total, labour.PopulationCell);
        Assert.Equal(2.0, labour.Value!.Value, 10);
    }

    [Fact]
    public void Compute_WithheldCount_GivesAWithheldRate_NeverOneFromTheHiddenValue()
    {
        // A withheld count never carries a value; even if one came, the rate is not computed from it.
        var small = Single(Count("NL", 2023, CellCodes.Of(("SEX", "F")), 3, ObservationStatus.Withheld, ConfidentialityStatus.Primary));
        var shielding = Single(Count("NL", 2023, CellCodes.Of(("SEX", "M")), null, ObservationStatus.Withheld, ConfidentialityStatus.Secondary));

        Assert.Equal((RateOutcome.Withheld, RateGap.CountWithheld, (double?)null), (small.Outcome, small.Gap, small.Value));
        Assert.Equal(ConfidentialityStatus.Primary, small.Count.Confidentiality);
        Assert.Equal((RateOutcome.Withheld, (double?)null), (shielding.Outcome, shielding.Value));
        Assert.Contains("withheld", small.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_MissingCount_GivesAMissingRate()
    {
        var rate = Single(Count("NL", 2023, CellCodes.Total, null, ObservationStatus.Missing));

        Assert.Equal((RateOutcome.Missing, RateGap.CountMissing, (double?)null), (rate.Outcome, rate.Gap, rate.Value));
    }

    [Fact]
    public void Compute_NoisyCount_GivesANoisyRate()
    {
        var rate = Single(Count("NL", 2023, CellCodes.Total, 892) with { Noisy = true });

        Assert.Equal(RateOutcome.Rate, rate.Outcome);
        Assert.True(rate.Noisy);
        Assert.Equal(892 * 100_000.0 / 17_800_000, rate.Value!.Value, 10);
    }

    [Theory]
    [InlineData("NL", 2022, "", RateGap.NoPopulation, "no population of NL 2022")]
    [InlineData("DE", 2023, "", RateGap.NoPopulation, "no population of DE 2023")]
    [InlineData("NL", 2023, "SEX=UNK", RateGap.PopulationNotByCode, "not given for SEX=UNK")]
    [InlineData("NL", 2023, "AGE=Y_GE18", RateGap.PopulationNotByCode, "not given for AGE=Y_GE18")]
    [InlineData("SE", 2023, "SEX=F", RateGap.PopulationWithheld, "withheld")]
    [InlineData("SE", 2023, "SEX=M;EXPLOIT=LAB", RateGap.PopulationMissing, "SEX=M, is missing")]
    [InlineData("FI", 2023, "", RateGap.PopulationZero, "is 0")]
    public void Compute_KnownCountWithoutAUsablePopulation_IsNotAvailable_WithTheReason(string country, int year, string cell, RateGap gap, string reason)
    {
        var rate = Single(Count(country, year, CellCodes.Parse(cell), 40));

        Assert.Equal((RateOutcome.NotAvailable, gap, (double?)null), (rate.Outcome, rate.Gap, rate.Value));
        Assert.Contains(reason, rate.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_EstimatedPopulation_GivesAnEstimatedRate_AndSyntheticFiguresASyntheticOne()
    {
        var estimated = Single(Count("FI", 2022, CellCodes.Total, 55));
        var synthetic = Single(Count("NL", 2023, CellCodes.Total, 89) with { Synthetic = true });

        Assert.Equal((ObservationStatus.Estimated, 1.0), (estimated.Status, Math.Round(estimated.Value!.Value, 6)));
        Assert.True(synthetic.Synthetic);
        Assert.False(estimated.Synthetic);
    }

    [Fact]
    public void Compute_KeepsTheOrderOfTheCounts()
    {
        Figure[] counts = [Count("SE", 2023, CellCodes.Total, 210), Count("NL", 2023, CellCodes.Total, 178), Count("NL", 2023, CellCodes.Of(("SEX", "F")), 90)];

        var rates = PopulationRates.Compute(counts, Population);

        Assert.Equal(counts, rates.Select(r => r.Count));
        Assert.Equal([2.0, 1.0, 1.0], rates.Select(r => Math.Round(r.Value!.Value, 6)));
    }

    [Fact]
    public void PopulationBreakdown_KeepsTheDimensionsThePopulationHas()
    {
        Assert.Equal(["SEX", "AGE"], PopulationRates.PopulationBreakdown(["AGE", "EXPLOIT", "SEX"]));
        Assert.Equal(["SEX"], PopulationRates.PopulationBreakdown(["SEX", "CITIZEN_GRP"]));
        Assert.Empty(PopulationRates.PopulationBreakdown(["EXPLOIT"]));
    }

    [Fact]
    public void Applies_ToCountsOfPersons_NotToThePopulationItself()
    {
        Assert.True(PopulationRates.Applies(StatisticsCatalogue.Indicator("THB_VICT_REG")));
        Assert.True(PopulationRates.Applies(StatisticsCatalogue.Indicator("THB_CONV")));
        Assert.False(PopulationRates.Applies(StatisticsCatalogue.Population));
    }

    private static Rate Single(Figure count) => Assert.Single(PopulationRates.Compute([count], Population));

    private static Figure Count(string country, int year, CellCodes cell, long? value, ObservationStatus status = ObservationStatus.Normal, ConfidentialityStatus confidentiality = ConfidentialityStatus.Free) =>
        new(country, year, cell, value, value is null && status == ObservationStatus.Normal ? ObservationStatus.Missing : status, confidentiality, Noisy: false, Synthetic: false);
}

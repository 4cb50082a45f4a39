using NremNet.Domain.Statistics;
using NremNet.Domain.Statistics.Aggregation;
using NremNet.Domain.Statistics.Disclosure;
using NremNet.Domain.Tests.Statistics.Disclosure;

namespace NremNet.Domain.Tests.Statistics;

public sealed class StatisticsCatalogueTests
{
    [Fact]
    public void Population_IsAnOrdinaryPublishedIndicatorBySexAndAge_ExemptFromDisclosureControl()
    {
        var population = StatisticsCatalogue.Indicator("POPULATION");

        Assert.Same(StatisticsCatalogue.Population, population);
        Assert.Equal(["SEX", "AGE"], population.Dimensions);
        Assert.Null(population.Basis);
        Assert.Equal("persons", population.Unit);
        Assert.True(population.ExemptFromDisclosureControl);
        Assert.Equal(["POPULATION"], StatisticsCatalogue.Indicators.Where(i => i.ExemptFromDisclosureControl).Select(i => i.Id));
    }

    [Fact]
    public void ExemptIndicators_NeverComeFromCaseRecords()
    {
        Assert.All(StatisticsCatalogue.Indicators.Where(i => i.ExemptFromDisclosureControl), i => Assert.Null(i.Basis));
    }

    [Fact]
    public void Protect_PopulationCells_AreReleasedAsPublished_EvenSmallOnes_AndTheRestIsProtectedAsBefore()
    {
        const int Year = 2023;
        PublishedValue[] published =
        [
            new("POPULATION", Year, CellCodes.Total, 12, ObservationStatus.Normal),
            new("POPULATION", Year, CellCodes.Of(("SEX", "F")), 3, ObservationStatus.Normal),
            new("POPULATION", Year, CellCodes.Of(("SEX", "M")), 9, ObservationStatus.Normal),
            new("THB_SUSP", Year, CellCodes.Total, 12, ObservationStatus.Normal),
            new("THB_SUSP", Year, CellCodes.Of(("SEX", "F")), 3, ObservationStatus.Normal),
            new("THB_SUSP", Year, CellCodes.Of(("SEX", "M")), 9, ObservationStatus.Normal),
            new("THB_SUSP", Year, CellCodes.Of(("SEX", "X")), 0, ObservationStatus.Normal),
            new("THB_SUSP", Year, CellCodes.Of(("SEX", "UNK")), 0, ObservationStatus.Normal),
        ];
        var release = ReleaseYear.Of(Year, "NL", [], published, _ => 0);

        var protection = DisclosureControl.Protect(Year, release.Cells, release.Joint, 5, TestYears.Solver());

        var status = release.Cells.Select((c, i) => (c.Indicator, c.Cell.Key, Status: protection.Confidentiality[i])).ToList();
        Assert.All(status.Where(s => s.Indicator == "POPULATION"), s => Assert.Equal(ConfidentialityStatus.Free, s.Status));
        Assert.Equal(ConfidentialityStatus.Primary, status.Single(s => s.Indicator == "THB_SUSP" && s.Key == "SEX=F").Status);
        Assert.NotEqual(ConfidentialityStatus.Free, status.Single(s => s.Indicator == "THB_SUSP" && s.Key == "SEX=M").Status);
        Assert.Equal(release.Cells.Count, protection.Confidentiality.Count);
        Assert.Equal(0, protection.Unprotectable);
    }
}

using NremNet.Domain.Practices;

namespace NremNet.Domain.Tests.Practices;

public class EvidenceCatalogueTests
{
    private static EvidenceAssessment Assessment(IReadOnlyList<CriterionAssessment> criteria, bool source = true) =>
        new() { Criteria = criteria, Source = source ? new EvidenceSource { Url = "https://example.org/report.pdf" } : null };

    [Fact]
    public void Criteria_TheEightPublishedCriteria_WithTexts()
    {
        Assert.Equal(
            ["relevance", "evidence_base", "ethics", "effectiveness", "equity", "transferability", "sustainability", "participation"],
            EvidenceCatalogue.Criteria.Select(c => c.Id));
        Assert.All(EvidenceCatalogue.Criteria, c => Assert.All([c.Label, c.Question, c.Met, c.PartlyMet, c.NotMet], t => Assert.False(string.IsNullOrWhiteSpace(t))));
    }

    [Fact]
    public void Rules_EachGradeAsksAtLeastWhatTheGradeBelowAsks()
    {
        Assert.Equal([EvidenceGrade.Emerging, EvidenceGrade.Promising, EvidenceGrade.Evaluated], EvidenceCatalogue.Rules.Select(r => r.Grade));
        for (var i = 1; i < EvidenceCatalogue.Rules.Count; i++)
        {
            var lower = EvidenceCatalogue.Rules[i - 1];
            var higher = EvidenceCatalogue.Rules[i];
            Assert.True(higher.MinimumMet >= lower.MinimumMet);
            Assert.True(higher.SourceRequired || !lower.SourceRequired);
            foreach (var requirement in lower.Requirements)
            {
                var same = higher.Requirements.Single(r => r.Criterion == requirement.Criterion);
                Assert.True(same.Minimum >= requirement.Minimum);
            }
        }

        Assert.All(EvidenceCatalogue.Rules.SelectMany(r => r.Requirements), r => Assert.NotNull(EvidenceCatalogue.Criterion(r.Criterion)));
    }

    [Fact]
    public void SupportedGrade_AllMetWithSource_Evaluated()
    {
        Assert.Equal(EvidenceGrade.Evaluated, EvidenceCatalogue.SupportedGrade(Assessment(PracticeSamples.AllCriteria(CriterionRating.Met))));
    }

    [Fact]
    public void SupportedGrade_AllMetWithoutSource_Emerging()
    {
        Assert.Equal(EvidenceGrade.Emerging, EvidenceCatalogue.SupportedGrade(Assessment(PracticeSamples.AllCriteria(CriterionRating.Met), source: false)));
    }

    [Fact]
    public void SupportedGrade_EffectivenessPartly_Promising()
    {
        var assessment = Assessment(PracticeSamples.Criteria(CriterionRating.Met, ("effectiveness", CriterionRating.PartlyMet)));

        Assert.Equal(EvidenceGrade.Promising, EvidenceCatalogue.SupportedGrade(assessment));
        Assert.Equal(["EVALUATED needs effectiveness met, but it is partly met"], EvidenceCatalogue.Shortfalls(assessment, EvidenceGrade.Evaluated));
    }

    [Fact]
    public void SupportedGrade_FiveMetOfEight_NotEvaluated()
    {
        var assessment = Assessment(PracticeSamples.Criteria(
            CriterionRating.Met, ("equity", CriterionRating.PartlyMet), ("participation", CriterionRating.NotMet), ("sustainability", CriterionRating.PartlyMet)));

        Assert.Equal(EvidenceGrade.Promising, EvidenceCatalogue.SupportedGrade(assessment));
        Assert.Equal(["EVALUATED needs at least 6 of the 8 criteria met, not 5"], EvidenceCatalogue.Shortfalls(assessment, EvidenceGrade.Evaluated));
    }

    [Fact]
    public void SupportedGrade_EthicsPartly_NoGrade()
    {
        var assessment = Assessment(PracticeSamples.Criteria(CriterionRating.Met, ("ethics", CriterionRating.PartlyMet)));

        Assert.Equal(EvidenceGrade.Unspecified, EvidenceCatalogue.SupportedGrade(assessment));
        Assert.Equal(["EMERGING needs ethics met, but it is partly met"], EvidenceCatalogue.Shortfalls(assessment, EvidenceGrade.Emerging));
    }

    [Fact]
    public void SupportedGrade_NewPracticeNothingMeasured_Emerging()
    {
        var assessment = Assessment(
            PracticeSamples.Criteria(CriterionRating.NotMet, ("relevance", CriterionRating.PartlyMet), ("ethics", CriterionRating.Met)), source: false);

        Assert.Equal(EvidenceGrade.Emerging, EvidenceCatalogue.SupportedGrade(assessment));
    }

    [Fact]
    public void Shortfalls_NothingAssessed_EveryRequirement()
    {
        var shortfalls = EvidenceCatalogue.Shortfalls(new EvidenceAssessment(), EvidenceGrade.Promising);

        Assert.Equal(
            [
                "PROMISING needs relevance met, but it is not assessed",
                "PROMISING needs ethics met, but it is not assessed",
                "PROMISING needs evidence_base at least partly met, but it is not assessed",
                "PROMISING needs effectiveness at least partly met, but it is not assessed",
                "PROMISING needs at least 4 of the 8 criteria met, not 0",
                "PROMISING needs a source document. Required: a monitoring report, internal review or documented results.",
            ],
            shortfalls);
    }

    [Theory]
    [InlineData("evaluated", EvidenceGrade.Evaluated, "EVALUATED")]
    [InlineData("Promising", EvidenceGrade.Promising, "PROMISING")]
    [InlineData("EMERGING", EvidenceGrade.Emerging, "EMERGING")]
    public void TryParseGrade_AnyCase_ReadsAndWritesBack(string code, EvidenceGrade grade, string written)
    {
        Assert.True(EvidenceCatalogue.TryParseGrade(code, out var parsed));
        Assert.Equal(grade, parsed);
        Assert.Equal(written, EvidenceCatalogue.Code(parsed));
        Assert.False(EvidenceCatalogue.TryParseGrade("GOOD", out _));
    }

    [Theory]
    [InlineData("met", CriterionRating.Met)]
    [InlineData("PARTLY", CriterionRating.PartlyMet)]
    [InlineData("not_met", CriterionRating.NotMet)]
    public void TryParseRating_AnyCase_ReadsAndWritesBack(string code, CriterionRating rating)
    {
        Assert.True(EvidenceCatalogue.TryParseRating(code, out var parsed));
        Assert.Equal(rating, parsed);
        Assert.Equal(code.ToLowerInvariant(), EvidenceCatalogue.Code(parsed));
        Assert.False(EvidenceCatalogue.TryParseRating("sometimes", out _));
    }
}

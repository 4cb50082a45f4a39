using NremNet.Domain.Practices;
using NremNet.Domain.Statistics;

namespace NremNet.Domain.Tests.Practices;

public class PracticeCatalogueTests
{
    [Fact]
    public void ExploitationForms_StatisticsCatalogueForms_WithoutUnknown()
    {
        Assert.Equal(["SEX", "LAB", "CRIM", "BEG", "MAR", "ORG", "OTH"], PracticeCatalogue.ExploitationForms.Select(c => c.Id));
        Assert.Same(StatisticsCatalogue.Exploitation.Codes[0], PracticeCatalogue.ExploitationForms[0]);
    }

    [Fact]
    public void Themes_TheSixAreas()
    {
        Assert.Equal(["prevention", "protection", "prosecution", "partnership", "data_collection", "monitoring"], PracticeCatalogue.Themes.Select(c => c.Id));
    }

    [Fact]
    public void CodeLists_UniqueCodesWithTexts()
    {
        IReadOnlyList<CatalogueCode>[] lists = [PracticeCatalogue.Themes, PracticeCatalogue.TargetGroups, PracticeCatalogue.TranslationKinds, EvidenceCatalogue.Ratings];
        foreach (var list in lists)
        {
            Assert.Equal(list.Count, list.Select(c => c.Id).Distinct(StringComparer.OrdinalIgnoreCase).Count());
            Assert.All(list, c => Assert.False(string.IsNullOrWhiteSpace(c.Label) || string.IsNullOrWhiteSpace(c.Definition)));
        }

        Assert.All(PracticeCatalogue.TargetGroups, c => Assert.Matches("^[a-z_]+$", c.Id));
    }

    [Theory]
    [InlineData("en", true)]
    [InlineData("bg", true)]
    [InlineData("ne", true)]
    [InlineData("EN", false)]
    [InlineData("xx", false)]
    [InlineData("eng", false)]
    [InlineData(null, false)]
    public void IsLanguage_Code_OnlyIso6391LowerCase(string? code, bool expected)
    {
        Assert.Equal(expected, PracticeCatalogue.IsLanguage(code));
    }

    [Fact]
    public void Languages_TwoLowerCaseLettersEachOnce()
    {
        Assert.All(PracticeCatalogue.Languages, l => Assert.Matches("^[a-z]{2}$", l));
        Assert.Equal(PracticeCatalogue.Languages.Count, PracticeCatalogue.Languages.Distinct().Count());
        Assert.True(PracticeCatalogue.Languages.Count > 180);
    }

    [Theory]
    [InlineData("human", TranslationKind.Human)]
    [InlineData("MACHINE", TranslationKind.Machine)]
    public void TryParseTranslationKind_AnyCase_ReadsAndWritesBack(string code, TranslationKind kind)
    {
        Assert.True(PracticeCatalogue.TryParseTranslationKind(code, out var parsed));
        Assert.Equal(kind, parsed);
        Assert.Equal(code.ToUpperInvariant(), PracticeCatalogue.Code(parsed));
        Assert.False(PracticeCatalogue.TryParseTranslationKind("robot", out _));
    }
}

using NremNet.Contracts.Local.V1;
using static NremNet.Node.Tests.Practices.Search.SearchCorpus;

namespace NremNet.Node.Tests.Practices.Search;

/// <summary>
/// Facets count every hit (not only the page) and always equal the hits they filter to; filters combine as
/// alternatives within a facet and requirements across facets.
/// </summary>
public sealed class PracticeSearchFacetTests(SearchCorpusFixture corpus) : IClassFixture<SearchCorpusFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, bool> Searches => new()
    {
        { "", "en", false },
        { "", "en", true },
        { "forced labour", "en", false },
        { "travail forcé", "fr", false },
        { "shelter", "en", true },
        { "victims", "en", false },
        { "forcde labour", "en", false },
    };

    [Theory]
    [MemberData(nameof(Searches))]
    public async Task Facets_EveryValuesCount_IsTheTotalWhenFilteredByIt(string text, string language, bool includeWithdrawn)
    {
        var request = new SearchPracticesRequest { Text = text, Language = language, IncludeWithdrawn = includeWithdrawn, Limit = 1 };
        var response = await Search(request);

        Assert.Equal(["country", "theme", "exploitation", "target_group", "grade", "language", "year"], response.Facets.Select(f => f.Name));
        Assert.True(response.Total > 0);
        var checkedValues = 0;
        foreach (var facet in response.Facets)
        {
            Assert.NotEmpty(facet.Values);
            Assert.Equal(facet.Values.OrderByDescending(v => v.Count).ThenBy(v => v.Value, StringComparer.Ordinal), facet.Values);
            foreach (var value in facet.Values)
            {
                var filtered = await Search(WithFilter(request, facet.Name, value.Value));
                Assert.True(value.Count == filtered.Total, $"{facet.Name}={value.Value} counts {value.Count} of '{text}', the filter finds {filtered.Total}");
                checkedValues++;
            }
        }

        Assert.True(checkedValues > 20, $"only {checkedValues} values were checked");
    }

    [Fact]
    public async Task Facets_NarrowingAFilteredFacetToOneValue_GivesItsCount()
    {
        var request = new SearchPracticesRequest { Themes = { "prevention", "protection" }, Limit = 1 };
        var response = await Search(request);

        var themes = response.Facets.Single(f => f.Name == "theme");
        foreach (var value in themes.Values.Where(v => v.Value is "prevention" or "protection"))
        {
            var narrowed = request.Clone();
            narrowed.Themes.Clear();
            narrowed.Themes.Add(value.Value);
            Assert.Equal(value.Count, (await Search(narrowed)).Total);
        }
    }

    [Fact]
    public async Task Facets_CountAllHits_NotThePage()
    {
        var response = await Search(new SearchPracticesRequest { Limit = 2 });

        Assert.Equal(2, response.Hits.Count);
        Assert.Equal(All.Count - 1, response.Total);
        Assert.Equal(response.Total, response.Facets.Single(f => f.Name == "country").Values.Sum(v => v.Count));
        Assert.Equal(response.Total, response.Facets.Single(f => f.Name == "grade").Values.Sum(v => v.Count));
    }

    [Fact]
    public async Task Facets_CorpusCounts()
    {
        var response = await Search(new SearchPracticesRequest());

        Assert.Equal(
            [("NG", 4), ("NL", 3), ("AR", 2), ("SE", 2), ("BG", 1), ("FI", 1), ("FR", 1)],
            Values(response, "country"));
        Assert.Equal([("EMERGING", 6), ("PROMISING", 5), ("EVALUATED", 3)], Values(response, "grade"));
        // Translations count for their language too: ng-forced-agri is in en and fr, se-child-shelter in sv and en.
        Assert.Equal([("en", 7), ("es", 2), ("fr", 2), ("nl", 2), ("sv", 2), ("bg", 1), ("fi", 1)], Values(response, "language"));
        // ng-register runs from 2022 with no end: up to 2024, the year its version was signed.
        Assert.Contains(("2024", 4), Values(response, "year"));
        Assert.Contains(("2016", 1), Values(response, "year"));
        Assert.DoesNotContain(Values(response, "year"), v => v.Value == "2015");
    }

    [Fact]
    public async Task Filters_WithinAFacetAny_AcrossFacetsAll()
    {
        Assert.Equal(
            new[] { "nl-hotels", "nl-municipal", "nl-mentoring" }.Order(),
            await Ids(new SearchPracticesRequest { Countries = { "NL" } }));
        Assert.Equal(
            new[] { "fr-restaurants", "se-berries", "ng-register" }.Order(),
            await Ids(new SearchPracticesRequest { Themes = { "prosecution", "monitoring" } }));
        Assert.Equal(
            new[] { "ng-forced-agri", "ng-employers" }.Order(),
            await Ids(new SearchPracticesRequest { Countries = { "NG" }, Themes = { "prevention" } }));
        Assert.Equal(
            new[] { "nl-mentoring" },
            await Ids(new SearchPracticesRequest { Years = { 2016 } }));
        Assert.Equal(
            new[] { "fi-reception", "ng-register", "ng-helpline", "bg-campaign" }.Order(),
            await Ids(new SearchPracticesRequest { Years = { 2024 } }));
        Assert.Equal(
            new[] { "ng-forced-agri", "fr-restaurants" }.Order(),
            await Ids(new SearchPracticesRequest { Languages = { "fr" } }));
        Assert.Equal(
            new[] { "ng-forced-agri", "se-child-shelter", "ng-helpline" }.Order(),
            await Ids(new SearchPracticesRequest { Grades = { "EVALUATED" } }));
        Assert.Equal(
            new[] { "nl-hotels", "ar-shelters" }.Order(),
            await Ids(new SearchPracticesRequest { Exploitation = { "SEX" } }));
        Assert.Equal(
            new[] { "se-child-shelter", "bg-campaign" }.Order(),
            await Ids(new SearchPracticesRequest { TargetGroups = { "children" } }));
        Assert.Equal(
            new[] { "se-child-shelter", "bg-campaign", "ng-emergency-shelter" }.Order(),
            await Ids(new SearchPracticesRequest { TargetGroups = { "children" }, IncludeWithdrawn = true }));
        Assert.Empty(await Ids(new SearchPracticesRequest { Countries = { "NP" } }));
    }

    [Fact]
    public async Task Filters_CodesInAnyCase()
    {
        Assert.Equal(
            await Ids(new SearchPracticesRequest { Countries = { "NL" }, Grades = { "PROMISING" }, Exploitation = { "SEX" }, Languages = { "nl" } }),
            await Ids(new SearchPracticesRequest { Countries = { "nl" }, Grades = { "promising" }, Exploitation = { "sex" }, Languages = { "NL" } }));
    }

    [Fact]
    public async Task Filters_ApplyToTextQueries()
    {
        Assert.Equal(
            new[] { "se-berries" },
            await Ids(new SearchPracticesRequest { Text = "travail forcé", Language = "fr", Countries = { "SE" } }));
        Assert.Equal(
            new[] { "ng-forced-agri", "ng-helpline" }.Order(),
            await Ids(new SearchPracticesRequest { Text = "forced labour", Language = "en", Grades = { "EVALUATED" } }));
    }

    private Task<SearchPracticesResponse> Search(SearchPracticesRequest request) => corpus.Database.SearchAsync(request, Ct);

    private async Task<IEnumerable<string>> Ids(SearchPracticesRequest request)
    {
        request.Limit = 200;
        return (await Search(request)).Hits.Select(h => h.Practice.Version.DocumentId).Order().ToList();
    }

    private static List<(string Value, int Count)> Values(SearchPracticesResponse response, string facet) =>
        response.Facets.Single(f => f.Name == facet).Values.Select(v => (v.Value, v.Count)).ToList();

    private static SearchPracticesRequest WithFilter(SearchPracticesRequest request, string facet, string value)
    {
        var filtered = request.Clone();
        filtered.Limit = 1;
        switch (facet)
        {
            case "country": filtered.Countries.Add(value); break;
            case "theme": filtered.Themes.Add(value); break;
            case "exploitation": filtered.Exploitation.Add(value); break;
            case "target_group": filtered.TargetGroups.Add(value); break;
            case "grade": filtered.Grades.Add(value); break;
            case "language": filtered.Languages.Add(value); break;
            case "year": filtered.Years.Add(int.Parse(value, System.Globalization.CultureInfo.InvariantCulture)); break;
            default: throw new ArgumentOutOfRangeException(nameof(facet), facet, "not a facet");
        }

        return filtered;
    }
}

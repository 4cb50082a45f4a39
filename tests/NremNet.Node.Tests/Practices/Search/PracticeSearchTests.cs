using NremNet.Contracts.Local.V1;
using NremNet.Contracts.Practices.V1;
using NremNet.Node.Practices.Search;
using NremNet.Search.Analysis;
using NremNet.Search.Queries;
using NremNet.Search.Vocabulary;
using static NremNet.Node.Tests.Practices.Search.SearchCorpus;

namespace NremNet.Node.Tests.Practices.Search;

/// <summary>
/// Searches on the fixed corpus (<see cref="SearchCorpus"/>) with the results each query must give: stemming per
/// language, across languages through the concept vocabulary, typos, diacritics, withdrawn practices, ordering,
/// paging and snippets. Facets and filters are in <see cref="PracticeSearchFacetTests"/>, changes of the index in
/// <see cref="PracticeSearchIndexTests"/>.
/// </summary>
public sealed class PracticeSearchTests(SearchCorpusFixture corpus) : IClassFixture<SearchCorpusFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("en", "exploited", new[] { "nl-hotels", "ng-employers" })]
    [InlineData("en", "Exploitation", new[] { "nl-hotels", "ng-employers" })]
    [InlineData("nl", "gemeenten", new[] { "nl-municipal" })]
    [InlineData("nl", "slachtoffer", new[] { "nl-hotels" })]
    [InlineData("sv", "tvångsarbete", new[] { "se-berries" })]
    [InlineData("sv", "personalen", new[] { "se-child-shelter" })]
    [InlineData("fi", "uhri", new[] { "fi-reception" })]
    [InlineData("fi", "ihmiskauppa", new[] { "fi-reception" })]
    [InlineData("fr", "exploité", new[] { "fr-restaurants" })]
    [InlineData("es", "víctima", new[] { "ar-shelters" })]
    public async Task Search_InflectedWord_FindsTheOtherFormsInItsLanguage(string language, string text, string[] expected)
    {
        var response = await Search(new SearchPracticesRequest { Text = text, Language = language });

        // By its words in the query's language; a word that is also a vocabulary concept finds other languages too.
        Assert.Equal(expected.Order(), response.Hits.Where(h => !h.ByConcept).Select(h => h.Practice.Version.DocumentId).Order());
        Assert.All(response.Hits, hit => Assert.Equal(hit.ByConcept, hit.MatchedLanguage != language));
        Assert.Equal("", response.DidYouMean);
        Assert.False(response.Corrected);
    }

    [Fact]
    public async Task Search_SwedishDefiniteForm_FindsTheIndefinite_AndChildrenElsewhereThroughTheConcept()
    {
        // "barnen" (the children) finds "barn" in Swedish; the word is also the vocabulary's concept "children".
        var response = await Search(new SearchPracticesRequest { Text = "barnen", Language = "sv" });

        var swedish = Assert.Single(response.Hits, h => !h.ByConcept);
        Assert.Equal(ChildShelterSweden.Id, swedish.Practice.Version.DocumentId);
        Assert.Equal("sv", swedish.MatchedLanguage);
        Assert.All(response.Hits.Where(h => h.ByConcept), h => Assert.NotEqual("sv", h.MatchedLanguage));
    }

    [Fact]
    public async Task Search_FrenchForcedLabour_FindsFrenchByWordsAndOtherLanguagesByConcept()
    {
        var response = await Search(new SearchPracticesRequest { Text = "travail forcé", Language = "fr" });

        var hits = response.Hits.ToDictionary(h => h.Practice.Version.DocumentId);
        Assert.Equal(
            new[] { ForcedLabourAgriculture.Id, RestaurantsFrance.Id, Helpline.Id, BerryPickersSweden.Id, ConstructionArgentina.Id }.Order(),
            hits.Keys.Order());
        Assert.Equal(5, response.Total);

        // By its French translation's words, although its original is English.
        Assert.Equal(("fr", false), (hits[ForcedLabourAgriculture.Id].MatchedLanguage, hits[ForcedLabourAgriculture.Id].ByConcept));
        Assert.Equal(("fr", false), (hits[RestaurantsFrance.Id].MatchedLanguage, hits[RestaurantsFrance.Id].ByConcept));
        Assert.Equal(("en", true), (hits[Helpline.Id].MatchedLanguage, hits[Helpline.Id].ByConcept));
        Assert.Equal(("sv", true), (hits[BerryPickersSweden.Id].MatchedLanguage, hits[BerryPickersSweden.Id].ByConcept));
        Assert.Equal(("es", true), (hits[ConstructionArgentina.Id].MatchedLanguage, hits[ConstructionArgentina.Id].ByConcept));
    }

    [Fact]
    public async Task Search_QueryInTheNodesLanguage_WhenTheRequestNamesNone()
    {
        var asFrench = await corpus.Database.SearchAsync(new SearchPracticesRequest { Text = "travail forcé" }, Ct, nodeLanguage: "fr");
        var asEnglish = await corpus.Database.SearchAsync(new SearchPracticesRequest { Text = "travail forcé", Language = "en" }, Ct, nodeLanguage: "fr");

        Assert.Equal(5, asFrench.Total);
        Assert.All(asFrench.Hits.Where(h => !h.ByConcept), h => Assert.Equal("fr", h.MatchedLanguage));
        Assert.DoesNotContain(asEnglish.Hits, h => h.MatchedLanguage == "fr" && !h.ByConcept);
    }

    [Fact]
    public async Task Search_Misspelt_FindsTheCorrectedQuery_WithDidYouMean()
    {
        var response = await Search(new SearchPracticesRequest { Text = "forcde labour", Language = "en" });

        Assert.Equal("forced labour", response.DidYouMean);
        Assert.True(response.Corrected);
        var expected = await Search(new SearchPracticesRequest { Text = "forced labour", Language = "en" });
        Assert.NotEmpty(expected.Hits);
        Assert.Equal(Ids(expected), Ids(response));
        Assert.Contains(Helpline.Id, Ids(response));
        Assert.Contains(ForcedLabourAgriculture.Id, Ids(response));
        var helpline = Assert.Single(response.Hits, h => h.Practice.Version.DocumentId == Helpline.Id);
        Assert.Contains(helpline.Snippets.SelectMany(Marked), marked => marked.Equals("forced labour", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("Trafficing", "en", "Trafficking")]
    [InlineData("victms of trafficking", "en", "victims of trafficking")]
    [InlineData("albegues", "es", "albergues")]
    [InlineData("aloajmiento seguro", "es", "alojamiento seguro")]
    public async Task Search_MisspeltWord_Corrected(string text, string language, string didYouMean)
    {
        var response = await Search(new SearchPracticesRequest { Text = text, Language = language });

        Assert.Equal(didYouMean, response.DidYouMean);
        Assert.True(response.Corrected);
        Assert.NotEmpty(response.Hits);
    }

    [Fact]
    public async Task Search_UnknownWordButResultsThroughConcepts_DidYouMeanWithoutCorrecting()
    {
        // "victms" is in no English text; "forced labour" finds practices in the other languages through the concept.
        var response = await Search(new SearchPracticesRequest { Text = "forced labour victms", Language = "en" });

        Assert.Equal("forced labour victims", response.DidYouMean);
        Assert.False(response.Corrected);
        Assert.NotEmpty(response.Hits);
        Assert.All(response.Hits, h => Assert.True(h.ByConcept));
    }

    [Fact]
    public async Task Search_WordsOfANamedConcept_NotCorrected()
    {
        // No French text says "traite des êtres humains"; the concept finds Swedish and Finnish practices, and its
        // words are not typos of French words the index holds.
        var response = await Search(new SearchPracticesRequest { Text = "traite des êtres humains", Language = "fr" });

        Assert.Equal("", response.DidYouMean);
        Assert.False(response.Corrected);
        Assert.Equal(new[] { ChildShelterSweden.Id, VictimIdentificationFinland.Id }.Order(), Ids(response).Order());
        Assert.All(response.Hits, h => Assert.True(h.ByConcept));
    }

    [Fact]
    public async Task Search_KnownWords_NoDidYouMean()
    {
        var response = await Search(new SearchPracticesRequest { Text = "helpline", Language = "en" });

        Assert.Equal("", response.DidYouMean);
        Assert.False(response.Corrected);
    }

    [Fact]
    public async Task Search_NothingNear_EmptyWithoutSuggestion()
    {
        var response = await Search(new SearchPracticesRequest { Text = "zyxwvut", Language = "en" });

        Assert.Empty(response.Hits);
        Assert.Equal(0, response.Total);
        Assert.Equal("", response.DidYouMean);
        Assert.All(response.Facets, f => Assert.Empty(f.Values));
    }

    [Fact]
    public async Task Search_AllWordsFindNothing_AnyWordFallback()
    {
        // No practice has both words; each word alone finds one.
        var response = await Search(new SearchPracticesRequest { Text = "passports mentor", Language = "en" });

        Assert.Equal(new[] { ForcedLabourAgriculture.Id, Mentoring.Id }.Order(), Ids(response).Order());
        Assert.False(response.Corrected);
    }

    [Theory]
    [InlineData("protección")]
    [InlineData("proteccion")]
    [InlineData("PROTECCIÓN")]
    [InlineData("Protecciòn")]
    public async Task Search_WithOrWithoutDiacritics_SameHits(string text)
    {
        var response = await Search(new SearchPracticesRequest { Text = text, Language = "es" });

        var hit = Assert.Single(response.Hits);
        Assert.Equal(SheltersArgentina.Id, hit.Practice.Version.DocumentId);
        Assert.Equal("", response.DidYouMean);
        var title = Assert.Single(hit.Snippets, s => s.Field == "title");
        Assert.Equal(["Protección"], Marked(title));
    }

    [Fact]
    public async Task Search_WithdrawnHiddenByDefault_ShownMarkedWhenAsked()
    {
        var hidden = await Search(new SearchPracticesRequest { Text = "shelter", Language = "en" });
        var shown = await Search(new SearchPracticesRequest { Text = "shelter", Language = "en", IncludeWithdrawn = true });

        Assert.Equal(new[] { ChildShelterSweden.Id, SheltersArgentina.Id }.Order(), Ids(hidden).Order());
        Assert.Equal(new[] { ChildShelterSweden.Id, SheltersArgentina.Id, WithdrawnShelter.Id }.Order(), Ids(shown).Order());
        var withdrawn = Assert.Single(shown.Hits, h => h.Practice.Version.DocumentId == WithdrawnShelter.Id);
        Assert.Equal(DocumentState.Withdrawn, withdrawn.Practice.Version.State);
        Assert.Equal("SYNTHETIC: replaced by a newer programme", withdrawn.Practice.Version.Reason);
        Assert.All(shown.Hits.Where(h => h != withdrawn), h => Assert.Equal(DocumentState.Published, h.Practice.Version.State));

        var browseHidden = await Search(new SearchPracticesRequest());
        var browseShown = await Search(new SearchPracticesRequest { IncludeWithdrawn = true });
        Assert.Equal(All.Count - 1, browseHidden.Total);
        Assert.Equal(All.Count, browseShown.Total);
    }

    [Fact]
    public async Task Search_Hit_CarriesTheSummaryAndVersion()
    {
        var response = await Search(new SearchPracticesRequest { Text = "helpline", Language = "en" });

        var hit = response.Hits[0];
        var summary = hit.Practice;
        Assert.Equal(Helpline.Id, summary.Version.DocumentId);
        Assert.Equal("NG", summary.Version.OwnerCountry);
        Assert.Equal(DocumentKind.Practice, summary.Version.Kind);
        Assert.Equal(Helpline.SignedAt, summary.Version.SignedAt.ToDateTimeOffset());
        Assert.Equal(Helpline.Practice.Title, summary.Title);
        Assert.Equal(Helpline.Practice.Summary, summary.Summary);
        Assert.Equal("en", summary.Language);
        Assert.Equal(["protection", "data_collection"], summary.Themes);
        Assert.Equal(["LAB"], summary.Exploitation);
        Assert.Equal(["migrants"], summary.TargetGroups);
        Assert.Equal("EVALUATED", summary.EvidenceGrade);
        Assert.Equal(2020, summary.Year);
        Assert.Equal("Workers' centre (synthetic)", summary.Organisation);
        Assert.False(summary.Version.OwnerInactive);
        Assert.True(hit.Rank < 0, "BM25 ranks are negative, lower is better");
    }

    [Fact]
    public async Task Search_InactiveOwner_HitsMarked()
    {
        var response = await corpus.Database.SearchAsync(new SearchPracticesRequest(), Ct, inactiveOwners: new HashSet<string> { "NL" });

        Assert.Equal(3, response.Hits.Count(h => h.Practice.Version.OwnerInactive));
        Assert.All(response.Hits, h => Assert.Equal(h.Practice.Version.OwnerCountry == "NL", h.Practice.Version.OwnerInactive));
    }

    [Fact]
    public async Task Search_TitleMatch_RanksAboveBodyMatch()
    {
        // "helpline": title, summary and tags of one practice; only the body of the other.
        var response = await Search(new SearchPracticesRequest { Text = "helpline", Language = "en" });

        Assert.Equal([Helpline.Id, SexualExploitationHotels.Id], Ids(response));
        Assert.True(response.Hits[0].Rank < response.Hits[1].Rank);
    }

    [Fact]
    public async Task Browse_NewestFirst_OldestWhenAsked()
    {
        var published = All.Where(p => p.State == DocumentState.Published).ToList();

        var newest = await Search(new SearchPracticesRequest { Limit = 100 });
        var oldest = await Search(new SearchPracticesRequest { Limit = 100, Order = SearchOrder.Oldest });
        var newestExplicit = await Search(new SearchPracticesRequest { Limit = 100, Order = SearchOrder.Newest });

        Assert.Equal(published.OrderByDescending(p => p.SignedAt).Select(p => p.Id), Ids(newest));
        Assert.Equal(published.OrderBy(p => p.SignedAt).Select(p => p.Id), Ids(oldest));
        Assert.Equal(Ids(newest), Ids(newestExplicit));
        Assert.All(newest.Hits, h => Assert.Empty(h.Snippets));
    }

    [Fact]
    public async Task Search_OrderByDate_SameHitsInDateOrder()
    {
        var relevance = await Search(new SearchPracticesRequest { Text = "forced labour", Language = "en" });
        var newest = await Search(new SearchPracticesRequest { Text = "forced labour", Language = "en", Order = SearchOrder.Newest });
        var oldest = await Search(new SearchPracticesRequest { Text = "forced labour", Language = "en", Order = SearchOrder.Oldest });

        var signed = relevance.Hits.ToDictionary(h => h.Practice.Version.DocumentId, h => h.Practice.Version.SignedAt.ToDateTimeOffset());
        Assert.True(signed.Count >= 4);
        Assert.Equal(signed.OrderByDescending(s => s.Value).Select(s => s.Key), Ids(newest));
        Assert.Equal(signed.OrderBy(s => s.Value).Select(s => s.Key), Ids(oldest));

        // The same rank, language and concept mark whatever the order.
        var ranked = relevance.Hits.ToDictionary(h => h.Practice.Version.DocumentId);
        Assert.All(newest.Hits.Concat(oldest.Hits), h =>
        {
            var same = ranked[h.Practice.Version.DocumentId];
            Assert.True(h.Rank < 0);
            Assert.Equal((same.Rank, same.MatchedLanguage, same.ByConcept), (h.Rank, h.MatchedLanguage, h.ByConcept));
        });
    }

    [Fact]
    public async Task Search_TextPages_AddUpToTheWholeRanking()
    {
        foreach (var (text, language) in new[] { ("labour", "en"), ("travail forcé", "fr") })
        {
            var all = await Search(new SearchPracticesRequest { Text = text, Language = language, Limit = 200, IncludeWithdrawn = true });
            Assert.True(all.Total >= 3, $"{text}: {all.Total}");
            Assert.Equal(all.Hits.Select(h => h.Rank).Order(), all.Hits.Select(h => h.Rank));
            var pages = new List<SearchHit>();
            for (var offset = 0; offset < all.Total; offset += 2)
            {
                var page = await Search(new SearchPracticesRequest { Text = text, Language = language, Limit = 2, Offset = offset, IncludeWithdrawn = true });
                Assert.Equal(all.Total, page.Total);
                pages.AddRange(page.Hits);
            }

            Assert.Equal(all.Hits, pages);
        }
    }

    [Fact]
    public async Task Search_Pages_AddUpToTheWholeOrder()
    {
        var all = await Search(new SearchPracticesRequest { Limit = 200 });
        var pages = new List<string>();
        for (var offset = 0; offset < all.Total; offset += 4)
        {
            var page = await Search(new SearchPracticesRequest { Limit = 4, Offset = offset });
            Assert.Equal(all.Total, page.Total);
            Assert.Equal(all.Facets, page.Facets);
            pages.AddRange(Ids(page));
        }

        Assert.Equal(Ids(all), pages);
        var beyond = await Search(new SearchPracticesRequest { Offset = all.Total });
        Assert.Empty(beyond.Hits);
        Assert.Equal(all.Total, beyond.Total);
    }

    [Fact]
    public async Task Search_StopWordsOnly_BrowsesEverything()
    {
        var response = await Search(new SearchPracticesRequest { Text = "the of and", Language = "en" });

        Assert.Equal(All.Count - 1, response.Total);
    }

    [Fact]
    public async Task Search_TypedSyntax_SearchedAsWords()
    {
        foreach (var text in new[] { "title:helpline", "helpline*", "NEAR(helpline workers)", "\"helpline", "helpline OR shelter", "-helpline" })
        {
            var response = await Search(new SearchPracticesRequest { Text = text, Language = "en" });
            Assert.Contains(Helpline.Id, Ids(response));
        }
    }

    [Fact]
    public async Task Snippets_HighlightTheMatchedWords()
    {
        foreach (var (text, language) in new[] { ("forced labour", "en"), ("travail forcé", "fr"), ("exploited", "en"), ("victims trafficking", "en"), ("barnen", "sv") })
        {
            var query = SearchQuery.Parse(text, language);
            var response = await Search(new SearchPracticesRequest { Text = text, Language = language, IncludeWithdrawn = true });
            Assert.NotEmpty(response.Hits);
            foreach (var hit in response.Hits)
            {
                Assert.NotEmpty(hit.Snippets);
                foreach (var snippet in hit.Snippets)
                {
                    Assert.NotEmpty(snippet.Highlights);
                    foreach (var highlight in snippet.Highlights)
                    {
                        var marked = snippet.Text.Substring(highlight.Start, highlight.Length);
                        var terms = TextAnalysis.Analyze(marked, hit.MatchedLanguage).Select(t => t.Term).ToList();
                        var concepts = ConceptVocabulary.Default.Find(marked, hit.MatchedLanguage).Select(c => c.ConceptId);
                        Assert.True(
                            (!hit.ByConcept && terms.Any(query.Terms.Contains)) || concepts.Any(query.ConceptIds.Contains),
                            $"'{marked}' in the {snippet.Field} of {hit.Practice.Version.DocumentId} ({hit.MatchedLanguage}) is not a match of '{text}': '{snippet.Text}'");
                    }
                }
            }
        }
    }

    [Fact]
    public async Task Snippets_ByConcept_MarkTheConceptsLabel()
    {
        var response = await Search(new SearchPracticesRequest { Text = "travail forcé", Language = "fr" });

        var swedish = Assert.Single(response.Hits, h => h.Practice.Version.DocumentId == BerryPickersSweden.Id);
        var title = Assert.Single(swedish.Snippets, s => s.Field == "title");
        Assert.Equal(BerryPickersSweden.Practice.Title, title.Text);
        Assert.Equal(["Tvångsarbete"], Marked(title));
        var french = Assert.Single(response.Hits, h => h.Practice.Version.DocumentId == RestaurantsFrance.Id);
        Assert.Equal(["travail forcé"], Marked(Assert.Single(french.Snippets, s => s.Field == "title")));
    }

    [Fact]
    public async Task Snippets_LongBody_WindowAroundTheMatch()
    {
        var response = await Search(new SearchPracticesRequest { Text = "interpreters", Language = "en" });

        var hit = Assert.Single(response.Hits);
        var snippet = Assert.Single(hit.Snippets);
        Assert.Equal("body", snippet.Field);
        Assert.StartsWith(SnippetBuilder.Ellipsis, snippet.Text, StringComparison.Ordinal);
        Assert.EndsWith(SnippetBuilder.Ellipsis, snippet.Text, StringComparison.Ordinal);
        Assert.Equal(SnippetBuilder.WindowWords, snippet.Text.Trim('…').Split(' ').Length);
        Assert.Equal(["interpreters"], Marked(snippet));
        Assert.Contains("Trained interpreters join every first meeting.", snippet.Text, StringComparison.Ordinal);
        Assert.InRange(snippet.Text.IndexOf("interpreters", StringComparison.Ordinal), 40, snippet.Text.Length - 60);
    }

    [Fact]
    public async Task Snippets_TitleAndSummaryShowEveryWord_NoBodySnippet()
    {
        var response = await Search(new SearchPracticesRequest { Text = "helpline", Language = "en" });

        Assert.Equal(["title", "summary", "tags"], response.Hits[0].Snippets.Select(s => s.Field));
        Assert.Equal(["body"], response.Hits[1].Snippets.Select(s => s.Field));
        Assert.Equal(["helpline"], Marked(response.Hits[1].Snippets[0]));
    }

    [Fact]
    public async Task BareMatch_SameTopDocumentsAsTheSearch()
    {
        foreach (var text in new[] { "victims", "labour", "inspectors workers" })
        {
            var query = SearchQuery.Parse(text, "en");
            var bare = await corpus.Database.BareMatchAsync("en", query.MatchExpression()!, 20, Ct);
            var search = await Search(new SearchPracticesRequest { Text = text, Language = "en", IncludeWithdrawn = true });
            Assert.NotEmpty(bare);
            Assert.Equal(bare, Ids(search).Where(id => search.Hits.Single(h => h.Practice.Version.DocumentId == id).MatchedLanguage == "en"));
        }

        Assert.Empty(await corpus.Database.BareMatchAsync("de", "\"arbeit\"", 20, Ct));
    }

    private Task<SearchPracticesResponse> Search(SearchPracticesRequest request) => corpus.Database.SearchAsync(request, Ct);

    private static List<string> Ids(SearchPracticesResponse response) => response.Hits.Select(h => h.Practice.Version.DocumentId).ToList();

    private static List<string> Marked(Snippet snippet) => snippet.Highlights.Select(h => snippet.Text.Substring(h.Start, h.Length)).ToList();
}

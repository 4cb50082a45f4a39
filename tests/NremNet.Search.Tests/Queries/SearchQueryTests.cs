using System.Text.RegularExpressions;
using NremNet.Search.Queries;

namespace NremNet.Search.Tests.Queries;

public partial class SearchQueryTests
{
    // Everything a built expression may contain: quoted strings of terms or concept tokens, AND, OR and parentheses.
    [GeneratedRegex("""^(\(|\)|"[\p{L}\p{M}\p{N}_]+"| AND | OR )+$""")]
    private static partial Regex SafeExpression();

    [Fact]
    public void Parse_FrenchQuery_TermsAndConcept()
    {
        var query = SearchQuery.Parse("travail forcé", "fr-FR");

        Assert.Equal("fr", query.Language);
        Assert.Equal(["travail", "forc"], query.Terms);
        Assert.Equal(["forced_labour"], query.ConceptIds);
        Assert.False(query.IsEmpty);
    }

    [Fact]
    public void MatchExpression_EachWordItsTermOrConcept_GroupsAnded()
    {
        var query = SearchQuery.Parse("travail forcé agriculture", "fr");

        Assert.Equal(
            """("travail" OR "c_forced_labour") AND ("forc" OR "c_forced_labour") AND ("agricultur" OR "c_agriculture")""",
            query.MatchExpression());
    }

    [Fact]
    public void MatchExpression_AnyWord_DistinctAlternativesOred()
    {
        var query = SearchQuery.Parse("travail forcé, travail", "fr");

        Assert.Equal("""
            "travail" OR "c_forced_labour" OR "forc"
            """.Trim(), query.MatchExpression(QueryMatch.AnyWord));
    }

    [Fact]
    public void ConceptMatchExpression_OnlyConceptTokens_WordsOutsideConceptsLeftOut()
    {
        Assert.Equal("\"c_forced_labour\"", SearchQuery.Parse("travail forcé dans les vignes", "fr").ConceptMatchExpression());
        Assert.Null(SearchQuery.Parse("vignes", "fr").ConceptMatchExpression());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("the of and")]
    [InlineData("\"\" () * ^ : {}")]
    public void MatchExpression_NothingToSearch_Null(string text)
    {
        var query = SearchQuery.Parse(text, "en");

        Assert.True(query.IsEmpty);
        Assert.Null(query.MatchExpression());
        Assert.Null(query.MatchExpression(QueryMatch.AnyWord));
    }

    [Theory]
    [InlineData("title:secret")]
    [InlineData("{title body}: victims")]
    [InlineData("NEAR(victims traffickers, 2)")]
    [InlineData("^victims")]
    [InlineData("victim*")]
    [InlineData("victims AND NOT traffickers OR (labour)")]
    [InlineData("\"victims\" \"\"\" \"")]
    [InlineData("victims\" OR \"x")]
    [InlineData("- victims + labour")]
    [InlineData("c_forced_labour")]
    [InlineData("'; DROP TABLE practices; --")]
    [InlineData("\u0000victims\u001f")]
    public void MatchExpression_HostileInput_OnlyQuotedTermsAndOwnOperators(string text)
    {
        var all = SearchQuery.Parse(text, "en").MatchExpression();
        var any = SearchQuery.Parse(text, "en").MatchExpression(QueryMatch.AnyWord);
        var unstemmed = SearchQuery.Parse(text, "ne").MatchExpression();

        Assert.All(new[] { all, any, unstemmed }, expression =>
        {
            Assert.NotNull(expression);
            Assert.Matches(SafeExpression(), expression);
        });
    }

    [Fact]
    public void MatchExpression_FtsKeywordsTyped_AreQuotedTerms()
    {
        Assert.Equal("\"near\" AND \"and\" AND \"or\" AND \"not\"", SearchQuery.Parse("NEAR AND OR NOT", "ne").MatchExpression());
    }

    [Fact]
    public void Quote_InnerQuotes_Doubled()
    {
        Assert.Equal("\"a\"\"b\"", SearchQuery.Quote("a\"b"));
    }

    [Fact]
    public void Parse_VeryLongQuery_KeepsMaxTerms()
    {
        var text = string.Join(' ', Enumerable.Range(0, 500).Select(i => $"word{i}"));

        var query = SearchQuery.Parse(text, "en");

        Assert.Equal(SearchQuery.MaxTerms, query.Tokens.Count);
        Assert.Equal("word63", query.Terms[^1]);
    }

    [Fact]
    public void IndexTerms_EnglishText_TermsThenConceptTokens()
    {
        var terms = SearchIndex.IndexTerms("Forced labour in agriculture", "en");

        Assert.Equal(["forc", "labour", "agricultur", "c_forced_labour", "c_agriculture"], terms);
    }

    [Fact]
    public void IndexTerms_TextTypingAConceptToken_SplitAtUnderscores()
    {
        Assert.Equal(["c", "no", "concept"], SearchIndex.IndexTerms("c_no_such_concept", "en"));
    }
}

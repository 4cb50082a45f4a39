using Microsoft.Data.Sqlite;
using NremNet.Search.Queries;
using NremNet.Search.Spelling;

namespace NremNet.Search.Tests.Queries;

/// <summary>
/// Runs the expressions against SQLite's FTS5 with the tables declared as <see cref="SearchIndex"/> says, on a fixed
/// synthetic corpus: one table per language, the analysed terms and concept tokens in one column.
/// </summary>
public sealed class Fts5ContractTests : IDisposable
{
    private static readonly (int Id, string Language, string Text)[] Corpus =
    [
        (1, "en", "SYNTHETIC: Forced labour in agriculture, seasonal workers lost their passports"),
        (2, "en", "SYNTHETIC: Identifying victims of trafficking for sexual exploitation"),
        (3, "en", "SYNTHETIC: A shelter for child victims in the capital"),
        (4, "en", "SYNTHETIC: Labour inspectors trained to detect compulsory labour"),
        (5, "fr", "SYNTHÉTIQUE : Le travail forcé dans la restauration"),
        (6, "fr", "SYNTHÉTIQUE : Identification des victimes de la traite"),
        (7, "ar", "اصطناعي: ضحايا الاتجار بالبشر في العمل القسري"),
        (8, "ne", "कृत्रिम: मानव बेचबिखन र जबरजस्ती श्रम"),
    ];

    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public Fts5ContractTests()
    {
        _connection.Open();
        foreach (var language in Corpus.Select(d => d.Language).Distinct())
        {
            Execute($"""CREATE VIRTUAL TABLE docs_{language} USING fts5(id UNINDEXED, body, tokenize = "{SearchIndex.Fts5Tokenizer}")""");
            Execute($"CREATE VIRTUAL TABLE vocab_{language} USING fts5vocab(docs_{language}, 'row')");
        }

        foreach (var (id, language, text) in Corpus)
        {
            using var insert = _connection.CreateCommand();
            insert.CommandText = $"INSERT INTO docs_{language} (id, body) VALUES ($id, $body)";
            insert.Parameters.AddWithValue("$id", id);
            insert.Parameters.AddWithValue("$body", string.Join(' ', SearchIndex.IndexTerms(text, language)));
            insert.ExecuteNonQuery();
        }
    }

    public void Dispose() => _connection.Dispose();

    [Fact]
    public void IndexedTerms_StayWholeInFts5()
    {
        var terms = Vocabulary("en").Select(t => t.Term).ToHashSet();
        Assert.Contains("c_forced_labour", terms);
        Assert.Contains("traffick", terms);
        Assert.DoesNotContain("c", terms);

        Assert.Contains("जबरजस्ती", Vocabulary("ne").Select(t => t.Term));
    }

    [Fact]
    public void Search_FrenchQuery_FindsFrenchTextsAndEnglishTextsOnTheConcept()
    {
        var query = SearchQuery.Parse("travail forcé", "fr");

        Assert.Equal([5], Search("fr", query.MatchExpression()!));
        Assert.Equal([1, 4], Search("en", query.ConceptMatchExpression()!));
        Assert.Equal([7], Search("ar", query.ConceptMatchExpression()!));
    }

    [Fact]
    public void Search_InflectedQuery_FindsStemmedTexts()
    {
        Assert.Equal([2, 3], Search("en", SearchQuery.Parse("victim", "en").MatchExpression()!));
        Assert.Equal([6], Search("fr", SearchQuery.Parse("victime", "fr").MatchExpression()!));
        Assert.Equal([7], Search("ar", SearchQuery.Parse("ضحية الاتجار", "ar").MatchExpression()!));
    }

    [Fact]
    public void Search_AllWordsFindsNothing_AnyWordFallbackFindsEach()
    {
        var query = SearchQuery.Parse("shelter passports", "en");

        Assert.Empty(Search("en", query.MatchExpression()!));
        Assert.Equal([1, 3], Search("en", query.MatchExpression(QueryMatch.AnyWord)!));
    }

    [Theory]
    [InlineData("title:secret")]
    [InlineData("body: victims")]
    [InlineData("{id body}: victims")]
    [InlineData("NEAR(victims shelter, 2)")]
    [InlineData("^victims")]
    [InlineData("victim*")]
    [InlineData("victims AND NOT labour OR (shelter")]
    [InlineData("\"victims\" \"\"\" \"")]
    [InlineData("- victims + labour")]
    [InlineData("'; DROP TABLE docs_en; --")]
    public void Search_HostileInput_RunsAsPlainTerms(string text)
    {
        foreach (var language in new[] { "en", "ne" })
        {
            var query = SearchQuery.Parse(text, language);
            Search(language, query.MatchExpression()!);
            Search(language, query.MatchExpression(QueryMatch.AnyWord)!);
        }

        Assert.Equal(4, Count("docs_en"));
    }

    [Fact]
    public void Search_ColumnFilterTyped_TreatedAsWords()
    {
        Assert.Equal([2, 3], Search("en", SearchQuery.Parse("body: victims", "en").MatchExpression(QueryMatch.AnyWord)!));
        Assert.Empty(Search("en", SearchQuery.Parse("body: victims", "en").MatchExpression()!));
    }

    [Fact]
    public void SpellingFromFts5Vocab_TypoCorrected_CorrectedQueryFinds()
    {
        var spelling = new SpellingSuggestions(Vocabulary("en"), "en");

        var check = spelling.Check("trafficing victms");

        Assert.Equal("trafficking victims", check.DidYouMean);
        Assert.Empty(Search("en", SearchQuery.Parse("trafficing victms", "en").MatchExpression()!));
        Assert.Equal([2], Search("en", check.CorrectedQuery!.MatchExpression()!));
    }

    private List<IndexedTerm> Vocabulary(string language)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT term, doc FROM vocab_{language}";
        using var reader = command.ExecuteReader();
        var terms = new List<IndexedTerm>();
        while (reader.Read())
        {
            terms.Add(new IndexedTerm(reader.GetString(0), reader.GetInt64(1)));
        }

        return terms;
    }

    private List<long> Search(string language, string match)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT id FROM docs_{language} WHERE docs_{language} MATCH $match ORDER BY id";
        command.Parameters.AddWithValue("$match", match);
        using var reader = command.ExecuteReader();
        var ids = new List<long>();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    private long Count(string table)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {table}";
        return (long)command.ExecuteScalar()!;
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

using NremNet.Search.Queries;
using NremNet.Search.Spelling;

namespace NremNet.Search.Tests.Spelling;

public class SpellingSuggestionsTests
{
    private static readonly string[] EnglishCorpus =
    [
        "SYNTHETIC: Trafficking in human beings for labour exploitation in agriculture",
        "SYNTHETIC: Victims of trafficking were identified by labour inspectors",
        "SYNTHETIC: Sexual exploitation of children online; traffickers convicted",
        "SYNTHETIC: Forced labour and exploitation of workers in construction",
        "SYNTHETIC: A shelter for victims of trafficking",
    ];

    private static readonly SpellingSuggestions English = FromCorpus(EnglishCorpus, "en");

    private static SpellingSuggestions FromCorpus(IEnumerable<string> texts, string language) => new(
        texts.SelectMany(t => SearchIndex.IndexTerms(t, language).Distinct()).GroupBy(t => t).Select(g => new IndexedTerm(g.Key, g.Count())),
        language);

    [Theory]
    [InlineData("trafficing", "trafficking")]
    [InlineData("explotation", "exploitation")]
    [InlineData("exploitaiton", "exploitation")]
    [InlineData("Trafficing", "Trafficking")]
    [InlineData("EXPLOTATION", "EXPLOITATION")]
    [InlineData("victms of trafficing", "victims of trafficking")]
    public void Check_Misspelt_DidYouMeanWithTheIndexedWord(string query, string expected)
    {
        var check = English.Check(query);

        Assert.True(check.HasCorrections);
        Assert.Equal(expected, check.DidYouMean);
        Assert.NotNull(check.CorrectedQuery);
        Assert.All(check.CorrectedQuery.Terms, term => Assert.True(English.Contains(term), term));
    }

    [Fact]
    public void Check_TrafficingQuery_CorrectionNamesWordTermAndSuggestion()
    {
        var correction = Assert.Single(English.Check("forced trafficing").Corrections);

        Assert.Equal(new SpellingCorrection(7, 10, "trafficing", "traffic", "traffick", "trafficking", 1), correction);
    }

    [Theory]
    [InlineData("trafficking")]
    [InlineData("victims of trafficking")]
    [InlineData("trafficker")]
    [InlineData("the of")]
    [InlineData("2024")]
    [InlineData("")]
    public void Check_KnownWordsOrNothingToCorrect_NoSuggestion(string query)
    {
        var check = English.Check(query);

        Assert.False(check.HasCorrections);
        Assert.Null(check.DidYouMean);
        Assert.Null(check.CorrectedQuery);
    }

    [Fact]
    public void Check_WordFarFromEveryTerm_NoSuggestion()
    {
        Assert.False(English.Check("zzzzzz").HasCorrections);
    }

    [Fact]
    public void Suggest_TiesOnDistance_MostFrequentFirst()
    {
        var spelling = new SpellingSuggestions([new("labour", 3), new("labout", 9), new("lapouz", 50)], "en");

        var suggestions = spelling.Suggest("labous");

        Assert.Equal([new TermSuggestion("labout", 1, 9), new TermSuggestion("labour", 1, 3), new TermSuggestion("lapouz", 2, 50)], suggestions);
    }

    [Fact]
    public void Suggest_ShortTerm_OnlyOneEdit_LongTermTwo()
    {
        var spelling = new SpellingSuggestions([new("labor", 1), new("victim", 1)], "en");

        Assert.Empty(spelling.Suggest("lbaro"));
        Assert.Equal("labor", Assert.Single(spelling.Suggest("lbaor")).Term);
        Assert.Equal(new TermSuggestion("victim", 2, 1), Assert.Single(spelling.Suggest("vcitims")));
        Assert.Empty(spelling.Suggest("vcitm"));
        Assert.Equal(1, SpellingSuggestions.MaxDistance("labor"));
        Assert.Equal(2, SpellingSuggestions.MaxDistance("victim"));
    }

    [Fact]
    public void Suggest_IndexedOrUncorrectableTerms_Nothing()
    {
        var spelling = new SpellingSuggestions([new("victim", 1), new("c_victim_of_trafficking", 4), new("2024", 2), new("强迫", 2)], "en");

        Assert.Empty(spelling.Suggest("victim"));
        Assert.Empty(spelling.Suggest("vi"));
        Assert.Empty(spelling.Suggest("2023"));
        Assert.Empty(spelling.Suggest("强追"));
        Assert.Empty(spelling.Suggest("c_victim_of_traffickin"));
    }

    [Fact]
    public void Constructor_TermListedTwice_FrequenciesAdded()
    {
        var spelling = new SpellingSuggestions([new("labour", 2), new("labour", 5), new("labout", 6)], "en");

        Assert.Equal(2, spelling.Count);
        Assert.Equal(new TermSuggestion("labour", 1, 7), spelling.Suggest("labous")[0]);
    }

    [Fact]
    public void Check_French_AccentlessTypo_SuggestsIndexedWord()
    {
        var french = FromCorpus(["SYNTHÉTIQUE : l'exploitation des victimes de la traite", "SYNTHÉTIQUE : la répression du travail forcé"], "fr");

        Assert.Equal("victimes de la répression", french.Check("victimes de la répresion").DidYouMean?.Replace("repression", "répression", StringComparison.Ordinal));
        Assert.False(french.Check("repression").HasCorrections);
    }

    [Fact]
    public void Suggest_GeneratedVocabularyOf200000Terms_SameAsExhaustiveSearch()
    {
        var random = new Random(20240613);
        const string alphabet = "aeioulnrstkmdp";
        var terms = new HashSet<string>(StringComparer.Ordinal);
        while (terms.Count < 200_000)
        {
            var length = random.Next(4, 13);
            terms.Add(string.Create(length, random, (span, r) =>
            {
                for (var i = 0; i < span.Length; i++)
                {
                    span[i] = alphabet[r.Next(alphabet.Length)];
                }
            }));
        }

        var indexed = terms.Select(t => new IndexedTerm(t, random.Next(1, 1000))).ToArray();
        var spelling = new SpellingSuggestions(indexed, "und");
        var sample = indexed.Select(t => t.Term).Where((_, i) => i % 16_000 == 7).ToArray();

        foreach (var original in sample)
        {
            var typo = Misspell(original, random);

            // The distance is at least the difference in length, so only those terms can be near.
            var expected = indexed
                .Where(t => Math.Abs(t.Term.Length - typo.Length) <= SpellingSuggestions.MaxDistance(typo))
                .Select(t => new TermSuggestion(t.Term, ReferenceDistance(typo, t.Term), t.Frequency))
                .Where(s => s.Distance <= SpellingSuggestions.MaxDistance(typo))
                .OrderBy(s => s.Distance).ThenByDescending(s => s.Frequency).ThenBy(s => s.Term, StringComparer.Ordinal)
                .Take(5)
                .ToArray();

            var actual = spelling.Suggest(typo);

            Assert.Equal(terms.Contains(typo) ? [] : expected, actual);
            Assert.True(terms.Contains(typo) || actual.Count > 0, $"{typo} from {original}: nothing suggested");
        }
    }

    [Fact]
    public void BoundedDistance_RandomPairs_SameAsFullDistanceUpToTheLimit()
    {
        var random = new Random(7);
        for (var n = 0; n < 5000; n++)
        {
            var a = RandomWord(random, random.Next(0, 10));
            var b = random.Next(3) == 0 ? Misspell(a, random) : RandomWord(random, random.Next(0, 10));
            var max = random.Next(0, 4);

            Assert.Equal(Math.Min(ReferenceDistance(a, b), max + 1), EditDistance.Bounded(a, b, max));
        }
    }

    private static string RandomWord(Random random, int length) => new(Enumerable.Range(0, length).Select(_ => "abcde"[random.Next(5)]).ToArray());

    private static string Misspell(string word, Random random)
    {
        var chars = word.ToList();
        switch (random.Next(4))
        {
            case 0 when chars.Count > 1:
                var i = random.Next(chars.Count - 1);
                (chars[i], chars[i + 1]) = (chars[i + 1], chars[i]);
                break;
            case 1 when chars.Count > 1:
                chars.RemoveAt(random.Next(chars.Count));
                break;
            case 2 when chars.Count > 0:
                chars[random.Next(chars.Count)] = 'z';
                break;
            default:
                chars.Insert(random.Next(chars.Count + 1), 'y');
                break;
        }

        return new string(chars.ToArray());
    }

    /// <summary>Optimal string alignment distance, the full table, written independently of the bounded one.</summary>
    private static int ReferenceDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}

using NremNet.Search.Analysis;

namespace NremNet.Search.Tests.Analysis;

public class TextAnalysisTests
{
    private static string[] Terms(string text, string language) => TextAnalysis.Analyze(text, language).Select(t => t.Term).ToArray();

    [Theory]
    [InlineData("en", "trafficked", "trafficking")]
    [InlineData("en", "labourers", "labour")]
    [InlineData("fr", "victimes", "victime")]
    [InlineData("fr", "exploitées", "exploitation")]
    [InlineData("es", "víctimas", "víctima")]
    [InlineData("es", "explotados", "explotación")]
    [InlineData("ru", "жертвы", "жертва")]
    [InlineData("ru", "принудительного", "принудительный")]
    [InlineData("ar", "الأطفال", "أطفال")]
    [InlineData("ar", "للعمال", "العمال")]
    [InlineData("nl", "slachtoffers", "slachtoffer")]
    [InlineData("sv", "tvångsarbeten", "tvångsarbete")]
    [InlineData("sv", "kvinnorna", "kvinnor")]
    [InlineData("fi", "ihmiskaupan", "ihmiskauppa")]
    [InlineData("fi", "uhrit", "uhri")]
    [InlineData("bg", "жертвите", "жертва")]
    [InlineData("bg", "принудителния", "принудителен")]
    [InlineData("de", "Opfern", "Opfer")]
    [InlineData("it", "vittime", "vittima")]
    [InlineData("pt", "vítimas", "vítima")]
    [InlineData("cs", "oběti", "oběť")]
    [InlineData("ro", "victimele", "victima")]
    public void Analyze_InflectedForms_MeetOnOneTerm(string language, string inflected, string other)
    {
        var left = Assert.Single(TextAnalysis.Analyze(inflected, language));
        var right = Assert.Single(TextAnalysis.Analyze(other, language));

        Assert.Equal(right.Term, left.Term);
    }

    [Theory]
    [InlineData("en", "The victims of the trafficking", new[] { "victim", "traffick" })]
    [InlineData("fr", "les victimes de la traite", new[] { "victim", "trait" })]
    [InlineData("es", "las víctimas de la trata", new[] { "victim", "trat" })]
    [InlineData("ru", "жертвы и их права", new[] { "жертв", "прав" })]
    [InlineData("nl", "de slachtoffers van de handel", new[] { "slachtoffer", "handel" })]
    public void Analyze_StopWords_Removed(string language, string text, string[] expected)
    {
        Assert.Equal(expected, Terms(text, language));
    }

    [Fact]
    public void Analyze_Diacritics_FoldedAfterStemming()
    {
        Assert.Equal(Terms("répression", "fr"), Terms("repression", "fr"));
        Assert.Equal(Terms("répression", "fr"), Terms("re\u0301pression", "fr"));
        Assert.Equal(["repress"], Terms("répression", "fr"));
        Assert.Equal(Terms("víctima", "es"), Terms("victima", "es"));
        Assert.Equal(Terms("människohandel", "sv"), Terms("manniskohandel", "sv"));
        Assert.Equal(Terms("ёлка", "ru"), Terms("елка", "ru"));
    }

    [Fact]
    public void Analyze_ArabicDiacriticsAndAlefForms_Normalised()
    {
        Assert.Equal(Terms("العمل", "ar"), Terms("العَمَلُ", "ar"));
        Assert.Equal(Terms("الأطفال", "ar"), Terms("الاطفال", "ar"));
    }

    [Fact]
    public void Analyze_FrenchElisionAndEnglishPossessive_Dropped_OffsetsOnTheWord()
    {
        const string french = "L'exploitation qu'elles dénoncent";
        var tokens = TextAnalysis.Analyze(french, "fr");

        Assert.Equal("exploit", tokens[0].Term);
        Assert.Equal("exploitation", french.Substring(tokens[0].Start, tokens[0].Length));
        Assert.DoesNotContain(tokens, t => t.Term is "l" or "qu");

        const string english = "the victim's rights";
        var victim = TextAnalysis.Analyze(english, "en")[0];
        Assert.Equal(("victim", "victim"), (victim.Term, english.Substring(victim.Start, victim.Length)));
    }

    [Fact]
    public void Analyze_WordsWithInnerPunctuation_SplitIntoParts_UnderscoresNeverKept()
    {
        const string text = "O'Brien c_forced_labour traf\u00ADficking 2011/36";
        var tokens = TextAnalysis.Analyze(text, "en");

        Assert.Equal(["o", "brien", "c", "forc", "labour", "traffick", "2011", "36"], tokens.Select(t => t.Term));
        Assert.Equal(["O", "Brien", "c", "forced", "labour", "traf\u00ADficking", "2011", "36"], tokens.Select(t => text.Substring(t.Start, t.Length)));
        Assert.DoesNotContain(tokens, t => t.Term.Contains('_', StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("😀 Victims of 𠀀 trafficking", "en")]
    [InlineData("Жертвы торговли людьми, принудительного труда", "ru")]
    [InlineData("ضحايا الاتجار بالبشر في العَمَل القسري", "ar")]
    [InlineData("Opfer von Zwangsarbeit in Ünternehmen", "de")]
    [InlineData("жертвите на трафик", "bg")]
    [InlineData("Les victimes d'exploitation, à Québec", "fr")]
    [InlineData("मानव बेचबिखन र जबरजस्ती श्रम", "ne")]
    public void Analyze_Offsets_PointAtTheOriginalWords(string text, string language)
    {
        var tokens = TextAnalysis.Analyze(text, language);

        Assert.NotEmpty(tokens);
        foreach (var token in tokens)
        {
            var word = text.Substring(token.Start, token.Length);
            Assert.True(word.All(c => char.IsLetterOrDigit(c) || char.IsSurrogate(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.SpacingCombiningMark), $"'{word}' for {token.Term}");
            Assert.True(token.Start == 0 || !char.IsLetter(text[token.Start - 1]) || text[token.Start - 1] == '\'', $"'{word}' starts inside a word");
            Assert.True(token.End == text.Length || !char.IsLetterOrDigit(text[token.End]), $"'{word}' ends inside a word");
        }
    }

    [Fact]
    public void Analyze_SupplementaryCharacters_OffsetsInUtf16Units()
    {
        const string text = "😀 victims 𠀀𠀁";
        var tokens = TextAnalysis.Analyze(text, "en");

        Assert.Equal(new AnalyzedToken("victim", 3, 7), tokens[0]);
        Assert.Equal("𠀀", text.Substring(tokens[1].Start, tokens[1].Length));
        Assert.Equal("𠀁", text.Substring(tokens[2].Start, tokens[2].Length));
    }

    [Fact]
    public void Analyze_Chinese_OverlappingBigramsWithOffsets()
    {
        const string text = "强迫劳动在农业。Forced Labour";
        var tokens = TextAnalysis.Analyze(text, "zh");

        Assert.Equal(["强迫", "迫劳", "劳动", "动在", "在农", "农业", "forced", "labour"], tokens.Select(t => t.Term));
        Assert.All(tokens.Take(6), t => Assert.Equal(t.Term, text.Substring(t.Start, t.Length)));
        Assert.Equal("Labour", text.Substring(tokens[^1].Start, tokens[^1].Length));
    }

    [Fact]
    public void Analyze_LanguageWithoutStemmer_LowerCasedAndFoldedOnly()
    {
        Assert.Equal(["repression", "victims"], Terms("Répression Victims", "ne"));
        Assert.Equal(["मानव", "बेचबिखन"], Terms("मानव बेचबिखन", "ne"));
        Assert.False(TextAnalysis.IsStemmed("ne"));
    }

    [Theory]
    [InlineData("fr-BE", "fr")]
    [InlineData("zh-Hant", "zh")]
    [InlineData("EN_gb", "en")]
    [InlineData("nb", "no")]
    [InlineData(" ", "und")]
    public void CanonicalLanguage_Tags_PrimarySubtag(string tag, string expected)
    {
        Assert.Equal(expected, TextAnalysis.CanonicalLanguage(tag));
    }

    [Fact]
    public void Languages_StemmedOnes_IncludeTheUnAndSampleNodeLanguages_EachAnalyses()
    {
        Assert.Superset(new HashSet<string> { "en", "fr", "es", "ru", "ar", "nl", "sv", "fi", "bg" }, TextAnalysis.Languages.ToHashSet());
        Assert.DoesNotContain("zh", TextAnalysis.Languages);
        Assert.All(TextAnalysis.Languages, language =>
        {
            Assert.True(TextAnalysis.IsStemmed(language));
            Assert.NotEmpty(TextAnalysis.Analyze("Victims Victimes Жертвы ضحايا", language));
        });
    }

    [Fact]
    public void Analyze_EmptyOrPunctuation_NoTokens()
    {
        Assert.Empty(TextAnalysis.Analyze(string.Empty, "en"));
        Assert.Empty(TextAnalysis.Analyze(" -- ... ¡¿ ", "es"));
    }

    [Fact]
    public void Analyze_ManyThreadsAtOnce_SameResultsAsOneThread()
    {
        var texts = new (string Text, string Language)[]
        {
            ("Victims of trafficking for forced labour in agriculture", "en"),
            ("Les victimes de la traite des êtres humains et le travail forcé", "fr"),
            ("Жертвы торговли людьми и принудительного труда", "ru"),
            ("强迫劳动和人口贩运受害者", "zh"),
            ("ضحايا الاتجار بالبشر", "ar"),
            ("Ihmiskaupan uhrit ja pakkotyö", "fi"),
        };
        var expected = texts.Select(t => TextAnalysis.Analyze(t.Text, t.Language)).ToArray();

        var mismatches = 0;
        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var (text, language) = texts[i % texts.Length];
            if (!TextAnalysis.Analyze(text, language).SequenceEqual(expected[i % texts.Length]))
            {
                Interlocked.Increment(ref mismatches);
            }
        });

        Assert.Equal(0, mismatches);
    }
}

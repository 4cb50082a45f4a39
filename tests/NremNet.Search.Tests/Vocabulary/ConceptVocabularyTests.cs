using NremNet.Search.Vocabulary;

namespace NremNet.Search.Tests.Vocabulary;

public class ConceptVocabularyTests
{
    private static readonly string[] UnAndSampleNodeLanguages = ["en", "fr", "es", "ru", "ar", "zh", "nl", "sv", "fi", "bg"];

    private static readonly ConceptVocabulary Vocabulary = ConceptVocabulary.Default;

    [Fact]
    public void Validate_ShippedVocabulary_NoProblems()
    {
        using var stream = typeof(ConceptVocabulary).Assembly.GetManifestResourceStream("NremNet.Search.Vocabulary.concepts.json")!;
        using var reader = new StreamReader(stream);

        var problems = ConceptVocabulary.Validate(reader.ReadToEnd());

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Default_AtLeast110Concepts_EachLabelledInTheTenLanguages()
    {
        Assert.True(Vocabulary.Concepts.Count >= 110, $"{Vocabulary.Concepts.Count} concepts");
        Assert.Equal(UnAndSampleNodeLanguages.Order(), Vocabulary.Languages.Order());
        Assert.All(Vocabulary.Concepts, concept => Assert.All(UnAndSampleNodeLanguages, language =>
        {
            Assert.True(concept.Labels.TryGetValue(language, out var labels), $"{concept.Id} has no {language} label");
            Assert.NotEmpty(labels!);
            Assert.All(labels!, label => Assert.False(string.IsNullOrWhiteSpace(label)));
        }));
    }

    [Fact]
    public void Find_EveryLabel_FoundAgainInItsOwnLanguage_OnceWithinTheLabel()
    {
        var missed = new List<string>();
        foreach (var concept in Vocabulary.Concepts)
        {
            foreach (var (language, labels) in concept.Labels)
            {
                foreach (var label in labels)
                {
                    var text = $"« {label} »";
                    var found = Vocabulary.Find(text, language).Where(m => m.ConceptId == concept.Id).ToArray();
                    if (found.Length != 1 || found[0].Start < 2 || found[0].End > 2 + label.Length)
                    {
                        missed.Add($"{concept.Id} {language} '{label}'");
                    }
                }
            }
        }

        Assert.True(missed.Count == 0, string.Join(Environment.NewLine, missed));
    }

    [Fact]
    public void Default_CoversTheThemes_AndTheConceptsPractitionersAskFor()
    {
        string[] expected =
        [
            "forced_labour", "sexual_exploitation", "domestic_servitude", "forced_begging", "forced_criminality", "organ_removal",
            "forced_marriage", "child_trafficking", "debt_bondage", "recruitment_fraud", "victim_identification",
            "national_referral_mechanism", "residence_permit", "reflection_period", "shelter", "compensation",
            "non_punishment_principle", "presumed_victim", "prosecution", "conviction", "labour_inspection", "supply_chains",
            "demand_reduction", "online_recruitment", "data_collection", "national_rapporteur",
        ];

        Assert.All(expected, id => Assert.NotNull(Vocabulary.Concept(id)));
        Assert.Superset(
            new HashSet<string> { "prevention", "protection", "prosecution", "partnership", "data", "monitoring" },
            Vocabulary.Concepts.Select(c => c.Theme).ToHashSet());
    }

    [Theory]
    [InlineData("en", "forced labour")]
    [InlineData("fr", "travail forcé")]
    [InlineData("es", "trabajo forzoso")]
    [InlineData("ru", "принудительный труд")]
    [InlineData("ar", "العمل القسري")]
    [InlineData("zh", "强迫劳动")]
    [InlineData("nl", "dwangarbeid")]
    [InlineData("sv", "tvångsarbete")]
    [InlineData("fi", "pakkotyö")]
    [InlineData("bg", "принудителен труд")]
    public void Concept_ForcedLabour_PreferredLabelIsTheProfessionalTerm(string language, string label)
    {
        var concept = Vocabulary.Concept("forced_labour")!;

        Assert.Equal(label, concept.PreferredLabel(language));
        Assert.Equal(label, concept.Labels[language][0]);
    }

    [Fact]
    public void Concept_UnknownId_Null()
    {
        Assert.Null(Vocabulary.Concept("no_such_concept"));
    }

    [Fact]
    public void Find_FrenchQueryAndEnglishText_CarryTheSameConcept()
    {
        const string english = "Forced labour in agriculture";
        var inFrench = Vocabulary.Find("travail forcé", "fr");
        var inEnglish = Vocabulary.Find(english, "en");

        Assert.Equal(new ConceptMatch("forced_labour", 0, 13), Assert.Single(inFrench));
        Assert.Contains(new ConceptMatch("forced_labour", 0, 13), inEnglish);
        Assert.Contains(new ConceptMatch("agriculture", 17, 11), inEnglish);
    }

    [Theory]
    [InlineData("en", "They were forced labourers on farms", "forced_labour", "forced labourers")]
    [InlineData("en", "Trafficking victims were identified", "victim_of_trafficking", "Trafficking victims")]
    [InlineData("fr", "Les victimes de la traite ont été orientées", "victim_of_trafficking", "victimes de la traite")]
    [InlineData("es", "las víctimas de trata en España", "victim_of_trafficking", "víctimas de trata")]
    [InlineData("ru", "помощь жертвам торговли людьми", "victim_of_trafficking", "жертвам торговли людьми")]
    [InlineData("ar", "حماية ضحايا الاتجار بالبشر", "victim_of_trafficking", "ضحايا الاتجار")]
    [InlineData("nl", "slachtoffers van mensenhandel in Nederland", "victim_of_trafficking", "slachtoffers van mensenhandel")]
    [InlineData("fi", "pakkotyön uhrit", "forced_labour", "pakkotyön")]
    [InlineData("bg", "жертвите на трафик", "victim_of_trafficking", "жертвите на трафик")]
    [InlineData("zh", "许多强迫劳动受害者", "forced_labour", "强迫劳动")]
    public void Find_InflectedLabel_FoundWithOffsetsOnTheOriginalText(string language, string text, string conceptId, string covered)
    {
        var match = Assert.Single(Vocabulary.Find(text, language), m => m.ConceptId == conceptId);

        Assert.Equal(covered, text.Substring(match.Start, match.Length));
    }

    [Theory]
    [InlineData("ar", "التبني غير المشروع", "التبني المشروع", "illegal_adoption")]
    [InlineData("en", "non-governmental organisations", "governmental organisations", "civil_society")]
    [InlineData("es", "la no punición de las víctimas", "la punición de las víctimas", "non_punishment_principle")]
    [InlineData("nl", "niet-gouvernementele organisaties", "gouvernementele organisaties", "civil_society")]
    public void Find_NegatedLabel_NotFoundWithoutItsNegation(string language, string negated, string plain, string conceptId)
    {
        Assert.Contains(Vocabulary.Find(negated, language), m => m.ConceptId == conceptId);
        Assert.DoesNotContain(Vocabulary.Find(plain, language), m => m.ConceptId == conceptId);
    }

    [Fact]
    public void Find_LanguageWithoutLabels_Nothing()
    {
        Assert.Empty(Vocabulary.Find("forced labour", "ne"));
    }

    [Fact]
    public void Find_SameConceptTwice_EachOccurrence()
    {
        var found = Vocabulary.Find("Forced labour is common; forced labor too.", "en");

        Assert.Equal([0, 25], found.Where(m => m.ConceptId == "forced_labour").Select(m => m.Start));
    }

    [Fact]
    public void Validate_BrokenVocabulary_EveryProblemNamed()
    {
        const string json = """
            {
              "languages": ["en", "fr"],
              "concepts": [
                { "id": "forced_labour", "theme": "exploitation", "labels": { "en": ["forced labour"], "fr": ["travail forcé"] } },
                { "id": "forced_labour", "theme": "", "labels": { "en": ["the of"], "de": ["Zwangsarbeit"] } },
                { "id": "Bad-Id", "theme": "general", "labels": { "en": ["forced labor"], "fr": ["travail forcée", "  "] } },
                { "id": "short_label", "theme": "general", "labels": { "en": ["of children"], "fr": ["enfants"] } }
              ]
            }
            """;

        var problems = ConceptVocabulary.Validate(json);

        Assert.Contains(problems, p => p.StartsWith("concepts[1] (forced_labour).id:", StringComparison.Ordinal) && p.Contains("earlier concept", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("concepts[1] (forced_labour).theme: missing", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("concepts[1] (forced_labour).labels.en[0]:", StringComparison.Ordinal) && p.Contains("only stop words", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("concepts[1] (forced_labour).labels.fr: missing", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("concepts[1] (forced_labour).labels.de:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("concepts[2] (Bad-Id).id:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("concepts[2] (Bad-Id).labels.fr[0]:", StringComparison.Ordinal) && p.Contains("'forced_labour'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("concepts[2] (Bad-Id).labels.fr[1]: empty label", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("concepts[3] (short_label).labels.en[0]:", StringComparison.Ordinal) && p.Contains("keeps one term", StringComparison.Ordinal));
        Assert.Equal(9, problems.Count);
    }

    [Fact]
    public void Validate_NotJson_OneProblem()
    {
        Assert.Single(ConceptVocabulary.Validate("{ \"concepts\": [ }"));
    }
}

using NremNet.Cli.Federation;
using NremNet.Domain.Practices;
using NremNet.Domain.Questions;

namespace NremNet.Cli.Tests.Practices;

/// <summary>The SYNTHETIC sample documents 'federation up' loads: deterministic, valid, clearly synthetic, free of personal data, and varied.</summary>
public sealed class SampleDocumentsTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 9, 30, 0, TimeSpan.Zero);

    public static TheoryData<string> Countries => new(SampleDocuments.Languages.Keys);

    [Theory]
    [MemberData(nameof(Countries))]
    public void Practices_SameCountryTwice_SameBytes(string country)
    {
        var first = SampleDocuments.Practices(country);
        var second = SampleDocuments.Practices(country, SampleDocuments.LanguageOf(country));

        Assert.Equal(first, second);
    }

    [Fact]
    public void Practices_DifferentCountries_DifferentTexts()
    {
        var nl = SampleDocuments.Practices("NL");
        var se = SampleDocuments.Practices("SE");

        Assert.Empty(nl.Intersect(se));
        Assert.NotEqual(nl.Select(Title), se.Select(Title));
    }

    [Theory]
    [MemberData(nameof(Countries))]
    public void Practices_EveryFile_ReadsBackWithoutAnyProblem(string country)
    {
        foreach (var file in SampleDocuments.Practices(country))
        {
            var parsed = PracticeFile.Parse(file);
            Assert.True(parsed.Succeeded, $"{country}: {string.Join("; ", parsed.Problems)}{Environment.NewLine}{file}");
            Assert.Empty(PracticeValidation.Validate(parsed.Value));
            Assert.Equal(file, PracticeFile.Write(parsed.Value));
            Assert.Empty(EvidenceCatalogue.Shortfalls(parsed.Value.Evidence, parsed.Value.Evidence.Grade));
        }
    }

    [Theory]
    [MemberData(nameof(Countries))]
    public void Practices_EveryFreeText_HasNoPersonalDataFinding(string country)
    {
        foreach (var practice in Read(country))
        {
            var findings = PersonalDataGuard.Check(PersonalDataGuard.FreeText(practice));
            Assert.True(findings.Count == 0, $"{country} '{practice.Title}': {string.Join("; ", findings.Select(f => $"{f.Kind} in {f.Field}: {f.Excerpt}"))}");
        }
    }

    [Theory]
    [MemberData(nameof(Countries))]
    public void Practices_EachNode_Has20To40UniquePracticesCoveringEveryThemeAndGrade(string country)
    {
        var practices = Read(country);

        Assert.InRange(practices.Count, SampleDocuments.MinPractices, SampleDocuments.MaxPractices);
        Assert.Equal(practices.Count, practices.Select(p => p.Title).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(PracticeCatalogue.Themes.Select(t => t.Id).Order(), practices.SelectMany(p => p.Themes).Distinct().Order());
        Assert.Equal([EvidenceGrade.Emerging, EvidenceGrade.Promising, EvidenceGrade.Evaluated], practices.Select(p => p.Evidence.Grade).Distinct().Order());
    }

    [Fact]
    public void Practices_AllNodesTogether_CoverEveryFormOfExploitationAndTargetGroup()
    {
        var practices = SampleDocuments.Languages.Keys.SelectMany(Read).ToList();

        Assert.Equal(PracticeCatalogue.ExploitationForms.Select(c => c.Id).Order(), practices.SelectMany(p => p.Exploitation).Distinct().Order());
        Assert.Equal(PracticeCatalogue.TargetGroups.Select(c => c.Id).Order(), practices.SelectMany(p => p.TargetGroups).Distinct().Order());
    }

    [Theory]
    [MemberData(nameof(Countries))]
    public void Practices_Every_IsMarkedSyntheticWithExampleContactsAndAPeriodFrom2015To2026(string country)
    {
        foreach (var practice in Read(country))
        {
            Assert.Contains("SYNTHETIC", practice.Title, StringComparison.Ordinal);
            Assert.Contains(SampleDocuments.SyntheticMarkers[practice.Language], practice.Summary, StringComparison.Ordinal);
            Assert.Contains(SampleDocuments.SyntheticMarkers[practice.Language], practice.Body, StringComparison.Ordinal);
            foreach (var translation in practice.Translations)
            {
                Assert.Contains("SYNTHETIC", translation.Title, StringComparison.Ordinal);
                Assert.Contains(SampleDocuments.SyntheticMarkers[translation.Language], translation.Summary, StringComparison.Ordinal);
            }

            Assert.EndsWith("@example.org", practice.Contact!.Email, StringComparison.Ordinal);
            Assert.InRange(practice.Period.From!.Value.Year, SampleDocuments.FirstYear, SampleDocuments.LastYear);
            Assert.InRange(practice.Period.To?.Year ?? SampleDocuments.LastYear, SampleDocuments.FirstYear, SampleDocuments.LastYear);
            Assert.All(practice.Links, l => Assert.Contains(".example.org/", l.Url, StringComparison.Ordinal));
            Assert.Contains(SampleDocuments.SyntheticMarkers[practice.Language], practice.Organisation, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [InlineData("NL", "nl")]
    [InlineData("SE", "sv")]
    [InlineData("FI", "fi")]
    [InlineData("BG", "bg")]
    [InlineData("NP", "ne")]
    [InlineData("AR", "es")]
    public void Practices_NodeWithItsOwnLanguage_WritesInItWithHumanEnglish_InEnglishOnly_AndInEnglishWithMachineTranslation(string country, string language)
    {
        var practices = Read(country);

        var own = practices.Where(p => p.Language == language).ToList();
        Assert.NotEmpty(own);
        Assert.All(own, p => Assert.Equal(TranslationKind.Human, Assert.Single(p.Translations, t => t.Language == "en").Kind));
        Assert.All(own, p => Assert.StartsWith(SampleDocuments.SyntheticMarkers[language], p.Title, StringComparison.Ordinal));
        Assert.Contains(practices, p => p.Language == "en" && p.Translations.Count == 0);
        Assert.Contains(practices, p => p.Language == "en" && p.Translations.Any(t => t.Language == language && t.Kind == TranslationKind.Machine));
    }

    [Fact]
    public void Practices_Nigeria_WritesInEnglishOnly()
    {
        Assert.All(Read("NG"), p =>
        {
            Assert.Equal("en", p.Language);
            Assert.Empty(p.Translations);
        });
    }

    [Fact]
    public void Questions_TwoFromNlAndSe_ReadBackValid_WithEveryAnswerType()
    {
        var samples = SampleDocuments.Questions(Now);

        Assert.Equal(["NL", "SE"], samples.Select(s => s.AskingCountry));
        Assert.Equal(samples, SampleDocuments.Questions(Now));
        var questions = samples.Select(s =>
        {
            var parsed = QuestionFile.Parse(s.File, Now);
            Assert.True(parsed.Succeeded, string.Join("; ", parsed.Problems));
            Assert.Equal(s.Title, parsed.Value.Title);
            Assert.Contains("SYNTHETIC", parsed.Value.Title, StringComparison.Ordinal);
            Assert.Empty(QuestionValidation.Validate(parsed.Value with { Id = "SAMPLE-Q-1" }, Now));
            Assert.InRange(parsed.Value.Deadline, Now.AddDays(14), Now.AddDays(60));
            return parsed.Value;
        }).ToList();

        Assert.True(questions[0].Recipients.IsAllMembers);
        Assert.Equal(SampleDocuments.ResidenceQuestionRecipients, questions[1].Recipients.Countries);
        var items = questions.SelectMany(q => q.Items).ToList();
        Assert.Equal(Enum.GetValues<AnswerType>().Where(t => t != AnswerType.Unspecified).Order(), items.Select(i => i.Type).Distinct().Order());
        Assert.Contains(items, i => i.Type == AnswerType.Number && i.NumberKind == NumberKind.Integer && i.Unit is { Length: > 0 });
        Assert.Contains(items, i => i.Type == AnswerType.Number && i.NumberKind == NumberKind.Decimal);
        Assert.Contains(items, i => i.Instruction is { Length: > 0 });
    }

    [Fact]
    public void Questions_ForAFederationWithoutSomeCountries_PutsSesQuestionOnlyToThoseThere()
    {
        var samples = SampleDocuments.Questions(Now, ["NL", "SE", "FI"]);

        var residence = QuestionFile.Parse(samples.Single(s => s.AskingCountry == "SE").File).Value!;
        Assert.Equal(["NL", "FI"], residence.Recipients.Countries);
        Assert.Equal(["NL"], SampleDocuments.Questions(Now, ["NL", "FI"]).Select(s => s.AskingCountry));
    }

    [Fact]
    public void Answers_FromMostButNotAllRecipients_ValidWithDeclinedAndAskerOnlyItems()
    {
        var all = new List<QuestionAnswer>();
        foreach (var sample in SampleDocuments.Questions(Now))
        {
            var question = QuestionFile.Parse(sample.File).Value! with { Id = $"{sample.AskingCountry}-Q-2026-0001" };
            var recipients = SampleDocuments.Languages.Keys.Where(question.IsAddressedTo).ToList();
            var answers = new List<QuestionAnswer>();
            foreach (var country in recipients)
            {
                var file = SampleDocuments.Answer(question, country);
                Assert.Equal(file, SampleDocuments.Answer(question, country));
                if (file is null)
                {
                    continue;
                }

                var parsed = AnswerFile.Parse(file, question);
                Assert.True(parsed.Succeeded, $"{country}: {string.Join("; ", parsed.Problems)}{Environment.NewLine}{file}");
                Assert.Empty(AnswerValidation.Validate(question, parsed.Value));
                Assert.Equal(country, parsed.Value.AnsweringCountry);
                answers.Add(parsed.Value);
            }

            Assert.Null(SampleDocuments.Answer(question, sample.AskingCountry));
            Assert.InRange(answers.Count, recipients.Count / 2 + 1, recipients.Count - 1);
            var compilation = QuestionCompilation.Build(question, answers, recipients, Now);
            Assert.Contains("not official positions", compilation.ToMarkdown(), StringComparison.Ordinal);
            Assert.Contains(compilation.Countries, c => c.Status == CountryAnswerStatus.Pending);
            Assert.Contains(compilation.Countries, c => c.Status == CountryAnswerStatus.Answered);
            all.AddRange(answers);
        }

        var items = all.SelectMany(a => a.Items).ToList();
        Assert.Contains(items, i => i.Status == ItemAnswerStatus.Declined && i.DeclineReason is { Length: > 10 });
        Assert.Contains(items, i => i.Dissemination == Dissemination.AskerOnly);
        Assert.Contains(items, i => i.Value is TextValue);
        var texts = all.SelectMany((a, n) => a.Items.Select((i, k) => ($"answers[{n}].items[{k}]", string.Join(' ', i.DeclineReason, i.Comment, (i.Value as TextValue)?.Text))));
        Assert.Empty(PersonalDataGuard.Check(texts));
    }

    private static string Title(string file) => PracticeFile.Parse(file).Value!.Title;

    private static List<Practice> Read(string country) =>
        [.. SampleDocuments.Practices(country).Select(f => PracticeFile.Parse(f).Value ?? throw new Xunit.Sdk.XunitException($"{country}: a sample practice does not read back: {string.Join("; ", PracticeFile.Parse(f).Problems)}"))];
}

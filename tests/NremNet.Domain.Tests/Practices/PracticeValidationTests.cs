using NremNet.Domain.Practices;

namespace NremNet.Domain.Tests.Practices;

public class PracticeValidationTests
{
    private static readonly Dictionary<string, (Func<Practice, Practice> Break, (string Field, string Says)[] Expected)> Faults = new(StringComparer.Ordinal)
    {
        ["id with spaces"] = (p => p with { Id = "NL PR 1" }, [("id", "'NL PR 1' is not an id")]),
        ["id too long"] = (p => p with { Id = new string('a', 65) }, [("id", "is not an id of 3 to 64")]),
        ["title missing"] = (p => p with { Title = " " }, [("title", "required")]),
        ["title two lines"] = (p => p with { Title = "One\nTwo" }, [("title", "one line only")]),
        ["title too long"] = (p => p with { Title = new string('t', 201) }, [("title", "201 characters; at most 200")]),
        ["summary control character"] = (p => p with { Summary = "Bell\u0007" }, [("summary", "contains control characters")]),
        ["body missing"] = (p => p with { Body = "" }, [("body", "required")]),
        ["body too long"] = (p => p with { Body = new string('b', PracticeLimits.MaxBodyLength + 1) }, [("body", $"at most {PracticeLimits.MaxBodyLength}")]),
        ["language missing"] = (p => p with { Language = "" }, [("language", "required: the ISO 639-1 code")]),
        ["language upper case"] = (p => p with { Language = "EN" }, [("language", "'EN' is not an ISO 639-1 code")]),
        ["language unknown"] = (p => p with { Language = "xx" }, [("language", "'xx' is not an ISO 639-1 code")]),
        ["translation into the original's language"] = (p => p with { Translations = [p.Translations[0] with { Language = "en" }] }, [("translations[0].language", "'en' is the original's language")]),
        ["two translations into one language"] = (p => p with { Translations = [p.Translations[0], p.Translations[1] with { Language = "nl" }] }, [("translations[1].language", "there is already a translation into 'nl'")]),
        ["translation without kind"] = (p => p with { Translations = [p.Translations[0] with { Kind = TranslationKind.Unspecified }] }, [("translations[0].kind", "required: one of HUMAN, MACHINE")]),
        ["translation with undefined kind"] = (p => p with { Translations = [p.Translations[0] with { Kind = (TranslationKind)9 }] }, [("translations[0].kind", "required: one of HUMAN, MACHINE")]),
        ["translation without title and summary"] = (p => p with { Translations = [p.Translations[0] with { Title = "", Summary = "" }] }, [("translations[0].title", "required"), ("translations[0].summary", "required")]),
        ["too many translations"] = (p => p with { Translations = [.. PracticeCatalogue.Languages.Where(l => l != "en").Take(13).Select(l => p.Translations[0] with { Language = l })] }, [("translations", "13 entries; at most 12")]),
        ["no theme"] = (p => p with { Themes = [] }, [("themes", "required: at least one of prevention, protection, prosecution, partnership, data_collection, monitoring")]),
        ["theme unknown"] = (p => p with { Themes = ["protection", "rescue"] }, [("themes[1]", "'rescue' is not a code of themes; one of prevention")]),
        ["theme twice"] = (p => p with { Themes = ["protection", "protection"] }, [("themes[1]", "'protection' is listed twice")]),
        ["exploitation unknown code"] = (p => p with { Exploitation = ["UNK"] }, [("exploitation[0]", "'UNK' is not a code of exploitation; one of SEX, LAB, CRIM, BEG, MAR, ORG, OTH")]),
        ["exploitation lower case"] = (p => p with { Exploitation = ["lab"] }, [("exploitation[0]", "'lab' is not a code of exploitation")]),
        ["target group unknown"] = (p => p with { TargetGroups = ["aliens"] }, [("target_groups[0]", "'aliens' is not a code of target_groups; one of victims, children")]),
        ["grade missing"] = (p => p with { Evidence = p.Evidence with { Grade = EvidenceGrade.Unspecified } }, [("evidence.grade", "required: one of EMERGING, PROMISING, EVALUATED")]),
        ["criterion unknown"] = (p => p with { Evidence = p.Evidence with { Criteria = [.. p.Evidence.Criteria, new("charisma", CriterionRating.Met, "Everyone liked it.")] } }, [("evidence.criteria[8]", "'charisma' is not a criterion; one of relevance, evidence_base")]),
        ["criterion twice"] = (p => p with { Evidence = p.Evidence with { Criteria = [.. p.Evidence.Criteria, p.Evidence.Criteria[0]] } }, [("evidence.criteria.relevance", "assessed twice")]),
        ["criterion missing"] = (p => p with { Evidence = p.Evidence with { Criteria = [.. p.Evidence.Criteria.Where(c => c.Criterion != "equity")] } }, [("evidence.criteria.equity", "required: rate 'Equity' (met, partly, not_met) with a justification. Does the practice reach")]),
        ["criterion unrated"] = (p => p with { Evidence = p.Evidence with { Criteria = [.. p.Evidence.Criteria.Select(c => c.Criterion == "ethics" ? c with { Rating = CriterionRating.Unspecified } : c)] } }, [("evidence.criteria.ethics.rating", "required: one of met, partly, not_met")]),
        ["justification missing"] = (p => p with { Evidence = p.Evidence with { Criteria = [.. p.Evidence.Criteria.Select(c => c.Criterion == "equity" ? c with { Justification = "" } : c)] } }, [("evidence.criteria.equity.justification", "required")]),
        ["justification too short"] = (p => p with { Evidence = p.Evidence with { Criteria = [.. p.Evidence.Criteria.Select(c => c.Criterion == "equity" ? c with { Justification = "yes" } : c)] } }, [("evidence.criteria.equity.justification", "say why in at least 10 characters")]),
        ["grade not supported"] = (p => p with { Evidence = p.Evidence with { Criteria = PracticeSamples.Criteria(CriterionRating.Met, ("effectiveness", CriterionRating.NotMet)) } }, [("evidence.grade", "EVALUATED needs effectiveness met, but it is not met (the assessment supports EMERGING)")]),
        ["source missing"] = (p => p with { Evidence = p.Evidence with { Source = null } }, [("evidence.grade", "EVALUATED needs a source document. Required: the evaluation report. (the assessment supports EMERGING)")]),
        ["source with url and attachment"] = (p => p with { Evidence = p.Evidence with { Source = p.Evidence.Source! with { Url = "https://example.org/r.pdf" } } }, [("evidence.source", "give either url")]),
        ["source empty"] = (p => p with { Evidence = p.Evidence with { Source = new EvidenceSource() } }, [("evidence.source", "give either url")]),
        ["source url not web"] = (p => p with { Evidence = p.Evidence with { Source = new EvidenceSource { Url = "file:///c:/report.pdf" } } }, [("evidence.source.url", "'file:///c:/report.pdf' is not an absolute http or https address")]),
        ["source attachment not attached"] = (p => p with { Evidence = p.Evidence with { Source = new EvidenceSource { Attachment = new string('c', 64) } } }, [("evidence.source.attachment", "is the SHA-256 of none of the attachments")]),
        ["period without start"] = (p => p with { Period = new PracticePeriod { To = new YearMonth(2024, 1) } }, [("period.from", "required: the month the practice started, YYYY-MM")]),
        ["period ends before it starts"] = (p => p with { Period = new PracticePeriod { From = new YearMonth(2024, 5), To = new YearMonth(2024, 4) } }, [("period.to", "2024-04 is before the start 2024-05")]),
        ["period too early"] = (p => p with { Period = new PracticePeriod { From = new YearMonth(1989, 12) } }, [("period.from", "1989-12 is not a month from 1990-01 to 2100-12")]),
        ["period month 13"] = (p => p with { Period = new PracticePeriod { From = new YearMonth(2020, 13) } }, [("period.from", "2020-13 is not a month")]),
        ["organisation missing"] = (p => p with { Organisation = "" }, [("organisation", "required")]),
        ["contact email missing"] = (p => p with { Contact = new PracticeContact("Coordinator", "") }, [("contact.email", "required: an e-mail address")]),
        ["contact email wrong"] = (p => p with { Contact = new PracticeContact("Coordinator", "team at example.org") }, [("contact.email", "'team at example.org' is not an e-mail address")]),
        ["link javascript"] = (p => p with { Links = [new PracticeLink("javascript:alert(1)")] }, [("links[0].url", "'javascript:alert(1)' is not an absolute http or https address")]),
        ["link relative"] = (p => p with { Links = [new PracticeLink("/reports/1")] }, [("links[0].url", "is not an absolute http or https address")]),
        ["link with space"] = (p => p with { Links = [new PracticeLink("https://example.org/a b")] }, [("links[0].url", "without spaces")]),
        ["link empty"] = (p => p with { Links = [new PracticeLink("")] }, [("links[0].url", "required: an http or https address")]),
        ["too many links"] = (p => p with { Links = [.. Enumerable.Range(0, 21).Select(i => new PracticeLink($"https://example.org/{i}"))] }, [("links", "21 entries; at most 20")]),
        ["tag twice"] = (p => p with { Tags = ["shelter", "Shelter"] }, [("tags[1]", "'Shelter' is listed twice")]),
        ["tag empty"] = (p => p with { Tags = [""] }, [("tags[0]", "required")]),
        ["tag too long"] = (p => p with { Tags = [new string('t', 51)] }, [("tags[0]", "51 characters; at most 50")]),
        ["too many tags"] = (p => p with { Tags = [.. Enumerable.Range(0, 21).Select(i => $"tag {i}")] }, [("tags", "21 entries; at most 20")]),
        ["attachment media type unknown"] = (p => p with { Attachments = [p.Attachments[0], p.Attachments[1] with { MediaType = "image/svg+xml", Name = "a.svg" }] }, [("attachments[1].media_type", "'image/svg+xml' is not accepted; one of application/pdf")]),
        ["attachment extension wrong"] = (p => p with { Attachments = [p.Attachments[0], p.Attachments[1] with { Name = "intake-form.pdf" }] }, [("attachments[1].name", "'intake-form.pdf' ends in .pdf but its content is a Word document (DOCX); rename it to end in .docx")]),
        ["attachment names clash"] = (p => p with { Attachments = [p.Attachments[0], p.Attachments[1] with { Name = "EVALUATION-2025.PDF", MediaType = AttachmentCheck.Pdf }] }, [("attachments[1].name", "another attachment is already named 'EVALUATION-2025.PDF'")]),
        ["attachment empty"] = (p => p with { Attachments = [p.Attachments[0], p.Attachments[1] with { Size = 0 }] }, [("attachments[1].size", "0 bytes; an attachment has 1 to")]),
        ["attachment hash upper case"] = (p => p with { Attachments = [p.Attachments[0], p.Attachments[1] with { Sha256 = new string('A', 64) }] }, [("attachments[1].sha256", "is not a SHA-256: 64 lower-case hexadecimal digits")]),
        ["attachment twice"] = (p => p with { Attachments = [p.Attachments[0], p.Attachments[1] with { Sha256 = PracticeSamples.ReportSha256 }] }, [("attachments[1].sha256", "the same file is attached twice")]),
        ["too many attachments"] = (p => p with { Attachments = [p.Attachments[0], .. Enumerable.Range(1, 10).Select(i => p.Attachments[0] with { Name = $"r{i}.pdf", Sha256 = i.ToString("x64", System.Globalization.CultureInfo.InvariantCulture) })] }, [("attachments", "11 entries; at most 10")]),
    };

    public static TheoryData<string> FaultNames() => [.. Faults.Keys];

    [Fact]
    public void Validate_ValidPractice_NoProblems()
    {
        Assert.Empty(PracticeValidation.Validate(PracticeSamples.Valid()));
    }

    [Fact]
    public void Validate_NewPracticeWithoutId_NoProblems()
    {
        Assert.Empty(PracticeValidation.Validate(PracticeSamples.Valid() with { Id = "" }));
    }

    [Fact]
    public void Validate_EmptyPractice_EveryRequiredFieldAtOnce()
    {
        var problems = PracticeValidation.Validate(new Practice());

        string[] required = ["title", "summary", "body", "language", "themes", "evidence.grade", "period.from", "organisation"];
        Assert.All(required, field => Assert.Contains(problems, p => p.Path == field));
        Assert.All(EvidenceCatalogue.Criteria, c => Assert.Contains(problems, p => p.Path == $"evidence.criteria.{c.Id}"));
        Assert.Equal(required.Length + EvidenceCatalogue.Criteria.Count, problems.Count);
    }

    [Theory]
    [MemberData(nameof(FaultNames))]
    public void Validate_Fault_ReportedAtItsField(string fault)
    {
        var (breakIt, expected) = Faults[fault];

        var problems = PracticeValidation.Validate(breakIt(PracticeSamples.Valid()));

        Assert.Equal(expected.Length, problems.Count);
        foreach (var (field, says) in expected)
        {
            Assert.Contains(problems, p => p.Path == field && p.Message.Contains(says, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Validate_AllFaultsAtOnce_EveryOneReported()
    {
        var practice = PracticeSamples.Valid() with
        {
            Title = "",
            Language = "xx",
            Themes = ["rescue"],
            Period = new PracticePeriod(),
            Links = [new PracticeLink("javascript:alert(1)")],
            Tags = ["a", "A"],
        };

        var problems = PracticeValidation.Validate(practice);

        Assert.Equal(
            ["language", "links[0].url", "period.from", "tags[1]", "themes[0]", "title"],
            problems.Select(p => p.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Validate_AttachmentLimitFromTheNode_Applied()
    {
        var problems = PracticeValidation.Validate(PracticeSamples.Valid(), maxAttachmentBytes: 100_000);

        var problem = Assert.Single(problems);
        Assert.Equal("attachments[0].size", problem.Path);
    }

    [Fact]
    public void Validate_HostileValueInMessage_Bounded()
    {
        var problems = PracticeValidation.Validate(PracticeSamples.Valid() with { Language = new string('x', 10_000) });

        Assert.True(Assert.Single(problems).Message.Length < 200);
    }

    [Fact]
    public void WithoutMembersOnly_Practice_DropsTheContact()
    {
        var practice = PracticeSamples.Valid();

        var shared = practice.WithoutMembersOnly();

        Assert.Null(shared.Contact);
        Assert.Equal(practice.Title, shared.Title);
        Assert.Equal(["contact"], Practice.MembersOnlyFields);
    }

    [Theory]
    [InlineData("2024-03", true, 2024, 3)]
    [InlineData("1999-12", true, 1999, 12)]
    [InlineData("2024-13", false, 0, 0)]
    [InlineData("2024-00", false, 0, 0)]
    [InlineData("2024-3", false, 0, 0)]
    [InlineData("2024/03", false, 0, 0)]
    [InlineData("+024-03", false, 0, 0)]
    [InlineData("", false, 0, 0)]
    public void TryParse_YearMonth_OnlyYyyyMm(string text, bool ok, int year, int month)
    {
        Assert.Equal(ok, YearMonth.TryParse(text, out var value));
        Assert.Equal(new YearMonth(year, month), value);
        if (ok)
        {
            Assert.Equal(text, value.ToString());
        }
    }
}

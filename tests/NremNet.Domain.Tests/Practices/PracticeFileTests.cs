using NremNet.Domain.Documents;
using NremNet.Domain.Practices;

namespace NremNet.Domain.Tests.Practices;

public class PracticeFileTests
{
    [Fact]
    public void Parse_Example_ReadsEveryField()
    {
        var result = PracticeFile.Parse(PracticeFile.Example);

        Assert.Empty(result.Problems);
        var practice = Assert.IsType<Practice>(result.Value);
        Assert.StartsWith("SYNTHETIC EXAMPLE", practice.Title, StringComparison.Ordinal);
        Assert.Equal("en", practice.Language);
        Assert.Equal(["prevention", "protection", "partnership"], practice.Themes);
        Assert.Equal(["LAB"], practice.Exploitation);
        Assert.Equal(EvidenceGrade.Promising, practice.Evidence.Grade);
        Assert.Equal(8, practice.Evidence.Criteria.Count);
        Assert.Equal(new YearMonth(2022, 1), practice.Period.From);
        Assert.Equal("nl", Assert.Single(practice.Translations).Language);
        Assert.StartsWith("> **Synthetic example.**", practice.Body, StringComparison.Ordinal);
        Assert.EndsWith("fear sanctions.", practice.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_ValidPractice_ParsesBackToTheSamePractice()
    {
        var practice = PracticeSamples.Valid();

        var text = PracticeFile.Write(practice);
        var result = PracticeFile.Parse(text);

        Assert.Empty(result.Problems);
        Assert.Equal(PracticeSamples.Json(practice), PracticeSamples.Json(result.Value!));
        Assert.Equal(text, PracticeFile.Write(result.Value!));
    }

    [Fact]
    public void Write_Example_ParsesBackToTheSamePractice()
    {
        var practice = PracticeFile.Parse(PracticeFile.Example).Value!;

        var again = PracticeFile.Parse(PracticeFile.Write(practice));

        Assert.Equal(PracticeSamples.Json(practice), PracticeSamples.Json(again.Value!));
    }

    [Fact]
    public void Write_TextsThatLookLikeYaml_RoundTrip()
    {
        var practice = PracticeSamples.Valid() with
        {
            Title = "yes: - [not] a list # or a comment & *alias 'quoted' \"double\"",
            Summary = "  starts with spaces\n---\nhas a delimiter line\n...\nand ends without a newline",
            Organisation = "null",
            Tags = ["~", "true", "2024", "a, b", "ключ: значение"],
            Translations = [new PracticeTranslation { Language = "bg", Kind = TranslationKind.Machine, Title = "Заглавие", Summary = "Резюме\n\n  с отстъп\t и табулация" }],
        };

        var result = PracticeFile.Parse(PracticeFile.Write(practice));

        Assert.Empty(result.Problems);
        Assert.Equal(PracticeSamples.Json(practice), PracticeSamples.Json(result.Value!));
    }

    [Fact]
    public void Write_MinimalPractice_LeavesEmptyFieldsOut()
    {
        var practice = PracticeSamples.Valid() with { Id = "", Contact = null, Links = [], Tags = [], Translations = [], Exploitation = [] };

        var text = PracticeFile.Write(practice);

        Assert.DoesNotContain("id:", text, StringComparison.Ordinal);
        Assert.DoesNotContain("contact:", text, StringComparison.Ordinal);
        Assert.DoesNotContain("exploitation:", text, StringComparison.Ordinal);
        Assert.Equal(PracticeSamples.Json(practice), PracticeSamples.Json(PracticeFile.Parse(text).Value!));
    }

    [Fact]
    public void Parse_CrlfAndByteOrderMark_Accepted()
    {
        var text = "\uFEFF" + PracticeFile.Write(PracticeSamples.Valid()).ReplaceLineEndings("\r\n");

        var result = PracticeFile.Parse(text);

        Assert.Empty(result.Problems);
        Assert.Equal(PracticeSamples.Valid().Body, result.Value!.Body);
    }

    [Fact]
    public void Parse_ManyProblems_ReportsEveryOneWithItsLine()
    {
        var text = """
            ---
            title: [not, a, title]
            summary: A synthetic summary.
            language: english
            themes: [prevention, trafficking]
            exploitation: LAB
            target_groups: [children, aliens]
            colour: blue
            Tags: [a]
            evidence:
              grade: GOOD
              criteria:
                relevance: {rating: met, justification: A documented need in the rapporteur's report.}
                ethics: {rating: sometimes, justification: Consent is always asked.}
                charisma: {rating: met, justification: Everyone liked it very much.}
              source:
                url: javascript:alert(1)
            period:
              from: 2021/03
            contact:
              email: not-an-address
            links:
            - ftp://files.example.org/report
            attachments:
            - name: ../report.pdf
              media_type: application/pdf
              size: twelve
              sha256: abc
            translations:
            - language: xx
              kind: ROBOT
              title: Same language
              summary: A summary.
            ---

            Body text.
            """;

        var result = PracticeFile.Parse(text);

        Assert.Null(result.Value);
        var expected = new (int Line, string Path, string Says)[]
        {
            (2, "title", "expected text, found a list"),
            (4, "language", "'english' is not an ISO 639-1 code"),
            (5, "themes[1]", "'trafficking' is not a code of themes; one of prevention, protection, prosecution, partnership, data_collection, monitoring"),
            (6, "exploitation", "expected a list"),
            (7, "target_groups[1]", "'aliens' is not a code of target_groups; one of victims, children,"),
            (8, "colour", "unknown key 'colour'; the keys here are id, title, summary,"),
            (9, "Tags", "unknown key 'Tags': keys are lower case, write 'tags'"),
            (11, "evidence.grade", "'GOOD' is not a grade; one of EMERGING, PROMISING, EVALUATED"),
            (14, "evidence.criteria.ethics.rating", "'sometimes' is not a rating; one of met, partly, not_met"),
            (15, "evidence.criteria.charisma", "unknown key 'charisma'; the keys here are relevance, evidence_base, ethics,"),
            (12, "evidence.criteria.evidence_base", "required: rate 'Evidence and theory base'"),
            (17, "evidence.source.url", "'javascript:alert(1)' is not an absolute http or https address"),
            (19, "period.from", "'2021/03' is not a month: write YYYY-MM"),
            (21, "contact.email", "'not-an-address' is not an e-mail address"),
            (23, "links[0].url", "'ftp://files.example.org/report' is not an absolute http or https address"),
            (25, "attachments[0].name", "'../report.pdf' is not a plain file name"),
            (27, "attachments[0].size", "'twelve' is not a number of bytes"),
            (28, "attachments[0].sha256", "'abc' is not a SHA-256"),
            (30, "translations[0].language", "'xx' is not an ISO 639-1 code"),
            (31, "translations[0].kind", "'ROBOT' is not a kind of translation; one of HUMAN, MACHINE"),
            (1, "organisation", "required"),
        };
        var missing = expected
            .Where(e => !result.Problems.Any(p => p.Line == e.Line && p.Path == e.Path && p.Message.Contains(e.Says, StringComparison.Ordinal)))
            .ToList();
        Assert.True(missing.Count == 0, $"not reported: {string.Join("; ", missing)}\nreported:\n{string.Join("\n", result.Problems)}");

        // A field that could not be read is reported once, not again as missing.
        Assert.Single(result.Problems, p => p.Path == "title");
        Assert.Single(result.Problems, p => p.Path.StartsWith("exploitation", StringComparison.Ordinal));
        Assert.Single(result.Problems, p => p.Path == "evidence.grade");
        Assert.DoesNotContain(result.Problems, p => p.Path == "period.from" && p.Message.StartsWith("required", StringComparison.Ordinal));
        Assert.Equal(result.Problems.OrderBy(p => p.Line).Select(p => p.Line), result.Problems.Select(p => p.Line));
    }

    [Fact]
    public void Parse_EmptyFrontMatterValues_ReportedAsMissing()
    {
        var text = "---\ntitle:\nsummary: ~\nlanguage: en\nthemes: []\norganisation: Synthetic organisation\nperiod:\n  from: 2020-01\n---\n";

        var result = PracticeFile.Parse(text);

        Assert.Contains(result.Problems, p => p is { Path: "title", Message: "required", Line: 2 });
        Assert.Contains(result.Problems, p => p is { Path: "summary", Message: "required", Line: 3 });
        Assert.Contains(result.Problems, p => p.Path == "themes" && p.Line == 5 && p.Message.StartsWith("required: at least one of prevention", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.Path == "evidence" && p.Line == 1 && p.Message.StartsWith("required: grade (EMERGING, PROMISING, EVALUATED)", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p is { Path: "body", Message: "required", Line: 9 });
        Assert.DoesNotContain(result.Problems, p => p.Path.StartsWith("evidence.", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_CodesInAnyCase_WrittenAsInTheCatalogue()
    {
        var text = PracticeFile.Write(PracticeSamples.Valid())
            .Replace("themes: [protection, partnership]", "themes: [Protection, PARTNERSHIP]", StringComparison.Ordinal)
            .Replace("exploitation: [LAB, CRIM]", "exploitation: [lab, Crim]", StringComparison.Ordinal)
            .Replace("grade: EVALUATED", "grade: evaluated", StringComparison.Ordinal)
            .Replace("language: en", "language: EN", StringComparison.Ordinal);

        var practice = PracticeFile.Parse(text).Value!;

        Assert.Equal(["protection", "partnership"], practice.Themes);
        Assert.Equal(["LAB", "CRIM"], practice.Exploitation);
        Assert.Equal(EvidenceGrade.Evaluated, practice.Evidence.Grade);
        Assert.Equal("en", practice.Language);
    }

    [Theory]
    [InlineData("title: no front matter\n", 1, "the file must start with a line '---'")]
    [InlineData("---\ntitle: never closed\n", 1, "never closed")]
    [InlineData("---\n---\nbody\n", 1, "the front matter is empty")]
    [InlineData("---\ntitle: a\nsummary: \"unclosed\n---\nbody\n", 3, "not valid YAML")]
    [InlineData("---\ntitle: &t A title\nsummary: *t\n---\nbody\n", 3, "aliases (*t) are not allowed")]
    [InlineData("---\njust a sentence\n---\nbody\n", 2, "expected the front matter (keys id, title, summary,")]
    [InlineData("---\ntitle: a\ntitle: b\n---\nbody\n", 3, "'title' is given more than once")]
    public void Parse_BrokenFile_SaysWhereAndWhat(string text, int line, string says)
    {
        var result = PracticeFile.Parse(text);

        Assert.Null(result.Value);
        Assert.Contains(result.Problems, p => p.Line == line && p.Message.Contains(says, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_DeepNesting_Refused()
    {
        var text = "---\ntitle: " + new string('[', 50) + new string(']', 50) + "\n---\nbody\n";

        var result = PracticeFile.Parse(text);

        Assert.Contains(result.Problems, p => p.Message.Contains($"nested deeper than {YamlTree.MaxDepth} levels", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_TooLongFile_RefusedBeforeReading()
    {
        var result = PracticeFile.Parse("---\n" + new string('x', PracticeLimits.MaxFileLength));

        var problem = Assert.Single(result.Problems);
        Assert.Contains($"at most {PracticeLimits.MaxFileLength}", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AttachmentLargerThanTheNodeAllows_Refused()
    {
        var text = PracticeFile.Write(PracticeSamples.Valid());

        var result = PracticeFile.Parse(text, maxAttachmentBytes: 100_000);

        var problem = Assert.Single(result.Problems);
        Assert.Equal("attachments[0].size", problem.Path);
        Assert.Contains("1 to 100000 bytes", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_GradeTheAssessmentDoesNotSupport_NamesTheShortfallAndTheSupportedGrade()
    {
        var text = PracticeFile.Write(PracticeSamples.Valid())
            .Replace("effectiveness:\n      rating: met", "effectiveness:\n      rating: partly", StringComparison.Ordinal);

        var result = PracticeFile.Parse(text);

        var problem = Assert.Single(result.Problems);
        Assert.Equal("evidence.grade", problem.Path);
        Assert.Contains("EVALUATED needs effectiveness met, but it is partly met", problem.Message, StringComparison.Ordinal);
        Assert.Contains("the assessment supports PROMISING", problem.Message, StringComparison.Ordinal);
        Assert.Equal(text.Split('\n').ToList().FindIndex(l => l.Contains("grade: EVALUATED", StringComparison.Ordinal)) + 1, problem.Line);
    }
}

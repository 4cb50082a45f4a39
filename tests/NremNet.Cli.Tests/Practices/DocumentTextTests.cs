using NremNet.Cli.Cli;
using NremNet.Cli.Practices;
using NremNet.Cli.Profiles;
using NremNet.Cli.Questions;
using NremNet.Cli.Tests.Infrastructure;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Questions;

namespace NremNet.Cli.Tests.Practices;

/// <summary>How the practice and question verbs choose their profile and show what the node returns.</summary>
public sealed class DocumentTextTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ProfileStore _store;

    public DocumentTextTests()
    {
        _store = new ProfileStore(_folder.Combine("profiles.json"));
        foreach (var country in new[] { "NL", "SE" })
        {
            foreach (var role in new[] { "admin", "rapporteur", "referral_officer" })
            {
                _store.Upsert(
                    new Profile { Name = $"{country}-{role}", Node = country, Url = "https://127.0.0.1:1", Roles = [role], Username = $"{country}-{role}", Token = "t", CaFile = "ca.crt" },
                    makeCurrent: country == "NL" && role == "admin");
            }
        }
    }

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(null, null, "rapporteur", "NL-rapporteur")]
    [InlineData(null, "se", "rapporteur", "SE-rapporteur")]
    [InlineData(null, null, "admin", "NL-admin")]
    [InlineData(null, "SE", "admin", "SE-admin")]
    [InlineData(null, null, null, "NL-admin")]
    [InlineData("se-referral_officer", null, "rapporteur", "SE-referral_officer")]
    public void Choose_AsFederationUpSavesProfiles_WritersGetTheRapporteurAndReadersTheCurrentProfile(string? profile, string? node, string? role, string expected) =>
        Assert.Equal(expected, DocumentProfile.Choose(_store, profile, node, role).Name);

    [Fact]
    public void Choose_NodeWithoutARapporteur_SaysToLogInAsOne()
    {
        _store.Save(_store.Load() with { Profiles = [.. _store.Load().Profiles.Where(p => p.Name != "SE-rapporteur")] });

        var error = Assert.Throws<CliException>(() => DocumentProfile.Choose(_store, null, "SE", DocumentProfile.Writer));

        Assert.Equal(ExitCodes.PermissionDenied, error.ExitCode);
        Assert.Contains("rapporteur role", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Marked_OverlappingAndTouchingHighlights_AreMarkedOnce_OutOfRangeOnesIgnored()
    {
        var snippet = new Snippet { Field = "body", Text = "victims of forced labour in agriculture" };
        snippet.Highlights.Add(new Highlight { Start = 11, Length = 6 });
        snippet.Highlights.Add(new Highlight { Start = 14, Length = 10 });
        snippet.Highlights.Add(new Highlight { Start = 0, Length = 7 });
        snippet.Highlights.Add(new Highlight { Start = 90, Length = 4 });

        Assert.Equal("**victims** of **forced labour** in agriculture", SearchPracticesCommand.Marked(snippet));
    }

    [Fact]
    public void Marked_LongText_IsCutAroundTheFirstMatch()
    {
        var text = string.Join(' ', Enumerable.Repeat("word", 60)) + " shelter " + string.Join(' ', Enumerable.Repeat("more", 60));
        var snippet = new Snippet { Field = "body", Text = text };
        snippet.Highlights.Add(new Highlight { Start = text.IndexOf("shelter", StringComparison.Ordinal), Length = 7 });

        var marked = SearchPracticesCommand.Marked(snippet, 80);

        Assert.StartsWith("…word", marked, StringComparison.Ordinal);
        Assert.EndsWith("more…", marked, StringComparison.Ordinal);
        Assert.Contains(" **shelter** ", marked, StringComparison.Ordinal);
        Assert.InRange(marked.Length, 60, 90);
    }

    [Fact]
    public void Snippet_FoundThroughTheVocabularyInATranslation_SaysSo()
    {
        var hit = new SearchHit { ByConcept = true, MatchedLanguage = "en", Practice = new PracticeSummary { Language = "nl", Summary = "SYNTHETISCHE voorbeeldinhoud." } };

        Assert.Equal("(by concept, in its en translation) SYNTHETISCHE voorbeeldinhoud.", SearchPracticesCommand.Snippet(hit));
    }

    [Fact]
    public void Readable_Markdown_KeepsBlocksBulletsNumbersAndTableCells_AndDropsControlCharacters()
    {
        const string markdown = "## Results\n\nIn 2024 **40** people.\n\n| Year | People |\n|---|---:|\n| 2024 | 40 |\n\n1. First\n2. Second\n\n- one\n- two \u001b[2J";

        Assert.Equal("Results\n\nIn 2024 40 people.\n\nYear | People\n2024 | 40\n\n1. First\n2. Second\n\n• one\n• two \uFFFD[2J", DocumentText.Readable(markdown));
    }

    [Fact]
    public void Refusal_PermissionDenied_NamesTheUserTheirRolesAndTheRoleTheVerbTakes()
    {
        var profile = _store.Load().Profiles.Single(p => p.Name == "SE-referral_officer");

        var text = DocumentText.Refusal(new Grpc.Core.RpcException(new Grpc.Core.Status(Grpc.Core.StatusCode.PermissionDenied, "publishing takes the rapporteur or editor role")), profile, DocumentProfile.Writer);

        Assert.Equal(
            "Permission denied: SE does not let SE-referral_officer (role referral_officer) do this. The node said: publishing takes the rapporteur or editor role. "
            + "Publishing practices, asking and answering network questions takes a rapporteur (or editor) account of the node: use --profile with such a profile, or ask SE's admin for the role.",
            text);
    }

    [Fact]
    public async Task ResolveId_ByItsEnd_FindsTheOneIdOrSaysWhatIsWrong()
    {
        IReadOnlyList<string> held = ["0197a1b2-0000-7000-8000-00000000aaaa", "0197a1b2-0000-7000-8000-00000000bbbb", "0197a1b2-0000-7000-8000-0000c000aaaa"];

        Assert.Equal(held[1], await DocumentIds.ResolveAsync("…0000bbbb", "practice", "'practice search'", () => Task.FromResult(held)));
        Assert.Equal("0197a1b2-0000-7000-8000-00000000ffff", await DocumentIds.ResolveAsync("0197a1b2-0000-7000-8000-00000000ffff", "practice", "'practice search'", () => throw new InvalidOperationException("not asked")));
        var several = await Assert.ThrowsAsync<CliException>(() => DocumentIds.ResolveAsync("00aaaa", "question", "'question list'", () => Task.FromResult(held)));
        Assert.Equal(ExitCodes.Usage, several.ExitCode);
        var none = await Assert.ThrowsAsync<CliException>(() => DocumentIds.ResolveAsync("cccccc", "question", "'question list'", () => Task.FromResult(held)));
        Assert.Equal(ExitCodes.NotFound, none.ExitCode);
        var tooShort = await Assert.ThrowsAsync<CliException>(() => DocumentIds.ResolveAsync("bbb", "question", "'question list'", () => Task.FromResult(held)));
        Assert.Contains("at least its last 6 characters", tooShort.Message, StringComparison.Ordinal);

        // A node's ids are taken whole, also when no search lists them (an erased practice), and shown whole.
        Assert.Equal("NL-PR-2026-0001", await DocumentIds.ResolveAsync("nl-pr-2026-0001", "practice", "'practice search'", () => throw new InvalidOperationException("not asked")));
        Assert.Equal("NL-Q-2026-0001.SE", await DocumentIds.ResolveAsync("NL-Q-2026-0001.SE", "answer", "'question show'", () => throw new InvalidOperationException("not asked")));
        Assert.Equal("NL-PR-2026-0001", DocumentIds.Short("NL-PR-2026-0001"));
        Assert.Equal("…0000aaaa", DocumentIds.Short(held[0]));
        var ends = await Assert.ThrowsAsync<CliException>(() => DocumentIds.ResolveAsync("2026-0001", "practice", "'practice search'", () => Task.FromResult<IReadOnlyList<string>>(["NL-PR-2026-0001", "SE-PR-2026-0001"])));
        Assert.Contains("NL-PR-2026-0001, SE-PR-2026-0001", ends.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnswerTemplate_ForEachItem_GivesItsTextHowItIsAnsweredAndTheValueToFillIn()
    {
        var question = QuestionFile.Parse(QuestionTemplates.Question(DateTimeOffset.UtcNow)).Value! with { Id = "NL-Q-2026-0001", AskingCountry = "NL" };

        var template = QuestionTemplates.Answer(question);

        var parsed = AnswerFile.Parse(template, question);
        Assert.Equal(question.Items.Select((_, i) => $"items[{i}].value"), parsed.Problems.Select(p => p.Path));
        Assert.Contains("question: NL-Q-2026-0001", template, StringComparison.Ordinal);
        Assert.Contains("#   Answered with one key of: police = Police; labour_inspectorate = Labour inspectorate; multi_agency = A multi-agency body; other = Another authority.", template, StringComparison.Ordinal);
        Assert.Contains("#   Instruction: Count persons, not contacts. Decline the item if you hold no figure.", template, StringComparison.Ordinal);
        Assert.Contains("(sealed for NL only, readable nowhere else)", template, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("report.pdf", "report.pdf")]
    [InlineData("Evaluation report (2024).pdf", "Evaluation report (2024).pdf")]
    [InlineData("2024 report.pdf", "\"2024 report.pdf\"")]
    [InlineData("yes", "\"yes\"")]
    [InlineData("a: b", "\"a: b\"")]
    [InlineData("0197a1b2-0000-7000-8000-00000000aaaa", "\"0197a1b2-0000-7000-8000-00000000aaaa\"")]
    public void Scalar_QuotesOnlyWhatYamlWouldReadOtherwise(string value, string expected) =>
        Assert.Equal(expected, YamlText.Scalar(value));
}

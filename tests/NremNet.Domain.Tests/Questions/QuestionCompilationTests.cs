using System.Text.Json;
using NremNet.Domain.Questions;
using NremNet.Testing;
using static NremNet.Domain.Tests.Questions.QuestionSamples;

namespace NremNet.Domain.Tests.Questions;

public class QuestionCompilationTests
{
    private static readonly IReadOnlyList<string> Recipients = Question.RecipientCountries(Members);

    /// <summary>What the asking node compiles: every answer, asker-only items included.</summary>
    private static QuestionCompilation ForAsker(DateTimeOffset now) => QuestionCompilation.Build(Question, Answers, Recipients, now);

    /// <summary>What a third node compiles: the asker-only items are not in the answers it holds.</summary>
    private static QuestionCompilation ForThirdNode(DateTimeOffset now) => QuestionCompilation.Build(Question, Answers.Select(a => a.ForNetwork()), Recipients, now);

    [Fact]
    public void Build_BeforeDeadline_StatusPerCountryAlphabetically()
    {
        var compilation = ForAsker(BeforeDeadline);

        Assert.Equal(
            [
                new CompiledCountry("AR", CountryAnswerStatus.Answered, 5, 0, 0),
                new CompiledCountry("BG", CountryAnswerStatus.Answered, 4, 1, 0),
                new CompiledCountry("DE", CountryAnswerStatus.Declined, 0, 5, 0),
                new CompiledCountry("FI", CountryAnswerStatus.Answered, 5, 0, 0),
                new CompiledCountry("NG", CountryAnswerStatus.Pending, 0, 0, 0),
                new CompiledCountry("NP", CountryAnswerStatus.Pending, 0, 0, 0),
                new CompiledCountry("SE", CountryAnswerStatus.Answered, 4, 1, 0),
            ],
            compilation.Countries);
    }

    [Fact]
    public void Build_AfterDeadline_CountriesWithoutAnswerOverdue()
    {
        var compilation = ForAsker(AfterDeadline);

        Assert.Equal(["NG", "NP"], compilation.Countries.Where(c => c.Status == CountryAnswerStatus.Overdue).Select(c => c.Country));
        Assert.DoesNotContain(compilation.Countries, c => c.Status == CountryAnswerStatus.Pending);
        Assert.All(compilation.Items, i => Assert.Equal(
            [CountryAnswerStatus.Overdue, CountryAnswerStatus.Overdue],
            i.Entries.Where(e => e.State == CompiledEntryState.NotAnswered).Select(e => e.CountryStatus)));
    }

    [Fact]
    public void Build_YesNo_CountsYesNoDeclinedNotAnswered()
    {
        var q1 = ForAsker(BeforeDeadline).Items[0];

        Assert.Equal(["yes: 3 AR,FI,SE", "no: 1 BG"], q1.Counts.Select(Summary));
        Assert.Equal((4, 1, 2, 0), (q1.Answered, q1.Declined, q1.NotAnswered, q1.Withheld));
    }

    [Fact]
    public void Build_Choices_CountsPerOptionInTheQuestionsOrder()
    {
        var compilation = ForAsker(BeforeDeadline);

        Assert.Equal(["police: 2 AR,SE", "ngo: 1 FI", "nrm: 1 BG"], compilation.Items[1].Counts.Select(Summary));
        Assert.Equal(["sexual: 3 AR,BG,SE", "labour: 3 AR,FI,SE", "criminal: 2 FI,SE", "begging: 1 FI"], compilation.Items[2].Counts.Select(Summary));
        Assert.Equal(["labour", "criminal", "begging"], compilation.Items[2].Entries.Single(e => e.Country == "FI").OptionKeys);
    }

    [Fact]
    public void Build_Numbers_SideBySideWithMinimumMedianMaximum()
    {
        var q4 = ForAsker(BeforeDeadline).Items[3];

        Assert.Equal("residence permits", q4.Unit);
        Assert.Equal(
            ["AR 120", "BG declined: Not collected before 2025.", "DE declined: No data collected.", "FI 45", "NG ", "NP ", "SE 12"],
            q4.Entries.Select(e => $"{e.Country} {(e.State == CompiledEntryState.Declined ? "declined: " + e.DeclineReason : e.Number?.ToString(System.Globalization.CultureInfo.InvariantCulture))}"));
        Assert.Equal(new NumberSummary(3, 12, 45, 120), q4.Numbers);
        Assert.Empty(q4.Counts);
    }

    [Fact]
    public void Build_EvenCountOfNumbers_MedianIsTheMeanOfTheMiddleTwo()
    {
        var q4 = ForThirdNode(BeforeDeadline).Items[3];

        Assert.Equal(new NumberSummary(2, 12, 66, 120), q4.Numbers);
        Assert.Equal(1, q4.Withheld);
    }

    [Fact]
    public void Build_FreeText_PerCountry()
    {
        var q5 = ForAsker(BeforeDeadline).Items[4];

        Assert.Equal(
            [
                ("AR", "Once, in the year of identification."), ("BG", "The case is closed | and\nreopened if the victim returns."), ("DE", null),
                ("FI", "Shared with the asker only."), ("NG", null), ("NP", null), ("SE", null),
            ],
            q5.Entries.Select(e => (e.Country, e.Text)));
        Assert.Null(q5.Numbers);
    }

    [Fact]
    public void Build_AskerOnlyAnswers_MarkedForTheAskerWithheldFromOthers()
    {
        var asker = ForAsker(BeforeDeadline).Items[4].Entries.Single(e => e.Country == "FI");
        var third = ForThirdNode(BeforeDeadline);
        var withheld = third.Items[4].Entries.Single(e => e.Country == "FI");

        Assert.Equal((CompiledEntryState.Answered, Dissemination.AskerOnly), (asker.State, asker.Dissemination));
        Assert.Equal((CompiledEntryState.Withheld, Dissemination.AskerOnly, (string?)null), (withheld.State, withheld.Dissemination, withheld.Text));
        Assert.Equal(new CompiledCountry("FI", CountryAnswerStatus.Answered, 3, 0, 2), third.Countries.Single(c => c.Country == "FI"));
        Assert.DoesNotContain("Shared with the asker only", third.ToJson() + third.ToCsv() + third.ToMarkdown(), StringComparison.Ordinal);
        Assert.Contains("FI,ANSWERED,q5,How do you count a victim who moves on to another country?,asker only: not shown,,,ASKER_ONLY\r\n", third.ToCsv(), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_MoreAnswers_ChangeOnlyWhatTheyAdd()
    {
        var before = QuestionCompilation.Build(Question, Answers.Where(a => a.AnsweringCountry != "SE"), Recipients, BeforeDeadline);
        var after = ForAsker(BeforeDeadline);

        for (var i = 0; i < Question.Items.Count; i++)
        {
            var old = before.Items[i].Entries.Where(e => e.Country != "SE").Select(JsonOf);
            var now = after.Items[i].Entries.Where(e => e.Country != "SE").Select(JsonOf);
            Assert.Equal(old, now);
        }

        Assert.Equal(before.Countries.Where(c => c.Country != "SE"), after.Countries.Where(c => c.Country != "SE"));
        Assert.Equal((CountryAnswerStatus.Pending, CountryAnswerStatus.Answered), (before.Countries[^1].Status, after.Countries[^1].Status));
        Assert.Equal(["yes: 2 AR,FI", "no: 1 BG"], before.Items[0].Counts.Select(Summary));
        Assert.Equal((3, 3), (before.Items[0].NotAnswered, after.Items[0].NotAnswered + 1));
        Assert.Equal(new NumberSummary(2, 45, 82.5m, 120), before.Items[3].Numbers);
    }

    [Fact]
    public void Build_SameAnswersInAnotherOrder_SameExports()
    {
        var shuffled = QuestionCompilation.Build(Question, Answers.Reverse(), Recipients.Reverse(), BeforeDeadline);
        var ordered = ForAsker(BeforeDeadline);

        Assert.Equal(ordered.ToJson(), shuffled.ToJson());
        Assert.Equal(ordered.ToCsv(), shuffled.ToCsv());
        Assert.Equal(ordered.ToMarkdown(), shuffled.ToMarkdown());
    }

    [Fact]
    public void Build_CountryAnsweringWithoutBeingListed_Included()
    {
        var compilation = QuestionCompilation.Build(Question, Answers, ["SE"], BeforeDeadline);

        Assert.Equal(["AR", "BG", "DE", "FI", "SE"], compilation.Countries.Select(c => c.Country));
    }

    [Fact]
    public void Build_TwoAnswersOfOneCountryOrAnotherQuestion_Refused()
    {
        Assert.Throws<ArgumentException>(() => QuestionCompilation.Build(Question, [.. Answers, Answers[0]], Recipients, BeforeDeadline));
        Assert.Throws<ArgumentException>(() => QuestionCompilation.Build(Question, [Answers[0] with { QuestionId = "SE-Q-2026-0001" }], Recipients, BeforeDeadline));
    }

    [Fact]
    public void ToCsv_OneRowPerCountryAndItem_CommasQuotesAndLineBreaksQuoted()
    {
        var answers = Answers.Select(a => a.AnsweringCountry != "AR" ? a : a with
        {
            Items = [.. a.Items.Select(i => i.ItemId == "q5" ? Text("q5", "One, \"two\"\nthree", comment: "=cmd|' /C calc'!A0") : i)],
        });

        var csv = QuestionCompilation.Build(Question, answers, Recipients, BeforeDeadline).ToCsv();
        var rows = CsvText.Parse(csv);

        Assert.Equal(["country", "status", "item_id", "item_text", "answer", "unit", "comment", "dissemination"], rows[0]);
        Assert.Equal(1 + (7 * 5), rows.Count);
        Assert.All(rows, r => Assert.Equal(8, r.Count));
        Assert.Equal(["AR", "ANSWERED", "q5", "How do you count a victim who moves on to another country?", "One, \"two\"\nthree", "", "'=cmd|' /C calc'!A0", "NETWORK"], rows[5]);
        Assert.Contains("\"One, \"\"two\"\"\nthree\"", csv, StringComparison.Ordinal);
        Assert.Equal(["AR", "ANSWERED", "q4", "How many residence permits did victims receive in 2024?", "120", "residence permits", "", "NETWORK"], rows[4]);
        Assert.Equal(["AR", "ANSWERED", "q3", "Which forms of exploitation does your register record?", "Sexual exploitation; Forced labour or services", "", "", "NETWORK"], rows[3]);
        Assert.Equal(["DE", "DECLINED", "q1", "Do you count presumed victims who refused assistance?", "declined: No data collected.", "", "", "NETWORK"], rows[11]);
        Assert.Equal(["NG", "PENDING", "q1", "Do you count presumed victims who refused assistance?", "", "", "", ""], rows[21]);
        Assert.EndsWith("\r\n", csv, StringComparison.Ordinal);
    }

    [Fact]
    public void ToCsv_NegativeNumber_NotTakenForAFormula()
    {
        Assert.Equal("-12.5", CompilationExport.CsvField("-12.5"));
        Assert.Equal("'-a list item", CompilationExport.CsvField("-a list item"));
        Assert.Equal("\"'@SUM(A1,A2)\"", CompilationExport.CsvField("@SUM(A1,A2)"));
    }

    [Fact]
    public void ToMarkdown_PipesInAnswersEscapedSoTablesKeepTheirColumns()
    {
        var answers = Answers.Select(a => a.AnsweringCountry != "SE" ? a : a with
        {
            Items = [.. a.Items.Select(i => i.ItemId == "q1" ? Yes("q1", true, "Counted | not counted\nsince 2020") : i)],
        });

        var markdown = QuestionCompilation.Build(Question, answers, Recipients, BeforeDeadline).ToMarkdown();

        var row = markdown.Split('\n').Single(l => l.StartsWith("| SE | yes |", StringComparison.Ordinal));
        Assert.Equal("| SE | yes | Counted \\| not counted since 2020 |", row);
        Assert.All(
            markdown.Split('\n').Where(l => l.StartsWith('|')),
            line => Assert.Contains(UnescapedPipes(line), new[] { 4, 6 }));
    }

    [Fact]
    public void ToMarkdown_DisclaimerStatusCountsAndAskerOnlyMarks()
    {
        var markdown = ForAsker(AfterDeadline).ToMarkdown();

        Assert.StartsWith("# SYNTHETIC EXAMPLE: counting presumed victims who refuse assistance\n", markdown, StringComparison.Ordinal);
        Assert.Contains("> Answers reflect the responding mechanisms, not official positions of their governments.\n", markdown, StringComparison.Ordinal);
        Assert.Contains("Answered: 4 · Declined: 1 · Pending: 0 · Overdue: 2\n", markdown, StringComparison.Ordinal);
        Assert.Contains("| Finland (FI) | Answered | 5 | 0 | 0 |\n", markdown, StringComparison.Ordinal);
        Assert.Contains("| FI | 45 (asker only) |  |\n", markdown, StringComparison.Ordinal);
        Assert.Contains("| NG | not answered |  |\n", markdown, StringComparison.Ordinal);
        Assert.Contains("**SE**: declined: Not recorded.\n", markdown, StringComparison.Ordinal);
        Assert.Contains("| Yes | 3 | AR, FI, SE |\n", markdown, StringComparison.Ordinal);
        Assert.Contains("Minimum 12, median 45, maximum 120 residence permits (3 countries).\n", markdown, StringComparison.Ordinal);
        Assert.Contains("**FI** (asker only)\n\n> Shared with the asker only.\n", markdown, StringComparison.Ordinal);
        Assert.Contains("**BG**\n\n> The case is closed | and\n> reopened if the victim returns.\n", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_StableCamelCaseShapeWithCodes()
    {
        using var json = JsonDocument.Parse(ForAsker(AfterDeadline).ToJson());
        var root = json.RootElement;

        Assert.Equal(
            ["questionId", "title", "askingCountry", "deadline", "compiledAt", "disclaimer", "countries", "items"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(QuestionCompilation.Disclaimer, root.GetProperty("disclaimer").GetString());
        Assert.Equal("2026-06-30T17:00:00+02:00", root.GetProperty("deadline").GetString());
        Assert.Equal(
            ["country", "status", "answeredItems", "declinedItems", "withheldItems"],
            root.GetProperty("countries")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal("OVERDUE", root.GetProperty("countries")[4].GetProperty("status").GetString());

        var q4 = root.GetProperty("items")[3];
        Assert.Equal(
            ["itemId", "text", "instruction", "type", "unit", "counts", "answered", "declined", "notAnswered", "withheld", "numbers", "entries"],
            q4.EnumerateObject().Select(p => p.Name));
        Assert.Equal("NUMBER", q4.GetProperty("type").GetString());
        Assert.Equal(45m, q4.GetProperty("numbers").GetProperty("median").GetDecimal());
        var finland = q4.GetProperty("entries")[3];
        Assert.Equal(
            ["country", "countryStatus", "state", "dissemination", "yes", "optionKeys", "number", "text", "declineReason", "comment"],
            finland.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("FI", "ANSWERED", "ASKER_ONLY", 45m), (finland.GetProperty("country").GetString(), finland.GetProperty("state").GetString(), finland.GetProperty("dissemination").GetString(), finland.GetProperty("number").GetDecimal()));
        Assert.Equal("NOT_ANSWERED", q4.GetProperty("entries")[4].GetProperty("state").GetString());
        Assert.Equal(["police", "ngo", "nrm"], root.GetProperty("items")[1].GetProperty("counts").EnumerateArray().Select(c => c.GetProperty("key").GetString()));
    }

    private static string Summary(OptionCount count) => $"{count.Key}: {count.Count} {string.Join(",", count.Countries)}";

    private static string JsonOf(CompiledEntry entry) => JsonSerializer.Serialize(entry);

    private static int UnescapedPipes(string line) => line.Where((c, i) => c == '|' && (i == 0 || line[i - 1] != '\\')).Count();
}

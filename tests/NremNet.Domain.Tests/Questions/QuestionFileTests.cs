using NremNet.Domain.Questions;
using static NremNet.Domain.Tests.Questions.QuestionSamples;

namespace NremNet.Domain.Tests.Questions;

public class QuestionFileTests
{
    [Fact]
    public void Parse_ExampleFile_TheQuestionItDescribes()
    {
        var parsed = QuestionFile.Parse(DataFile("question-example.yaml"), BeforeDeadline);

        Assert.True(parsed.Succeeded, string.Join("\n", parsed.Problems));
        var question = parsed.Value;
        Assert.Equal((string.Empty, string.Empty, "en", Deadline), (question.Id, question.AskingCountry, question.Language, question.Deadline));
        Assert.True(question.Recipients.IsAllMembers);
        Assert.StartsWith("Mechanisms count presumed victims differently.", question.Background, StringComparison.Ordinal);
        Assert.Equal(
            [AnswerType.YesNo, AnswerType.ChoiceOne, AnswerType.ChoiceMany, AnswerType.Number, AnswerType.FreeText],
            question.Items.Select(i => i.Type));
        Assert.Equal(["police", "ngo", "nrm"], question.Items[1].Options.Select(o => o.Key));
        Assert.Equal(("residence permits", NumberKind.Integer, 0m, (decimal?)null), (question.Items[3].Unit, question.Items[3].NumberKind, question.Items[3].Minimum, question.Items[3].Maximum));
        Assert.Equal(1000, question.Items[4].MaxLength);
        Assert.Empty(QuestionValidation.Validate(question with { Id = QuestionId, AskingCountry = "NL" }, BeforeDeadline));
    }

    [Fact]
    public void Write_SampleQuestion_ParsesBackToTheSameQuestion()
    {
        var parsed = QuestionFile.Parse(QuestionFile.Write(Question));

        Assert.True(parsed.Succeeded, string.Join("\n", parsed.Problems));
        Assert.Equal(Json(Question), Json(parsed.Value));
    }

    [Theory]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("")]
    [InlineData("123")]
    [InlineData("-1.5e3")]
    [InlineData("a: b # not a comment")]
    [InlineData("- looks like a list")]
    [InlineData("'quoted' and \"double\"")]
    [InlineData("  leading spaces\nand a second line")]
    [InlineData("trailing space \nthen more")]
    [InlineData("windows\r\nline ends")]
    [InlineData("ends with a line break\n")]
    [InlineData("tab\there, ünïcödé, عربى")]
    public void Write_AwkwardText_ParsesBackToTheSameText(string text)
    {
        var question = Question with { Background = text, Items = [Question.Items[0] with { Instruction = text }, Question.Items[1]] };

        var parsed = QuestionFile.Parse(QuestionFile.Write(question));

        Assert.True(parsed.Succeeded, string.Join("\n", parsed.Problems));
        Assert.Equal(text, parsed.Value.Background);
        Assert.Equal(text, parsed.Value.Items[0].Instruction);
    }

    [Fact]
    public void Write_ListedRecipientsAndDecimalBounds_RoundTrip()
    {
        var items = Question.Items.ToList();
        items[3] = items[3] with { NumberKind = NumberKind.Decimal, Minimum = -2.50m, Maximum = 1e6m };
        var question = Question with { Recipients = QuestionRecipients.Only("SE", "NO", "FI"), Items = items, Deadline = new DateTimeOffset(2026, 6, 30, 17, 0, 0, 250, TimeSpan.FromHours(-3)) };

        var text = QuestionFile.Write(question);
        var parsed = QuestionFile.Parse(text);

        Assert.True(parsed.Succeeded, string.Join("\n", parsed.Problems));
        Assert.Equal(Json(question), Json(parsed.Value));
        Assert.Contains("recipients: [SE, NO, FI]", text, StringComparison.Ordinal);
        Assert.Contains("deadline: 2026-06-30T17:00:00.25-03:00", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_WholeSecondDeadline_NoFraction()
    {
        Assert.Contains("deadline: 2026-06-30T17:00:00+02:00\n", QuestionFile.Write(Question), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ShapeFaults_EveryProblemWithItsLine()
    {
        const string text = """
            title: [a list, not a title]
            language: en
            deadline: 2026-06-30 17:00
            recipients: EVERYONE
            colour: blue
            items:
              - id: q1
                text: How many?
                type: NUMERIC
                unit: persons
                min: "0"
              - id: q2
                text: Pick one
                type: CHOICE_ONE
                options: police
              - just text
              - id: q4
                id: q5
                text: Say something
                type: FREE_TEXT
                max_length: 12.5
                colour: red
            """;

        var parsed = QuestionFile.Parse(text);

        Assert.False(parsed.Succeeded);
        Assert.Equal(
            [
                (1, "title", "expected text, found a list"),
                (3, "deadline", "'2026-06-30 17:00' is not a date and time with its offset, e.g. 2026-06-30T17:00:00+02:00 or 2026-06-30T15:00:00Z"),
                (4, "recipients", "expected ALL_MEMBERS or a list of country codes, e.g. [SE, FI], found the text 'EVERYONE'"),
                (5, "colour", "unknown key 'colour'; the keys here are id, asking_country, title, language, deadline, recipients, background, items"),
                (9, "items[0].type", "'NUMERIC' is not an answer type; one of YES_NO, CHOICE_ONE, CHOICE_MANY, NUMBER, FREE_TEXT"),
                (11, "items[0].min", "expected a number (digits, '.' as decimal point, no quotes), found the text '0'"),
                (15, "items[1].options", "expected a list of options, each with key and label, found the text 'police'"),
                (16, "items[2]", "expected an item (keys id, text, instruction, type, options, unit, number_kind, min, max, max_length), found the text 'just text'"),
                (18, "items[3].id", "'id' is given more than once"),
                (21, "items[3].max_length", "expected a whole number, found the number 12.5"),
                (22, "items[3].colour", "unknown key 'colour'; the keys here are id, text, instruction, type, options, unit, number_kind, min, max, max_length"),
            ],
            parsed.Problems.Select(p => (p.Line ?? 0, p.Path, p.Message)));
    }

    [Fact]
    public void Parse_RuleFaults_ReportedWithTheLineOfTheirKey()
    {
        const string text = """
            title: Counting
            language: english
            deadline: 2026-06-30T17:00:00+02:00
            recipients: [SE, XX]
            items:
              - id: q1
                text: Pick one
                type: CHOICE_ONE
                options:
                  - key: police
                    label: Police
              - id: q2
                type: YES_NO
                unit: persons
            """;

        var parsed = QuestionFile.Parse(text);

        Assert.Equal(
            [
                "line 2: language: 'english' is not an ISO 639-1 code (two lower-case letters, e.g. en)",
                "line 4: recipients[1]: 'XX' is not an ISO 3166-1 alpha-2 country code (upper case, e.g. SE)",
                "line 9: items[0].options: 1 options; a choice offers at least 2",
                "line 12: items[1].text: required",
                "line 14: items[1].unit: only NUMBER items have unit; this item is YES_NO",
            ],
            parsed.Problems.Select(p => p.ToString()));
    }

    [Fact]
    public void Parse_WithNow_DeadlineInThePastReported()
    {
        var text = QuestionFile.Write(Question);

        Assert.True(QuestionFile.Parse(text).Succeeded);
        var problem = Assert.Single(QuestionFile.Parse(text, AfterDeadline).Problems);
        Assert.Equal("deadline", problem.Path);
        Assert.Equal(text.Split('\n').ToList().FindIndex(l => l.StartsWith("deadline:", StringComparison.Ordinal)) + 1, problem.Line);
    }

    [Fact]
    public void Parse_NotYaml_OneProblemWithTheLine()
    {
        var problem = Assert.Single(QuestionFile.Parse("title: a\nlanguage: [en\nitems: b\n").Problems);

        Assert.StartsWith("not valid YAML", problem.Message, StringComparison.Ordinal);
        Assert.NotNull(problem.Line);
        Assert.DoesNotContain("Idx:", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    public void Parse_EmptyFile_SaysWhatItHolds(string text)
    {
        var problem = Assert.Single(QuestionFile.Parse(text).Problems);

        Assert.Equal("line 1: the file is empty; it holds a network question: title, language, deadline, recipients, background, items", problem.ToString());
    }

    [Fact]
    public void Parse_TwoDocuments_Refused()
    {
        var problem = Assert.Single(QuestionFile.Parse("title: a\n---\ntitle: b\n").Problems);

        Assert.Contains("a second YAML document", problem.Message, StringComparison.Ordinal);
        Assert.Equal(2, problem.Line);
    }

    [Fact]
    public void Parse_Alias_Refused()
    {
        var problem = Assert.Single(QuestionFile.Parse("title: &t Counting\nbackground: *t\n").Problems);

        Assert.Equal("line 2: aliases (*t) are not allowed: write the value out", problem.ToString());
    }

    [Fact]
    public void Parse_NorwayAndNo_ReadAsTextNotBooleans()
    {
        var text = QuestionFile.Write(Question with { Language = "no", Recipients = QuestionRecipients.Only("NO", "SE") });

        var parsed = QuestionFile.Parse(text);

        Assert.Contains("language: no\n", text, StringComparison.Ordinal);
        Assert.True(parsed.Succeeded, string.Join("\n", parsed.Problems));
        Assert.Equal(("no", "NO"), (parsed.Value.Language, parsed.Value.Recipients.Countries[0]));
    }
}

using NremNet.Domain.Questions;
using static NremNet.Domain.Tests.Questions.QuestionSamples;

namespace NremNet.Domain.Tests.Questions;

public class AnswerFileTests
{
    [Fact]
    public void Parse_ExampleFile_AnswersTheExampleQuestion()
    {
        var question = QuestionFile.Parse(DataFile("question-example.yaml")).Value! with { Id = QuestionId, AskingCountry = "NL" };

        var parsed = AnswerFile.Parse(DataFile("answer-example.yaml"), question);

        Assert.True(parsed.Succeeded, string.Join("\n", parsed.Problems));
        var answer = parsed.Value with { AnsweringCountry = "SE" };
        Assert.Empty(AnswerValidation.Validate(question, answer));
        Assert.Equal(QuestionId, answer.QuestionId);
        Assert.Equal(new YesNoValue(true), answer.Items[0].Value);
        Assert.Equal(["sexual", "labour", "criminal"], Assert.IsType<ChoiceValue>(answer.Items[2].Value).Keys);
        Assert.Equal((ItemAnswerStatus.Declined, "The 2024 figures are published in September 2026."), (answer.Items[3].Status, answer.Items[3].DeclineReason));
        Assert.Equal(
            [Dissemination.Network, Dissemination.Network, Dissemination.Network, Dissemination.Network, Dissemination.AskerOnly],
            answer.Items.Select(i => i.Dissemination));
        Assert.EndsWith("in the year of identification.\n", Assert.IsType<TextValue>(answer.Items[4].Value).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_EverySampleAnswer_ParsesBackToTheSameAnswer()
    {
        foreach (var answer in Answers)
        {
            var parsed = AnswerFile.Parse(AnswerFile.Write(answer), Question);

            Assert.True(parsed.Succeeded, answer.AnsweringCountry + ": " + string.Join("\n", parsed.Problems));
            Assert.Equal(Describe(answer), Describe(parsed.Value));
        }
    }

    [Fact]
    public void Write_Values_AsPeopleWriteThem()
    {
        var text = AnswerFile.Write(Answers[0]);

        Assert.Contains("value: yes\n", text, StringComparison.Ordinal);
        Assert.Contains("value: police\n", text, StringComparison.Ordinal);
        Assert.Contains("value: [sexual, labour]\n", text, StringComparison.Ordinal);
        Assert.Contains("value: 120\n", text, StringComparison.Ordinal);
        Assert.Contains("dissemination: NETWORK\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Faults_EveryProblemWithItsLine()
    {
        const string text = """
            question: NL-Q-2026-0001
            items:
              - item: q1
                status: ANSWERED
                value: maybe
              - item: q2
                status: ANSWERED
                value: fire_brigade
              - item: q3
                status: SKIPPED
                value: {sexual: true}
              - item: q4
                status: ANSWERED
                value: many
                dissemination: EVERYONE
              - item: q7
                status: DECLINED
                reason: Not our field.
            """;

        var parsed = AnswerFile.Parse(text, Question);

        Assert.Equal(
            [
                "line 2: items: no answer for q5: answer or decline every item",
                "line 3: items[0].dissemination: required: one of NETWORK, ASKER_ONLY",
                "line 5: items[0].value: expected yes or no, found the text 'maybe'",
                "line 6: items[1].dissemination: required: one of NETWORK, ASKER_ONLY",
                "line 8: items[1].value[0]: 'fire_brigade' is not offered; the options are police, ngo, nrm",
                "line 9: items[2].dissemination: required: one of NETWORK, ASKER_ONLY",
                "line 10: items[2].status: 'SKIPPED' is not an item status; one of ANSWERED, DECLINED",
                "line 11: items[2].value: expected a list of option keys of sexual, labour, criminal, begging, found a mapping (keys and values)",
                "line 14: items[3].value: expected a number (digits, '.' as decimal point, no quotes), found the text 'many'",
                "line 15: items[3].dissemination: 'EVERYONE' is not a dissemination level; one of NETWORK, ASKER_ONLY",
                "line 16: items[4].item: 'q7' is not an item of question NL-Q-2026-0001; its items are q1, q2, q3, q4, q5",
                "line 16: items[4].dissemination: required: one of NETWORK, ASKER_ONLY",
            ],
            parsed.Problems.Select(p => p.ToString()));
    }

    [Fact]
    public void Parse_DefaultDissemination_AppliesToItemsThatGiveNone()
    {
        const string text = """
            dissemination: ASKER_ONLY
            items:
              - {item: q1, status: ANSWERED, value: no}
              - {item: q2, status: ANSWERED, value: ngo, dissemination: NETWORK}
              - {item: q3, status: ANSWERED, value: labour}
              - {item: q4, status: ANSWERED, value: 7}
              - {item: q5, status: DECLINED, reason: Not recorded.}
            """;

        var parsed = AnswerFile.Parse(text, Question);

        Assert.True(parsed.Succeeded, string.Join("\n", parsed.Problems));
        Assert.Equal(
            [Dissemination.AskerOnly, Dissemination.Network, Dissemination.AskerOnly, Dissemination.AskerOnly, Dissemination.AskerOnly],
            parsed.Value.Items.Select(i => i.Dissemination));
        Assert.Equal(["labour"], Assert.IsType<ChoiceValue>(parsed.Value.Items[2].Value).Keys);
        Assert.Equal(new NumberValue(7), parsed.Value.Items[3].Value);
        Assert.Equal(new YesNoValue(false), parsed.Value.Items[0].Value);
    }

    [Fact]
    public void Parse_SeveralKeysForChoiceOne_RuleProblem()
    {
        const string text = """
            dissemination: NETWORK
            items:
              - {item: q1, status: ANSWERED, value: true}
              - {item: q2, status: ANSWERED, value: [police, ngo]}
              - {item: q3, status: DECLINED, reason: No register.}
              - {item: q4, status: DECLINED, reason: No register.}
              - {item: q5, status: DECLINED, reason: No register.}
            """;

        var problem = Assert.Single(AnswerFile.Parse(text, Question).Problems);

        Assert.Equal("line 4: items[1].value: 2 options chosen; a CHOICE_ONE item takes exactly one", problem.ToString());
    }

    [Fact]
    public void Parse_AnotherQuestionsIdOrACountryNotAsked_Problems()
    {
        var text = AnswerFile.Write(Answers[0] with { QuestionId = "NL-Q-2026-0002", AnsweringCountry = "NL" });

        var problems = AnswerFile.Parse(text, Question).Problems;

        Assert.Equal(["question", "country"], problems.Select(p => p.Path));
        Assert.Equal([1, 2], problems.Select(p => p.Line ?? 0));
    }
}

using NremNet.Domain.Questions;
using static NremNet.Domain.Tests.Questions.QuestionSamples;

namespace NremNet.Domain.Tests.Questions;

public class AnswerValidationTests
{
    [Fact]
    public void Validate_SampleAnswers_NoProblems() =>
        Assert.All(Answers, answer => Assert.Empty(AnswerValidation.Validate(Question, answer)));

    [Fact]
    public void Validate_ManyFaults_EveryProblemReportedAtOnce()
    {
        var answer = Answer(
            "SE",
            Number("q1", 3),
            Choice("q2", "police", "ngo"),
            Choice("q3", "sexual", "trafficking"),
            Number("q4", -1),
            Text("q9", "an item the question does not have"),
            ItemAnswer.Declined("q5", " ", Dissemination.Network));

        var problems = AnswerValidation.Validate(Question, answer);

        (string Path, string Says)[] expected =
        [
            ("items[0].value", "a number does not answer a YES_NO item; expected yes or no"),
            ("items[1].value", "2 options chosen; a CHOICE_ONE item takes exactly one"),
            ("items[2].value[1]", "'trafficking' is not offered; the options are sexual, labour, criminal, begging"),
            ("items[3].value", "-1 is less than the minimum 0 residence permits"),
            ("items[4].item", "'q9' is not an item of question NL-Q-2026-0001; its items are q1, q2, q3, q4, q5"),
            ("items[5].reason", "required: why the item is declined"),
        ];
        AssertProblems(problems, expected);
    }

    [Fact]
    public void Validate_MissingItems_NamesThemAll()
    {
        var problem = Assert.Single(AnswerValidation.Validate(Question, Answer("SE", Yes("q1", true), Choice("q2", "ngo"), Choice("q3", "labour"))));

        Assert.Equal(("items", "no answer for q4, q5: answer or decline every item"), (problem.Path, problem.Message));
    }

    [Fact]
    public void Validate_FreeTextTooLong_Problem()
    {
        var answer = Answer("SE", Yes("q1", true), Choice("q2", "ngo"), Choice("q3", "labour"), Number("q4", 1), Text("q5", new string('x', 1001)));

        var problem = Assert.Single(AnswerValidation.Validate(Question, answer));

        Assert.Equal(("items[4].value", "1001 characters; at most 1000"), (problem.Path, problem.Message));
    }

    [Fact]
    public void Validate_NumberNotWholeAndAboveMaximum_BothReported()
    {
        var items = Question.Items.ToList();
        items[3] = items[3] with { Maximum = 100 };
        var question = Question with { Items = items };

        var problems = AnswerValidation.Validate(question, Answer("SE", Yes("q1", true), Choice("q2", "ngo"), Choice("q3", "labour"), Number("q4", 100.5m), Decline("q5")));

        Assert.Equal(
            ["100.5 is not a whole number; the item takes INTEGER numbers of residence permits", "100.5 is more than the maximum 100 residence permits"],
            problems.Select(p => p.Message));
    }

    [Fact]
    public void Validate_StatusAndValueDisagree_Problems()
    {
        var answer = Answer(
            "SE",
            new ItemAnswer { ItemId = "q1", Status = ItemAnswerStatus.Declined, DeclineReason = "No data.", Value = new YesNoValue(true), Dissemination = Dissemination.Network },
            new ItemAnswer { ItemId = "q2", Status = ItemAnswerStatus.Answered, DeclineReason = "Why not", Dissemination = Dissemination.Network },
            new ItemAnswer { ItemId = "q3", Status = ItemAnswerStatus.Unspecified, Dissemination = Dissemination.Unspecified },
            Number("q4", 1),
            Decline("q5"),
            Decline("q5"));

        var problems = AnswerValidation.Validate(Question, answer).Select(p => (p.Path, p.Message)).ToList();

        Assert.Equal(
            [
                ("items[0].value", "a declined item has no value; answer it (status ANSWERED) or leave the value out"),
                ("items[1].reason", "a reason is given only when the item is DECLINED; put remarks in the comment"),
                ("items[1].value", "required: the answer, one option key of police, ngo, nrm"),
                ("items[2].status", "required: one of ANSWERED, DECLINED"),
                ("items[2].dissemination", "required: one of NETWORK, ASKER_ONLY"),
                ("items", "item 'q5' is given 2 times; each once"),
            ],
            problems);
    }

    [Fact]
    public void Validate_CountryNotAskedOrTheAsker_Problem()
    {
        var listed = Question with { Recipients = QuestionRecipients.Only("SE", "FI") };
        var full = Answers[0];

        Assert.Equal("the question is not put to AR (it is put to SE, FI)", Assert.Single(AnswerValidation.Validate(listed, full)).Message);
        Assert.Contains("does not answer its own question", Assert.Single(AnswerValidation.Validate(Question, full with { AnsweringCountry = "NL" })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AnswerToAnotherQuestion_Problem()
    {
        var problem = Assert.Single(AnswerValidation.Validate(Question, Answers[0] with { QuestionId = "SE-Q-2026-0009" }));

        Assert.Equal(("question", "'SE-Q-2026-0009' is not the question answered (NL-Q-2026-0001)"), (problem.Path, problem.Message));
    }

    [Fact]
    public void ForNetwork_LeavesOutTheAskerOnlyItems()
    {
        var finland = Answers.Single(a => a.AnsweringCountry == "FI");

        Assert.True(finland.HasAskerOnlyItems);
        Assert.Equal(["q1", "q2", "q3"], finland.ForNetwork().Items.Select(i => i.ItemId));
        Assert.Equal(["q4", "q5"], finland.ForAskerOnly().Items.Select(i => i.ItemId));
        Assert.False(finland.ForNetwork().HasAskerOnlyItems);
    }
}

using NremNet.Domain.Questions;
using static NremNet.Domain.Tests.Questions.QuestionSamples;

namespace NremNet.Domain.Tests.Questions;

public class QuestionValidationTests
{
    private static readonly DateTimeOffset Now = BeforeDeadline;

    [Fact]
    public void Validate_SampleQuestion_NoProblems() => Assert.Empty(QuestionValidation.Validate(Question, Now));

    [Fact]
    public void Validate_ManyFaults_EveryProblemReportedAtOnce()
    {
        var question = Question with
        {
            Id = "x",
            AskingCountry = "Netherlands",
            Title = " ",
            Language = "EN",
            Deadline = Now.AddHours(-1),
            Recipients = QuestionRecipients.Only("SE", "ZZ", "SE"),
            Items =
            [
                new QuestionItem { Id = "Q1", Text = "", Type = AnswerType.YesNo, Unit = "persons" },
                new QuestionItem { Id = "q2", Text = "Pick one", Type = AnswerType.ChoiceOne, Options = [new("a", "A")] },
                new QuestionItem { Id = "q3", Text = "How many?", Type = AnswerType.Number, Minimum = 10, Maximum = 5 },
                new QuestionItem { Id = "q3", Text = "Say", Type = AnswerType.FreeText, MaxLength = 0, Options = [new("a", "A"), new("b", "B")] },
                new QuestionItem { Id = "q5", Text = "Pick", Type = AnswerType.ChoiceMany, Options = [new("a b", "A"), new("c", "A")] },
            ],
        };

        var problems = QuestionValidation.Validate(question, Now);

        (string Path, string Says)[] expected =
        [
            ("id", "'x' is not an id of 3 to 64"),
            ("asking_country", "'Netherlands' is not an ISO 3166-1 alpha-2 country code"),
            ("title", "required"),
            ("language", "'EN' is not an ISO 639-1 code"),
            ("recipients[1]", "'ZZ' is not an ISO 3166-1 alpha-2 country code"),
            ("recipients", "country 'SE' is given 2 times"),
            ("items[0].id", "'Q1' is not a key"),
            ("items[0].text", "required"),
            ("items[0].unit", "only NUMBER items have unit; this item is YES_NO"),
            ("items[1].options", "1 options; a choice offers at least 2"),
            ("items[2].unit", "required: what is counted"),
            ("items[2].number_kind", "required: one of INTEGER, DECIMAL"),
            ("items[2].max", "5 is less than min 10"),
            ("items[3].options", "only CHOICE_ONE and CHOICE_MANY items have options; this item is FREE_TEXT"),
            ("items[3].max_length", "0; from 1 to 20000 characters"),
            ("items[4].options[0].key", "'a b' is not a key"),
            ("items[4].options", "option label 'A' is given 2 times"),
            ("items", "item id 'q3' is given 2 times"),
            ("deadline", "is not after now"),
        ];
        AssertProblems(problems, expected);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-60)]
    public void Validate_DeadlineNotAfterNow_Problem(int minutesAfterNow)
    {
        var problem = Assert.Single(QuestionValidation.Validate(Question with { Deadline = Now.AddMinutes(minutesAfterNow) }, Now));

        Assert.Equal("deadline", problem.Path);
        Assert.Contains("is not after now (2026-05-04T09:30:00+00:00)", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DeadlineMoreThanAYearAway_Problem()
    {
        var problem = Assert.Single(QuestionValidation.Validate(Question with { Deadline = Now.AddDays(QuestionValidation.MaxDeadlineDays + 1) }, Now));

        Assert.Equal("deadline", problem.Path);
        Assert.Contains("more than 366 days away", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DeadlineMissing_Required()
    {
        var problem = Assert.Single(QuestionValidation.Validate(Question with { Deadline = default }, Now));

        Assert.Equal(("deadline", true), (problem.Path, problem.Message.StartsWith("required", StringComparison.Ordinal)));
    }

    [Fact]
    public void Validate_MoreItemsThanTheLimit_Problem()
    {
        var items = Enumerable.Range(1, QuestionValidation.MaxItems + 1).Select(i => new QuestionItem { Id = $"q{i}", Text = "Yes?", Type = AnswerType.YesNo }).ToList();

        var problem = Assert.Single(QuestionValidation.Validate(Question with { Items = items }, Now));

        Assert.Equal("items", problem.Path);
        Assert.StartsWith("31 items; at most 30", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MoreOptionsThanTheLimit_ProblemAtTheItemsOptions()
    {
        var options = Enumerable.Range(1, QuestionValidation.MaxOptions + 1).Select(i => new ChoiceOption($"o{i}", $"Option {i}")).ToList();
        var items = Question.Items.ToList();
        items[2] = items[2] with { Options = options };

        var problem = Assert.Single(QuestionValidation.Validate(Question with { Items = items }, Now));

        Assert.Equal(("items[2].options", "21 options; at most 20"), (problem.Path, problem.Message));
    }

    [Fact]
    public void Validate_TypeMissing_OneProblemNotOnePerSetting()
    {
        var items = Question.Items.ToList();
        items[3] = items[3] with { Type = AnswerType.Unspecified };

        var problem = Assert.Single(QuestionValidation.Validate(Question with { Items = items }, Now));

        Assert.Equal("items[3].type", problem.Path);
        Assert.Equal("required: one of YES_NO, CHOICE_ONE, CHOICE_MANY, NUMBER, FREE_TEXT", problem.Message);
    }

    [Fact]
    public void Validate_IntegerBoundsWithDecimals_Problems()
    {
        var items = Question.Items.ToList();
        items[3] = items[3] with { Minimum = 0.5m, Maximum = 10.25m };

        var problems = QuestionValidation.Validate(Question with { Items = items }, Now);

        Assert.Equal(["items[3].min", "items[3].max"], problems.Select(p => p.Path));
        Assert.All(problems, p => Assert.Contains("is not a whole number", p.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_RecipientsListTheAsker_Problem()
    {
        var problem = Assert.Single(QuestionValidation.Validate(Question with { Recipients = QuestionRecipients.Only("SE", "NL") }, Now));

        Assert.Equal(("recipients[1]", "NL is the asking country; a question is put to the others"), (problem.Path, problem.Message));
    }

    [Fact]
    public void Validate_RecipientsEmptyList_Problem()
    {
        var problem = Assert.Single(QuestionValidation.Validate(Question with { Recipients = QuestionRecipients.Only() }, Now));

        Assert.Equal("recipients", problem.Path);
    }

    [Fact]
    public void RecipientCountries_AllMembers_EveryMemberButTheAskerAlphabetically()
    {
        Assert.Equal(["AR", "BG", "DE", "FI", "NG", "NP", "SE"], Question.RecipientCountries(Members));
        Assert.Equal(["FI", "SE"], (Question with { Recipients = QuestionRecipients.Only("SE", "FI") }).RecipientCountries(Members));
    }

    [Fact]
    public void IsAddressedTo_ListedOrMemberButNeverTheAsker()
    {
        var listed = Question with { Recipients = QuestionRecipients.Only("SE") };

        Assert.True(Question.IsAddressedTo("BG"));
        Assert.False(Question.IsAddressedTo("NL"));
        Assert.True(listed.IsAddressedTo("SE"));
        Assert.False(listed.IsAddressedTo("BG"));
    }

    [Fact]
    public void IsOverdue_AfterTheDeadlineOnly()
    {
        Assert.False(Question.IsOverdue(Deadline));
        Assert.True(Question.IsOverdue(Deadline.AddSeconds(1)));
    }
}

using NremNet.Domain.Documents;

namespace NremNet.Domain.Questions;

/// <summary>
/// The rules of an answer to a network question: every item of the question answered with a value of its type or
/// declined with a reason, each with its dissemination. Every problem is reported at once, each with its path as in the
/// answer file (e.g. <c>items[1].value</c>).
/// </summary>
public static class AnswerValidation
{
    /// <summary>At most this many characters in an item's comment.</summary>
    public const int MaxCommentLength = 2_000;

    /// <summary>At most this many characters in the reason an item is declined.</summary>
    public const int MaxDeclineReasonLength = 1_000;

    /// <summary>Every problem of <paramref name="answer"/> to <paramref name="question"/>.</summary>
    public static IReadOnlyList<DocumentProblem> Validate(NetworkQuestion question, QuestionAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(answer);
        var problems = new ProblemList();
        CheckQuestionId(problems, question, answer.QuestionId);
        CheckCountry(problems, question, answer.AnsweringCountry, required: true);
        CheckItems(problems, question, answer.Items);
        return problems.Items;
    }

    internal static void CheckQuestionId(ProblemList problems, NetworkQuestion question, string questionId)
    {
        if (!string.Equals(questionId, question.Id, StringComparison.Ordinal))
        {
            problems.Add("question", questionId.Length == 0 ? $"required: {question.Id}" : $"'{questionId}' is not the question answered ({question.Id})");
        }
    }

    internal static void CheckCountry(ProblemList problems, NetworkQuestion question, string country, bool required)
    {
        problems.CountryCode("country", country, required);
        if (country.Length > 0 && !question.IsAddressedTo(country))
        {
            problems.Add("country", string.Equals(country, question.AskingCountry, StringComparison.Ordinal)
                ? $"{country} asked the question; the asking country does not answer its own question"
                : $"the question is not put to {country} (it is put to {string.Join(", ", question.Recipients.Countries)})");
        }
    }

    internal static void CheckItems(ProblemList problems, NetworkQuestion question, IReadOnlyList<ItemAnswer> items)
    {
        for (var i = 0; i < items.Count; i++)
        {
            CheckItem(problems, $"items[{i}]", question, items[i]);
        }

        problems.Duplicates("items", items.Select(a => a.ItemId), "item");
        var answered = items.Select(a => a.ItemId).ToHashSet(StringComparer.Ordinal);
        var missing = question.Items.Where(i => !answered.Contains(i.Id)).Select(i => i.Id).ToList();
        if (missing.Count > 0)
        {
            problems.Add("items", $"no answer for {string.Join(", ", missing)}: answer or decline every item");
        }
    }

    private static void CheckItem(ProblemList problems, string path, NetworkQuestion question, ItemAnswer answer)
    {
        var item = question.FindItem(answer.ItemId);
        if (answer.ItemId.Length == 0)
        {
            problems.Add(path + ".item", "required: the id of the item answered, e.g. q1");
        }
        else if (item is null)
        {
            problems.Add(path + ".item", $"'{answer.ItemId}' is not an item of question {question.Id}; its items are {string.Join(", ", question.Items.Select(i => i.Id))}");
        }

        problems.Code(path + ".status", answer.Status);
        problems.Code(path + ".dissemination", answer.Dissemination);
        problems.Text(path + ".comment", answer.Comment, MaxCommentLength, required: false);

        if (answer.Status == ItemAnswerStatus.Declined)
        {
            problems.Text(path + ".reason", answer.DeclineReason, MaxDeclineReasonLength, required: true, hint: "why the item is declined, e.g. no data collected");
            if (answer.Value is not null)
            {
                problems.Add(path + ".value", "a declined item has no value; answer it (status ANSWERED) or leave the value out");
            }
        }
        else if (answer.Status == ItemAnswerStatus.Answered)
        {
            if (answer.DeclineReason is not null)
            {
                problems.Add(path + ".reason", "a reason is given only when the item is DECLINED; put remarks in the comment");
            }

            if (answer.Value is null)
            {
                problems.Add(path + ".value", "required: the answer" + (item is null ? string.Empty : ", " + Expected(item)));
            }
            else if (item is not null)
            {
                CheckValue(problems, path + ".value", item, answer.Value);
            }
        }
    }

    private static void CheckValue(ProblemList problems, string path, QuestionItem item, AnswerValue value)
    {
        if (!value.Fits(item.Type))
        {
            problems.Add(path, $"{Describe(value)} does not answer a {QuestionCodes.Code(item.Type)} item; expected {Expected(item)}");
            return;
        }

        switch (value)
        {
            case ChoiceValue choice:
                CheckChoice(problems, path, item, choice);
                break;
            case NumberValue { Number: var number }:
                if (item.NumberKind == NumberKind.Integer && decimal.Truncate(number) != number)
                {
                    problems.Add(path, $"{number} is not a whole number; the item takes INTEGER numbers of {item.Unit}");
                }

                if (item.Minimum is { } min && number < min)
                {
                    problems.Add(path, $"{number} is less than the minimum {min} {item.Unit}");
                }

                if (item.Maximum is { } max && number > max)
                {
                    problems.Add(path, $"{number} is more than the maximum {max} {item.Unit}");
                }

                break;
            case TextValue text:
                problems.Text(path, text.Text, item.EffectiveMaxLength, required: true, hint: "the answer's text");
                break;
        }
    }

    private static void CheckChoice(ProblemList problems, string path, QuestionItem item, ChoiceValue choice)
    {
        if (item.Type == AnswerType.ChoiceOne && choice.Keys.Count != 1)
        {
            problems.Add(path, $"{choice.Keys.Count} options chosen; a CHOICE_ONE item takes exactly one");
        }
        else if (choice.Keys.Count == 0)
        {
            problems.Add(path, "no option chosen; a CHOICE_MANY item takes one or more");
        }

        for (var k = 0; k < choice.Keys.Count; k++)
        {
            if (item.FindOption(choice.Keys[k]) is null)
            {
                problems.Add($"{path}[{k}]", $"'{choice.Keys[k]}' is not offered; the options are {string.Join(", ", item.Options.Select(o => o.Key))}");
            }
        }

        problems.Duplicates(path, choice.Keys, "option");
    }

    /// <summary>What an item takes, for messages.</summary>
    internal static string Expected(QuestionItem item) => item.Type switch
    {
        AnswerType.YesNo => "yes or no",
        AnswerType.ChoiceOne => $"one option key of {string.Join(", ", item.Options.Select(o => o.Key))}",
        AnswerType.ChoiceMany => $"a list of option keys of {string.Join(", ", item.Options.Select(o => o.Key))}",
        AnswerType.Number => $"a number of {item.Unit}",
        AnswerType.FreeText => $"text of at most {item.EffectiveMaxLength} characters",
        _ => "a value",
    };

    private static string Describe(AnswerValue value) => value switch
    {
        YesNoValue => "a yes/no value",
        ChoiceValue => "a choice of options",
        NumberValue => "a number",
        _ => "a text",
    };
}

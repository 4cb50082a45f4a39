using System.Globalization;
using NremNet.Cli.Cli;
using NremNet.Cli.Practices;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Questions;

namespace NremNet.Cli.Questions;

/// <summary>How the question verbs show questions, items, recipients and answers, the same way in every verb.</summary>
internal static class QuestionText
{
    /// <summary>
    /// The question a node holds, read from its file; the id and the asking country taken from the signed version when
    /// the file leaves them out. Null when there is no content (erased) or this CLI cannot read it.
    /// </summary>
    public static NetworkQuestion? Read(GetQuestionResponse response)
    {
        if (response.File.Length == 0 || QuestionFile.Parse(response.File).Value is not { } question)
        {
            return null;
        }

        var version = response.Summary?.Version;
        return question with
        {
            Id = question.Id.Length > 0 ? question.Id : version?.DocumentId ?? string.Empty,
            AskingCountry = question.AskingCountry.Length > 0 ? question.AskingCountry : version?.OwnerCountry ?? string.Empty,
        };
    }

    /// <summary>A question's status in a word: open, closed, WITHDRAWN or ERASED.</summary>
    public static string Status(QuestionStatus status) => status switch
    {
        QuestionStatus.Open => "open",
        QuestionStatus.Closed => "closed",
        QuestionStatus.Withdrawn => "WITHDRAWN",
        QuestionStatus.Erased => "ERASED",
        _ => "—",
    };

    /// <summary>What the question asks of the reader's node: asked (by it), answered, OVERDUE, to answer, or "—" when it is not a recipient.</summary>
    public static string ForNode(QuestionSummary question, string node) =>
        string.Equals(question.Version.OwnerCountry, node, StringComparison.OrdinalIgnoreCase) ? "asked"
            : !question.ForThisNode ? "—"
            : question.AnsweredByThisNode ? "answered"
            : question.OverdueForThisNode ? "OVERDUE"
            : "to answer";

    /// <summary>A deadline with how far it is from <paramref name="now"/>: "2026-07-01 15:00:00Z (in 12 days)".</summary>
    public static string Deadline(DateTimeOffset? deadline, DateTimeOffset now)
    {
        if (deadline is not { } at)
        {
            return "—";
        }

        var left = at - now;
        var days = (int)Math.Round(Math.Abs(left.TotalDays));
        var relative = Math.Abs(left.TotalHours) < 24
            ? left > TimeSpan.Zero ? "within a day" : "passed within the last day"
            : left > TimeSpan.Zero ? $"in {DocumentText.Count(days, "day")}" : $"passed {DocumentText.Count(days, "day")} ago";
        return $"{CliValues.Time(at)} ({relative})";
    }

    /// <summary>A deadline in a table: its day with how far it is from <paramref name="now"/>, "2026-07-01 (in 12 days)".</summary>
    public static string DeadlineDay(DateTimeOffset? deadline, DateTimeOffset now)
    {
        var full = Deadline(deadline, now);
        return deadline is null ? full : string.Concat(full.AsSpan(0, 10), full.AsSpan(full.IndexOf(" (", StringComparison.Ordinal)));
    }

    /// <summary>Who a question is put to: "every member" or the countries.</summary>
    public static string Recipients(QuestionRecipients recipients) =>
        recipients.IsAllMembers ? "every member" : string.Join(", ", recipients.Countries);

    /// <summary>How an item is answered, in an answer file: "yes or no", the option keys and labels, the number's unit and bounds, the text's length.</summary>
    public static string AnswerForm(QuestionItem item) => item.Type switch
    {
        AnswerType.YesNo => "yes or no",
        AnswerType.ChoiceOne => "one key of: " + Options(item),
        AnswerType.ChoiceMany => "a list of keys, e.g. [" + string.Join(", ", item.Options.Take(2).Select(o => o.Key)) + "], of: " + Options(item),
        AnswerType.Number => $"{(item.NumberKind == NumberKind.Integer ? "a whole number" : "a number")} of {item.Unit}{Bounds(item)}",
        AnswerType.FreeText => $"text, at most {item.EffectiveMaxLength.ToString(CultureInfo.InvariantCulture)} characters",
        _ => "—",
    };

    /// <summary>How an item is answered, for a table: the options one per line ("police — Police"), else as <see cref="AnswerForm"/>.</summary>
    public static string AnswerFormLines(QuestionItem item) => item.Type switch
    {
        AnswerType.ChoiceOne => "one of:" + string.Concat(item.Options.Select(o => $"{Environment.NewLine}{o.Key} — {o.Label}")),
        AnswerType.ChoiceMany => "one or more of:" + string.Concat(item.Options.Select(o => $"{Environment.NewLine}{o.Key} — {o.Label}")),
        _ => AnswerForm(item),
    };

    /// <summary>An item's answer as people read it: the value (with option labels and the unit), or "declined: reason".</summary>
    public static string Answer(QuestionItem? item, ItemAnswer answer)
    {
        if (answer.Status == ItemAnswerStatus.Declined)
        {
            return $"declined: {answer.DeclineReason}";
        }

        var value = answer.Value switch
        {
            YesNoValue yes => yes.Yes ? "yes" : "no",
            ChoiceValue choice => string.Join(", ", choice.Keys.Select(k => item?.FindOption(k)?.Label ?? k)),
            NumberValue number => $"{number.Number.ToString(CultureInfo.InvariantCulture)} {item?.Unit}".TrimEnd(),
            TextValue text => text.Text,
            _ => "—",
        };
        return answer.Comment is { Length: > 0 } comment ? $"{value} (comment: {comment})" : value;
    }

    /// <summary>Who may read an item's answer.</summary>
    public static string Dissemination(Dissemination dissemination, string asker) => dissemination switch
    {
        Domain.Questions.Dissemination.AskerOnly => $"{asker} only",
        Domain.Questions.Dissemination.Network => "every member",
        _ => "—",
    };

    private static string Options(QuestionItem item) => string.Join("; ", item.Options.Select(o => $"{o.Key} = {o.Label}"));

    private static string Bounds(QuestionItem item) => (item.Minimum, item.Maximum) switch
    {
        ({ } min, { } max) => $", from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}",
        ({ } min, null) => $", at least {min.ToString(CultureInfo.InvariantCulture)}",
        (null, { } max) => $", at most {max.ToString(CultureInfo.InvariantCulture)}",
        _ => string.Empty,
    };
}

using System.Globalization;
using System.Text.RegularExpressions;
using NremNet.Domain.Documents;

namespace NremNet.Domain.Questions;

/// <summary>
/// The rules of a network question. Every problem is reported at once, each with its path as in the question file
/// (e.g. <c>items[2].options</c>). The limits keep a question short enough to be answered and compared.
/// </summary>
public static partial class QuestionValidation
{
    /// <summary>At most this many items per question.</summary>
    public const int MaxItems = 30;

    /// <summary>A choice item offers at least this many options.</summary>
    public const int MinOptions = 2;

    /// <summary>A choice item offers at most this many options.</summary>
    public const int MaxOptions = 20;

    /// <summary>At most this many characters in a question id.</summary>
    public const int MaxIdLength = ProblemList.MaxRecordIdLength;

    /// <summary>At most this many characters in the title.</summary>
    public const int MaxTitleLength = 200;

    /// <summary>At most this many characters in the background.</summary>
    public const int MaxBackgroundLength = 20_000;

    /// <summary>At most this many characters in an item's text.</summary>
    public const int MaxItemTextLength = 1_000;

    /// <summary>At most this many characters in an item's instruction.</summary>
    public const int MaxInstructionLength = 2_000;

    /// <summary>At most this many characters in an option's key.</summary>
    public const int MaxOptionKeyLength = 40;

    /// <summary>At most this many characters in an option's label.</summary>
    public const int MaxOptionLabelLength = 200;

    /// <summary>At most this many characters in a NUMBER item's unit.</summary>
    public const int MaxUnitLength = 60;

    /// <summary>A FREE_TEXT item's maximum length when the question does not give one.</summary>
    public const int DefaultFreeTextLength = 4_000;

    /// <summary>The largest maximum length a FREE_TEXT item may set.</summary>
    public const int MaxFreeTextLength = 20_000;

    /// <summary>The deadline is at most this many days after the question is asked.</summary>
    public const int MaxDeadlineDays = 366;

    /// <summary>
    /// Every problem of <paramref name="question"/> asked at <paramref name="now"/>: id and asking country, title,
    /// background, language, recipients, deadline (after <paramref name="now"/>, within <see cref="MaxDeadlineDays"/>)
    /// and each item with its type's settings.
    /// </summary>
    public static IReadOnlyList<DocumentProblem> Validate(NetworkQuestion question, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(question);
        var problems = new ProblemList();
        CheckId(problems, question.Id);
        problems.CountryCode("asking_country", question.AskingCountry, required: true);
        CheckContent(problems, question);
        CheckDeadline(problems, question.Deadline, now);
        return problems.Items;
    }

    /// <summary>The question id's rule (the asking node makes it).</summary>
    internal static void CheckId(ProblemList problems, string id) =>
        problems.RecordId("id", id, "NL-Q-2026-0003");

    /// <summary>Everything but the id, the asking country's code and the deadline's relation to the clock.</summary>
    internal static void CheckContent(ProblemList problems, NetworkQuestion question)
    {
        problems.Text("title", question.Title, MaxTitleLength, required: true);
        problems.Text("background", question.Background, MaxBackgroundLength, required: false);
        problems.LanguageCode("language", question.Language, "the language the question is written in");

        if (question.Deadline == default)
        {
            problems.Add("deadline", "required: a date and time with its offset, e.g. 2026-06-30T17:00:00+02:00");
        }

        CheckRecipients(problems, question.Recipients, question.AskingCountry);

        if (question.Items.Count == 0)
        {
            problems.Add("items", "at least one item");
        }
        else if (question.Items.Count > MaxItems)
        {
            problems.Add("items", $"{question.Items.Count} items; at most {MaxItems}: a network question is short, so that every mechanism can answer it");
        }

        for (var i = 0; i < question.Items.Count; i++)
        {
            CheckItem(problems, $"items[{i}]", question.Items[i]);
        }

        problems.Duplicates("items", question.Items.Select(i => i.Id), "item id");
    }

    /// <summary>The deadline must lie ahead, but not too far.</summary>
    internal static void CheckDeadline(ProblemList problems, DateTimeOffset deadline, DateTimeOffset now)
    {
        if (deadline == default)
        {
            return;
        }

        if (deadline <= now)
        {
            problems.Add("deadline", $"{Timestamp(deadline)} is not after now ({Timestamp(now)})");
        }
        else if (deadline > now.AddDays(MaxDeadlineDays))
        {
            problems.Add("deadline", $"{Timestamp(deadline)} is more than {MaxDeadlineDays} days away");
        }
    }

    /// <summary>A date and time as files write it, e.g. 2026-06-30T17:00:00+02:00.</summary>
    internal static string Timestamp(DateTimeOffset value) =>
        value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);

    private static void CheckRecipients(ProblemList problems, QuestionRecipients? recipients, string askingCountry)
    {
        if (recipients is null)
        {
            problems.Add("recipients", "required: ALL_MEMBERS or a list of countries");
            return;
        }

        if (recipients.IsAllMembers)
        {
            if (recipients.Countries.Count > 0)
            {
                problems.Add("recipients", "either every member or a list of countries, not both");
            }

            return;
        }

        if (recipients.Countries.Count == 0)
        {
            problems.Add("recipients", "at least one country, or ALL_MEMBERS");
        }

        for (var i = 0; i < recipients.Countries.Count; i++)
        {
            var country = recipients.Countries[i];
            problems.CountryCode($"recipients[{i}]", country, required: true);
            if (string.Equals(country, askingCountry, StringComparison.Ordinal))
            {
                problems.Add($"recipients[{i}]", $"{country} is the asking country; a question is put to the others");
            }
        }

        problems.Duplicates("recipients", recipients.Countries, "country");
    }

    private static void CheckItem(ProblemList problems, string path, QuestionItem item)
    {
        problems.Key(path + ".id", item.Id, ItemIdPattern(), "a key of a lower-case letter then up to 31 lower-case letters, digits or '_', e.g. q1");
        problems.Text(path + ".text", item.Text, MaxItemTextLength, required: true);
        problems.Text(path + ".instruction", item.Instruction, MaxInstructionLength, required: false);
        problems.Code(path + ".type", item.Type);

        var isChoice = item.Type is AnswerType.ChoiceOne or AnswerType.ChoiceMany;
        var isNumber = item.Type == AnswerType.Number;
        var known = QuestionCodes.IsDefined(item.Type);

        // Settings of another type are reported only when the type is known, so a missing type is one problem, not several.
        if (known && !isChoice && item.Options.Count > 0)
        {
            problems.Add(path + ".options", $"only CHOICE_ONE and CHOICE_MANY items have options; this item is {QuestionCodes.Code(item.Type)}");
        }

        if (known && !isNumber)
        {
            foreach (var (field, given) in new[]
                     {
                         ("unit", item.Unit is not null), ("min", item.Minimum is not null), ("max", item.Maximum is not null),
                         ("number_kind", item.NumberKind != NumberKind.Unspecified),
                     })
            {
                if (given)
                {
                    problems.Add($"{path}.{field}", $"only NUMBER items have {field}; this item is {QuestionCodes.Code(item.Type)}");
                }
            }
        }

        if (known && item.Type != AnswerType.FreeText && item.MaxLength is not null)
        {
            problems.Add(path + ".max_length", $"only FREE_TEXT items have max_length; this item is {QuestionCodes.Code(item.Type)}");
        }

        if (isChoice)
        {
            CheckOptions(problems, path, item.Options);
        }
        else if (isNumber)
        {
            CheckNumberSettings(problems, path, item);
        }
        else if (item.Type == AnswerType.FreeText && item.MaxLength is { } max && (max < 1 || max > MaxFreeTextLength))
        {
            problems.Add(path + ".max_length", $"{max}; from 1 to {MaxFreeTextLength} characters");
        }
    }

    private static void CheckOptions(ProblemList problems, string path, IReadOnlyList<ChoiceOption> options)
    {
        if (options.Count < MinOptions)
        {
            problems.Add(path + ".options", $"{options.Count} options; a choice offers at least {MinOptions}");
        }
        else if (options.Count > MaxOptions)
        {
            problems.Add(path + ".options", $"{options.Count} options; at most {MaxOptions}");
        }

        for (var o = 0; o < options.Count; o++)
        {
            problems.Key($"{path}.options[{o}].key", options[o].Key, OptionKeyPattern(),
                $"a key of 1 to {MaxOptionKeyLength} lower-case letters, digits, '_' or '-', e.g. police");
            problems.Text($"{path}.options[{o}].label", options[o].Label, MaxOptionLabelLength, required: true);
        }

        problems.Duplicates(path + ".options", options.Select(o => o.Key), "option key");
        problems.Duplicates(path + ".options", options.Select(o => o.Label.Trim()), "option label");
    }

    private static void CheckNumberSettings(ProblemList problems, string path, QuestionItem item)
    {
        problems.Text(path + ".unit", item.Unit, MaxUnitLength, required: true, hint: "what is counted or measured, e.g. residence permits");
        problems.Code(path + ".number_kind", item.NumberKind);
        if (item.Minimum is { } min && item.Maximum is { } max && min > max)
        {
            problems.Add(path + ".max", $"{max} is less than min {min}");
        }

        if (item.NumberKind == NumberKind.Integer)
        {
            foreach (var (field, bound) in new[] { ("min", item.Minimum), ("max", item.Maximum) })
            {
                if (bound is { } b && decimal.Truncate(b) != b)
                {
                    problems.Add($"{path}.{field}", $"{b} is not a whole number; the item takes INTEGER numbers");
                }
            }
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,31}$")]
    private static partial Regex ItemIdPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,39}$")]
    private static partial Regex OptionKeyPattern();
}

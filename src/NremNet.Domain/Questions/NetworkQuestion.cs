namespace NremNet.Domain.Questions;

/// <summary>How an item of a network question is answered; in files as YES_NO, CHOICE_ONE, CHOICE_MANY, NUMBER, FREE_TEXT.</summary>
public enum AnswerType
{
    /// <summary>Not given: never valid.</summary>
    Unspecified = 0,

    /// <summary>Yes or no.</summary>
    YesNo = 1,

    /// <summary>Exactly one of the item's options.</summary>
    ChoiceOne = 2,

    /// <summary>One or more of the item's options.</summary>
    ChoiceMany = 3,

    /// <summary>A number in the item's unit.</summary>
    Number = 4,

    /// <summary>Text up to the item's maximum length.</summary>
    FreeText = 5,
}

/// <summary>Which numbers a NUMBER item takes; in files as INTEGER or DECIMAL.</summary>
public enum NumberKind
{
    /// <summary>Not given: required for NUMBER items, absent for every other type.</summary>
    Unspecified = 0,

    /// <summary>Whole numbers only (counts).</summary>
    Integer = 1,

    /// <summary>Any decimal number (rates, amounts).</summary>
    Decimal = 2,
}

/// <summary>One option of a CHOICE_ONE or CHOICE_MANY item.</summary>
/// <param name="Key">The stable key answers refer to, e.g. <c>police</c>: lower-case letters, digits, '_' and '-'.</param>
/// <param name="Label">What readers see, e.g. "Police".</param>
public sealed record ChoiceOption(string Key, string Label);

/// <summary>One item of a network question. Only the settings of its <see cref="Type"/> are given; the others stay empty.</summary>
public sealed record QuestionItem
{
    /// <summary>The stable key answers refer to, e.g. <c>q1</c>.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>The question put to the recipients.</summary>
    public string Text { get; init; } = string.Empty;

    /// <summary>How to answer it (what to count, which year, ...), if anything needs saying.</summary>
    public string? Instruction { get; init; }

    /// <summary>How it is answered.</summary>
    public AnswerType Type { get; init; }

    /// <summary>CHOICE_ONE and CHOICE_MANY: the options offered, in the order shown.</summary>
    public IReadOnlyList<ChoiceOption> Options { get; init; } = [];

    /// <summary>NUMBER: what is counted or measured, e.g. "residence permits".</summary>
    public string? Unit { get; init; }

    /// <summary>NUMBER: the smallest number accepted, if any.</summary>
    public decimal? Minimum { get; init; }

    /// <summary>NUMBER: the largest number accepted, if any.</summary>
    public decimal? Maximum { get; init; }

    /// <summary>NUMBER: whole or decimal numbers.</summary>
    public NumberKind NumberKind { get; init; }

    /// <summary>FREE_TEXT: the longest answer accepted; <see cref="QuestionValidation.DefaultFreeTextLength"/> when not given.</summary>
    public int? MaxLength { get; init; }

    /// <summary>FREE_TEXT: the longest answer accepted, with the default applied.</summary>
    public int EffectiveMaxLength => MaxLength ?? QuestionValidation.DefaultFreeTextLength;

    /// <summary>The option with key <paramref name="key"/>, or null.</summary>
    public ChoiceOption? FindOption(string key) => Options.FirstOrDefault(o => string.Equals(o.Key, key, StringComparison.Ordinal));
}

/// <summary>Who a network question is put to: every member, or the countries listed.</summary>
public sealed record QuestionRecipients
{
    /// <summary>Every member of the network except the asking country.</summary>
    public static QuestionRecipients AllMembers { get; } = new() { IsAllMembers = true };

    /// <summary>Put to every member (then <see cref="Countries"/> is empty).</summary>
    public bool IsAllMembers { get; init; }

    /// <summary>The countries it is put to (ISO 3166-1 alpha-2), when not to every member.</summary>
    public IReadOnlyList<string> Countries { get; init; } = [];

    /// <summary>Put to the countries listed.</summary>
    public static QuestionRecipients Only(params IEnumerable<string> countries) => new() { Countries = [.. countries] };
}

/// <summary>
/// A question one mechanism puts to the network (after the EMN's ad-hoc queries): a short set of comparable items with
/// coded answer types and a deadline. Owned by the asking country's node, which sets <see cref="Id"/> and
/// <see cref="AskingCountry"/>; check it with <see cref="QuestionValidation.Validate"/>.
/// </summary>
public sealed record NetworkQuestion
{
    /// <summary>The question's id, set by the asking node, e.g. <c>NL-Q-2026-0003</c>.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>The country asking (ISO 3166-1 alpha-2).</summary>
    public string AskingCountry { get; init; } = string.Empty;

    /// <summary>A short title.</summary>
    public string Title { get; init; } = string.Empty;

    /// <summary>Why the question is asked and what the answers are for (Markdown).</summary>
    public string Background { get; init; } = string.Empty;

    /// <summary>When answers are due; a country without an answer after it is overdue.</summary>
    public DateTimeOffset Deadline { get; init; }

    /// <summary>Who it is put to.</summary>
    public QuestionRecipients Recipients { get; init; } = QuestionRecipients.AllMembers;

    /// <summary>The language it is written in (ISO 639-1, e.g. <c>en</c>).</summary>
    public string Language { get; init; } = string.Empty;

    /// <summary>The items, in the order asked.</summary>
    public IReadOnlyList<QuestionItem> Items { get; init; } = [];

    /// <summary>The item with id <paramref name="itemId"/>, or null.</summary>
    public QuestionItem? FindItem(string itemId) => Items.FirstOrDefault(i => string.Equals(i.Id, itemId, StringComparison.Ordinal));

    /// <summary>Whether <paramref name="country"/> is asked to answer (a member, when put to every member); never the asker itself.</summary>
    public bool IsAddressedTo(string country) =>
        !string.Equals(country, AskingCountry, StringComparison.Ordinal)
        && (Recipients.IsAllMembers || Recipients.Countries.Contains(country, StringComparer.Ordinal));

    /// <summary>Whether the deadline has passed at <paramref name="now"/>.</summary>
    public bool IsOverdue(DateTimeOffset now) => now > Deadline;

    /// <summary>
    /// The countries asked, alphabetically, to pass to <see cref="QuestionCompilation.Build"/>: every member of
    /// <paramref name="members"/> but the asker when put to every member, else the countries listed.
    /// </summary>
    public IReadOnlyList<string> RecipientCountries(IEnumerable<string> members) =>
        [.. (Recipients.IsAllMembers ? members : Recipients.Countries)
            .Where(c => !string.Equals(c, AskingCountry, StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
}

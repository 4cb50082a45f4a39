namespace NremNet.Domain.Questions;

/// <summary>Whether an item was answered or declined; in files as ANSWERED or DECLINED.</summary>
public enum ItemAnswerStatus
{
    /// <summary>Not given: never valid.</summary>
    Unspecified = 0,

    /// <summary>Answered with a value of the item's type.</summary>
    Answered = 1,

    /// <summary>Not answered, with a reason (no data, not competent, ...).</summary>
    Declined = 2,
}

/// <summary>Who may read an item's answer; in files as NETWORK or ASKER_ONLY.</summary>
public enum Dissemination
{
    /// <summary>Not given: never valid.</summary>
    Unspecified = 0,

    /// <summary>Every member of the network.</summary>
    Network = 1,

    /// <summary>The asking node only: the answering node seals it for the asker, as it seals referrals.</summary>
    AskerOnly = 2,
}

/// <summary>The value of an answered item: one kind per answer type.</summary>
public abstract record AnswerValue
{
    private protected AnswerValue()
    {
    }

    /// <summary>Whether this value answers an item of type <paramref name="type"/>.</summary>
    public abstract bool Fits(AnswerType type);
}

/// <summary>The answer to a YES_NO item.</summary>
/// <param name="Yes">True for yes.</param>
public sealed record YesNoValue(bool Yes) : AnswerValue
{
    /// <inheritdoc />
    public override bool Fits(AnswerType type) => type == AnswerType.YesNo;
}

/// <summary>The answer to a CHOICE_ONE (one key) or CHOICE_MANY (one or more keys) item.</summary>
/// <param name="Keys">The keys of the options chosen.</param>
public sealed record ChoiceValue(IReadOnlyList<string> Keys) : AnswerValue
{
    /// <inheritdoc />
    public override bool Fits(AnswerType type) => type is AnswerType.ChoiceOne or AnswerType.ChoiceMany;
}

/// <summary>The answer to a NUMBER item, in the item's unit.</summary>
/// <param name="Number">The number.</param>
public sealed record NumberValue(decimal Number) : AnswerValue
{
    /// <inheritdoc />
    public override bool Fits(AnswerType type) => type == AnswerType.Number;
}

/// <summary>The answer to a FREE_TEXT item.</summary>
/// <param name="Text">The text.</param>
public sealed record TextValue(string Text) : AnswerValue
{
    /// <inheritdoc />
    public override bool Fits(AnswerType type) => type == AnswerType.FreeText;
}

/// <summary>A country's answer to one item: answered with a value, or declined with a reason; each with its dissemination.</summary>
public sealed record ItemAnswer
{
    /// <summary>The item answered, e.g. <c>q1</c>.</summary>
    public string ItemId { get; init; } = string.Empty;

    /// <summary>Answered or declined.</summary>
    public ItemAnswerStatus Status { get; init; }

    /// <summary>The value, when answered.</summary>
    public AnswerValue? Value { get; init; }

    /// <summary>Why it was declined, when declined.</summary>
    public string? DeclineReason { get; init; }

    /// <summary>Anything the reader should know with the answer (source, year, caveats).</summary>
    public string? Comment { get; init; }

    /// <summary>Who may read this item's answer.</summary>
    public Dissemination Dissemination { get; init; }

    /// <summary>An answered item.</summary>
    public static ItemAnswer Answered(string itemId, AnswerValue value, Dissemination dissemination, string? comment = null) =>
        new() { ItemId = itemId, Status = ItemAnswerStatus.Answered, Value = value, Dissemination = dissemination, Comment = comment };

    /// <summary>A declined item.</summary>
    public static ItemAnswer Declined(string itemId, string reason, Dissemination dissemination, string? comment = null) =>
        new() { ItemId = itemId, Status = ItemAnswerStatus.Declined, DeclineReason = reason, Dissemination = dissemination, Comment = comment };
}

/// <summary>
/// One country's answer to a network question: every item answered or declined. Owned by the answering country's node,
/// which sets <see cref="AnsweringCountry"/>; check it with <see cref="AnswerValidation.Validate"/>.
/// </summary>
public sealed record QuestionAnswer
{
    /// <summary>The question answered.</summary>
    public string QuestionId { get; init; } = string.Empty;

    /// <summary>The country answering (ISO 3166-1 alpha-2).</summary>
    public string AnsweringCountry { get; init; } = string.Empty;

    /// <summary>The answers per item, in the question's order.</summary>
    public IReadOnlyList<ItemAnswer> Items { get; init; } = [];

    /// <summary>Whether any item is for the asker only, so the answering node must seal those for the asking node.</summary>
    public bool HasAskerOnlyItems => Items.Any(i => i.Dissemination == Dissemination.AskerOnly);

    /// <summary>
    /// The answer as a node other than the asker may read it: the asker-only items left out. Passed to
    /// <see cref="QuestionCompilation.Build"/>, the items left out show as withheld.
    /// </summary>
    public QuestionAnswer ForNetwork() => this with { Items = [.. Items.Where(i => i.Dissemination != Dissemination.AskerOnly)] };

    /// <summary>Only the asker-only items: what the answering node seals for the asking node.</summary>
    public QuestionAnswer ForAskerOnly() => this with { Items = [.. Items.Where(i => i.Dissemination == Dissemination.AskerOnly)] };
}

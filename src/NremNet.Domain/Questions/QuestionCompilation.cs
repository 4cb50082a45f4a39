using System.Text.Json.Serialization;

namespace NremNet.Domain.Questions;

/// <summary>Where a country stands with a question.</summary>
public enum CountryAnswerStatus
{
    /// <summary>Answered at least one item (or answered only for the asker, so the reader cannot see the items).</summary>
    Answered = 1,

    /// <summary>Answered by declining every item.</summary>
    Declined = 2,

    /// <summary>No answer yet, and the deadline has not passed.</summary>
    Pending = 3,

    /// <summary>No answer, and the deadline has passed.</summary>
    Overdue = 4,
}

/// <summary>What the compilation holds for one country and one item.</summary>
public enum CompiledEntryState
{
    /// <summary>Answered with a value.</summary>
    Answered = 1,

    /// <summary>Declined, with a reason.</summary>
    Declined = 2,

    /// <summary>The country has not answered (pending or overdue), or its answer to this item breaks the rules.</summary>
    NotAnswered = 3,

    /// <summary>The country answered for the asker only, and the reader is not the asker.</summary>
    Withheld = 4,
}

/// <summary>One country's standing with the question.</summary>
/// <param name="Country">The country (ISO 3166-1 alpha-2).</param>
/// <param name="Status">Answered, declined, pending or overdue.</param>
/// <param name="AnsweredItems">How many items it answered, as far as the reader may see.</param>
/// <param name="DeclinedItems">How many items it declined, as far as the reader may see.</param>
/// <param name="WithheldItems">How many items it answered for the asker only, not shown to this reader.</param>
public sealed record CompiledCountry(string Country, CountryAnswerStatus Status, int AnsweredItems, int DeclinedItems, int WithheldItems);

/// <summary>How many countries gave one answer of a coded item.</summary>
/// <param name="Key">The option key, or <c>yes</c> / <c>no</c>.</param>
/// <param name="Label">The option's label, or Yes / No.</param>
/// <param name="Count">How many countries gave it.</param>
/// <param name="Countries">Which, alphabetically.</param>
public sealed record OptionCount(string Key, string Label, int Count, IReadOnlyList<string> Countries);

/// <summary>The numbers of a NUMBER item across the countries that answered it.</summary>
/// <param name="Count">How many countries gave a number.</param>
/// <param name="Minimum">The smallest.</param>
/// <param name="Median">The middle one (the mean of the two middle ones when the count is even).</param>
/// <param name="Maximum">The largest.</param>
public sealed record NumberSummary(int Count, decimal Minimum, decimal Median, decimal Maximum);

/// <summary>One country's answer to one item, as the reader may see it.</summary>
public sealed record CompiledEntry
{
    /// <summary>The country (ISO 3166-1 alpha-2).</summary>
    public required string Country { get; init; }

    /// <summary>The country's standing with the whole question.</summary>
    public required CountryAnswerStatus CountryStatus { get; init; }

    /// <summary>Answered, declined, not answered or withheld.</summary>
    public required CompiledEntryState State { get; init; }

    /// <summary>Who may read the answer; asker only entries are marked as such; null when nothing was answered.</summary>
    public Dissemination? Dissemination { get; init; }

    /// <summary>YES_NO: the answer.</summary>
    public bool? Yes { get; init; }

    /// <summary>CHOICE_ONE and CHOICE_MANY: the option keys chosen, in the question's order.</summary>
    public IReadOnlyList<string> OptionKeys { get; init; } = [];

    /// <summary>NUMBER: the number, in the item's unit.</summary>
    public decimal? Number { get; init; }

    /// <summary>FREE_TEXT: the text.</summary>
    public string? Text { get; init; }

    /// <summary>Why the item was declined.</summary>
    public string? DeclineReason { get; init; }

    /// <summary>The country's comment on its answer.</summary>
    public string? Comment { get; init; }
}

/// <summary>One item compiled: the counts of a coded item, the numbers side by side, and every country's entry.</summary>
public sealed record CompiledItem
{
    /// <summary>The item's id, e.g. <c>q1</c>.</summary>
    public required string ItemId { get; init; }

    /// <summary>The item's text.</summary>
    public required string Text { get; init; }

    /// <summary>The item's instruction, if any.</summary>
    public string? Instruction { get; init; }

    /// <summary>How it is answered.</summary>
    public required AnswerType Type { get; init; }

    /// <summary>NUMBER: the unit.</summary>
    public string? Unit { get; init; }

    /// <summary>YES_NO: yes and no; CHOICE_ONE and CHOICE_MANY: each option in the question's order; otherwise empty.</summary>
    public IReadOnlyList<OptionCount> Counts { get; init; } = [];

    /// <summary>How many countries answered it.</summary>
    public int Answered { get; init; }

    /// <summary>How many countries declined it.</summary>
    public int Declined { get; init; }

    /// <summary>How many countries have not answered (pending or overdue).</summary>
    public int NotAnswered { get; init; }

    /// <summary>How many countries answered it for the asker only, not shown to this reader.</summary>
    public int Withheld { get; init; }

    /// <summary>NUMBER: minimum, median and maximum of the numbers given; null when none was.</summary>
    public NumberSummary? Numbers { get; init; }

    /// <summary>Every country's entry, alphabetically by country.</summary>
    public IReadOnlyList<CompiledEntry> Entries { get; init; } = [];
}

/// <summary>
/// The compiled answers to a network question as one reader may see them: per country answered, declined, pending or
/// overdue; per item the counts of coded answers, numbers side by side with minimum, median and maximum, free text per
/// country. Countries are in alphabetical order, items in the question's, so the same answers give the same
/// compilation; built again with more answers, only what those answers add changes.
/// </summary>
public sealed record QuestionCompilation
{
    /// <summary>The standard disclaimer every compilation carries.</summary>
    public const string Disclaimer = "Answers reflect the responding mechanisms, not official positions of their governments.";

    /// <summary>The question's id.</summary>
    public required string QuestionId { get; init; }

    /// <summary>The question's title.</summary>
    public required string Title { get; init; }

    /// <summary>The country that asked.</summary>
    public required string AskingCountry { get; init; }

    /// <summary>The question's deadline.</summary>
    public required DateTimeOffset Deadline { get; init; }

    /// <summary>When the compilation was built.</summary>
    public required DateTimeOffset CompiledAt { get; init; }

    /// <summary>The standard disclaimer, carried in every export.</summary>
    [JsonPropertyName("disclaimer")]
    public string DisclaimerText => Disclaimer;

    /// <summary>Every country asked or answering, alphabetically.</summary>
    public IReadOnlyList<CompiledCountry> Countries { get; init; } = [];

    /// <summary>Every item, in the question's order.</summary>
    public IReadOnlyList<CompiledItem> Items { get; init; } = [];

    /// <summary>
    /// Compiles <paramref name="answers"/> (those the reader may see: the node leaves out what is sealed for another
    /// node, see <see cref="QuestionAnswer.ForNetwork"/>; the items left out of an answer show as withheld) for the
    /// countries asked, <paramref name="recipientCountries"/> (see <see cref="NetworkQuestion.RecipientCountries"/>),
    /// at <paramref name="now"/>. A country that answered without being listed is included. At most one answer per
    /// country, each to this question.
    /// </summary>
    public static QuestionCompilation Build(NetworkQuestion question, IEnumerable<QuestionAnswer> answers, IEnumerable<string> recipientCountries, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(recipientCountries);

        var byCountry = new Dictionary<string, QuestionAnswer>(StringComparer.Ordinal);
        foreach (var answer in answers)
        {
            if (!string.Equals(answer.QuestionId, question.Id, StringComparison.Ordinal))
            {
                throw new ArgumentException($"an answer of {answer.AnsweringCountry} is to question {answer.QuestionId}, not {question.Id}", nameof(answers));
            }

            if (!byCountry.TryAdd(answer.AnsweringCountry, answer))
            {
                throw new ArgumentException($"two answers of {answer.AnsweringCountry}; pass the latest version of each country's answer", nameof(answers));
            }
        }

        var countries = recipientCountries.Concat(byCountry.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var entries = countries.ToDictionary(c => c, c => question.Items.Select(item => EntryOf(item, c, byCountry.GetValueOrDefault(c))).ToList(), StringComparer.Ordinal);
        var compiledCountries = countries.Select(c => CountryOf(c, byCountry.ContainsKey(c), entries[c], question.IsOverdue(now))).ToList();
        var statuses = compiledCountries.ToDictionary(c => c.Country, c => c.Status, StringComparer.Ordinal);

        return new QuestionCompilation
        {
            QuestionId = question.Id,
            Title = question.Title,
            AskingCountry = question.AskingCountry,
            Deadline = question.Deadline,
            CompiledAt = now,
            Countries = compiledCountries,
            Items = [.. question.Items.Select((item, i) => CompileItem(item, [.. countries.Select(c => entries[c][i] with { CountryStatus = statuses[c] })]))],
        };
    }

    /// <summary>The compilation as a Markdown document: the disclaimer, the countries' status, then each item.</summary>
    public string ToMarkdown() => CompilationExport.Markdown(this);

    /// <summary>
    /// The compilation as CSV (RFC 4180, CRLF line ends): a header, then one row per country and item with country,
    /// status, item_id, item_text, answer, unit, comment, dissemination.
    /// </summary>
    public string ToCsv() => CompilationExport.Csv(this);

    /// <summary>The compilation as indented JSON: camelCase property names, codes such as ANSWERED and ASKER_ONLY.</summary>
    public string ToJson() => CompilationExport.Json(this);

    private static CompiledEntry EntryOf(QuestionItem item, string country, QuestionAnswer? answer)
    {
        // CountryStatus is set once every entry of the country is known.
        var entry = new CompiledEntry { Country = country, CountryStatus = CountryAnswerStatus.Pending, State = CompiledEntryState.NotAnswered };
        if (answer is null)
        {
            return entry;
        }

        var given = answer.Items.FirstOrDefault(a => string.Equals(a.ItemId, item.Id, StringComparison.Ordinal));
        if (given is null)
        {
            return entry with { State = CompiledEntryState.Withheld, Dissemination = Questions.Dissemination.AskerOnly };
        }

        var shared = entry with { Dissemination = given.Dissemination, Comment = given.Comment };
        if (given.Status == ItemAnswerStatus.Declined)
        {
            return shared with { State = CompiledEntryState.Declined, DeclineReason = given.DeclineReason };
        }

        if (given.Status != ItemAnswerStatus.Answered || given.Value is null || !given.Value.Fits(item.Type))
        {
            return entry;
        }

        var answered = shared with { State = CompiledEntryState.Answered };
        return given.Value switch
        {
            YesNoValue yesNo => answered with { Yes = yesNo.Yes },
            ChoiceValue choice => answered with { OptionKeys = [.. item.Options.Select(o => o.Key).Where(k => choice.Keys.Contains(k, StringComparer.Ordinal))] },
            NumberValue number => answered with { Number = number.Number },
            TextValue text => answered with { Text = text.Text },
            _ => entry,
        };
    }

    private static CompiledCountry CountryOf(string country, bool hasAnswer, List<CompiledEntry> entries, bool overdue)
    {
        if (!hasAnswer)
        {
            return new CompiledCountry(country, overdue ? CountryAnswerStatus.Overdue : CountryAnswerStatus.Pending, 0, 0, 0);
        }

        var answered = entries.Count(e => e.State == CompiledEntryState.Answered);
        var declined = entries.Count(e => e.State == CompiledEntryState.Declined);
        var withheld = entries.Count(e => e.State == CompiledEntryState.Withheld);
        var status = declined == entries.Count && declined > 0 ? CountryAnswerStatus.Declined : CountryAnswerStatus.Answered;
        return new CompiledCountry(country, status, answered, declined, withheld);
    }

    private static CompiledItem CompileItem(QuestionItem item, List<CompiledEntry> entries)
    {
        var answered = entries.Where(e => e.State == CompiledEntryState.Answered).ToList();
        IReadOnlyList<OptionCount> counts = item.Type switch
        {
            AnswerType.YesNo =>
            [
                Count("yes", "Yes", answered.Where(e => e.Yes == true)),
                Count("no", "No", answered.Where(e => e.Yes == false)),
            ],
            AnswerType.ChoiceOne or AnswerType.ChoiceMany =>
                [.. item.Options.Select(o => Count(o.Key, o.Label, answered.Where(e => e.OptionKeys.Contains(o.Key, StringComparer.Ordinal))))],
            _ => [],
        };

        return new CompiledItem
        {
            ItemId = item.Id,
            Text = item.Text,
            Instruction = item.Instruction,
            Type = item.Type,
            Unit = item.Unit,
            Counts = counts,
            Answered = answered.Count,
            Declined = entries.Count(e => e.State == CompiledEntryState.Declined),
            NotAnswered = entries.Count(e => e.State == CompiledEntryState.NotAnswered),
            Withheld = entries.Count(e => e.State == CompiledEntryState.Withheld),
            Numbers = Summarise([.. answered.Where(e => e.Number is not null).Select(e => e.Number!.Value)]),
            Entries = entries,
        };
    }

    private static OptionCount Count(string key, string label, IEnumerable<CompiledEntry> entries)
    {
        var countries = entries.Select(e => e.Country).ToList();
        return new OptionCount(key, label, countries.Count, countries);
    }

    private static NumberSummary? Summarise(List<decimal> numbers)
    {
        if (numbers.Count == 0)
        {
            return null;
        }

        numbers.Sort();
        var middle = numbers.Count / 2;
        var median = numbers.Count % 2 == 1 ? numbers[middle] : (numbers[middle - 1] + numbers[middle]) / 2;
        return new NumberSummary(numbers.Count, numbers[0], median, numbers[^1]);
    }
}

using NremNet.Domain.Questions;

namespace NremNet.Cli.Federation;

/// <summary>A SYNTHETIC sample network question: who asks it, its title (to find it again) and its question file.</summary>
/// <param name="AskingCountry">The sample node that asks it.</param>
/// <param name="Title">Its title.</param>
/// <param name="File">Its question file (<see cref="QuestionFile.Write"/>), without an id.</param>
internal sealed record SampleQuestion(string AskingCountry, string Title, string File);

/// <summary>The sample network questions and their answers (SYNTHETIC).</summary>
internal static partial class SampleDocuments
{
    /// <summary>The title of NL's sample question, put to every member.</summary>
    public const string RefusalQuestionTitle = "SYNTHETIC: Presumed victims who refuse assistance";

    /// <summary>The title of SE's sample question, put to chosen countries.</summary>
    public const string ResidenceQuestionTitle = "SYNTHETIC: Residence permits for victims of trafficking in 2024";

    /// <summary>The countries SE's sample question is put to (of those in the federation).</summary>
    public static readonly IReadOnlyList<string> ResidenceQuestionRecipients = ["NL", "FI", "BG", "AR"];

    /// <summary>Recipients that leave a sample question unanswered, so the compilation shows a pending country, by title.</summary>
    private static readonly IReadOnlyDictionary<string, string> Silent = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [RefusalQuestionTitle] = "NP",
        [ResidenceQuestionTitle] = "AR",
    };

    private static readonly string[] DeclineReasons =
    [
        "No figure is collected on this; the national statistics do not record it.",
        "The figures for this year are not final yet; they are published in the autumn.",
        "The mechanism does not hold these data; the responsible ministry was asked to reply directly.",
    ];

    private static readonly string[] Comments =
    [
        "Source: national statistics (synthetic).",
        "Figure for the calendar year; provisional (synthetic).",
        "Based on registrations in the national referral mechanism (synthetic).",
    ];

    private static readonly IReadOnlyDictionary<string, string[]> FreeTexts = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["q5"] =
        [
            "SYNTHETIC answer. Fear of the traffickers and of losing income for the family at home are the reasons given most often.",
            "SYNTHETIC answer. Many do not see themselves as victims and want to keep working; some distrust the authorities because of their residence status.",
            "SYNTHETIC answer. Outreach workers report debts to recruiters, shame towards relatives and fear of being sent back.",
            "SYNTHETIC answer. Reasons are not recorded systematically; support services mention a wish to go home quickly and a lack of trust.",
        ],
        ["p5"] =
        [
            "SYNTHETIC answer. Since 2022 the reflection period no longer depends on a report to the police.",
            "SYNTHETIC answer. An amendment in 2021 introduced a permit on humanitarian grounds for victims who cannot cooperate.",
            "SYNTHETIC answer. The rules have not changed since 2020; a reform is being discussed in parliament.",
            "SYNTHETIC answer. The guidance for case officers was revised in 2023 to shorten decision times.",
        ],
    };

    /// <summary>
    /// The two sample network questions, asked at <paramref name="now"/>: NL's to every member and SE's to chosen
    /// countries, with items of every answer type. With <paramref name="members"/>, a question is left out when its
    /// asker is not among them, and SE's is put only to the chosen countries that are.
    /// </summary>
    public static IReadOnlyList<SampleQuestion> Questions(DateTimeOffset now, IEnumerable<string>? members = null)
    {
        var present = members?.ToHashSet(StringComparer.Ordinal);
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var questions = new List<NetworkQuestion> { RefusalQuestion(today.AddDays(28).AddHours(17)) };
        var recipients = ResidenceQuestionRecipients.Where(c => present is null || present.Contains(c)).ToList();
        if (recipients.Count > 0)
        {
            questions.Add(ResidenceQuestion(today.AddDays(21).AddHours(15), recipients));
        }

        return [.. questions
            .Where(q => present is null || present.Contains(q.AskingCountry))
            .Select(q => new SampleQuestion(q.AskingCountry, q.Title, QuestionFile.Write(q)))];
    }

    /// <summary>
    /// <paramref name="country"/>'s SYNTHETIC answer file to <paramref name="question"/> (<see cref="AnswerFile.Write"/>),
    /// the same on every call; null when the country is not asked, or is one of the few that leave a sample question
    /// unanswered. Some items are declined with a reason; some numbers are for the asker only.
    /// </summary>
    public static string? Answer(NetworkQuestion question, string country)
    {
        ArgumentNullException.ThrowIfNull(question);
        if (!question.IsAddressedTo(country) || Silent.GetValueOrDefault(question.Title) == country)
        {
            return null;
        }

        var random = new SampleRandom($"nremnet sample answer/{question.Title}/{country}");
        var items = new List<ItemAnswer>();
        foreach (var item in question.Items)
        {
            var declinable = item.Type is AnswerType.Number or AnswerType.FreeText;
            if (declinable && random.Next(4) == 0 && items.Any(i => i.Status == ItemAnswerStatus.Answered))
            {
                items.Add(ItemAnswer.Declined(item.Id, random.Pick(DeclineReasons), Dissemination.Network));
                continue;
            }

            var dissemination = item.Type == AnswerType.Number && random.Next(3) == 0 ? Dissemination.AskerOnly : Dissemination.Network;
            var comment = item.Type == AnswerType.Number && random.Next(2) == 0 ? random.Pick(Comments) : null;
            items.Add(ItemAnswer.Answered(item.Id, Value(random, item, country), dissemination, comment));
        }

        return AnswerFile.Write(new QuestionAnswer { QuestionId = question.Id, AnsweringCountry = country, Items = items });
    }

    private static AnswerValue Value(SampleRandom random, QuestionItem item, string country)
    {
        switch (item.Type)
        {
            case AnswerType.YesNo:
                return new YesNoValue(random.Next(3) > 0);
            case AnswerType.ChoiceOne:
                return new ChoiceValue([random.Pick(item.Options).Key]);
            case AnswerType.ChoiceMany:
                var chosen = random.Sample(item.Options, 1 + random.Next(Math.Min(3, item.Options.Count))).ToHashSet();
                return new ChoiceValue([.. item.Options.Where(chosen.Contains).Select(o => o.Key)]);
            case AnswerType.Number:
                var low = item.Minimum ?? 0;
                var high = item.Maximum ?? low + 400;
                var span = (int)Math.Min(400, high - low);
                return item.NumberKind == NumberKind.Integer
                    ? new NumberValue(low + 3 + random.Next(Math.Max(1, span - 3)))
                    : new NumberValue(low + Math.Min(high - low, 20 + random.Next(Math.Max(1, span * 10)) / 10m));
            default:
                var texts = FreeTexts.GetValueOrDefault(item.Id);
                var text = texts is null ? $"SYNTHETIC answer from {country}: nothing to add." : random.Pick(texts);
                return new TextValue(text.Length <= item.EffectiveMaxLength ? text : text[..item.EffectiveMaxLength]);
        }
    }

    private static NetworkQuestion RefusalQuestion(DateTimeOffset deadline) => new()
    {
        AskingCountry = "NL",
        Title = RefusalQuestionTitle,
        Language = "en",
        Deadline = deadline,
        Recipients = QuestionRecipients.AllMembers,
        Background =
            "SYNTHETIC sample question of the NremNet demo federation, not a real request.\n\n"
            + "We are preparing a chapter on presumed victims who do not accept assistance. We would like to know how other "
            + "mechanisms count them, who identifies victims, and what support is offered before formal identification.",
        Items =
        [
            new QuestionItem { Id = "q1", Text = "Do your national statistics count presumed victims who refused assistance?", Instruction = "Answer for the statistics your mechanism publishes.", Type = AnswerType.YesNo },
            new QuestionItem
            {
                Id = "q2",
                Text = "Which authority formally identifies victims in your country?",
                Type = AnswerType.ChoiceOne,
                Options =
                [
                    new ChoiceOption("police", "Police"), new ChoiceOption("labour_inspectorate", "Labour inspectorate"),
                    new ChoiceOption("prosecution", "Public prosecution service"), new ChoiceOption("multi_agency", "A multi-agency body"),
                    new ChoiceOption("ngo", "A designated civil-society organisation"), new ChoiceOption("other", "Another authority"),
                ],
            },
            new QuestionItem
            {
                Id = "q3",
                Text = "Which support can a presumed victim receive before formal identification?",
                Instruction = "Choose every form of support that is available as a right, not only in individual cases.",
                Type = AnswerType.ChoiceMany,
                Options =
                [
                    new ChoiceOption("shelter", "Shelter"), new ChoiceOption("medical", "Medical care"), new ChoiceOption("legal", "Legal aid"),
                    new ChoiceOption("psychosocial", "Psychosocial support"), new ChoiceOption("financial", "Financial support"),
                    new ChoiceOption("interpretation", "Interpretation"),
                ],
            },
            new QuestionItem
            {
                Id = "q4",
                Text = "How many presumed victims refused assistance in 2024?",
                Instruction = "Count persons, not contacts. Decline the item if you hold no figure.",
                Type = AnswerType.Number,
                Unit = "presumed victims",
                NumberKind = NumberKind.Integer,
                Minimum = 0,
            },
            new QuestionItem
            {
                Id = "q5",
                Text = "What reasons do presumed victims give for refusing assistance?",
                Instruction = "Two or three sentences; no details of individual cases.",
                Type = AnswerType.FreeText,
                MaxLength = 2000,
            },
        ],
    };

    private static NetworkQuestion ResidenceQuestion(DateTimeOffset deadline, IReadOnlyList<string> recipients) => new()
    {
        AskingCountry = "SE",
        Title = ResidenceQuestionTitle,
        Language = "en",
        Deadline = deadline,
        Recipients = QuestionRecipients.Only(recipients),
        Background =
            "SYNTHETIC sample question of the NremNet demo federation, not a real request.\n\n"
            + "We compare the residence rights of victims of trafficking in a few countries with similar procedures, "
            + "ahead of a review of our own rules.",
        Items =
        [
            new QuestionItem
            {
                Id = "p1",
                Text = "How many residence permits were granted to victims of trafficking in 2024?",
                Instruction = "First permits and renewals together; permits on any ground linked to trafficking.",
                Type = AnswerType.Number,
                Unit = "residence permits",
                NumberKind = NumberKind.Integer,
                Minimum = 0,
            },
            new QuestionItem
            {
                Id = "p2",
                Text = "What was the average length of the reflection periods granted in 2024?",
                Type = AnswerType.Number,
                Unit = "days",
                NumberKind = NumberKind.Decimal,
                Minimum = 0,
                Maximum = 365,
            },
            new QuestionItem { Id = "p3", Text = "Does the residence permit depend on cooperation with criminal proceedings?", Type = AnswerType.YesNo },
            new QuestionItem
            {
                Id = "p4",
                Text = "Which authority decides on the permit?",
                Type = AnswerType.ChoiceOne,
                Options =
                [
                    new ChoiceOption("migration", "Migration authority"), new ChoiceOption("police", "Police"),
                    new ChoiceOption("prosecutor", "Prosecutor"), new ChoiceOption("ministry", "Ministry"),
                ],
            },
            new QuestionItem
            {
                Id = "p5",
                Text = "Describe any change in the rules since 2020.",
                Type = AnswerType.FreeText,
                MaxLength = 1500,
            },
        ],
    };
}

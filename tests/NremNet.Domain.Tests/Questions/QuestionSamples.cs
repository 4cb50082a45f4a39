using System.Text.Json;
using NremNet.Domain.Documents;
using NremNet.Domain.Questions;
using NremNet.Testing;

namespace NremNet.Domain.Tests.Questions;

/// <summary>A SYNTHETIC question of every answer type, and answers of seven countries to it.</summary>
internal static class QuestionSamples
{
    public const string QuestionId = "NL-Q-2026-0001";
    public static readonly DateTimeOffset Deadline = new(2026, 6, 30, 17, 0, 0, TimeSpan.FromHours(2));
    public static readonly DateTimeOffset BeforeDeadline = new(2026, 5, 4, 9, 30, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset AfterDeadline = new(2026, 7, 2, 8, 0, 0, TimeSpan.Zero);

    /// <summary>The network's members: the sample nodes and DE; NL asks, so seven countries are asked.</summary>
    public static readonly string[] Members = ["SE", "NL", "AR", "BG", "FI", "NG", "NP", "DE"];

    public static NetworkQuestion Question { get; } = new()
    {
        Id = QuestionId,
        AskingCountry = "NL",
        Title = "SYNTHETIC EXAMPLE: counting presumed victims who refuse assistance",
        Background = "Mechanisms count presumed victims differently.\n\n- first point\n- second point\n",
        Deadline = Deadline,
        Recipients = QuestionRecipients.AllMembers,
        Language = "en",
        Items =
        [
            new QuestionItem { Id = "q1", Text = "Do you count presumed victims who refused assistance?", Instruction = "National statistics only.", Type = AnswerType.YesNo },
            new QuestionItem
            {
                Id = "q2", Text = "Which body registers presumed victims?", Type = AnswerType.ChoiceOne,
                Options = [new("police", "Police"), new("ngo", "Specialised NGO"), new("nrm", "The national referral mechanism itself")],
            },
            new QuestionItem
            {
                Id = "q3", Text = "Which forms of exploitation does your register record?", Type = AnswerType.ChoiceMany,
                Options = [new("sexual", "Sexual exploitation"), new("labour", "Forced labour or services"), new("criminal", "Forced criminal activities"), new("begging", "Forced begging")],
            },
            new QuestionItem
            {
                Id = "q4", Text = "How many residence permits did victims receive in 2024?", Type = AnswerType.Number,
                Unit = "residence permits", NumberKind = NumberKind.Integer, Minimum = 0,
            },
            new QuestionItem { Id = "q5", Text = "How do you count a victim who moves on to another country?", Type = AnswerType.FreeText, MaxLength = 1000 },
        ],
    };

    public static ItemAnswer Yes(string item, bool yes, string? comment = null) => ItemAnswer.Answered(item, new YesNoValue(yes), Dissemination.Network, comment);

    public static ItemAnswer Choice(string item, params string[] keys) => ItemAnswer.Answered(item, new ChoiceValue(keys), Dissemination.Network);

    public static ItemAnswer Number(string item, decimal number, Dissemination dissemination = Dissemination.Network) =>
        ItemAnswer.Answered(item, new NumberValue(number), dissemination);

    public static ItemAnswer Text(string item, string text, Dissemination dissemination = Dissemination.Network, string? comment = null) =>
        ItemAnswer.Answered(item, new TextValue(text), dissemination, comment);

    public static ItemAnswer Decline(string item, string reason = "No data collected.") => ItemAnswer.Declined(item, reason, Dissemination.Network);

    public static QuestionAnswer Answer(string country, params ItemAnswer[] items) => new() { QuestionId = QuestionId, AnsweringCountry = country, Items = items };

    /// <summary>
    /// Five of the seven countries asked answer; NG and NP do not. DE declines everything; FI answers q4 and q5 for
    /// the asker only.
    /// </summary>
    public static IReadOnlyList<QuestionAnswer> Answers { get; } =
    [
        Answer("AR", Yes("q1", true, "Counted since 2019, in the police register."), Choice("q2", "police"), Choice("q3", "sexual", "labour"), Number("q4", 120), Text("q5", "Once, in the year of identification.")),
        Answer("BG", Yes("q1", false), Choice("q2", "nrm"), Choice("q3", "sexual"), Decline("q4", "Not collected before 2025."), Text("q5", "The case is closed | and\nreopened if the victim returns.")),
        Answer("DE", Decline("q1"), Decline("q2"), Decline("q3"), Decline("q4"), Decline("q5")),
        Answer("FI", Yes("q1", true), Choice("q2", "ngo"), Choice("q3", "labour", "criminal", "begging"), Number("q4", 45, Dissemination.AskerOnly), Text("q5", "Shared with the asker only.", Dissemination.AskerOnly)),
        Answer("SE", Yes("q1", true), Choice("q2", "police"), Choice("q3", "sexual", "labour", "criminal"), Number("q4", 12), Decline("q5", "Not recorded.")),
    ];

    /// <summary>Each expected problem is reported (its path, and its message containing the text given), and no other.</summary>
    public static void AssertProblems(IReadOnlyList<DocumentProblem> problems, (string Path, string Says)[] expected)
    {
        foreach (var (path, says) in expected)
        {
            Assert.Contains(problems, p => p.Path == path && p.Message.Contains(says, StringComparison.Ordinal));
        }

        Assert.Equal(expected.Length, problems.Count);
    }

    public static string DataFile(string name) => File.ReadAllText(RepositoryPaths.Combine("tests", "NremNet.Domain.Tests", "Questions", "Data", name));

    /// <summary>A question's content as JSON, so two questions compare by value (records compare lists by reference).</summary>
    public static string Json(NetworkQuestion question) => JsonSerializer.Serialize(question);

    /// <summary>An answer's content, values included, so two answers compare by value.</summary>
    public static string Describe(QuestionAnswer answer) =>
        $"{answer.QuestionId}/{answer.AnsweringCountry}: " + string.Join(" | ", answer.Items.Select(i =>
            $"{i.ItemId} {i.Status} {i.Dissemination} [{Describe(i.Value)}] reason={i.DeclineReason ?? "-"} comment={i.Comment ?? "-"}"));

    private static string Describe(AnswerValue? value) => value switch
    {
        ChoiceValue choice => "choice " + string.Join(",", choice.Keys),
        null => "none",
        _ => value.ToString()!,
    };
}

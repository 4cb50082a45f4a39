using Grpc.Core;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Questions;
using NremNet.Node.Practices;
using NremNet.Node.Tests.Infrastructure;
using static NremNet.Node.Tests.Practices.PracticeFixtures;

namespace NremNet.Node.Tests.Practices;

/// <summary>
/// A network question asked on one real node, answered on others, compiled where it was asked: the counts per country,
/// and items for the asker only readable by the asker alone (a third node holds their ciphertext).
/// </summary>
public sealed class NetworkQuestionTests
{
    private const string Secret = "Shared-with-NL-only 4711";

    private static NetworkQuestion Question(DateTimeOffset deadline, QuestionRecipients? recipients = null) => new()
    {
        Title = "SYNTHETIC: counting presumed victims who refuse assistance",
        Background = "Mechanisms count presumed victims differently (synthetic test question).",
        Deadline = deadline,
        Recipients = recipients ?? QuestionRecipients.AllMembers,
        Language = "en",
        Items =
        [
            new QuestionItem { Id = "q1", Text = "Do you count presumed victims who refused assistance?", Type = AnswerType.YesNo },
            new QuestionItem { Id = "q2", Text = "Which body registers presumed victims?", Type = AnswerType.ChoiceOne, Options = [new("police", "Police"), new("ngo", "Specialised NGO")] },
            new QuestionItem { Id = "q3", Text = "How many residence permits did victims receive in 2024?", Type = AnswerType.Number, Unit = "residence permits", NumberKind = NumberKind.Integer, Minimum = 0 },
            new QuestionItem { Id = "q4", Text = "Anything else?", Type = AnswerType.FreeText, MaxLength = 500 },
        ],
    };

    private static string AnswerFile(string questionId, bool yes, string body, decimal permits, Dissemination permitsFor = Dissemination.Network, string text = "Counted once (synthetic).", Dissemination textFor = Dissemination.Network) =>
        Domain.Questions.AnswerFile.Write(new QuestionAnswer
        {
            QuestionId = questionId,
            Items =
            [
                ItemAnswer.Answered("q1", new YesNoValue(yes), Dissemination.Network),
                ItemAnswer.Answered("q2", new ChoiceValue([body]), Dissemination.Network),
                ItemAnswer.Answered("q3", new NumberValue(permits), permitsFor),
                ItemAnswer.Answered("q4", new TextValue(text), textFor),
            ],
        });

    [Fact]
    public async Task A_question_goes_out_comes_back_compiled_and_items_for_the_asker_only_are_unreadable_elsewhere()
    {
        await using var network = await TestNetwork.StartAsync();
        var nodes = await StartAsync(network, "NL", "SE", "FI", "BG");
        var (nl, se, fi, bg) = (nodes[0], nodes[1], nodes[2], nodes[3]);

        var asked = await nl.Questions.AskQuestionAsync(new AskQuestionRequest { File = QuestionFile.Write(Question(DateTimeOffset.UtcNow.AddDays(14))) }, nl.Auth);
        var id = asked.Version.DocumentId;
        Assert.StartsWith("NL-Q-", id, StringComparison.Ordinal);
        await HeldEverywhereAsync(nodes, id, 1);

        var awaiting = await se.Questions.ListQuestionsAsync(new ListQuestionsRequest { AwaitingThisNode = true }, se.Auth);
        var listed = Assert.Single(awaiting.Questions);
        Assert.True(listed.ForThisNode);
        Assert.Equal(QuestionStatus.Open, listed.Status);
        Assert.Equal(3, listed.Recipients);

        await se.Questions.AnswerQuestionAsync(new AnswerQuestionRequest { QuestionId = id, File = AnswerFile(id, true, "police", 12) }, se.Auth);
        await fi.Questions.AnswerQuestionAsync(new AnswerQuestionRequest { QuestionId = id, File = AnswerFile(id, true, "ngo", 45, Dissemination.AskerOnly, Secret, Dissemination.AskerOnly) }, fi.Auth);
        var own = await Assert.ThrowsAsync<RpcException>(() => nl.Questions.AnswerQuestionAsync(new AnswerQuestionRequest { QuestionId = id, File = AnswerFile(id, false, "police", 1) }, nl.Auth).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, own.StatusCode);

        await HeldEverywhereAsync(nodes, QuestionUserService.AnswerId(id, "SE"), 1);
        await HeldEverywhereAsync(nodes, QuestionUserService.AnswerId(id, "FI"), 1);

        // The asker's compilation: SE and FI answered (FI's sealed items opened), BG pending.
        var compiled = await nl.Questions.CompileQuestionAsync(new CompileQuestionRequest { QuestionId = id, Format = CompilationFormat.Csv }, nl.Auth);
        Assert.Equal(2, compiled.Answers);
        Assert.Equal(1, compiled.AskerOnlyAnswers);
        Assert.Contains(Secret, compiled.Content, StringComparison.Ordinal);
        Assert.Contains("45", compiled.Content, StringComparison.Ordinal);
        var json = await nl.Questions.CompileQuestionAsync(new CompileQuestionRequest { QuestionId = id, Format = CompilationFormat.Json }, nl.Auth);
        Assert.Contains("pending", json.Content, StringComparison.OrdinalIgnoreCase);
        var markdown = await nl.Questions.CompileQuestionAsync(new CompileQuestionRequest { QuestionId = id }, nl.Auth);
        Assert.Contains(QuestionCompilation.Disclaimer, markdown.Content, StringComparison.Ordinal);

        // Anyone else's: FI's items for the asker are withheld, and BG's store holds only their ciphertext.
        var third = await bg.Questions.CompileQuestionAsync(new CompileQuestionRequest { QuestionId = id, Format = CompilationFormat.Csv }, bg.Auth);
        Assert.DoesNotContain(Secret, third.Content, StringComparison.Ordinal);
        Assert.Equal(0, third.AskerOnlyAnswers);
        var seView = await se.Questions.CompileQuestionAsync(new CompileQuestionRequest { QuestionId = id, Format = CompilationFormat.Json }, se.Auth);
        Assert.DoesNotContain(Secret, seView.Content, StringComparison.Ordinal);
        Assert.Contains("withheld", seView.Content, StringComparison.OrdinalIgnoreCase);
        foreach (var node in new[] { bg, se })
        {
            SqliteFiles.Checkpoint(node.DatabaseFile);
            Assert.False(SqliteFiles.Contains(node.DatabaseFile, Secret), $"{node.Country}'s database holds FI's answer for NL in clear");
        }

        // FI itself shows its full answer.
        var fiView = await fi.Questions.GetQuestionAsync(new GetQuestionRequest { QuestionId = id }, fi.Auth);
        Assert.Contains(Secret, fiView.OwnAnswerFile, StringComparison.Ordinal);
        Assert.Contains(fiView.Recipients, r => r.Country == "BG" && r.Status == "pending");
        Assert.Contains(fiView.Recipients, r => r.Country == "SE" && r.Status == "answered");

        // A second answer from SE replaces its first in the compilation.
        await se.Questions.AnswerQuestionAsync(new AnswerQuestionRequest { QuestionId = id, File = AnswerFile(id, true, "police", 13) }, se.Auth);
        await HeldEverywhereAsync([nl], QuestionUserService.AnswerId(id, "SE"), 2);
        var again = await nl.Questions.CompileQuestionAsync(new CompileQuestionRequest { QuestionId = id, Format = CompilationFormat.Csv }, nl.Auth);
        Assert.Contains("13", again.Content, StringComparison.Ordinal);
        Assert.Equal(2, again.Answers);
    }

    [Fact]
    public async Task Only_recipients_answer_and_a_bad_answer_file_is_refused_with_every_problem()
    {
        await using var network = await TestNetwork.StartAsync();
        var nodes = await StartAsync(network, "NL", "SE", "FI");
        var (nl, se, fi) = (nodes[0], nodes[1], nodes[2]);
        var asked = await nl.Questions.AskQuestionAsync(new AskQuestionRequest { File = QuestionFile.Write(Question(DateTimeOffset.UtcNow.AddDays(3), QuestionRecipients.Only("SE"))) }, nl.Auth);
        var id = asked.Version.DocumentId;
        await HeldEverywhereAsync(nodes, id, 1);

        var notAsked = await Assert.ThrowsAsync<RpcException>(() => fi.Questions.AnswerQuestionAsync(new AnswerQuestionRequest { QuestionId = id, File = AnswerFile(id, true, "police", 1) }, fi.Auth).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, notAsked.StatusCode);
        Assert.Contains("not to FI", notAsked.Status.Detail, StringComparison.Ordinal);

        var bad = AnswerFile(id, true, "army", -5);
        var refused = await Assert.ThrowsAsync<RpcException>(() => se.Questions.AnswerQuestionAsync(new AnswerQuestionRequest { QuestionId = id, File = bad }, se.Auth).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("army", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("items[2]", refused.Status.Detail, StringComparison.Ordinal);

        var pastDeadline = await Assert.ThrowsAsync<RpcException>(() => nl.Questions.AskQuestionAsync(new AskQuestionRequest { File = QuestionFile.Write(Question(DateTimeOffset.UtcNow.AddDays(-1))) }, nl.Auth).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, pastDeadline.StatusCode);
        Assert.Contains("deadline", pastDeadline.Status.Detail, StringComparison.Ordinal);
    }
}

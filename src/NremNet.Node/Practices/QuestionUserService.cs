using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using NremNet.Contracts.Local.V1;
using NremNet.Contracts.Practices.V1;
using NremNet.Contracts.Referrals.V1;
using NremNet.Domain.Practices;
using NremNet.Domain.Questions;
using NremNet.Domain.Referrals;
using NremNet.Node.Audit;
using NremNet.Node.Membership;
using NremNet.Node.Peers;
using NremNet.Node.Users;
using Proto = NremNet.Contracts.Local.V1;

namespace NremNet.Node.Practices;

/// <summary>
/// <c>nremnet.local.v1.QuestionService</c>: network questions as this node's people use them. Every authenticated user
/// reads and compiles; rapporteurs ask and answer. An answer's items for the asker only are sealed for the asking node's
/// key: every node stores the ciphertext, only the asker opens it, and only the asker's compilation shows them.
/// </summary>
internal sealed class QuestionUserService(DocumentStore store, PeerCertificates peers, SnapshotState snapshots, TimeProvider time) : Proto.QuestionService.QuestionServiceBase
{
    [Authorize(Policy = UserApiAccess.AnyRole)]
    public override Task<CheckQuestionResponse> CheckQuestion(CheckQuestionRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var parsed = QuestionFile.Parse(request.File, time.GetUtcNow());
        var response = new CheckQuestionResponse();
        response.Problems.AddRange(parsed.Problems.Select(DocumentFeedback.ToProto));
        if (parsed.Value is { } question)
        {
            response.Findings.AddRange(PersonalDataGuard.Check(DocumentFeedback.FreeText(question)).Select(DocumentFeedback.ToProto));
        }

        return Task.FromResult(response);
    }

    [Authorize(Policy = UserApiAccess.Rapporteur)]
    public override async Task<AskQuestionResponse> AskQuestion(AskQuestionRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var parsed = QuestionFile.Parse(request.File, time.GetUtcNow());
        var problems = parsed.Problems.ToList();
        if (parsed.Value is { } read)
        {
            if (read.Id.Length > 0)
            {
                problems.Add(new Domain.Documents.DocumentProblem("id", "a new question has no id yet (this node gives it one)"));
            }

            if (read.AskingCountry.Length > 0 && read.AskingCountry != store.OwnCountry)
            {
                problems.Add(new Domain.Documents.DocumentProblem("asking_country", $"this node asks for {store.OwnCountry}, not {read.AskingCountry}"));
            }

            foreach (var country in read.Recipients.Countries.Where(c => snapshots.Member(c) is null || c == store.OwnCountry))
            {
                problems.Add(new Domain.Documents.DocumentProblem("recipients", country == store.OwnCountry ? "this node does not put a question to itself" : $"{country} is not an active member of the network"));
            }
        }

        DocumentFeedback.ThrowIfProblems("question file", problems);
        var question = parsed.Value!;
        var confirmed = DocumentFeedback.RequireConfirmed(PersonalDataGuard.Check(DocumentFeedback.FreeText(question)), request.ConfirmedFindings);
        var actor = context.Principal().Actor;
        var row = await PracticeUserService.Refusing(() => store.CreateOwnAsync("Q", id => (
            new OwnVersion(DocumentKind.Question, id, DocumentState.Published, QuestionFile.Write(question with { Id = id, AskingCountry = store.OwnCountry }), string.Empty),
            [new AuditItem(actor, "question.asked", id, "ok", new { title = question.Title, deadline = question.Deadline }), .. DocumentFeedback.Confirmations(actor, id, confirmed)]),
            context.CancellationToken)).ConfigureAwait(false);
        return new AskQuestionResponse { Version = row.ToProto(ownerInactive: false) };
    }

    [Authorize(Policy = UserApiAccess.AnyRole)]
    public override Task<ListQuestionsResponse> ListQuestions(ListQuestionsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ListAsync(request, context.CancellationToken);
    }

    /// <summary>The questions held, newest first, filtered as asked: what <c>ListQuestions</c> answers, for callers in this process (the web console).</summary>
    public async Task<ListQuestionsResponse> ListAsync(ListQuestionsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = new ListQuestionsResponse();
        foreach (var row in await store.DocumentsAsync(DocumentKind.Question, cancellationToken).ConfigureAwait(false))
        {
            var (summary, _, _) = await SummaryAsync(row, cancellationToken).ConfigureAwait(false);
            if ((!request.OpenOnly || summary.Status == QuestionStatus.Open)
                && (!request.AwaitingThisNode || (summary.ForThisNode && !summary.AnsweredByThisNode && summary.Status is QuestionStatus.Open or QuestionStatus.Closed)))
            {
                response.Questions.Add(summary);
            }
        }

        return response;
    }

    [Authorize(Policy = UserApiAccess.AnyRole)]
    public override async Task<GetQuestionResponse> GetQuestion(GetQuestionRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var row = await QuestionRowAsync(request.QuestionId, context.CancellationToken).ConfigureAwait(false);
        var (summary, question, answers) = await SummaryAsync(row, context.CancellationToken).ConfigureAwait(false);
        var response = new GetQuestionResponse { Summary = summary };
        if (question is null)
        {
            return response;
        }

        var current = await store.VersionAsync(row.DocumentId, row.Version, context.CancellationToken).ConfigureAwait(false);
        response.File = DocumentStore.TextOf(current!);
        var compiled = QuestionCompilation.Build(question, answers.Select(a => a.Answer), Recipients(question, answers), time.GetUtcNow());
        foreach (var country in compiled.Countries)
        {
            var status = new RecipientStatus { Country = country.Country, Status = country.Status.ToString().ToLowerInvariant() };
            if (answers.FirstOrDefault(a => a.Answer.AnsweringCountry == country.Country) is { } answer)
            {
                status.Answer = answer.Version.ToProto(store.IsInactive(country.Country));
            }

            response.Recipients.Add(status);
        }

        if (answers.FirstOrDefault(a => a.Answer.AnsweringCountry == store.OwnCountry) is { } own)
        {
            response.OwnAnswerFile = AnswerFile.Write(FullOwnAnswer(question, own));
        }

        return response;
    }

    [Authorize(Policy = UserApiAccess.Rapporteur)]
    public override async Task<AnswerQuestionResponse> AnswerQuestion(AnswerQuestionRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var row = await QuestionRowAsync(request.QuestionId, context.CancellationToken).ConfigureAwait(false);
        if (row.State != (int)DocumentState.Published)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"Question {row.DocumentId} was {((DocumentState)row.State).ToString().ToLowerInvariant()} by {row.OwnerCountry}; it takes no answers."));
        }

        var question = (await store.QuestionAsync(row.DocumentId, context.CancellationToken).ConfigureAwait(false))!;
        if (!question.IsAddressedTo(store.OwnCountry))
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, question.AskingCountry == store.OwnCountry
                ? $"{store.OwnCountry} asked question {question.Id}; it does not answer it."
                : $"Question {question.Id} is put to {string.Join(", ", question.Recipients.Countries)}, not to {store.OwnCountry}."));
        }

        var parsed = AnswerFile.Parse(request.File, question);
        var problems = parsed.Problems.ToList();
        if (parsed.Value is { } read && read.AnsweringCountry.Length > 0 && read.AnsweringCountry != store.OwnCountry)
        {
            problems.Add(new Domain.Documents.DocumentProblem("country", $"this node answers for {store.OwnCountry}, not {read.AnsweringCountry}"));
        }

        DocumentFeedback.ThrowIfProblems("answer file", problems);
        var answer = parsed.Value! with { AnsweringCountry = store.OwnCountry };
        var confirmed = DocumentFeedback.RequireConfirmed(PersonalDataGuard.Check(DocumentFeedback.FreeText(answer)), request.ConfirmedFindings);
        var id = AnswerId(question.Id, store.OwnCountry);
        ByteString? sealedForAsker = null, sealedForOwner = null;
        if (answer.HasAskerOnlyItems)
        {
            var (certificate, problem) = peers.For(question.AskingCountry);
            if (certificate is null)
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition, $"Items for the asker only are sealed for {question.AskingCountry}'s node, but {problem}. Answer them for the network or decline them."));
            }

            var items = new StringValue { Value = AnswerFile.Write(answer.ForAskerOnly()) };
            sealedForAsker = ReferralCrypto.Seal(items, certificate, Binding(id, question)).ToByteString();
            sealedForOwner = ReferralCrypto.Seal(items, peers.Own, Binding(id, question)).ToByteString();
        }

        var held = await store.DocumentAsync(id, context.CancellationToken).ConfigureAwait(false);
        if (held?.State == (int)DocumentState.Erased)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"This node's answer {id} to {question.Id} was erased; an erased document takes no new version."));
        }

        var actor = context.Principal().Actor;
        var version = await PracticeUserService.Refusing(() => store.WriteOwnAsync(
            new OwnVersion(DocumentKind.Answer, id, DocumentState.Published, AnswerFile.Write(answer.ForNetwork()), string.Empty, question.Id, question.AskingCountry, sealedForAsker, sealedForOwner),
            [new AuditItem(actor, "question.answered", id, "ok", new { question = question.Id, items = answer.Items.Count, askerOnly = answer.Items.Count(i => i.Dissemination == Dissemination.AskerOnly) }),
                .. DocumentFeedback.Confirmations(actor, id, confirmed)],
            context.CancellationToken)).ConfigureAwait(false);
        return new AnswerQuestionResponse { Version = version.ToProto(ownerInactive: false) };
    }

    [Authorize(Policy = UserApiAccess.AnyRole)]
    public override async Task<CompileQuestionResponse> CompileQuestion(CompileQuestionRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var row = await QuestionRowAsync(request.QuestionId, context.CancellationToken).ConfigureAwait(false);
        var question = await store.QuestionAsync(row.DocumentId, context.CancellationToken).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.FailedPrecondition, $"Question {row.DocumentId} was erased by {row.OwnerCountry}; there is nothing to compile."));
        var answers = await AnswersAsync(question, context.CancellationToken).ConfigureAwait(false);
        var readable = new List<QuestionAnswer>();
        var askerOnly = 0;
        foreach (var answer in answers)
        {
            if (question.AskingCountry == store.OwnCountry && answer.Sealed.Length > 0)
            {
                readable.Add(AnswerParts.Merge(question, answer.Answer, OpenSealed(question, answer)));
                askerOnly++;
            }
            else
            {
                readable.Add(answer.Answer);
            }
        }

        var compilation = QuestionCompilation.Build(question, readable, Recipients(question, answers), time.GetUtcNow());
        var (content, mediaType, extension) = request.Format switch
        {
            CompilationFormat.Csv => (compilation.ToCsv(), "text/csv", "csv"),
            CompilationFormat.Json => (compilation.ToJson(), "application/json", "json"),
            _ => (compilation.ToMarkdown(), "text/markdown", "md"),
        };
        return new CompileQuestionResponse { Content = content, MediaType = mediaType, FileName = $"{question.Id}-compilation.{extension}", Answers = readable.Count, AskerOnlyAnswers = askerOnly };
    }

    /// <summary>A country's answer held here: its network items, its sealed items (ciphertext), and its version.</summary>
    private sealed record HeldAnswer(QuestionAnswer Answer, byte[] Sealed, byte[] SealedForOwner, VersionRow Version);

    /// <summary>The answers held to <paramref name="question"/>: the current published version of each country's answer.</summary>
    private async Task<IReadOnlyList<HeldAnswer>> AnswersAsync(NetworkQuestion question, CancellationToken cancellationToken)
    {
        var answers = new List<HeldAnswer>();
        foreach (var row in await store.AnswersToAsync(question.Id, cancellationToken).ConfigureAwait(false))
        {
            if (row.State != (int)DocumentState.Published || answers.Any(a => a.Answer.AnsweringCountry == row.OwnerCountry))
            {
                continue;
            }

            var version = (await store.VersionAsync(row.DocumentId, row.Version, cancellationToken).ConfigureAwait(false))!;
            var envelope = DocumentStore.EnvelopeOf(version)!;
            if (AnswerParts.Parse(envelope.Content.ToStringUtf8(), question, wholeAnswer: envelope.SealedForAsker.IsEmpty).Value is { } answer && answer.AnsweringCountry == row.OwnerCountry)
            {
                answers.Add(new HeldAnswer(answer, envelope.SealedForAsker.ToByteArray(), envelope.SealedForOwner.ToByteArray(), version));
            }
        }

        return answers;
    }

    /// <summary>The asker-only items of an answer, opened with this node's key (it asked, or it answered).</summary>
    private QuestionAnswer OpenSealed(NetworkQuestion question, HeldAnswer answer, bool ownCopy = false)
    {
        var sealedItems = ownCopy ? answer.SealedForOwner : answer.Sealed;
        var text = ReferralCrypto.Open(SealedContent.Parser.ParseFrom(sealedItems), peers.Own, Binding(answer.Version.DocumentId, question), StringValue.Parser).Value;
        return AnswerParts.Parse(text, question, wholeAnswer: false).Value ?? throw new RpcException(new Status(StatusCode.DataLoss, $"The sealed items of {answer.Version.DocumentId} do not read as an answer."));
    }

    /// <summary>This node's own answer with its asker-only items (from the copy it sealed for itself).</summary>
    private QuestionAnswer FullOwnAnswer(NetworkQuestion question, HeldAnswer own) =>
        own.SealedForOwner.Length == 0 ? own.Answer : AnswerParts.Merge(question, own.Answer, OpenSealed(question, own, ownCopy: true));

    private IReadOnlyList<string> Recipients(NetworkQuestion question, IEnumerable<HeldAnswer> answers) =>
        question.RecipientCountries((snapshots.Current?.Members.Select(m => m.Country) ?? []).Concat(answers.Select(a => a.Answer.AnsweringCountry)));

    private async Task<(QuestionSummary Summary, NetworkQuestion? Question, IReadOnlyList<HeldAnswer> Answers)> SummaryAsync(DocumentRow row, CancellationToken cancellationToken)
    {
        var current = (await store.VersionAsync(row.DocumentId, row.Version, cancellationToken).ConfigureAwait(false))!;
        var summary = new QuestionSummary { Version = current.ToProto(store.IsInactive(row.OwnerCountry)), Title = row.Title };
        if (row.Deadline is { } deadline)
        {
            summary.Deadline = Timestamp.FromDateTimeOffset(deadline);
        }

        var question = row.State == (int)DocumentState.Erased ? null : await store.QuestionAsync(row.DocumentId, cancellationToken).ConfigureAwait(false);
        if (question is null)
        {
            summary.Status = QuestionStatus.Erased;
            return (summary, null, []);
        }

        var now = time.GetUtcNow();
        var answers = await AnswersAsync(question, cancellationToken).ConfigureAwait(false);
        summary.Status = row.State == (int)DocumentState.Withdrawn ? QuestionStatus.Withdrawn : question.IsOverdue(now) ? QuestionStatus.Closed : QuestionStatus.Open;
        summary.ForThisNode = question.IsAddressedTo(store.OwnCountry);
        summary.AnsweredByThisNode = answers.Any(a => a.Answer.AnsweringCountry == store.OwnCountry);
        summary.OverdueForThisNode = summary.ForThisNode && !summary.AnsweredByThisNode && question.IsOverdue(now);
        summary.Recipients = Recipients(question, answers).Count;
        summary.Answers = answers.Count;
        return (summary, question, answers);
    }

    private async Task<DocumentRow> QuestionRowAsync(string questionId, CancellationToken cancellationToken)
    {
        var id = questionId.Trim();
        if (!DocumentChecks.IsDocumentId(id))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"'{DocumentChecks.Shown(id)}' is not a question id (e.g. NL-Q-2026-0001)."));
        }

        var row = await store.DocumentAsync(id, cancellationToken).ConfigureAwait(false);
        return row is not null && row.Kind == (int)DocumentKind.Question
            ? row
            : throw new RpcException(new Status(StatusCode.NotFound, $"No question {id} is held on this node."));
    }

    /// <summary>The id of a country's answer to a question: one answer document per country, new versions for changes.</summary>
    public static string AnswerId(string questionId, string country) => $"{questionId}.{country}";

    /// <summary>What the sealed items are bound to: the answer, the question, who answered and who asked.</summary>
    private static byte[] Binding(string answerId, NetworkQuestion question) =>
        ReferralCrypto.Binding(answerId, question.Id, AnswerCountry(answerId), question.AskingCountry);

    private static string AnswerCountry(string answerId) => answerId[(answerId.LastIndexOf('.') + 1)..];
}

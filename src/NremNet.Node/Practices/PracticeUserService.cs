using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using NremNet.Contracts.Local.V1;
using NremNet.Contracts.Practices.V1;
using NremNet.Domain.Practices;
using NremNet.Node.Audit;
using NremNet.Node.Users;
using Proto = NremNet.Contracts.Local.V1;

namespace NremNet.Node.Practices;

/// <summary>
/// <c>nremnet.local.v1.PracticeService</c>: the practice library as this node's people use it. Every authenticated user
/// reads and searches; rapporteurs publish, edit, withdraw and erase this node's documents; the replication status is
/// for everyone, a pull on demand for rapporteurs and admins.
/// </summary>
internal sealed class PracticeUserService(DocumentStore store, DocumentReplication replication, IOptions<NodeOptions> options) : Proto.PracticeService.PracticeServiceBase
{
    private long MaxAttachmentBytes => options.Value.Practices.MaxAttachmentBytes;

    [Authorize(Policy = UserApiAccess.AnyRole)]
    public override Task<CheckPracticeResponse> CheckPractice(CheckPracticeRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var parsed = PracticeFile.Parse(request.File, MaxAttachmentBytes);
        var response = new CheckPracticeResponse();
        response.Problems.AddRange(parsed.Problems.Select(DocumentFeedback.ToProto));
        if (parsed.Value is { } practice)
        {
            response.Findings.AddRange(PersonalDataGuard.Check(PersonalDataGuard.FreeText(practice)).Select(DocumentFeedback.ToProto));
        }

        return Task.FromResult(response);
    }

    [Authorize(Policy = UserApiAccess.Rapporteur)]
    public override async Task<UploadAttachmentResponse> UploadAttachment(IAsyncStreamReader<UploadAttachmentRequest> requestStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(context);
        using var buffer = new MemoryStream();
        var name = string.Empty;
        await foreach (var chunk in requestStream.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
        {
            name = name.Length == 0 ? chunk.Name.Trim() : name;
            if (buffer.Length + chunk.Chunk.Length > MaxAttachmentBytes)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"The attachment is larger than this node's limit of {MaxAttachmentBytes:N0} bytes."));
            }

            chunk.Chunk.WriteTo(buffer);
        }

        var bytes = buffer.ToArray();
        var inspection = AttachmentCheck.Inspect(bytes, name.Length == 0 ? "attachment" : name, MaxAttachmentBytes);
        if (inspection.Refusal is not null || inspection.MediaType is null || inspection.Sha256 is null)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"The attachment '{DocumentChecks.Shown(name)}' is refused: {inspection.Problem}"));
        }

        await store.StoreAttachmentAsync(inspection.Sha256, inspection.MediaType, bytes, context.CancellationToken).ConfigureAwait(false);
        return new UploadAttachmentResponse { Sha256 = inspection.Sha256, MediaType = inspection.MediaType, Size = bytes.LongLength };
    }

    [Authorize(Policy = UserApiAccess.Rapporteur)]
    public override async Task<PublishPracticeResponse> PublishPractice(PublishPracticeRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var practice = await ReadAsync(request.File, expectedId: null, context.CancellationToken).ConfigureAwait(false);
        var confirmed = DocumentFeedback.RequireConfirmed(PersonalDataGuard.Check(PersonalDataGuard.FreeText(practice)), request.ConfirmedFindings);
        var actor = context.Principal().Actor;
        var row = await CreateAsync("PR", id => (
            new OwnVersion(DocumentKind.Practice, id, DocumentState.Published, PracticeFile.Write(practice with { Id = id }), string.Empty),
            [new AuditItem(actor, "practice.published", id, "ok", new { version = 1, title = practice.Title }), .. DocumentFeedback.Confirmations(actor, id, confirmed)]),
            context.CancellationToken).ConfigureAwait(false);
        return new PublishPracticeResponse { Version = row.ToProto(ownerInactive: false) };
    }

    [Authorize(Policy = UserApiAccess.Rapporteur)]
    public override async Task<EditPracticeResponse> EditPractice(EditPracticeRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var held = await OwnDocumentAsync(request.DocumentId, DocumentKind.Practice, context.CancellationToken).ConfigureAwait(false);
        if (held.State == (int)DocumentState.Erased)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"Practice {held.DocumentId} was erased; publish a new practice instead."));
        }

        if (request.BaseVersion != 0 && request.BaseVersion != held.Version)
        {
            throw new RpcException(new Status(StatusCode.Aborted, $"Practice {held.DocumentId} is at version {held.Version}, not {request.BaseVersion}: someone published a version since. Edit version {held.Version}."));
        }

        var practice = await ReadAsync(request.File, held.DocumentId, context.CancellationToken).ConfigureAwait(false);
        var confirmed = DocumentFeedback.RequireConfirmed(PersonalDataGuard.Check(PersonalDataGuard.FreeText(practice)), request.ConfirmedFindings);
        var actor = context.Principal().Actor;
        var row = await WriteAsync(
            new OwnVersion(DocumentKind.Practice, held.DocumentId, DocumentState.Published, PracticeFile.Write(practice with { Id = held.DocumentId }), string.Empty),
            [new AuditItem(actor, "practice.edited", held.DocumentId, "ok", new { version = held.Version + 1, title = practice.Title }), .. DocumentFeedback.Confirmations(actor, held.DocumentId, confirmed)],
            context.CancellationToken).ConfigureAwait(false);
        return new EditPracticeResponse { Version = row.ToProto(ownerInactive: false) };
    }

    [Authorize(Policy = UserApiAccess.Rapporteur)]
    public override async Task<WithdrawDocumentResponse> WithdrawDocument(WithdrawDocumentRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var reason = RequireReason(request.Reason, "withdrawal");
        var held = await OwnDocumentAsync(request.DocumentId, DocumentKind.Unspecified, context.CancellationToken).ConfigureAwait(false);
        if (held.State != (int)DocumentState.Published)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"{held.DocumentId} is {((DocumentState)held.State).ToString().ToLowerInvariant()} already."));
        }

        var current = DocumentStore.EnvelopeOf((await store.VersionAsync(held.DocumentId, held.Version, context.CancellationToken).ConfigureAwait(false))!)!;
        var row = await WriteAsync(
            new OwnVersion(current.Kind, held.DocumentId, DocumentState.Withdrawn, current.Content.ToStringUtf8(), reason, current.SubjectDocumentId, current.AskerCountry, current.SealedForAsker),
            [new AuditItem(context.Principal().Actor, "document.withdrawn", held.DocumentId, "ok", new { version = held.Version + 1, reason })],
            context.CancellationToken).ConfigureAwait(false);
        return new WithdrawDocumentResponse { Version = row.ToProto(ownerInactive: false) };
    }

    [Authorize(Policy = UserApiAccess.Rapporteur)]
    public override async Task<EraseDocumentResponse> EraseDocument(EraseDocumentRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var reason = RequireReason(request.Reason, "erasure");
        var held = await OwnDocumentAsync(request.DocumentId, DocumentKind.Unspecified, context.CancellationToken).ConfigureAwait(false);
        if (held.State == (int)DocumentState.Erased)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"{held.DocumentId} is erased already."));
        }

        var row = await WriteAsync(
            new OwnVersion((DocumentKind)held.Kind, held.DocumentId, DocumentState.Erased, string.Empty, reason, held.SubjectId,
                held.Kind == (int)DocumentKind.Answer ? (await store.QuestionAsync(held.SubjectId, context.CancellationToken).ConfigureAwait(false))?.AskingCountry ?? AskerOf(held.SubjectId) : string.Empty),
            [new AuditItem(context.Principal().Actor, "document.erased", held.DocumentId, "ok", new { version = held.Version + 1, reason })],
            context.CancellationToken).ConfigureAwait(false);
        return new EraseDocumentResponse { Version = row.ToProto(ownerInactive: false) };
    }

    [Authorize(Policy = UserApiAccess.AnyRole)]
    public override async Task<GetPracticeResponse> GetPractice(GetPracticeRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var held = await HeldAsync(request.DocumentId, DocumentKind.Practice, context.CancellationToken).ConfigureAwait(false);
        var number = request.Version == 0 ? held.Version : request.Version;
        var row = await store.VersionAsync(held.DocumentId, number, context.CancellationToken).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"Practice {held.DocumentId} has no version {number}; its versions are 1 to {held.Version}."));
        var text = DocumentStore.TextOf(row);
        var response = new GetPracticeResponse { Version = row.ToProto(store.IsInactive(row.OwnerCountry)), File = text, CurrentVersion = held.Version };
        if (text.Length > 0 && PracticeFile.Parse(text, MaxAttachmentBytes).Value is { } practice)
        {
            response.BodyHtml = PracticeMarkdown.ToHtml(practice.Body);
        }

        return response;
    }

    [Authorize(Policy = UserApiAccess.AnyRole)]
    public override async Task<GetDocumentHistoryResponse> GetDocumentHistory(GetDocumentHistoryRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var held = await HeldAsync(request.DocumentId, DocumentKind.Unspecified, context.CancellationToken).ConfigureAwait(false);
        var inactive = store.IsInactive(held.OwnerCountry);
        var response = new GetDocumentHistoryResponse();
        response.Versions.AddRange((await store.VersionsAsync(held.DocumentId, context.CancellationToken).ConfigureAwait(false)).Select(v => v.ToProto(inactive)));
        return response;
    }

    [Authorize(Policy = UserApiAccess.AnyRole)]
    public override Task<SearchPracticesResponse> SearchPractices(SearchPracticesRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        return store.SearchAsync(request, context.CancellationToken);
    }

    [Authorize(Policy = UserApiAccess.AnyRole)]
    public override async Task DownloadAttachment(DownloadAttachmentRequest request, IServerStreamWriter<DownloadAttachmentResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var held = await store.AttachmentAsync(request.Sha256.Trim().ToLowerInvariant(), context.CancellationToken).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"No attachment with SHA-256 '{DocumentChecks.Shown(request.Sha256)}' is held on this node (yet)."));
        await DocumentPeerService.WriteChunksAsync(held.Content, bytes => responseStream.WriteAsync(new DownloadAttachmentResponse { Chunk = bytes }, context.CancellationToken)).ConfigureAwait(false);
    }

    [Authorize(Policy = UserApiAccess.AnyRole)]
    public override Task<GetSyncStatusResponse> GetSyncStatus(GetSyncStatusRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return StatusAsync(context.CancellationToken);
    }

    [Authorize(Policy = UserApiAccess.RapporteurOrAdmin)]
    public override async Task<SyncNowResponse> SyncNow(SyncNowRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await replication.PullAllAsync(context.CancellationToken).ConfigureAwait(false);
        return new SyncNowResponse { Status = await StatusAsync(context.CancellationToken).ConfigureAwait(false) };
    }

    private async Task<GetSyncStatusResponse> StatusAsync(CancellationToken cancellationToken)
    {
        var (epoch, latest) = await store.HeadAsync(cancellationToken).ConfigureAwait(false);
        var (practices, questions, answers, missing) = await store.CountsAsync(cancellationToken).ConfigureAwait(false);
        var response = new GetSyncStatusResponse { Epoch = epoch, LatestSequence = latest, Practices = practices, Questions = questions, Answers = answers, MissingAttachments = missing };
        foreach (var peer in await store.PeerFeedsAsync(cancellationToken).ConfigureAwait(false))
        {
            response.Peers.Add(new PeerSync
            {
                Country = peer.Country,
                Epoch = peer.Epoch,
                Cursor = peer.Cursor,
                LatestKnown = Math.Max(peer.LatestKnown, peer.Cursor),
                Lag = Math.Max(0, peer.LatestKnown - peer.Cursor),
                LastSuccess = peer.LastSuccess is { } success ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(success) : null,
                LastAttempt = peer.LastAttempt is { } attempt ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(attempt) : null,
                LastError = peer.LastError,
                Refused = peer.Refused,
            });
        }

        return response;
    }

    /// <summary>Reads a practice file for publication: every problem at once; attachments must be uploaded here first.</summary>
    private async Task<Practice> ReadAsync(string file, string? expectedId, CancellationToken cancellationToken)
    {
        var parsed = PracticeFile.Parse(file, MaxAttachmentBytes);
        var problems = parsed.Problems.ToList();
        if (parsed.Value is { } practice)
        {
            if (expectedId is null && practice.Id.Length > 0)
            {
                problems.Add(new Domain.Documents.DocumentProblem("id", $"a new practice has no id yet (this node gives it one); to publish a new version of {practice.Id}, edit it"));
            }
            else if (expectedId is not null && practice.Id.Length > 0 && practice.Id != expectedId)
            {
                problems.Add(new Domain.Documents.DocumentProblem("id", $"the file is practice {practice.Id}, not {expectedId}"));
            }

            foreach (var attachment in practice.Attachments)
            {
                var held = await store.AttachmentAsync(attachment.Sha256, cancellationToken).ConfigureAwait(false);
                if (held is null)
                {
                    problems.Add(new Domain.Documents.DocumentProblem("attachments", $"'{attachment.Name}' ({attachment.Sha256[..Math.Min(12, attachment.Sha256.Length)]}…) is not on this node: upload it first (nremnet practice attach FILE)"));
                }
                else if (held.Value.Content.LongLength != attachment.Size || held.Value.MediaType != attachment.MediaType)
                {
                    problems.Add(new Domain.Documents.DocumentProblem("attachments", $"'{attachment.Name}' is {held.Value.MediaType}, {held.Value.Content.LongLength} bytes, not {attachment.MediaType}, {attachment.Size} bytes as the file says"));
                }
            }
        }

        DocumentFeedback.ThrowIfProblems("practice file", problems);
        return parsed.Value!;
    }

    private Task<VersionRow> WriteAsync(OwnVersion own, IReadOnlyList<AuditItem> audits, CancellationToken cancellationToken) =>
        Refusing(() => store.WriteOwnAsync(own, audits, cancellationToken));

    private Task<VersionRow> CreateAsync(string infix, Func<string, (OwnVersion, IReadOnlyList<AuditItem>)> build, CancellationToken cancellationToken) =>
        Refusing(() => store.CreateOwnAsync(infix, build, cancellationToken));

    /// <summary>Runs a write; the store's refusal (a version that cannot follow those held) is FAILED_PRECONDITION.</summary>
    public static async Task<VersionRow> Refusing(Func<Task<VersionRow>> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        try
        {
            return await write().ConfigureAwait(false);
        }
        catch (DocumentRefusedException ex)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, ex.Message));
        }
    }

    /// <summary>A document this node holds (of <paramref name="kind"/>, unless unspecified), or NOT_FOUND.</summary>
    private async Task<DocumentRow> HeldAsync(string documentId, DocumentKind kind, CancellationToken cancellationToken)
    {
        var id = documentId.Trim();
        if (!DocumentChecks.IsDocumentId(id))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"'{DocumentChecks.Shown(id)}' is not a document id (e.g. NL-PR-2026-0001)."));
        }

        var held = await store.DocumentAsync(id, cancellationToken).ConfigureAwait(false);
        return held is not null && (kind == DocumentKind.Unspecified || held.Kind == (int)kind)
            ? held
            : throw new RpcException(new Status(StatusCode.NotFound, $"No {(kind == DocumentKind.Unspecified ? "document" : kind.ToString().ToLowerInvariant())} {id} is held on this node."));
    }

    /// <summary>One of this node's own documents; another owner's is PERMISSION_DENIED.</summary>
    private async Task<DocumentRow> OwnDocumentAsync(string documentId, DocumentKind kind, CancellationToken cancellationToken)
    {
        var held = await HeldAsync(documentId, kind, cancellationToken).ConfigureAwait(false);
        return held.OwnerCountry == store.OwnCountry
            ? held
            : throw new RpcException(new Status(StatusCode.PermissionDenied, $"{held.DocumentId} belongs to {held.OwnerCountry}: only its owner publishes, withdraws or erases it."));
    }

    private static string RequireReason(string reason, string what)
    {
        var trimmed = reason.Trim();
        return trimmed.Length is > 0 and <= 2000
            ? trimmed
            : throw new RpcException(new Status(StatusCode.InvalidArgument, $"A {what} needs a reason of 1 to 2000 characters; readers see it."));
    }

    /// <summary>The asking country of a question id (its prefix), when the question itself is no longer held.</summary>
    private static string AskerOf(string questionId) => questionId.Length > 2 && questionId[2] == '-' ? questionId[..2] : string.Empty;
}

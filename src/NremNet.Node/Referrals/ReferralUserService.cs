using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Referrals;
using NremNet.Node.Users;
using Proto = NremNet.Contracts.Local.V1;

namespace NremNet.Node.Referrals;

/// <summary>
/// <c>nremnet.local.v1.ReferralService</c>: referrals as this node's referral officers work with them. The rules' refusals
/// are answered by <see cref="ReferralRefusals"/>.
/// </summary>
internal sealed class ReferralUserService(ReferralCommands commands, ReferralQueries queries, ReferralOutbox outbox, ReferralDelivery delivery) : Proto.ReferralService.ReferralServiceBase
{
    [Authorize(Policy = UserApiAccess.ReferralOfficer)]
    public override async Task<CreateDraftResponse> CreateDraft(CreateDraftRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var form = request.Form ?? throw new RpcException(new Status(StatusCode.InvalidArgument, "The request carries no form."));
        return new CreateDraftResponse { Referral = await commands.CreateDraftAsync(context.Principal(), form, context.CancellationToken).ConfigureAwait(false) };
    }

    [Authorize(Policy = UserApiAccess.ReferralOfficer)]
    public override async Task<SubmitReferralResponse> SubmitReferral(SubmitReferralRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        return new SubmitReferralResponse { Referral = await commands.SubmitAsync(context.Principal(), request.ReferralId.Trim(), context.CancellationToken).ConfigureAwait(false) };
    }

    [Authorize(Policy = UserApiAccess.ReferralOfficer)]
    public override Task<ListReferralsResponse> ListReferrals(ListReferralsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return queries.ListAsync(request, context.CancellationToken);
    }

    [Authorize(Policy = UserApiAccess.ReferralOfficer)]
    public override async Task<GetReferralResponse> GetReferral(GetReferralRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        return new GetReferralResponse { Referral = await queries.GetAsync(RequireId(request.ReferralId), withHistory: true, context.CancellationToken).ConfigureAwait(false) };
    }

    [Authorize(Policy = UserApiAccess.ReferralOfficer)]
    public override async Task<TransitionReferralResponse> TransitionReferral(TransitionReferralRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        return new TransitionReferralResponse { Referral = await commands.ChangeAsync(context.Principal(), request.ReferralId.Trim(), request.To, request.Reason, context.CancellationToken).ConfigureAwait(false) };
    }

    [Authorize(Policy = UserApiAccess.ReferralOfficer)]
    public override async Task<AddReferralNoteResponse> AddReferralNote(AddReferralNoteRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (referral, noteId) = await commands.AddNoteAsync(context.Principal(), request.ReferralId.Trim(), request.Text, context.CancellationToken).ConfigureAwait(false);
        return new AddReferralNoteResponse { Referral = referral, NoteId = noteId };
    }

    [Authorize(Policy = UserApiAccess.ReferralOfficer)]
    public override Task<ReadPersonalDataResponse> ReadPersonalData(ReadPersonalDataRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        return commands.ReadPersonalDataAsync(context.Principal(), request.ReferralId.Trim(), context.CancellationToken);
    }

    [Authorize(Policy = UserApiAccess.ReferralOfficerOrAdmin)]
    public override async Task<ListOutboxResponse> ListOutbox(ListOutboxRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (rows, total) = await outbox.ListAsync(request.PeerCountry.Trim().ToUpperInvariant(), context.CancellationToken).ConfigureAwait(false);
        var response = new ListOutboxResponse { Total = total };
        foreach (var row in rows)
        {
            response.Entries.Add(new OutboxEntry
            {
                MessageId = row.MessageId,
                ReferralId = row.ReferralId,
                PeerCountry = row.PeerCountry,
                Kind = row.Kind,
                Since = Timestamp.FromDateTimeOffset(row.CreatedAt),
                Attempts = row.Attempts,
                LastError = row.LastError,
                NextAttemptAt = Timestamp.FromDateTimeOffset(row.NextAttemptAt),
                Circuit = delivery.CircuitOf(row.PeerCountry),
            });
        }

        return response;
    }

    private static string RequireId(string id) =>
        Guid.TryParse(id.Trim(), out _) ? id.Trim() : throw ReferralRefusal.NotAReferralId(id).ToException();
}

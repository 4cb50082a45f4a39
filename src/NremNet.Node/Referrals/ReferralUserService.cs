using Google.Protobuf.WellKnownTypes;
using NremNet.Clients;
using NremNet.Contracts.Local.V1;
using NremNet.Node.UserApi;
using NremNet.Rpc;

namespace NremNet.Node.Referrals;

/// <summary><c>nremnet.local.v1.ReferralService</c>: referrals as this node's referral officers work with them.</summary>
internal sealed class ReferralUserService(ReferralStore store, ReferralDelivery delivery) : IRpcService
{
    public ServiceDefinition BindService() => ServiceBuilder.For(ReferralClient.Descriptor)
        .Unary(ReferralClient.CreateDraftMethod, async (request, context) =>
            new CreateDraftResponse { Referral = await store.CreateDraftAsync(context.Principal(), request.Form ?? throw new RpcException(StatusCode.InvalidArgument, "The request carries no form."), context.CancellationToken).ConfigureAwait(false) })
        .Unary(ReferralClient.SubmitReferralMethod, async (request, context) =>
            new SubmitReferralResponse { Referral = await store.SubmitAsync(context.Principal(), request.ReferralId.Trim(), context.CancellationToken).ConfigureAwait(false) })
        .Unary(ReferralClient.ListReferralsMethod, (request, context) => store.ListAsync(request, context.CancellationToken))
        .Unary(ReferralClient.GetReferralMethod, async (request, context) =>
            new GetReferralResponse { Referral = await store.GetAsync(RequireId(request.ReferralId), withHistory: true, context.CancellationToken).ConfigureAwait(false) })
        .Unary(ReferralClient.TransitionReferralMethod, async (request, context) =>
            new TransitionReferralResponse { Referral = await store.ChangeAsync(context.Principal(), request.ReferralId.Trim(), request.To, request.Reason, context.CancellationToken).ConfigureAwait(false) })
        .Unary(ReferralClient.AddReferralNoteMethod, async (request, context) =>
        {
            var (referral, noteId) = await store.AddNoteAsync(context.Principal(), request.ReferralId.Trim(), request.Text, context.CancellationToken).ConfigureAwait(false);
            return new AddReferralNoteResponse { Referral = referral, NoteId = noteId };
        })
        .Unary(ReferralClient.ReadPersonalDataMethod, (request, context) => store.ReadPersonalDataAsync(context.Principal(), request.ReferralId.Trim(), context.CancellationToken))
        .Unary(ReferralClient.ListOutboxMethod, ListOutbox)
        .Build();

    private static string RequireId(string id) =>
        Guid.TryParse(id.Trim(), out _) ? id.Trim() : throw new RpcException(StatusCode.InvalidArgument, $"'{id}' is not a referral id (a UUID such as 0193f3c4-...).");

    private async Task<ListOutboxResponse> ListOutbox(ListOutboxRequest request, ServerCallContext context)
    {
        var (rows, total) = await store.OutboxAsync(request.PeerCountry.Trim().ToUpperInvariant(), context.CancellationToken).ConfigureAwait(false);
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
}

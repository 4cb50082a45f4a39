using Grpc.Core;
using Microsoft.Extensions.Options;
using NremNet.Contracts.Referrals.V1;
using NremNet.Domain.Referrals;
using NremNet.Node.Audit;
using NremNet.Node.Peers;
using Proto = NremNet.Contracts.Referrals.V1;

namespace NremNet.Node.Referrals;

/// <summary>
/// <c>nremnet.referrals.v1.ReferralService</c>, the peer API for referrals. A message is accepted only from a partner
/// country, signed by that country's node as the directory lists it, addressed to this node, and of the kind the method
/// names; then it is applied once and in order, and answered with a signed receipt. Refusals are audited.
/// </summary>
internal sealed class ReferralPeerService(ReferralInbox inbox, PeerCertificates peers, AuditLog audit, IOptions<NodeOptions> options) : Proto.ReferralService.ReferralServiceBase
{
    /// <summary>The most messages one Exchange call may carry.</summary>
    public const int MaxExchangeMessages = 256;

    public override async Task<DeliverResponse> Deliver(DeliverRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new DeliverResponse { Receipt = await ReceiveAsync(request.Message, ReferralMessageKind.Submission, context).ConfigureAwait(false) };
    }

    public override async Task<AcknowledgeResponse> Acknowledge(AcknowledgeRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new AcknowledgeResponse { Receipt = await ReceiveAsync(request.Message, ReferralMessageKind.Acknowledgement, context).ConfigureAwait(false) };
    }

    public override async Task<ChangeStatusResponse> ChangeStatus(ChangeStatusRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new ChangeStatusResponse { Receipt = await ReceiveAsync(request.Message, ReferralMessageKind.StatusChange, context).ConfigureAwait(false) };
    }

    public override async Task<AddNoteResponse> AddNote(AddNoteRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new AddNoteResponse { Receipt = await ReceiveAsync(request.Message, ReferralMessageKind.Note, context).ConfigureAwait(false) };
    }

    /// <summary>Several messages at once: each checked and applied as through its own method, with its own result.</summary>
    public override async Task<ExchangeResponse> Exchange(ExchangeRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var caller = await CallerAsync(context).ConfigureAwait(false);
        if (request.Messages.Count is 0 or > MaxExchangeMessages)
        {
            await ThrowRefusedAsync(caller, context, ReferralRefusal.Invalid($"An exchange carries 1 to {MaxExchangeMessages} messages, this one {request.Messages.Count}.")).ConfigureAwait(false);
        }

        var checkedMessages = request.Messages.Select(m => Check(caller, m, ReferralMessageKind.Any)).ToList();
        var results = await inbox.ApplyAsync(caller, context.Method, checkedMessages, context.CancellationToken).ConfigureAwait(false);
        var response = new ExchangeResponse();
        foreach (var result in results)
        {
            response.Results.Add(result.Receipt is { } receipt
                ? new ExchangeResult { Receipt = receipt }
                : new ExchangeResult { Refusal = new Refusal { Code = (int)ReferralRefusals.StatusOf(result.Refusal!.Kind), Message = result.Refusal.Message } });
        }

        return response;
    }

    /// <summary>One message through its own method: its receipt, or its refusal thrown.</summary>
    private async Task<SignedReceipt> ReceiveAsync(SignedMessage? signed, ReferralMessageKind expected, ServerCallContext context)
    {
        var caller = await CallerAsync(context).ConfigureAwait(false);
        var result = (await inbox.ApplyAsync(caller, context.Method, [Check(caller, signed, expected)], context.CancellationToken).ConfigureAwait(false))[0];
        return result.Receipt ?? throw ReferralRefusals.ToRpcException(result.Refusal!);
    }

    /// <summary>The calling country, a referral partner of this node; anyone else is refused for the whole call.</summary>
    private async Task<string> CallerAsync(ServerCallContext context)
    {
        var caller = context.UserState.TryGetValue(PeerCallInterceptor.CountryKey, out var value) && value is string c
            ? c
            : throw new RpcException(new Status(StatusCode.Unauthenticated, "The caller is not an admitted member."));
        if (!options.Value.Referrals.IsPartner(caller))
        {
            await ThrowRefusedAsync(caller, context, ReferralRefusal.Forbidden($"{caller} is not a referral partner of this node.")).ConfigureAwait(false);
        }

        return caller;
    }

    /// <summary>Audits the refusal of a whole call, then throws it.</summary>
    private async Task ThrowRefusedAsync(string caller, ServerCallContext context, ReferralRefusal refusal)
    {
        await audit.AppendAsync("peer:" + caller, "referral.refused", context.Method, "denied", new { code = ReferralRefusals.AuditCode(refusal), reason = refusal.Message }, CancellationToken.None)
            .ConfigureAwait(false);
        throw ReferralRefusals.ToRpcException(refusal);
    }

    /// <summary>Every check of one message that needs no database: signature, addressing, kind. A failed check is the message's refusal.</summary>
    private IncomingMessage Check(string caller, SignedMessage? signed, ReferralMessageKind expected)
    {
        signed ??= new SignedMessage();
        var (certificate, problem) = peers.For(caller);
        try
        {
            return new IncomingMessage(signed, ReferralMessageChecks.Open(signed, caller, certificate, problem, peers.OwnCountry, expected), null);
        }
        catch (ReferralRefusedException ex)
        {
            return new IncomingMessage(signed, null, ex.Refusal);
        }
    }
}

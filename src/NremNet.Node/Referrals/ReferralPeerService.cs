using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Options;
using NremNet.Contracts.Referrals.V1;
using NremNet.Domain.Pki;
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
internal sealed class ReferralPeerService(ReferralStore store, PeerCertificates peers, AuditLog audit, IOptions<NodeOptions> options) : Proto.ReferralService.ReferralServiceBase
{
    /// <summary>The most messages one Exchange call may carry.</summary>
    public const int MaxExchangeMessages = 256;

    public override async Task<DeliverResponse> Deliver(DeliverRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new DeliverResponse { Receipt = await ReceiveAsync(request.Message, MessageKind.Submission, context).ConfigureAwait(false) };
    }

    public override async Task<AcknowledgeResponse> Acknowledge(AcknowledgeRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new AcknowledgeResponse { Receipt = await ReceiveAsync(request.Message, MessageKind.Acknowledgement, context).ConfigureAwait(false) };
    }

    public override async Task<ChangeStatusResponse> ChangeStatus(ChangeStatusRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new ChangeStatusResponse { Receipt = await ReceiveAsync(request.Message, MessageKind.StatusChange, context).ConfigureAwait(false) };
    }

    public override async Task<AddNoteResponse> AddNote(AddNoteRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new AddNoteResponse { Receipt = await ReceiveAsync(request.Message, MessageKind.Note, context).ConfigureAwait(false) };
    }

    /// <summary>Several messages at once: each checked and applied as through its own method, with its own result.</summary>
    public override async Task<ExchangeResponse> Exchange(ExchangeRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var caller = await CallerAsync(context).ConfigureAwait(false);
        if (request.Messages.Count is 0 or > MaxExchangeMessages)
        {
            await ThrowRefusedAsync(caller, context, new RpcException(new Status(StatusCode.InvalidArgument,
                $"An exchange carries 1 to {MaxExchangeMessages} messages, this one {request.Messages.Count}."))).ConfigureAwait(false);
        }

        var checkedMessages = request.Messages.Select(m => Check(caller, m, MessageKind.Any)).ToList();
        var results = await store.ApplyAsync(caller, context.Method, checkedMessages, context.CancellationToken).ConfigureAwait(false);
        var response = new ExchangeResponse();
        foreach (var result in results)
        {
            response.Results.Add(result.Receipt is { } receipt
                ? new ExchangeResult { Receipt = receipt }
                : new ExchangeResult { Refusal = new Refusal { Code = (int)result.Refusal!.StatusCode, Message = result.Refusal.Status.Detail } });
        }

        return response;
    }

    private enum MessageKind
    {
        Any,
        Submission,
        Acknowledgement,
        StatusChange,
        Note,
    }

    /// <summary>One message through its own method: its receipt, or its refusal thrown.</summary>
    private async Task<SignedReceipt> ReceiveAsync(SignedMessage? signed, MessageKind expected, ServerCallContext context)
    {
        var caller = await CallerAsync(context).ConfigureAwait(false);
        var result = (await store.ApplyAsync(caller, context.Method, [Check(caller, signed, expected)], context.CancellationToken).ConfigureAwait(false))[0];
        return result.Receipt ?? throw new RpcException(result.Refusal!.Status);
    }

    /// <summary>The calling country, a referral partner of this node; anyone else is refused for the whole call.</summary>
    private async Task<string> CallerAsync(ServerCallContext context)
    {
        var caller = context.UserState.TryGetValue(PeerCallInterceptor.CountryKey, out var value) && value is string c
            ? c
            : throw new RpcException(new Status(StatusCode.Unauthenticated, "The caller is not an admitted member."));
        if (!options.Value.Referrals.IsPartner(caller))
        {
            await ThrowRefusedAsync(caller, context, new RpcException(new Status(StatusCode.PermissionDenied, $"{caller} is not a referral partner of this node."))).ConfigureAwait(false);
        }

        return caller;
    }

    /// <summary>Audits the refusal of a whole call, then throws it.</summary>
    private async Task ThrowRefusedAsync(string caller, ServerCallContext context, RpcException refusal)
    {
        await audit.AppendAsync("peer:" + caller, "referral.refused", context.Method, "denied", new { code = refusal.StatusCode.ToString(), reason = refusal.Status.Detail }, CancellationToken.None)
            .ConfigureAwait(false);
        throw refusal;
    }

    /// <summary>Every check of one message that needs no database: signature, addressing, kind. A failed check is the message's refusal.</summary>
    private IncomingMessage Check(string caller, SignedMessage? signed, MessageKind expected)
    {
        signed ??= new SignedMessage();
        try
        {
            var message = Parse(caller, signed, expected);
            return new IncomingMessage(signed, message, null);
        }
        catch (RpcException ex)
        {
            return new IncomingMessage(signed, null, ex);
        }
    }

    private ReferralMessage Parse(string caller, SignedMessage signed, MessageKind expected)
    {
        if (signed.Message.IsEmpty)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "The request carries no signed message."));
        }

        var (certificate, problem) = peers.For(caller);
        if (certificate is null)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"The signature of {caller} cannot be checked: {problem}."));
        }

        if (!string.Equals(signed.SignerThumbprint, NetworkIdentity.Thumbprint(certificate), StringComparison.OrdinalIgnoreCase)
            || !ReferralCrypto.Verify(signed.Message.Span, signed.Signature.Span, certificate))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"The message is not signed by the node of {caller} as the directory lists it: it was altered or forged."));
        }

        ReferralMessage message;
        try
        {
            message = ReferralMessage.Parser.ParseFrom(signed.Message);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"The signed message is not a ReferralMessage: {ex.Message}"));
        }

        if (message.FromCountry != caller)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"The message says it comes from {message.FromCountry}, but {caller} sent it."));
        }

        if (message.ToCountry != peers.OwnCountry)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"The message is addressed to {message.ToCountry}, not to this node ({peers.OwnCountry})."));
        }

        if (!Guid.TryParse(message.MessageId, out _) || !Guid.TryParse(message.ReferralId, out _) || message.Sequence == 0 || message.CreatedAt is null)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "The message lacks a valid message id, referral id, sequence or creation time."));
        }

        var kind = message.BodyCase switch
        {
            ReferralMessage.BodyOneofCase.Submission => MessageKind.Submission,
            ReferralMessage.BodyOneofCase.Note => MessageKind.Note,
            ReferralMessage.BodyOneofCase.StatusChange when message.StatusChange.To == ReferralStatus.Acknowledged => MessageKind.Acknowledgement,
            ReferralMessage.BodyOneofCase.StatusChange => MessageKind.StatusChange,
            _ => throw new RpcException(new Status(StatusCode.InvalidArgument, "The message carries nothing (no submission, status change or note).")),
        };
        if (expected != MessageKind.Any && kind != expected)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"This method takes a {Describe(expected)}, the message is a {Describe(kind)}."));
        }

        return message;
    }

    private static string Describe(MessageKind kind) => kind switch
    {
        MessageKind.Submission => "submission",
        MessageKind.Acknowledgement => "acknowledgement",
        MessageKind.StatusChange => "status change",
        _ => "note",
    };
}

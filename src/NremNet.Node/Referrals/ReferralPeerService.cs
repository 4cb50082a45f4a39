using Google.Protobuf;
using Microsoft.Extensions.Options;
using NremNet.Clients;
using NremNet.Contracts.Referrals.V1;
using NremNet.Domain.Pki;
using NremNet.Domain.Referrals;
using NremNet.Node.Audit;
using NremNet.Node.Peers;
using NremNet.Rpc;

namespace NremNet.Node.Referrals;

/// <summary>
/// <c>nremnet.referrals.v1.ReferralService</c>, the peer API for referrals. A message is accepted only from a partner
/// country, signed by that country's node as the directory lists it, addressed to this node, and of the kind the method
/// names; then it is applied once and in order, and answered with a signed receipt. Refusals are audited.
/// </summary>
internal sealed class ReferralPeerService(ReferralStore store, PeerCertificates peers, AuditLog audit, IOptions<NodeOptions> options) : IRpcService
{
    public ServiceDefinition BindService() => ServiceBuilder.For(ReferralPeerClient.Descriptor)
        .Unary(ReferralPeerClient.DeliverMethod, async (DeliverRequest request, ServerCallContext context) =>
            new DeliverResponse { Receipt = await ReceiveAsync(request.Message, MessageKind.Submission, context).ConfigureAwait(false) })
        .Unary(ReferralPeerClient.AcknowledgeMethod, async (AcknowledgeRequest request, ServerCallContext context) =>
            new AcknowledgeResponse { Receipt = await ReceiveAsync(request.Message, MessageKind.Acknowledgement, context).ConfigureAwait(false) })
        .Unary(ReferralPeerClient.ChangeStatusMethod, async (ChangeStatusRequest request, ServerCallContext context) =>
            new ChangeStatusResponse { Receipt = await ReceiveAsync(request.Message, MessageKind.StatusChange, context).ConfigureAwait(false) })
        .Unary(ReferralPeerClient.AddNoteMethod, async (AddNoteRequest request, ServerCallContext context) =>
            new AddNoteResponse { Receipt = await ReceiveAsync(request.Message, MessageKind.Note, context).ConfigureAwait(false) })
        .Build();

    private enum MessageKind
    {
        Submission,
        Acknowledgement,
        StatusChange,
        Note,
    }

    private async Task<SignedReceipt> ReceiveAsync(SignedMessage? signed, MessageKind expected, ServerCallContext context)
    {
        var caller = context.UserState.TryGetValue(PeerCallInterceptor.CountryKey, out var value) && value is string c
            ? c
            : throw new RpcException(StatusCode.Unauthenticated, "The caller is not an admitted member.");
        try
        {
            var message = Check(caller, signed, expected);
            return await store.ApplyAsync(caller, signed!, message, context.CancellationToken).ConfigureAwait(false);
        }
        catch (RpcException ex) when (ex.StatusCode is not (StatusCode.Cancelled or StatusCode.DeadlineExceeded))
        {
            await audit.AppendAsync("peer:" + caller, "referral.refused", context.Method, "denied", new { code = ex.StatusCode.ToString(), reason = ex.Status.Detail }, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Every check that needs no database: partner, signature, addressing, kind.</summary>
    private ReferralMessage Check(string caller, SignedMessage? signed, MessageKind expected)
    {
        if (!options.Value.Referrals.IsPartner(caller))
        {
            throw new RpcException(StatusCode.PermissionDenied, $"{caller} is not a referral partner of this node.");
        }

        if (signed is null || signed.Message.IsEmpty)
        {
            throw new RpcException(StatusCode.InvalidArgument, "The request carries no signed message.");
        }

        var (certificate, problem) = peers.For(caller);
        if (certificate is null)
        {
            throw new RpcException(StatusCode.PermissionDenied, $"The signature of {caller} cannot be checked: {problem}.");
        }

        if (!string.Equals(signed.SignerThumbprint, NetworkIdentity.Thumbprint(certificate), StringComparison.OrdinalIgnoreCase)
            || !ReferralCrypto.Verify(signed.Message.Span, signed.Signature.Span, certificate))
        {
            throw new RpcException(StatusCode.PermissionDenied, $"The message is not signed by the node of {caller} as the directory lists it: it was altered or forged.");
        }

        ReferralMessage message;
        try
        {
            message = ReferralMessage.Parser.ParseFrom(signed.Message);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new RpcException(StatusCode.InvalidArgument, $"The signed message is not a ReferralMessage: {ex.Message}");
        }

        if (message.FromCountry != caller)
        {
            throw new RpcException(StatusCode.PermissionDenied, $"The message says it comes from {message.FromCountry}, but {caller} sent it.");
        }

        if (message.ToCountry != peers.OwnCountry)
        {
            throw new RpcException(StatusCode.PermissionDenied, $"The message is addressed to {message.ToCountry}, not to this node ({peers.OwnCountry}).");
        }

        if (!Guid.TryParse(message.MessageId, out _) || !Guid.TryParse(message.ReferralId, out _) || message.Sequence == 0 || message.CreatedAt is null)
        {
            throw new RpcException(StatusCode.InvalidArgument, "The message lacks a valid message id, referral id, sequence or creation time.");
        }

        var kind = message.BodyCase switch
        {
            ReferralMessage.BodyOneofCase.Submission => MessageKind.Submission,
            ReferralMessage.BodyOneofCase.Note => MessageKind.Note,
            ReferralMessage.BodyOneofCase.StatusChange when message.StatusChange.To == ReferralStatus.Acknowledged => MessageKind.Acknowledgement,
            ReferralMessage.BodyOneofCase.StatusChange => MessageKind.StatusChange,
            _ => throw new RpcException(StatusCode.InvalidArgument, "The message carries nothing (no submission, status change or note)."),
        };
        if (kind != expected)
        {
            throw new RpcException(StatusCode.InvalidArgument, $"This method takes a {Describe(expected)}, the message is a {Describe(kind)}.");
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

using NremNet.Contracts.Referrals.V1;
using Google.Protobuf.Reflection;
using NremNet.Rpc;

namespace NremNet.Clients;

/// <summary>A typed client of <c>nremnet.referrals.v1.ReferralService</c> (peer API): delivery of signed referral messages.</summary>
public sealed class ReferralPeerClient : ClientBase
{
    /// <summary>The service's descriptor.</summary>
    public static readonly ServiceDescriptor Descriptor = ReferralsReflection.Descriptor.FindTypeByName<ServiceDescriptor>("ReferralService");

    /// <summary>ReferralService/Deliver.</summary>
    public static readonly Method<DeliverRequest, DeliverResponse> DeliverMethod = Method.FromDescriptor<DeliverRequest, DeliverResponse>(Descriptor, "Deliver");

    /// <summary>ReferralService/Acknowledge.</summary>
    public static readonly Method<AcknowledgeRequest, AcknowledgeResponse> AcknowledgeMethod = Method.FromDescriptor<AcknowledgeRequest, AcknowledgeResponse>(Descriptor, "Acknowledge");

    /// <summary>ReferralService/ChangeStatus.</summary>
    public static readonly Method<ChangeStatusRequest, ChangeStatusResponse> ChangeStatusMethod = Method.FromDescriptor<ChangeStatusRequest, ChangeStatusResponse>(Descriptor, "ChangeStatus");

    /// <summary>ReferralService/AddNote.</summary>
    public static readonly Method<AddNoteRequest, AddNoteResponse> AddNoteMethod = Method.FromDescriptor<AddNoteRequest, AddNoteResponse>(Descriptor, "AddNote");

    /// <summary>ReferralService/Exchange.</summary>
    public static readonly Method<ExchangeRequest, ExchangeResponse> ExchangeMethod = Method.FromDescriptor<ExchangeRequest, ExchangeResponse>(Descriptor, "Exchange");

    /// <summary>Creates a client over an invoker.</summary>
    public ReferralPeerClient(CallInvoker callInvoker)
        : base(callInvoker)
    {
    }

    /// <summary>Creates a client over a channel.</summary>
    public ReferralPeerClient(RpcChannel channel)
        : base(channel)
    {
    }

    /// <summary>Calls Deliver.</summary>
    public AsyncUnaryCall<DeliverResponse> DeliverAsync(DeliverRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(DeliverMethod, null, options, request);

    /// <summary>Calls Acknowledge.</summary>
    public AsyncUnaryCall<AcknowledgeResponse> AcknowledgeAsync(AcknowledgeRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(AcknowledgeMethod, null, options, request);

    /// <summary>Calls ChangeStatus.</summary>
    public AsyncUnaryCall<ChangeStatusResponse> ChangeStatusAsync(ChangeStatusRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(ChangeStatusMethod, null, options, request);

    /// <summary>Calls AddNote.</summary>
    public AsyncUnaryCall<AddNoteResponse> AddNoteAsync(AddNoteRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(AddNoteMethod, null, options, request);

    /// <summary>Calls Exchange.</summary>
    public AsyncUnaryCall<ExchangeResponse> ExchangeAsync(ExchangeRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(ExchangeMethod, null, options, request);
}

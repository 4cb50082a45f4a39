using NremNet.Contracts.Local.V1;
using Google.Protobuf.Reflection;
using NremNet.Rpc;

namespace NremNet.Clients;

/// <summary>A typed client of <c>AgreementService</c> (user API): sharing agreements with peer countries.</summary>
public sealed class AgreementClient : ClientBase
{
    /// <summary>The service's descriptor.</summary>
    public static readonly ServiceDescriptor Descriptor = StatisticsReflection.Descriptor.FindTypeByName<ServiceDescriptor>("AgreementService");

    /// <summary>AgreementService/ListAgreements.</summary>
    public static readonly Method<ListAgreementsRequest, ListAgreementsResponse> ListAgreementsMethod = Method.FromDescriptor<ListAgreementsRequest, ListAgreementsResponse>(Descriptor, "ListAgreements");

    /// <summary>AgreementService/SetAgreement.</summary>
    public static readonly Method<SetAgreementRequest, SetAgreementResponse> SetAgreementMethod = Method.FromDescriptor<SetAgreementRequest, SetAgreementResponse>(Descriptor, "SetAgreement");

    /// <summary>AgreementService/RemoveAgreement.</summary>
    public static readonly Method<RemoveAgreementRequest, RemoveAgreementResponse> RemoveAgreementMethod = Method.FromDescriptor<RemoveAgreementRequest, RemoveAgreementResponse>(Descriptor, "RemoveAgreement");

    /// <summary>Creates a client over an invoker.</summary>
    public AgreementClient(CallInvoker callInvoker)
        : base(callInvoker)
    {
    }

    /// <summary>Creates a client over a channel.</summary>
    public AgreementClient(RpcChannel channel)
        : base(channel)
    {
    }

    /// <summary>Calls ListAgreements.</summary>
    public AsyncUnaryCall<ListAgreementsResponse> ListAgreementsAsync(ListAgreementsRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(ListAgreementsMethod, null, options, request);

    /// <summary>Calls SetAgreement.</summary>
    public AsyncUnaryCall<SetAgreementResponse> SetAgreementAsync(SetAgreementRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(SetAgreementMethod, null, options, request);

    /// <summary>Calls RemoveAgreement.</summary>
    public AsyncUnaryCall<RemoveAgreementResponse> RemoveAgreementAsync(RemoveAgreementRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(RemoveAgreementMethod, null, options, request);
}

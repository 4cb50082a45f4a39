using Google.Protobuf.Reflection;
using NremNet.Contracts.Local.V1;
using NremNet.Rpc;

namespace NremNet.Clients;

/// <summary>A typed client of <c>AuditService</c>.</summary>
public sealed class AuditClient : ClientBase
{
    /// <summary>The service's descriptor.</summary>
    public static readonly ServiceDescriptor Descriptor = LocalReflection.Descriptor.FindTypeByName<ServiceDescriptor>("AuditService");

    /// <summary>AuditService/ListAuditEntries.</summary>
    public static readonly Method<ListAuditEntriesRequest, ListAuditEntriesResponse> ListAuditEntriesMethod = Method.FromDescriptor<ListAuditEntriesRequest, ListAuditEntriesResponse>(Descriptor, "ListAuditEntries");

    /// <summary>AuditService/VerifyAudit.</summary>
    public static readonly Method<VerifyAuditRequest, VerifyAuditResponse> VerifyAuditMethod = Method.FromDescriptor<VerifyAuditRequest, VerifyAuditResponse>(Descriptor, "VerifyAudit");
    /// <summary>Creates a client over an invoker.</summary>
    public AuditClient(CallInvoker callInvoker)
        : base(callInvoker)
    {
    }

    /// <summary>Creates a client over a channel.</summary>
    public AuditClient(RpcChannel channel)
        : base(channel)
    {
    }

    /// <summary>Calls ListAuditEntries.</summary>
    public AsyncUnaryCall<ListAuditEntriesResponse> ListAuditEntriesAsync(ListAuditEntriesRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(ListAuditEntriesMethod, null, options, request);

    /// <summary>Calls VerifyAudit.</summary>
    public AsyncUnaryCall<VerifyAuditResponse> VerifyAuditAsync(VerifyAuditRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(VerifyAuditMethod, null, options, request);
}

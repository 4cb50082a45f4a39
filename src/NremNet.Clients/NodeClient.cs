using Google.Protobuf.Reflection;
using NremNet.Contracts.Local.V1;
using NremNet.Rpc;

namespace NremNet.Clients;

/// <summary>A typed client of <c>NodeService</c>.</summary>
public sealed class NodeClient : ClientBase
{
    /// <summary>The service's descriptor.</summary>
    public static readonly ServiceDescriptor Descriptor = LocalReflection.Descriptor.FindTypeByName<ServiceDescriptor>("NodeService");

    /// <summary>NodeService/GetNodeStatus.</summary>
    public static readonly Method<GetNodeStatusRequest, GetNodeStatusResponse> GetNodeStatusMethod = Method.FromDescriptor<GetNodeStatusRequest, GetNodeStatusResponse>(Descriptor, "GetNodeStatus");
    /// <summary>Creates a client over an invoker.</summary>
    public NodeClient(CallInvoker callInvoker)
        : base(callInvoker)
    {
    }

    /// <summary>Creates a client over a channel.</summary>
    public NodeClient(RpcChannel channel)
        : base(channel)
    {
    }

    /// <summary>Calls GetNodeStatus.</summary>
    public AsyncUnaryCall<GetNodeStatusResponse> GetNodeStatusAsync(GetNodeStatusRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(GetNodeStatusMethod, null, options, request);
}

using Google.Protobuf.Reflection;
using NremNet.Contracts.Federation.V1;
using NremNet.Rpc;

namespace NremNet.Clients;

/// <summary>A typed client of <c>FederationService</c>.</summary>
public sealed class FederationClient : ClientBase
{
    /// <summary>The service's descriptor.</summary>
    public static readonly ServiceDescriptor Descriptor = FederationReflection.Descriptor.FindTypeByName<ServiceDescriptor>("FederationService");

    /// <summary>FederationService/Hello.</summary>
    public static readonly Method<HelloRequest, HelloResponse> HelloMethod = Method.FromDescriptor<HelloRequest, HelloResponse>(Descriptor, "Hello");
    /// <summary>Creates a client over an invoker.</summary>
    public FederationClient(CallInvoker callInvoker)
        : base(callInvoker)
    {
    }

    /// <summary>Creates a client over a channel.</summary>
    public FederationClient(RpcChannel channel)
        : base(channel)
    {
    }

    /// <summary>Calls Hello.</summary>
    public AsyncUnaryCall<HelloResponse> HelloAsync(HelloRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(HelloMethod, null, options, request);
}

using Google.Protobuf.Reflection;
using NremNet.Contracts.Local.V1;
using NremNet.Rpc;

namespace NremNet.Clients;

/// <summary>A typed client of <c>SessionService</c>.</summary>
public sealed class SessionClient : ClientBase
{
    /// <summary>The service's descriptor.</summary>
    public static readonly ServiceDescriptor Descriptor = LocalReflection.Descriptor.FindTypeByName<ServiceDescriptor>("SessionService");

    /// <summary>SessionService/Login.</summary>
    public static readonly Method<LoginRequest, LoginResponse> LoginMethod = Method.FromDescriptor<LoginRequest, LoginResponse>(Descriptor, "Login");

    /// <summary>SessionService/WhoAmI.</summary>
    public static readonly Method<WhoAmIRequest, WhoAmIResponse> WhoAmIMethod = Method.FromDescriptor<WhoAmIRequest, WhoAmIResponse>(Descriptor, "WhoAmI");
    /// <summary>Creates a client over an invoker.</summary>
    public SessionClient(CallInvoker callInvoker)
        : base(callInvoker)
    {
    }

    /// <summary>Creates a client over a channel.</summary>
    public SessionClient(RpcChannel channel)
        : base(channel)
    {
    }

    /// <summary>Calls Login.</summary>
    public AsyncUnaryCall<LoginResponse> LoginAsync(LoginRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(LoginMethod, null, options, request);

    /// <summary>Calls WhoAmI.</summary>
    public AsyncUnaryCall<WhoAmIResponse> WhoAmIAsync(WhoAmIRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(WhoAmIMethod, null, options, request);
}

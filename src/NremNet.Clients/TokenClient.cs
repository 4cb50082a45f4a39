using Google.Protobuf.Reflection;
using NremNet.Contracts.Local.V1;
using NremNet.Rpc;

namespace NremNet.Clients;

/// <summary>A typed client of <c>TokenService</c>.</summary>
public sealed class TokenClient : ClientBase
{
    /// <summary>The service's descriptor.</summary>
    public static readonly ServiceDescriptor Descriptor = LocalReflection.Descriptor.FindTypeByName<ServiceDescriptor>("TokenService");

    /// <summary>TokenService/CreateToken.</summary>
    public static readonly Method<CreateTokenRequest, CreateTokenResponse> CreateTokenMethod = Method.FromDescriptor<CreateTokenRequest, CreateTokenResponse>(Descriptor, "CreateToken");

    /// <summary>TokenService/ListTokens.</summary>
    public static readonly Method<ListTokensRequest, ListTokensResponse> ListTokensMethod = Method.FromDescriptor<ListTokensRequest, ListTokensResponse>(Descriptor, "ListTokens");

    /// <summary>TokenService/RevokeToken.</summary>
    public static readonly Method<RevokeTokenRequest, RevokeTokenResponse> RevokeTokenMethod = Method.FromDescriptor<RevokeTokenRequest, RevokeTokenResponse>(Descriptor, "RevokeToken");
    /// <summary>Creates a client over an invoker.</summary>
    public TokenClient(CallInvoker callInvoker)
        : base(callInvoker)
    {
    }

    /// <summary>Creates a client over a channel.</summary>
    public TokenClient(RpcChannel channel)
        : base(channel)
    {
    }

    /// <summary>Calls CreateToken.</summary>
    public AsyncUnaryCall<CreateTokenResponse> CreateTokenAsync(CreateTokenRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(CreateTokenMethod, null, options, request);

    /// <summary>Calls ListTokens.</summary>
    public AsyncUnaryCall<ListTokensResponse> ListTokensAsync(ListTokensRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(ListTokensMethod, null, options, request);

    /// <summary>Calls RevokeToken.</summary>
    public AsyncUnaryCall<RevokeTokenResponse> RevokeTokenAsync(RevokeTokenRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(RevokeTokenMethod, null, options, request);
}

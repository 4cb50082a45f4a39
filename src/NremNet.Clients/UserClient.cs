using Google.Protobuf.Reflection;
using NremNet.Contracts.Local.V1;
using NremNet.Rpc;

namespace NremNet.Clients;

/// <summary>A typed client of <c>UserService</c>.</summary>
public sealed class UserClient : ClientBase
{
    /// <summary>The service's descriptor.</summary>
    public static readonly ServiceDescriptor Descriptor = LocalReflection.Descriptor.FindTypeByName<ServiceDescriptor>("UserService");

    /// <summary>UserService/AddUser.</summary>
    public static readonly Method<AddUserRequest, AddUserResponse> AddUserMethod = Method.FromDescriptor<AddUserRequest, AddUserResponse>(Descriptor, "AddUser");

    /// <summary>UserService/ListUsers.</summary>
    public static readonly Method<ListUsersRequest, ListUsersResponse> ListUsersMethod = Method.FromDescriptor<ListUsersRequest, ListUsersResponse>(Descriptor, "ListUsers");

    /// <summary>UserService/DisableUser.</summary>
    public static readonly Method<DisableUserRequest, DisableUserResponse> DisableUserMethod = Method.FromDescriptor<DisableUserRequest, DisableUserResponse>(Descriptor, "DisableUser");

    /// <summary>UserService/EnableUser.</summary>
    public static readonly Method<EnableUserRequest, EnableUserResponse> EnableUserMethod = Method.FromDescriptor<EnableUserRequest, EnableUserResponse>(Descriptor, "EnableUser");
    /// <summary>Creates a client over an invoker.</summary>
    public UserClient(CallInvoker callInvoker)
        : base(callInvoker)
    {
    }

    /// <summary>Creates a client over a channel.</summary>
    public UserClient(RpcChannel channel)
        : base(channel)
    {
    }

    /// <summary>Calls AddUser.</summary>
    public AsyncUnaryCall<AddUserResponse> AddUserAsync(AddUserRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(AddUserMethod, null, options, request);

    /// <summary>Calls ListUsers.</summary>
    public AsyncUnaryCall<ListUsersResponse> ListUsersAsync(ListUsersRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(ListUsersMethod, null, options, request);

    /// <summary>Calls DisableUser.</summary>
    public AsyncUnaryCall<DisableUserResponse> DisableUserAsync(DisableUserRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(DisableUserMethod, null, options, request);

    /// <summary>Calls EnableUser.</summary>
    public AsyncUnaryCall<EnableUserResponse> EnableUserAsync(EnableUserRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(EnableUserMethod, null, options, request);
}

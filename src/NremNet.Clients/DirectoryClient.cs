using Google.Protobuf.Reflection;
using NremNet.Contracts.Directory.V1;
using NremNet.Rpc;

namespace NremNet.Clients;

/// <summary>A typed client of <c>DirectoryService</c>.</summary>
public sealed class DirectoryClient : ClientBase
{
    /// <summary>The service's descriptor.</summary>
    public static readonly ServiceDescriptor Descriptor = DirectoryReflection.Descriptor.FindTypeByName<ServiceDescriptor>("DirectoryService");

    /// <summary>DirectoryService/Register.</summary>
    public static readonly Method<RegisterRequest, RegisterResponse> RegisterMethod = Method.FromDescriptor<RegisterRequest, RegisterResponse>(Descriptor, "Register");

    /// <summary>DirectoryService/Heartbeat.</summary>
    public static readonly Method<HeartbeatRequest, HeartbeatResponse> HeartbeatMethod = Method.FromDescriptor<HeartbeatRequest, HeartbeatResponse>(Descriptor, "Heartbeat");

    /// <summary>DirectoryService/ApproveMember.</summary>
    public static readonly Method<ApproveMemberRequest, ApproveMemberResponse> ApproveMemberMethod = Method.FromDescriptor<ApproveMemberRequest, ApproveMemberResponse>(Descriptor, "ApproveMember");

    /// <summary>DirectoryService/SuspendMember.</summary>
    public static readonly Method<SuspendMemberRequest, SuspendMemberResponse> SuspendMemberMethod = Method.FromDescriptor<SuspendMemberRequest, SuspendMemberResponse>(Descriptor, "SuspendMember");

    /// <summary>DirectoryService/RemoveMember.</summary>
    public static readonly Method<RemoveMemberRequest, RemoveMemberResponse> RemoveMemberMethod = Method.FromDescriptor<RemoveMemberRequest, RemoveMemberResponse>(Descriptor, "RemoveMember");

    /// <summary>DirectoryService/ListMembers.</summary>
    public static readonly Method<ListMembersRequest, ListMembersResponse> ListMembersMethod = Method.FromDescriptor<ListMembersRequest, ListMembersResponse>(Descriptor, "ListMembers");

    /// <summary>DirectoryService/GetSnapshot.</summary>
    public static readonly Method<GetSnapshotRequest, GetSnapshotResponse> GetSnapshotMethod = Method.FromDescriptor<GetSnapshotRequest, GetSnapshotResponse>(Descriptor, "GetSnapshot");

    /// <summary>DirectoryService/WatchSnapshot.</summary>
    public static readonly Method<WatchSnapshotRequest, WatchSnapshotResponse> WatchSnapshotMethod = Method.FromDescriptor<WatchSnapshotRequest, WatchSnapshotResponse>(Descriptor, "WatchSnapshot");
    /// <summary>Creates a client over an invoker.</summary>
    public DirectoryClient(CallInvoker callInvoker)
        : base(callInvoker)
    {
    }

    /// <summary>Creates a client over a channel.</summary>
    public DirectoryClient(RpcChannel channel)
        : base(channel)
    {
    }

    /// <summary>Calls Register.</summary>
    public AsyncUnaryCall<RegisterResponse> RegisterAsync(RegisterRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(RegisterMethod, null, options, request);

    /// <summary>Calls Heartbeat.</summary>
    public AsyncUnaryCall<HeartbeatResponse> HeartbeatAsync(HeartbeatRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(HeartbeatMethod, null, options, request);

    /// <summary>Calls ApproveMember.</summary>
    public AsyncUnaryCall<ApproveMemberResponse> ApproveMemberAsync(ApproveMemberRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(ApproveMemberMethod, null, options, request);

    /// <summary>Calls SuspendMember.</summary>
    public AsyncUnaryCall<SuspendMemberResponse> SuspendMemberAsync(SuspendMemberRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(SuspendMemberMethod, null, options, request);

    /// <summary>Calls RemoveMember.</summary>
    public AsyncUnaryCall<RemoveMemberResponse> RemoveMemberAsync(RemoveMemberRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(RemoveMemberMethod, null, options, request);

    /// <summary>Calls ListMembers.</summary>
    public AsyncUnaryCall<ListMembersResponse> ListMembersAsync(ListMembersRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(ListMembersMethod, null, options, request);

    /// <summary>Calls GetSnapshot.</summary>
    public AsyncUnaryCall<GetSnapshotResponse> GetSnapshotAsync(GetSnapshotRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(GetSnapshotMethod, null, options, request);

    /// <summary>Calls WatchSnapshot (a stream of responses).</summary>
    public AsyncServerStreamingCall<WatchSnapshotResponse> WatchSnapshot(WatchSnapshotRequest request, CallOptions options = default) =>
        CallInvoker.AsyncServerStreamingCall(WatchSnapshotMethod, null, options, request);
}

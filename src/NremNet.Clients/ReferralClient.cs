using NremNet.Contracts.Local.V1;
using Google.Protobuf.Reflection;
using NremNet.Rpc;

namespace NremNet.Clients;

/// <summary>A typed client of <c>nremnet.local.v1.ReferralService</c> (user API): a referral officer's referrals.</summary>
public sealed class ReferralClient : ClientBase
{
    /// <summary>The service's descriptor.</summary>
    public static readonly ServiceDescriptor Descriptor = ReferralsReflection.Descriptor.FindTypeByName<ServiceDescriptor>("ReferralService");

    /// <summary>ReferralService/CreateDraft.</summary>
    public static readonly Method<CreateDraftRequest, CreateDraftResponse> CreateDraftMethod = Method.FromDescriptor<CreateDraftRequest, CreateDraftResponse>(Descriptor, "CreateDraft");

    /// <summary>ReferralService/SubmitReferral.</summary>
    public static readonly Method<SubmitReferralRequest, SubmitReferralResponse> SubmitReferralMethod = Method.FromDescriptor<SubmitReferralRequest, SubmitReferralResponse>(Descriptor, "SubmitReferral");

    /// <summary>ReferralService/ListReferrals.</summary>
    public static readonly Method<ListReferralsRequest, ListReferralsResponse> ListReferralsMethod = Method.FromDescriptor<ListReferralsRequest, ListReferralsResponse>(Descriptor, "ListReferrals");

    /// <summary>ReferralService/GetReferral.</summary>
    public static readonly Method<GetReferralRequest, GetReferralResponse> GetReferralMethod = Method.FromDescriptor<GetReferralRequest, GetReferralResponse>(Descriptor, "GetReferral");

    /// <summary>ReferralService/TransitionReferral.</summary>
    public static readonly Method<TransitionReferralRequest, TransitionReferralResponse> TransitionReferralMethod = Method.FromDescriptor<TransitionReferralRequest, TransitionReferralResponse>(Descriptor, "TransitionReferral");

    /// <summary>ReferralService/AddReferralNote.</summary>
    public static readonly Method<AddReferralNoteRequest, AddReferralNoteResponse> AddReferralNoteMethod = Method.FromDescriptor<AddReferralNoteRequest, AddReferralNoteResponse>(Descriptor, "AddReferralNote");

    /// <summary>ReferralService/ReadPersonalData.</summary>
    public static readonly Method<ReadPersonalDataRequest, ReadPersonalDataResponse> ReadPersonalDataMethod = Method.FromDescriptor<ReadPersonalDataRequest, ReadPersonalDataResponse>(Descriptor, "ReadPersonalData");

    /// <summary>ReferralService/ListOutbox.</summary>
    public static readonly Method<ListOutboxRequest, ListOutboxResponse> ListOutboxMethod = Method.FromDescriptor<ListOutboxRequest, ListOutboxResponse>(Descriptor, "ListOutbox");

    /// <summary>Creates a client over an invoker.</summary>
    public ReferralClient(CallInvoker callInvoker)
        : base(callInvoker)
    {
    }

    /// <summary>Creates a client over a channel.</summary>
    public ReferralClient(RpcChannel channel)
        : base(channel)
    {
    }

    /// <summary>Calls CreateDraft.</summary>
    public AsyncUnaryCall<CreateDraftResponse> CreateDraftAsync(CreateDraftRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(CreateDraftMethod, null, options, request);

    /// <summary>Calls SubmitReferral.</summary>
    public AsyncUnaryCall<SubmitReferralResponse> SubmitReferralAsync(SubmitReferralRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(SubmitReferralMethod, null, options, request);

    /// <summary>Calls ListReferrals.</summary>
    public AsyncUnaryCall<ListReferralsResponse> ListReferralsAsync(ListReferralsRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(ListReferralsMethod, null, options, request);

    /// <summary>Calls GetReferral.</summary>
    public AsyncUnaryCall<GetReferralResponse> GetReferralAsync(GetReferralRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(GetReferralMethod, null, options, request);

    /// <summary>Calls TransitionReferral.</summary>
    public AsyncUnaryCall<TransitionReferralResponse> TransitionReferralAsync(TransitionReferralRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(TransitionReferralMethod, null, options, request);

    /// <summary>Calls AddReferralNote.</summary>
    public AsyncUnaryCall<AddReferralNoteResponse> AddReferralNoteAsync(AddReferralNoteRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(AddReferralNoteMethod, null, options, request);

    /// <summary>Calls ReadPersonalData.</summary>
    public AsyncUnaryCall<ReadPersonalDataResponse> ReadPersonalDataAsync(ReadPersonalDataRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(ReadPersonalDataMethod, null, options, request);

    /// <summary>Calls ListOutbox.</summary>
    public AsyncUnaryCall<ListOutboxResponse> ListOutboxAsync(ListOutboxRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(ListOutboxMethod, null, options, request);
}

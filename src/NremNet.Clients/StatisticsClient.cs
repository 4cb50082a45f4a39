using NremNet.Contracts.Local.V1;
using Google.Protobuf.Reflection;
using NremNet.Rpc;

namespace NremNet.Clients;

/// <summary>A typed client of <c>StatisticsService</c> (user API): federated queries, imports, data summary.</summary>
public sealed class StatisticsClient : ClientBase
{
    /// <summary>The service's descriptor.</summary>
    public static readonly ServiceDescriptor Descriptor = StatisticsReflection.Descriptor.FindTypeByName<ServiceDescriptor>("StatisticsService");

    /// <summary>StatisticsService/GetCatalogue.</summary>
    public static readonly Method<GetCatalogueRequest, GetCatalogueResponse> GetCatalogueMethod = Method.FromDescriptor<GetCatalogueRequest, GetCatalogueResponse>(Descriptor, "GetCatalogue");

    /// <summary>StatisticsService/FederatedQuery.</summary>
    public static readonly Method<FederatedQueryRequest, FederatedQueryResponse> FederatedQueryMethod = Method.FromDescriptor<FederatedQueryRequest, FederatedQueryResponse>(Descriptor, "FederatedQuery");

    /// <summary>StatisticsService/ImportData.</summary>
    public static readonly Method<ImportDataRequest, ImportDataResponse> ImportDataMethod = Method.FromDescriptor<ImportDataRequest, ImportDataResponse>(Descriptor, "ImportData");

    /// <summary>StatisticsService/GetDataSummary.</summary>
    public static readonly Method<GetDataSummaryRequest, GetDataSummaryResponse> GetDataSummaryMethod = Method.FromDescriptor<GetDataSummaryRequest, GetDataSummaryResponse>(Descriptor, "GetDataSummary");

    /// <summary>Creates a client over an invoker.</summary>
    public StatisticsClient(CallInvoker callInvoker)
        : base(callInvoker)
    {
    }

    /// <summary>Creates a client over a channel.</summary>
    public StatisticsClient(RpcChannel channel)
        : base(channel)
    {
    }

    /// <summary>Calls GetCatalogue.</summary>
    public AsyncUnaryCall<GetCatalogueResponse> GetCatalogueAsync(GetCatalogueRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(GetCatalogueMethod, null, options, request);

    /// <summary>Calls FederatedQuery; responses stream back.</summary>
    public AsyncServerStreamingCall<FederatedQueryResponse> FederatedQuery(FederatedQueryRequest request, CallOptions options = default) =>
        CallInvoker.AsyncServerStreamingCall(FederatedQueryMethod, null, options, request);

    /// <summary>Calls ImportData; requests and responses stream both ways.</summary>
    public AsyncDuplexStreamingCall<ImportDataRequest, ImportDataResponse> ImportData(CallOptions options = default) =>
        CallInvoker.AsyncDuplexStreamingCall(ImportDataMethod, null, options);

    /// <summary>Calls GetDataSummary.</summary>
    public AsyncUnaryCall<GetDataSummaryResponse> GetDataSummaryAsync(GetDataSummaryRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(GetDataSummaryMethod, null, options, request);
}

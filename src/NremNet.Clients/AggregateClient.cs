using NremNet.Contracts.Aggregates.V1;
using Google.Protobuf.Reflection;
using NremNet.Rpc;

namespace NremNet.Clients;

/// <summary>A typed client of the peer API <c>nremnet.aggregates.v1.AggregateService</c>.</summary>
public sealed class AggregateClient : ClientBase
{
    /// <summary>The service's descriptor.</summary>
    public static readonly ServiceDescriptor Descriptor = AggregatesReflection.Descriptor.FindTypeByName<ServiceDescriptor>("AggregateService");

    /// <summary>AggregateService/ListIndicators.</summary>
    public static readonly Method<ListIndicatorsRequest, ListIndicatorsResponse> ListIndicatorsMethod = Method.FromDescriptor<ListIndicatorsRequest, ListIndicatorsResponse>(Descriptor, "ListIndicators");

    /// <summary>AggregateService/Query.</summary>
    public static readonly Method<QueryRequest, QueryResponse> QueryMethod = Method.FromDescriptor<QueryRequest, QueryResponse>(Descriptor, "Query");

    /// <summary>Creates a client over an invoker.</summary>
    public AggregateClient(CallInvoker callInvoker)
        : base(callInvoker)
    {
    }

    /// <summary>Creates a client over a channel.</summary>
    public AggregateClient(RpcChannel channel)
        : base(channel)
    {
    }

    /// <summary>Calls ListIndicators.</summary>
    public AsyncUnaryCall<ListIndicatorsResponse> ListIndicatorsAsync(ListIndicatorsRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(ListIndicatorsMethod, null, options, request);

    /// <summary>Calls Query.</summary>
    public AsyncUnaryCall<QueryResponse> QueryAsync(QueryRequest request, CallOptions options = default) =>
        CallInvoker.AsyncUnaryCall(QueryMethod, null, options, request);
}

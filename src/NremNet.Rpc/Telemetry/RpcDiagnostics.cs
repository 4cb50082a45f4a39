using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;
using NremNet.Rpc.Framing;

namespace NremNet.Rpc.Telemetry;

/// <summary>Spans and metrics of calls, on both sides, after the OpenTelemetry RPC conventions.</summary>
internal static class RpcDiagnostics
{
    public const string SourceName = "NremNet.Rpc";

    public static readonly ActivitySource Source = new(SourceName, GrpcProtocol.UserAgent.Split('/')[1]);
    public static readonly Meter Meter = new(SourceName, GrpcProtocol.UserAgent.Split('/')[1]);

    private static readonly Histogram<double> ServerDuration = Meter.CreateHistogram<double>(
        "rpc.server.call.duration", "s", "Duration of calls served, from request headers to trailers.");

    private static readonly Histogram<double> ClientDuration = Meter.CreateHistogram<double>(
        "rpc.client.call.duration", "s", "Duration of calls made, from start to final status.");

    private static readonly Counter<long> ServerCalls = Meter.CreateCounter<long>(
        "rpc.server.calls", "{call}", "Calls served, by method and status code.");

    private static readonly Counter<long> ClientCalls = Meter.CreateCounter<long>(
        "rpc.client.calls", "{call}", "Calls made, by method and status code.");

    private static readonly UpDownCounter<long> ServerActiveCalls = Meter.CreateUpDownCounter<long>(
        "rpc.server.active_calls", "{call}", "Calls being served now.");

    /// <summary>Starts a server span, continuing the caller's trace when it sent <c>traceparent</c>.</summary>
    public static Activity? StartServer(Method method, IHeaderDictionary requestHeaders)
    {
        if (ServerActiveCalls.Enabled)
        {
            ServerActiveCalls.Add(1, new KeyValuePair<string, object?>("rpc.method", method.Name), new KeyValuePair<string, object?>("rpc.service", method.ServiceName));
        }

        if (!Source.HasListeners())
        {
            return null;
        }

        ActivityContext parent = default;
        if (Activity.Current is null && requestHeaders.TryGetValue(GrpcProtocol.TraceParentHeader, out var traceParent))
        {
            ActivityContext.TryParse(traceParent, requestHeaders[GrpcProtocol.TraceStateHeader], isRemote: true, out parent);
        }

        var activity = Activity.Current is null
            ? Source.StartActivity(method.ServiceName + "/" + method.Name, ActivityKind.Server, parent)
            : Source.StartActivity(method.ServiceName + "/" + method.Name, ActivityKind.Server);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("rpc.system", "grpc");
            activity.SetTag("rpc.service", method.ServiceName);
            activity.SetTag("rpc.method", method.Name);
        }

        return activity;
    }

    public static void StopServer(Activity? activity, Method method, StatusCode code, long startTimestamp)
    {
        if (ServerActiveCalls.Enabled)
        {
            ServerActiveCalls.Add(-1, new KeyValuePair<string, object?>("rpc.method", method.Name), new KeyValuePair<string, object?>("rpc.service", method.ServiceName));
        }

        Record(activity, method, code, startTimestamp, ServerDuration, ServerCalls, serverSide: true);
    }

    /// <summary>Starts a client span as a child of the current activity.</summary>
    public static Activity? StartClient(Method method, Uri address)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(method.ServiceName + "/" + method.Name, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("rpc.system", "grpc");
            activity.SetTag("rpc.service", method.ServiceName);
            activity.SetTag("rpc.method", method.Name);
            activity.SetTag("server.address", address.Host);
            activity.SetTag("server.port", address.Port);
        }

        return activity;
    }

    public static void StopClient(Activity? activity, Method method, StatusCode code, long startTimestamp) =>
        Record(activity, method, code, startTimestamp, ClientDuration, ClientCalls, serverSide: false);

    private static void Record(Activity? activity, Method method, StatusCode code, long startTimestamp, Histogram<double> duration, Counter<long> calls, bool serverSide)
    {
        if (activity is not null)
        {
            activity.SetTag("rpc.grpc.status_code", (int)code);
            if (IsError(code, serverSide))
            {
                activity.SetStatus(ActivityStatusCode.Error, code.ToString());
            }

            activity.Stop();
        }

        if (duration.Enabled || calls.Enabled)
        {
            var tags = new TagList
            {
                { "rpc.system", "grpc" },
                { "rpc.service", method.ServiceName },
                { "rpc.method", method.Name },
                { "rpc.grpc.status_code", (int)code },
            };
            duration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tags);
            calls.Add(1, tags);
        }
    }

    // Per the conventions, a server marks only failures it is responsible for as errors.
    private static bool IsError(StatusCode code, bool serverSide) => serverSide
        ? code is StatusCode.Unknown or StatusCode.DeadlineExceeded or StatusCode.Unimplemented or StatusCode.Internal or StatusCode.Unavailable or StatusCode.DataLoss
        : code != StatusCode.OK;
}

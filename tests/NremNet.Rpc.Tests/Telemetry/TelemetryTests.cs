using System.Diagnostics;
using Grpc.Testing;
using NremNet.Rpc.Interop;
using NremNet.Rpc.Tests.Infrastructure;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace NremNet.Rpc.Tests.Telemetry;

public sealed class TelemetryTests
{
    [Fact]
    public async Task ClientAndServerSpans_ShareOneTrace_ThroughTraceparentInMetadata()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource("NremNet.Tests")
            .AddNremNetRpcInstrumentation()
            .AddProcessor(new SimpleActivityExportProcessor(new CollectingExporter<Activity>(spans)))
            .Build();
        using var source = new ActivitySource("NremNet.Tests");
        await using var server = await TestServer.StartAsync(rpc => rpc.AddService<TestServiceImpl>());
        using var channel = server.CreateChannel();
        var client = new TestServiceClient(channel.CreateCallInvoker());

        ActivityTraceId traceId;
        using (var root = source.StartActivity("federated query"))
        {
            traceId = root!.TraceId;
            await client.UnaryCallAsync(new SimpleRequest());
            await Assert.ThrowsAsync<RpcException>(() => client.UnaryCallAsync(new SimpleRequest { ResponseStatus = new EchoStatus { Code = 5, Message = "nope" } }).ResponseAsync);
        }

        tracing.ForceFlush();
        List<Activity> mine;
        lock (spans)
        {
            mine = spans.Where(s => s.TraceId == traceId && s.Source.Name == RpcOpenTelemetryExtensions.InstrumentationName).ToList();
        }

        var clients = mine.Where(s => s.Kind == ActivityKind.Client).ToList();
        var servers = mine.Where(s => s.Kind == ActivityKind.Server).ToList();
        Assert.Equal(2, clients.Count);
        Assert.Equal(2, servers.Count);
        foreach (var serverSpan in servers)
        {
            // The server span is the client span's child, or its grandchild when ASP.NET Core's own request activity
            // sits between them (it does when request logging is on).
            Assert.Contains(clients, c => c.SpanId == serverSpan.ParentSpanId || c.SpanId == serverSpan.Parent?.ParentSpanId);
            Assert.Equal("grpc.testing.TestService/UnaryCall", serverSpan.DisplayName);
            Assert.Equal("grpc", serverSpan.GetTagItem("rpc.system"));
        }

        Assert.Contains(clients, c => (int?)c.GetTagItem("rpc.grpc.status_code") == 5 && c.Status == ActivityStatusCode.Error);
        Assert.Contains(servers, s => (int?)s.GetTagItem("rpc.grpc.status_code") == 5 && s.Status == ActivityStatusCode.Unset);
    }

    [Fact]
    public async Task CallDurationAndCountMetrics_AreRecordedOnBothSides()
    {
        var metrics = new List<Metric>();
        using var meters = Sdk.CreateMeterProviderBuilder()
            .AddNremNetRpcInstrumentation()
            .AddReader(new BaseExportingMetricReader(new CollectingExporter<Metric>(metrics)))
            .Build();
        await using var server = await TestServer.StartAsync(rpc => rpc.AddService<TestServiceImpl>());
        using var channel = server.CreateChannel();
        var client = new TestServiceClient(channel.CreateCallInvoker());

        for (var i = 0; i < 3; i++)
        {
            await client.EmptyCallAsync(new Empty());
        }

        meters.ForceFlush();
        lock (metrics)
        {
            var names = metrics.Select(m => m.Name).ToHashSet();
            Assert.Contains("rpc.server.call.duration", names);
            Assert.Contains("rpc.client.call.duration", names);
            Assert.Contains("rpc.server.calls", names);
            Assert.Contains("rpc.client.calls", names);
            var count = metrics.Where(m => m.Name == "rpc.client.calls")
                .SelectMany(m => Points(m))
                .Where(p => Tag(p, "rpc.method") == "EmptyCall")
                .Sum(p => p.GetSumLong());
            Assert.True(count >= 3, $"counted {count} EmptyCall calls");
        }
    }

    private static IEnumerable<MetricPoint> Points(Metric metric)
    {
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            yield return point;
        }
    }

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value?.ToString();
            }
        }

        return null;
    }

    private sealed class CollectingExporter<T>(List<T> sink) : BaseExporter<T>
        where T : class
    {
        public override ExportResult Export(in Batch<T> batch)
        {
            lock (sink)
            {
                foreach (var item in batch)
                {
                    sink.Add(item);
                }
            }

            return ExportResult.Success;
        }
    }
}

using System.Diagnostics;
using Grpc.Core;
using NremNet.Contracts.Aggregates.V1;
using NremNet.Contracts.Local.V1;
using NremNet.Node.Tests.Infrastructure;
using OpenTelemetry.Trace;

namespace NremNet.Node.Tests.Statistics;

/// <summary>A federated query is one trace across the asking and the answering node, carried by gRPC's <c>traceparent</c>.</summary>
public sealed class FederatedQueryTraceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FederatedQuery_FromOneNodesUserApiToAnother_IsOneTraceAcrossBoth()
    {
        await using var network = await TestNetwork.StartAsync();
        // Each node exports its spans to its own list, as each would to its own collector.
        var nlSpans = new SpanList();
        var seSpans = new SpanList();
        var nl = await network.StartNodeAsync("NL", configure: SpanList.Traced, services: s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(nlSpans)));
        var se = await network.StartNodeAsync("SE", configure: SpanList.Traced, services: s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(seSpans)));
        await nl.WaitForSnapshotAsync(s => s.Members.Any(m => m.Country == "SE"));
        var rapporteur = await TokenAsync(nl);
        using var console = nl.ConsoleChannel();

        using var call = new StatisticsService.StatisticsServiceClient(console).FederatedQuery(
            new FederatedQueryRequest { Query = new QueryRequest { Indicator = "THB_VICT_REG", StartYear = 2024, EndYear = 2024 }, Countries = { "SE" } },
            new CallOptions(new Metadata { { "authorization", "Bearer " + rapporteur } }, cancellationToken: Ct));
        Assert.True(await call.ResponseStream.MoveNext(Ct));
        var answer = call.ResponseStream.Current;
        Assert.True(answer.Country == "SE" && answer.Status is CountryStatus.Ok or CountryStatus.NotAvailableForPeriod, $"{answer.Status}: {answer.Reason}");
        Assert.False(await call.ResponseStream.MoveNext(Ct));

        // Both nodes run in this process: each list holds the other's spans too, told apart by port (SpanList).
        Activity? asked = null, answered = null;
        await Eventually.HoldsAsync(() =>
        {
            asked = nlSpans.Find(ActivityKind.Server, "/nremnet.local.v1.StatisticsService/FederatedQuery", nl.Console.Port);
            answered = seSpans.Find(ActivityKind.Server, "/nremnet.aggregates.v1.AggregateService/Query", se.Peer.Port);
            return Task.FromResult(asked is not null && answered is not null);
        }, "both nodes to export the spans of the query");

        Assert.Equal(asked!.TraceId, answered!.TraceId);
        Assert.NotEqual(default, answered.ParentSpanId);
        // Between the two: NL's outgoing call to SE's peer port, in the same trace.
        Assert.Equal(asked.TraceId, nlSpans.Find(ActivityKind.Client, "/nremnet.aggregates.v1.AggregateService/Query", se.Peer.Port)?.TraceId);
    }

    private static async Task<string> TokenAsync(TestNode node)
    {
        var setup = await NodeSetup.OpenAsync(Path.Combine(Path.GetDirectoryName(node.CertificateFile)!, "..", "node-" + node.Country), node.CertificateFile, node.KeyFile, Ct);
        await setup.AddUserAsync("nl-rapporteur", "nl-rapporteur", ["rapporteur"], null, Ct);
        return await setup.CreateTokenAsync("nl-rapporteur", "test", TimeSpan.FromHours(1), Ct);
    }
}

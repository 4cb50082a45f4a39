using System.Diagnostics;
using NremNet.Contracts.Referrals.V1;
using NremNet.Node.Tests.Infrastructure;
using OpenTelemetry.Trace;
using ReferralClient = NremNet.Contracts.Local.V1.ReferralService.ReferralServiceClient;
using static NremNet.Node.Tests.Referrals.ReferralFixtures;

namespace NremNet.Node.Tests.Referrals;

/// <summary>A referral delivery is one trace across the sending and the receiving node, carried by gRPC's <c>traceparent</c>.</summary>
public sealed class ReferralDeliveryTraceTests
{
    [Fact]
    public async Task Delivery_FromTheSendersOutboxToTheReceiver_IsOneTraceAcrossBoth()
    {
        await using var network = await TestNetwork.StartAsync();
        var nlSpans = new SpanList();
        var seSpans = new SpanList();
        var nl = await network.StartNodeAsync("NL", configure: s => { Partners(s); SpanList.Traced(s); }, services: s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(nlSpans)));
        var se = await network.StartNodeAsync("SE", configure: s => { Partners(s); SpanList.Traced(s); }, services: s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(seSpans)));
        foreach (var node in new[] { nl, se })
        {
            await node.WaitForSnapshotAsync(s => new[] { "NL", "SE" }.All(c => s.Members.Any(m => m.Country == c && !m.Certificate.IsEmpty)));
        }

        var nlOfficer = await TokenAsync(nl, "nl-officer", "referral_officer");
        var seOfficer = await TokenAsync(se, "se-officer", "referral_officer");
        using var nlChannel = nl.ConsoleChannel();
        using var seChannel = se.ConsoleChannel();
        var id = await SubmitAsync(new ReferralClient(nlChannel), nlOfficer, Form("NL", "SE"));
        await SettledAsync(new ReferralClient(seChannel), seOfficer, id, ReferralStatus.Acknowledged);

        // NL's outbox sends from the background, outside any request: its call to SE starts the trace, SE's answer continues it.
        Activity? sent = null, received = null;
        await Eventually.HoldsAsync(() =>
        {
            sent = nlSpans.Find(ActivityKind.Client, "/nremnet.referrals.v1.ReferralService/Exchange", se.Peer.Port);
            received = seSpans.Find(ActivityKind.Server, "/nremnet.referrals.v1.ReferralService/Exchange", se.Peer.Port);
            return Task.FromResult(sent is not null && received is not null);
        }, "both nodes to export the spans of the delivery");

        Assert.Equal(sent!.TraceId, received!.TraceId);
        Assert.NotEqual(default, received.ParentSpanId);
    }
}

using System.Collections.Concurrent;
using System.Text.Json;
using Dapper;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using NremNet.Contracts.Local.V1;
using NremNet.Contracts.Referrals.V1;
using NremNet.Domain.Referrals;
using NremNet.Node.Tests.Infrastructure;
using ReferralClient = NremNet.Contracts.Local.V1.ReferralService.ReferralServiceClient;
using static NremNet.Node.Tests.Referrals.ReferralFixtures;

namespace NremNet.Node.Tests.Referrals;

/// <summary>
/// Nodes as separate processes (<c>nremnet node run</c>) killed with SIGKILL at the worst moments: whatever was
/// committed is delivered, exactly once, when they are back. Slow (several node processes, started several times).
/// </summary>
[Collection(ReferralFailureCollection.Name)]
[Trait("Category", "Slow")]
public sealed class ReferralCrashTests
{
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(1);

    [Fact]
    public async Task SenderKilledBetweenCommitAndSend_EveryReferralDeliveredExactlyOnceAfterRestart()
    {
        const int count = 20;
        await using var network = await TestNetwork.StartAsync();
        await using var nl = await NodeProcess.StartAsync(network, "NL", Partners);
        await using var se = await NodeProcess.StartAsync(network, "SE", Partners);
        var nlOfficer = await TokenAsync(nl.DataDirectory, nl.CertificateFile, nl.KeyFile, "nl-officer", "referral_officer", TokenLifetime);
        var seOfficer = await TokenAsync(se.DataDirectory, se.CertificateFile, se.KeyFile, "se-officer", "referral_officer", TokenLifetime);
        await WaitForPartnersAsync(nl, nlOfficer, se, seOfficer);

        // SE is down: NL commits every submission to its outbox and cannot send any of them.
        await se.StopAsync();
        var ids = new List<string>();
        using (var channel = nl.ConsoleChannel())
        {
            var sender = new ReferralClient(channel);
            for (var i = 0; i < count; i++)
            {
                ids.Add(await SubmitAsync(sender, nlOfficer, Form("NL", "SE", $"SYN-{i:D4}")));
            }

            var outbox = await sender.ListOutboxAsync(new ListOutboxRequest(), Auth(nlOfficer));
            Assert.Equal(count, outbox.Total);
        }

        // Killed with everything committed and nothing sent.
        await nl.KillAsync();
        await using (var file = NodeFiles.OpenReadOnly(nl.DataDirectory))
        {
            Assert.Equal(ids.Order(), (await file.QueryAsync<string>("SELECT referral_id FROM referral_outbox WHERE kind = 'submission'")).Order());
        }

        await se.StartAsync();
        await nl.StartAsync();
        await WaitUntilSettledAsync(nl, nlOfficer, se, seOfficer, count);
        await AssertSameHistoriesAsync(nl, nlOfficer, se, seOfficer, ids);

        await nl.StopAsync();
        await se.StopAsync();
        var duplicates = await AssertDeliveredExactlyOnceAsync(nl, se, ids);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{count} referrals delivered exactly once after SE came back and NL restarted from SIGKILL; duplicate deliveries: {duplicates.Receipts} receipts to NL, {duplicates.Received} seen by SE.");
        Assert.Empty(nl.Errors);
        Assert.Empty(se.Errors);
    }

    [Fact]
    public async Task ReceiverKilledRepeatedlyWhileReceiving_EveryReferralOnTheReceiverExactlyOnce_HistoriesEqual()
    {
        const int count = 200;
        var seed = Environment.TickCount;
        var random = new Random(seed);
        await using var network = await TestNetwork.StartAsync();
        await using var nl = await NodeProcess.StartAsync(network, "NL", Partners);
        await using var se = await NodeProcess.StartAsync(network, "SE", Partners);
        var nlOfficer = await TokenAsync(nl.DataDirectory, nl.CertificateFile, nl.KeyFile, "nl-officer", "referral_officer", TokenLifetime);
        var seOfficer = await TokenAsync(se.DataDirectory, se.CertificateFile, se.KeyFile, "se-officer", "referral_officer", TokenLifetime);
        await WaitForPartnersAsync(nl, nlOfficer, se, seOfficer);

        // NL submits quickly, four at a time, while SE is killed when it has received a random number of them.
        var ids = new ConcurrentBag<string>();
        using var nlChannel = nl.ConsoleChannel();
        var sender = new ReferralClient(nlChannel);
        var next = 0;
        var submitting = Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) <= count)
            {
                ids.Add(await SubmitAsync(sender, nlOfficer, Form("NL", "SE", $"SYN-{i:D4}")));
            }
        })));
        var kills = random.Next(3, 6);
        var targets = Enumerable.Range(0, kills).Select(_ => random.Next(5, count - 5)).Order().ToArray();
        var killedAt = new List<int>();
        foreach (var target in targets)
        {
            var held = 0;
            await Eventually.HoldsAsync(async () => (held = await HeldAsync(se, seOfficer)) >= target, $"SE to hold {target} referrals before it is killed", TimeSpan.FromSeconds(60));
            await se.KillAsync();
            killedAt.Add(held);
            await se.StartAsync();
        }

        await submitting;
        Assert.Equal(count, ids.Distinct().Count());
        await WaitUntilSettledAsync(nl, nlOfficer, se, seOfficer, count);
        await AssertSameHistoriesAsync(nl, nlOfficer, se, seOfficer, [.. ids.OrderBy(_ => random.Next()).Take(10)]);

        await nl.StopAsync();
        await se.StopAsync();
        var duplicates = await AssertDeliveredExactlyOnceAsync(nl, se, [.. ids]);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"Seed {seed}: SE killed {kills} times, when it held {string.Join(", ", killedAt)} referrals; {count} delivered exactly once; " +
            $"duplicate deliveries (SE had applied the message, NL had not heard so): {duplicates.Receipts} receipts to NL, {duplicates.Received} seen by SE.");
        Assert.Empty(nl.Errors);
        Assert.Empty(se.Errors);
    }

    /// <summary>Waits until each node holds the other's certificate: a draft can then be sealed for the other side.</summary>
    private static async Task WaitForPartnersAsync(NodeProcess nl, string nlOfficer, NodeProcess se, string seOfficer)
    {
        foreach (var (node, token, peer) in new[] { (nl, nlOfficer, "SE"), (se, seOfficer, "NL") })
        {
            using var channel = node.ConsoleChannel();
            var client = new NodeService.NodeServiceClient(channel);
            await Eventually.HoldsAsync(async () => (await client.GetNodeStatusAsync(new GetNodeStatusRequest(), Auth(token))).Peers.Any(p => p.Country == peer), $"{node.Country} to list {peer} as an active member");
        }
    }

    /// <summary>How many referrals the node holds; 0 while it does not answer (being killed or restarted).</summary>
    private static async Task<int> HeldAsync(NodeProcess node, string token)
    {
        if (!node.Running)
        {
            return 0;
        }

        try
        {
            using var channel = node.ConsoleChannel();
            return (await new ReferralClient(channel).ListReferralsAsync(new ListReferralsRequest { Limit = 1 }, Auth(token))).Total;
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Cancelled)
        {
            return 0;
        }
    }

    /// <summary>Waits until NL sees every referral acknowledged and neither side has anything left to send.</summary>
    private static async Task WaitUntilSettledAsync(NodeProcess nl, string nlOfficer, NodeProcess se, string seOfficer, int count)
    {
        using var nlChannel = nl.ConsoleChannel();
        using var seChannel = se.ConsoleChannel();
        var sender = new ReferralClient(nlChannel);
        var receiver = new ReferralClient(seChannel);
        (int Acknowledged, int Held, int NlOutbox, int SeOutbox) last = default;
        await Eventually.HoldsAsync(async () =>
        {
            last = (
                (await sender.ListReferralsAsync(new ListReferralsRequest { Statuses = { ReferralStatus.Acknowledged }, Limit = 1 }, Auth(nlOfficer))).Total,
                (await receiver.ListReferralsAsync(new ListReferralsRequest { Statuses = { ReferralStatus.Acknowledged }, Limit = 1 }, Auth(seOfficer))).Total,
                (await sender.ListOutboxAsync(new ListOutboxRequest(), Auth(nlOfficer))).Total,
                (await receiver.ListOutboxAsync(new ListOutboxRequest(), Auth(seOfficer))).Total);
            return last == (count, count, 0, 0);
        }, $"every referral acknowledged on both sides with empty outboxes (last seen: {last})", TimeSpan.FromSeconds(60));
    }

    private static async Task AssertSameHistoriesAsync(NodeProcess nl, string nlOfficer, NodeProcess se, string seOfficer, IReadOnlyList<string> ids)
    {
        using var nlChannel = nl.ConsoleChannel();
        using var seChannel = se.ConsoleChannel();
        var sender = new ReferralClient(nlChannel);
        var receiver = new ReferralClient(seChannel);
        foreach (var id in ids)
        {
            var sent = await GetAsync(sender, nlOfficer, id);
            var held = await GetAsync(receiver, seOfficer, id);
            Assert.Equal(["created:NL:DRAFT", "status:NL:SUBMITTED", "status:SE:ACKNOWLEDGED"], sent.History.Select(h => $"{h.Kind}:{h.Country}:{ReferralStateMachine.Name(h.To)}"));
            Assert.Equal(History(sent), History(held));
            Assert.All(sent.History, h => Assert.True(h.Delivered, $"{id}: {h.Kind} {h.To} delivered"));
            Assert.Equal((0, 0), (sent.Undelivered, held.Undelivered));
        }
    }

    /// <summary>
    /// Reads both (stopped) nodes' files: SE holds each referral once, applied each submission once and received no other;
    /// NL applied each acknowledgement once; nothing waits. Returns how many of NL's deliveries SE answered as duplicates,
    /// and how many duplicate deliveries SE saw (more when SE was killed again before its duplicate receipt reached NL).
    /// </summary>
    private static async Task<(int Receipts, int Received)> AssertDeliveredExactlyOnceAsync(NodeProcess nl, NodeProcess se, IReadOnlyList<string> ids)
    {
        var expected = ids.Order().ToArray();
        await using var receiver = NodeFiles.OpenReadOnly(se.DataDirectory);
        Assert.Equal(expected, (await receiver.QueryAsync<string>("SELECT referral_id FROM referrals WHERE direction = 2 AND peer_country = 'NL'")).Order());
        Assert.Equal(ids.Count, await receiver.QuerySingleAsync<int>("SELECT COUNT(*) FROM referrals"));
        Assert.Equal(expected, (await receiver.QueryAsync<string>("SELECT referral_id FROM referral_receipts WHERE from_country = 'NL'")).Order());
        Assert.Empty(await receiver.QueryAsync<string>("SELECT referral_id FROM referral_events GROUP BY referral_id HAVING COUNT(*) <> 3"));
        Assert.Equal(0, await receiver.QuerySingleAsync<int>("SELECT COUNT(*) FROM referral_outbox"));
        var received = await AuditOfAsync(receiver, "referral.received");
        var applied = received.Where(r => r.Outcome == "ok").ToList();
        Assert.Equal(expected, applied.Select(r => r.Target).Order());
        Assert.Equal(ids.Count, applied.Select(r => r.MessageId).Distinct().Count());
        Assert.All(received, r => Assert.Contains(r.Outcome, new[] { "ok", "duplicate" }));
        // A duplicate is a message SE had applied before: one of the messages it applied, delivered again.
        Assert.All(received.Where(r => r.Outcome == "duplicate"), r => Assert.Contains(applied, a => a.MessageId == r.MessageId));
        Assert.All(received, r => Assert.Equal("submission", r.Kind));

        await using var sender = NodeFiles.OpenReadOnly(nl.DataDirectory);
        Assert.Equal(0, await sender.QuerySingleAsync<int>("SELECT COUNT(*) FROM referral_outbox"));
        Assert.Equal(expected, (await sender.QueryAsync<string>("SELECT referral_id FROM referral_receipts WHERE from_country = 'SE'")).Order());
        Assert.Empty(await sender.QueryAsync<string>("SELECT referral_id FROM referral_events GROUP BY referral_id HAVING COUNT(*) <> 3"));
        var acknowledgements = (await AuditOfAsync(sender, "referral.received")).Where(r => r.Outcome == "ok").ToList();
        Assert.Equal(expected, acknowledgements.Select(r => r.Target).Order());
        Assert.All(acknowledgements, r => Assert.Equal("acknowledgement", r.Kind));
        var delivered = await AuditOfAsync(sender, "referral.delivered");
        Assert.Equal(expected, delivered.Select(r => r.Target).Order());
        return (delivered.Count(d => d.Delivery == "duplicate"), received.Count(r => r.Outcome == "duplicate"));
    }

    /// <summary>The audit entries of <paramref name="action"/>: target, outcome, and the message id, kind and delivery outcome their details name.</summary>
    private static async Task<List<(string Target, string Outcome, string? MessageId, string? Kind, string? Delivery)>> AuditOfAsync(SqliteConnection connection, string action)
    {
        var rows = await connection.QueryAsync<(string Target, string Outcome, string Details)>("SELECT target, outcome, details FROM audit_log WHERE action = @Action", new { Action = action });
        return
        [
            .. rows.Select(r =>
            {
                using var details = JsonDocument.Parse(r.Details);
                string? Text(string name) => details.RootElement.TryGetProperty(name, out var value) ? value.GetString() : null;
                return (r.Target, r.Outcome, Text("messageId"), Text("kind"), Text("outcome"));
            }),
        ];
    }
}

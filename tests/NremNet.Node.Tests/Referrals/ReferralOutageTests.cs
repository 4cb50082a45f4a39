using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Dapper;
using NremNet.Contracts.Local.V1;
using NremNet.Contracts.Referrals.V1;
using NremNet.Node.Tests.Infrastructure;
using ReferralClient = NremNet.Contracts.Local.V1.ReferralService.ReferralServiceClient;
using static NremNet.Node.Tests.Referrals.ReferralFixtures;

namespace NremNet.Node.Tests.Referrals;

/// <summary>Delivery while the receiving node is down: everything waits in the outbox and arrives once, exactly once, when it is back.</summary>
[Collection(ReferralFailureCollection.Name)]
public sealed class ReferralOutageTests
{
    [Fact]
    public async Task ReceiverDownDuringSubmit_OutboxShowsAttemptsAndCircuit_EveryReferralDeliveredOnceAfterRestart()
    {
        const int count = 20;
        await using var network = await TestNetwork.StartAsync();
        var (nl, se) = await StartPartnersAsync(network, "NL", "SE") switch { var n => (n[0], n[1]) };
        var nlOfficer = await TokenAsync(nl, "nl-officer", "referral_officer");
        var seOfficer = await TokenAsync(se, "se-officer", "referral_officer");
        using var nlChannel = nl.ConsoleChannel();
        var sender = new ReferralClient(nlChannel);

        await se.StopAsync();
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(await SubmitAsync(sender, nlOfficer, Form("NL", "SE", $"SYN-{i:D4}")));
        }

        // Everything waits for SE; what was tried says why it failed, and the circuit to SE opens.
        ListOutboxResponse outbox = null!;
        await Eventually.HoldsAsync(async () =>
        {
            outbox = await sender.ListOutboxAsync(new ListOutboxRequest { PeerCountry = "se" }, Auth(nlOfficer));
            return outbox.Entries.Any(e => e.Circuit == "open") && outbox.Entries.Any(e => e.Attempts > 0 && e.LastError.StartsWith("Unavailable: ", StringComparison.Ordinal));
        }, "NL's outbox to show failed attempts and SE's circuit open");
        Assert.Equal(count, outbox.Total);
        Assert.Equal(ids.Order(), outbox.Entries.Select(e => e.ReferralId).Order());
        Assert.All(outbox.Entries, e => Assert.Equal(("SE", "submission"), (e.PeerCountry, e.Kind)));
        Assert.All(outbox.Entries.Where(e => e.Attempts > 0), e => Assert.True(
            e.LastError.StartsWith("Unavailable: ", StringComparison.Ordinal) || e.LastError == "SE's circuit is open after repeated failures; waiting before the next probe",
            e.LastError));
        Assert.All(outbox.Entries.Where(e => e.Attempts == 0), e => Assert.True(e.LastError.Length == 0 || e.LastError.Contains("circuit is open", StringComparison.Ordinal), e.LastError));
        foreach (var id in ids)
        {
            var waiting = await GetAsync(sender, nlOfficer, id);
            Assert.Equal((ReferralStatus.Submitted, 1), (waiting.Status, waiting.Undelivered));
        }

        await using var restarted = await network.RestartAsync(se);
        using var seChannel = restarted.ConsoleChannel();
        var receiver = new ReferralClient(seChannel);
        foreach (var id in ids)
        {
            var held = await SettledAsync(receiver, seOfficer, id, ReferralStatus.Acknowledged);
            var sent = await SettledAsync(sender, nlOfficer, id, ReferralStatus.Acknowledged);
            Assert.Equal(History(sent), History(held));
        }

        Assert.Equal(0, (await sender.ListOutboxAsync(new ListOutboxRequest(), Auth(nlOfficer))).Total);
        Assert.Equal(0, (await receiver.ListOutboxAsync(new ListOutboxRequest(), Auth(seOfficer))).Total);
        var incoming = await receiver.ListReferralsAsync(new ListReferralsRequest { Direction = ReferralDirection.Incoming, Limit = 1000 }, Auth(seOfficer));
        Assert.Equal(count, incoming.Total);
        Assert.Equal(ids.Order(), incoming.Referrals.Select(r => r.Header.ReferralId).Order());

        // SE applied each submission once; NL applied each acknowledgement once (a delivery repeated because its receipt
        // was lost would be audited as a duplicate, not applied again).
        var received = (await AuditAsync(restarted, "referral.received")).Where(r => r.Outcome == "ok").ToList();
        Assert.Equal(ids.Order(), received.Select(r => r.Target).Order());
        Assert.Equal(count, received.Select(r => JsonDocument.Parse(r.Details).RootElement.GetProperty("messageId").GetString()).Distinct().Count());
        Assert.All(received, r => Assert.Equal("submission", JsonDocument.Parse(r.Details).RootElement.GetProperty("kind").GetString()));
        var acknowledged = (await AuditAsync(nl, "referral.received")).Where(r => r.Outcome == "ok").ToList();
        Assert.Equal(ids.Order(), acknowledged.Select(r => r.Target).Order());
        Assert.Equal(2 * count, (await AuditAsync(nl, "referral.delivered")).Count + (await AuditAsync(restarted, "referral.delivered")).Count);
    }

    [Fact]
    public async Task ReceiverBackWhileTheSenderRestsItsBackoff_HelloFromTheReceiver_DeliveredBeforeTheNextScheduledAttempt()
    {
        await using var network = await TestNetwork.StartAsync();
        // NL checks its peers only at start and rests SE for up to an hour: only SE's own hello can end the rest early.
        var nl = await network.StartNodeAsync("NL", configure: s =>
        {
            Partners(s);
            s["Node:PeerCheckInterval"] = "01:00:00";
            s["Node:Referrals:MaxBackoff"] = "01:00:00";
        });
        var se = await network.StartNodeAsync("SE", configure: Partners);
        await nl.WaitForSnapshotAsync(s => s.Members.Any(m => m.Country == "SE" && !m.Certificate.IsEmpty));
        await se.WaitForSnapshotAsync(s => s.Members.Any(m => m.Country == "NL" && !m.Certificate.IsEmpty));
        var nlOfficer = await TokenAsync(nl, "nl-officer", "referral_officer");
        var seOfficer = await TokenAsync(se, "se-officer", "referral_officer");
        await se.StopAsync();
        using var nlChannel = nl.ConsoleChannel();
        var sender = new ReferralClient(nlChannel);
        var id = await SubmitAsync(sender, nlOfficer, Form("NL", "SE"));

        // The back-off doubles with every failed probe; wait until the next attempt is at least 10 s away.
        DateTimeOffset scheduled = default;
        await Eventually.HoldsAsync(async () =>
        {
            var entry = (await sender.ListOutboxAsync(new ListOutboxRequest(), Auth(nlOfficer))).Entries.Single();
            scheduled = entry.NextAttemptAt.ToDateTimeOffset();
            return scheduled - DateTimeOffset.UtcNow > TimeSpan.FromSeconds(10);
        }, "NL to rest SE for at least 10 s", TimeSpan.FromSeconds(60));

        await using var seAgain = await network.RestartAsync(se);
        using var seChannel = seAgain.ConsoleChannel();
        var held = await SettledAsync(new ReferralClient(seChannel), seOfficer, id, ReferralStatus.Acknowledged, TimeSpan.FromSeconds(60));
        var sent = await SettledAsync(sender, nlOfficer, id, ReferralStatus.Acknowledged);
        Assert.Equal(History(sent), History(held));

        // SE's signed receipt for the submission, kept by NL, says when SE received it: before NL's next attempt.
        Receipt receipt;
        await using (var file = NodeFiles.OpenReadOnly(Path.Combine(network.Folder, "node-NL")))
        {
            var signed = SignedReceipt.Parser.ParseFrom(await file.QuerySingleAsync<byte[]>("SELECT receipt FROM referral_events WHERE receipt IS NOT NULL AND country = 'NL'"));
            receipt = Receipt.Parser.ParseFrom(signed.Receipt);
        }

        Assert.Equal(id, receipt.ReferralId);
        Assert.True(receipt.ReceivedAt.ToDateTimeOffset() < scheduled, $"SE received the submission at {receipt.ReceivedAt}, NL's next attempt was due at {scheduled:O}: SE's hello did not end the rest");
    }

    [Fact]
    public async Task SenderStoppedWhileAProbeHangs_StopsWithoutError_MessageDeliveredOnceAfterRestart()
    {
        await using var network = await TestNetwork.StartAsync();
        // NL checks its peers only at start: every connection to SE's port after that is a delivery. Its connections and
        // deliveries wait far longer than the test takes, so the probe that hangs can only end by NL stopping.
        var nl = await network.StartNodeAsync("NL", configure: s =>
        {
            Partners(s);
            s["Node:PeerCheckInterval"] = "01:00:00";
            s["Node:PeerConnectTimeout"] = "00:10:00";
            s["Node:Referrals:DeliveryTimeout"] = "00:10:00";
        });
        var se = await network.StartNodeAsync("SE", configure: Partners);
        await nl.WaitForSnapshotAsync(s => s.Members.Any(m => m.Country == "SE" && !m.Certificate.IsEmpty));
        await se.WaitForSnapshotAsync(s => s.Members.Any(m => m.Country == "NL" && !m.Certificate.IsEmpty));
        var nlOfficer = await TokenAsync(nl, "nl-officer", "referral_officer");
        var seOfficer = await TokenAsync(se, "se-officer", "referral_officer");
        await se.StopAsync();

        // SE is down: NL's first attempt fails, so from then on it sends one probe at a time.
        string id;
        using (var nlChannel = nl.ConsoleChannel())
        {
            var sender = new ReferralClient(nlChannel);
            id = await SubmitAsync(sender, nlOfficer, Form("NL", "SE"));
            await Eventually.HoldsAsync(
                async () => (await sender.ListOutboxAsync(new ListOutboxRequest(), Auth(nlOfficer))).Entries.Any(e => e.LastError.Length > 0),
                "NL's first delivery attempt to fail");
        }

        // Now SE's port takes connections and answers nothing: NL's next probe waits inside its call, and NL stops then.
        var silent = new TcpListener(IPAddress.Loopback, se.Peer.Port);
        silent.Start();
        var held = new List<TcpClient>();
        int attempts;
        try
        {
            held.Add(await silent.AcceptTcpClientAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), Ct));
            await using (var file = NodeFiles.OpenReadOnly(Path.Combine(network.Folder, "node-NL")))
            {
                attempts = await file.QuerySingleAsync<int>("SELECT attempts FROM referral_outbox");
            }

            await nl.StopAsync();
        }
        finally
        {
            silent.Stop();
            held.ForEach(c => c.Dispose());
        }

        // The interrupted attempt is not counted as a failed one: the message waits for the next run.
        await using (var file = NodeFiles.OpenReadOnly(Path.Combine(network.Folder, "node-NL")))
        {
            var waiting = await file.QuerySingleAsync<(string ReferralId, string Kind, int Attempts)>("SELECT referral_id, kind, attempts FROM referral_outbox");
            Assert.Equal((id, "submission", attempts), waiting);
        }

        await using var seAgain = await network.RestartAsync(se);
        await using var nlAgain = await network.RestartAsync(nl);
        using var senderChannel = nlAgain.ConsoleChannel();
        using var receiverChannel = seAgain.ConsoleChannel();
        var received = await SettledAsync(new ReferralClient(receiverChannel), seOfficer, id, ReferralStatus.Acknowledged);
        var sent = await SettledAsync(new ReferralClient(senderChannel), nlOfficer, id, ReferralStatus.Acknowledged);
        Assert.Equal(History(sent), History(received));
        Assert.Single(await AuditAsync(seAgain, "referral.received"));
    }
}

/// <summary>Tests that take nodes down on purpose run one at a time, so one's outage does not slow another's deliveries.</summary>
[CollectionDefinition(Name)]
public sealed class ReferralFailureCollection
{
    public const string Name = "Referral delivery under failure";
}

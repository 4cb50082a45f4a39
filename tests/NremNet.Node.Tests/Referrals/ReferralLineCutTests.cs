using System.Text.Json;
using NremNet.Contracts.Local.V1;
using NremNet.Contracts.Referrals.V1;
using NremNet.Node.Tests.Infrastructure;
using ReferralClient = NremNet.Contracts.Local.V1.ReferralService.ReferralServiceClient;
using static NremNet.Node.Tests.Referrals.ReferralFixtures;

namespace NremNet.Node.Tests.Referrals;

/// <summary>The line between two nodes cut again and again mid-call: every referral still arrives, exactly once.</summary>
[Collection(ReferralFailureCollection.Name)]
public sealed class ReferralLineCutTests
{
    [Fact]
    public async Task LineCutMidCall_AnswersLostAfterTheReceiverApplied_EveryReferralOnceOnBothSides_RedeliveriesAnsweredDuplicate()
    {
        await using var network = await TestNetwork.StartAsync();

        // The cuts also abort the practice library's calls between the two nodes mid-request; the server logs each.
        network.ExpectedErrors.Add("Error when executing service method 'Changes'");
        network.ExpectedErrors.Add("Error when executing service method 'Hint'");
        var sePort = LineCutter.FreePort();
        await using var line = new LineCutter(sePort, seed: 20261122);
        var nl = await network.StartNodeAsync("NL", configure: Partners);
        // SE listens behind the cutter: the directory lists the cutter's port, so NL reaches SE only through it.
        var se = await network.StartNodeAsync("SE", configure: s =>
        {
            Partners(s);
            s["Node:PeerListen"] = $"127.0.0.1:{sePort}";
            s["Node:PeerEndpoint"] = $"https://127.0.0.1:{line.Port}";
        });
        await nl.WaitForSnapshotAsync(s => s.Members.Any(m => m.Country == "SE" && !m.Certificate.IsEmpty));
        await se.WaitForSnapshotAsync(s => s.Members.Any(m => m.Country == "NL" && !m.Certificate.IsEmpty));
        var nlOfficer = await TokenAsync(nl, "nl-officer", "referral_officer");
        var seOfficer = await TokenAsync(se, "se-officer", "referral_officer");
        using var nlChannel = nl.ConsoleChannel();
        using var seChannel = se.ConsoleChannel();
        var sender = new ReferralClient(nlChannel);
        var receiver = new ReferralClient(seChannel);

        // Referrals go out while the line is cut, until SE has been handed again a message it had applied before (its
        // answer lost to a cut) and the line was cut a few times.
        line.Cutting = true;
        var ids = new List<string>();
        var giveUp = DateTimeOffset.UtcNow.AddSeconds(90);
        while (true)
        {
            ids.Add(await SubmitAsync(sender, nlOfficer, Form("NL", "SE", $"SYN-{ids.Count:D4}")));
            if (ids.Count % 10 == 0 && line.Cuts >= 5 && (await AuditAsync(se, "referral.received")).Any(r => r.Outcome == "duplicate"))
            {
                break;
            }

            Assert.True(DateTimeOffset.UtcNow < giveUp && ids.Count < 3000, $"{ids.Count} referrals sent through {line.Cuts} cuts in 90 s, and no answer was lost after SE applied a message");
        }

        var cuts = line.Cuts;
        line.Cutting = false;
        var count = ids.Count;
        TestContext.Current.TestOutputHelper?.WriteLine($"{count} referrals sent while the line was cut {cuts} times.");

        foreach (var id in ids)
        {
            var received = await SettledAsync(receiver, seOfficer, id, ReferralStatus.Acknowledged, TimeSpan.FromSeconds(60));
            var sent = await SettledAsync(sender, nlOfficer, id, ReferralStatus.Acknowledged, TimeSpan.FromSeconds(60));
            Assert.Equal(History(sent), History(received));
        }

        Assert.True(cuts >= 5, $"{cuts} cuts");
        var incoming = await receiver.ListReferralsAsync(new ListReferralsRequest { Direction = ReferralDirection.Incoming, Limit = 1000 }, Auth(seOfficer));
        Assert.Equal(ids.Order(), incoming.Referrals.Select(r => r.Header.ReferralId).Order());

        // Applied once each; what SE applied while its answer was lost came back as a duplicate and changed nothing.
        static string MessageId(NremNet.Domain.Audit.AuditRecord r) => JsonDocument.Parse(r.Details).RootElement.GetProperty("messageId").GetString()!;
        var applied = (await AuditAsync(se, "referral.received")).Where(r => r.Outcome == "ok").ToList();
        Assert.Equal(count, applied.Count);
        Assert.Equal(count, applied.Select(MessageId).Distinct().Count());
        var duplicates = (await AuditAsync(se, "referral.received")).Where(r => r.Outcome == "duplicate").ToList();
        Assert.NotEmpty(duplicates);
        Assert.All(duplicates, d => Assert.Contains(MessageId(d), applied.Select(MessageId)));
        var delivered = await AuditAsync(nl, "referral.delivered");
        Assert.Equal(count, delivered.Count);
        Assert.Contains(delivered, d => JsonDocument.Parse(d.Details).RootElement.GetProperty("outcome").GetString() == "duplicate");
        var acknowledged = (await AuditAsync(nl, "referral.received")).Where(r => r.Outcome == "ok").ToList();
        Assert.Equal(ids.Order(), acknowledged.Select(r => r.Target).Order());
    }
}

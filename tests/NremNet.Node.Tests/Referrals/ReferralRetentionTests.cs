using System.Globalization;
using Dapper;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NremNet.Contracts.Local.V1;
using NremNet.Contracts.Referrals.V1;
using NremNet.Node.Referrals;
using NremNet.Node.Tests.Infrastructure;
using ReferralClient = NremNet.Contracts.Local.V1.ReferralService.ReferralServiceClient;
using static NremNet.Node.Tests.Referrals.ReferralFixtures;

namespace NremNet.Node.Tests.Referrals;

/// <summary>Retention on a fake clock: personal data goes after closure plus the retention period (or at the referral's own retention date), the history stays.</summary>
public sealed class ReferralRetentionTests
{
    private static readonly TimeSpan RetentionPeriod = TimeSpan.FromDays(30);

    [Fact]
    public async Task Purge_AfterClosureOrDeclinePlusPeriod_NotBefore_ActiveKeptUntilItsRetentionDate_HistoryIntact()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var start = clock.GetUtcNow();
        await using var network = await TestNetwork.StartAsync(clock);
        static void Settings(IDictionary<string, string?> settings)
        {
            Partners(settings);
            settings["Node:Referrals:RetentionPeriod"] = "30.00:00:00";
            // The check runs at start, then only after the first 30 days are over (the test runs it itself to know what
            // each run purged). The clock moves weeks at once: the other schedules must not fire at every few seconds of
            // it either. (Timers take at most about 49 days.)
            settings["Node:Referrals:RetentionCheckInterval"] = "45.00:00:00";
            settings["Node:SnapshotRefreshInterval"] = "40.00:00:00";
            settings["Node:PeerCheckInterval"] = "40.00:00:00";
        }

        var nl = await network.StartNodeAsync("NL", configure: Settings);
        var se = await network.StartNodeAsync("SE", configure: Settings);
        foreach (var node in new[] { nl, se })
        {
            await node.WaitForSnapshotAsync(s => new[] { "NL", "SE" }.All(c => s.Members.Any(m => m.Country == c && !m.Certificate.IsEmpty)));
        }

        // Tokens that outlive the weeks the clock moves.
        var nlOfficer = await TokenAsync(Path.Combine(network.Folder, "node-NL"), nl.CertificateFile, nl.KeyFile, "nl-officer", "referral_officer", TimeSpan.FromDays(365));
        var seOfficer = await TokenAsync(Path.Combine(network.Folder, "node-SE"), se.CertificateFile, se.KeyFile, "se-officer", "referral_officer", TimeSpan.FromDays(365));
        using var nlChannel = nl.ConsoleChannel();
        using var seChannel = se.ConsoleChannel();
        var sides = new[] { (Node: nl, Client: new ReferralClient(nlChannel), Token: nlOfficer), (Node: se, Client: new ReferralClient(seChannel), Token: seOfficer) };
        var (sender, receiver) = (sides[0].Client, sides[1].Client);

        // Closed: with notes from both sides.
        var closed = await SubmitAsync(sender, nlOfficer, Form("NL", "SE", "SYN-CLOSED"));
        await SettledAsync(receiver, seOfficer, closed, ReferralStatus.Acknowledged);
        await MoveAsync(receiver, seOfficer, closed, ReferralStatus.Accepted);
        await MoveAsync(receiver, seOfficer, closed, ReferralStatus.Active);
        await SettledAsync(sender, nlOfficer, closed, ReferralStatus.Active);
        await sender.AddReferralNoteAsync(new AddReferralNoteRequest { ReferralId = closed, Text = "travel booked (synthetic)" }, Auth(nlOfficer));
        await receiver.AddReferralNoteAsync(new AddReferralNoteRequest { ReferralId = closed, Text = "arrived (synthetic)" }, Auth(seOfficer));
        await MoveAsync(receiver, seOfficer, closed, ReferralStatus.Closed);

        // Declined.
        var declined = await SubmitAsync(sender, nlOfficer, Form("NL", "SE", "SYN-DECLINED"));
        await SettledAsync(receiver, seOfficer, declined, ReferralStatus.Acknowledged);
        await MoveAsync(receiver, seOfficer, declined, ReferralStatus.Declined, "no shelter place (synthetic)");

        // Active, with its own retention date 60 days ahead.
        var activeForm = Form("NL", "SE", "SYN-ACTIVE");
        var retentionDate = DateOnly.FromDateTime(start.UtcDateTime).AddDays(60);
        activeForm.RetentionUntil = retentionDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var active = await SubmitAsync(sender, nlOfficer, activeForm);
        await SettledAsync(receiver, seOfficer, active, ReferralStatus.Acknowledged);
        await MoveAsync(receiver, seOfficer, active, ReferralStatus.Accepted);
        await MoveAsync(receiver, seOfficer, active, ReferralStatus.Active);

        // Everything delivered before the clock moves (the fake clock stands still, so closure is at the start time on both sides).
        var histories = new Dictionary<(string, string), string[]>();
        var activeEnd = new DateTimeOffset(retentionDate.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        foreach (var side in sides)
        {
            foreach (var (id, status, purgeAt) in new[] { (closed, ReferralStatus.Closed, start + RetentionPeriod), (declined, ReferralStatus.Declined, start + RetentionPeriod), (active, ReferralStatus.Active, activeEnd) })
            {
                var referral = await SettledAsync(side.Client, side.Token, id, status);
                Assert.Equal(purgeAt, referral.PurgeAt.ToDateTimeOffset());
                Assert.False(referral.Purged);
                histories[(side.Node.Country, id)] = History(referral);
            }

            Assert.Equal(2, (await side.Client.ReadPersonalDataAsync(new ReadPersonalDataRequest { ReferralId = closed }, Auth(side.Token))).Notes.Count);
        }

        // Only retention is under test from here: the directory goes (the held snapshot expires, which retention does not
        // need). The health checks' 10-second schedule runs on the real clock (ASP.NET Core's publisher takes no
        // TimeProvider), so moving the fake one a month does not run them 250,000 times.
        await network.StopDirectoryAsync();

        // One minute before closure plus the period: nothing is due.
        clock.Advance(RetentionPeriod - TimeSpan.FromMinutes(1));
        foreach (var side in sides)
        {
            Assert.Equal(0, await RetentionOf(side.Node).RunOnceAsync(Ct));
            var read = await side.Client.ReadPersonalDataAsync(new ReadPersonalDataRequest { ReferralId = closed }, Auth(side.Token));
            Assert.Equal("Synthetic", read.Content.PersonalData.GivenName);
            Assert.False((await GetAsync(side.Client, side.Token, declined)).Purged);
        }

        // Past it: the closed and the declined referral lose their personal data, attachments and notes on both sides.
        clock.Advance(TimeSpan.FromMinutes(2));
        var purgedOn = clock.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        foreach (var side in sides)
        {
            Assert.Equal(2, await RetentionOf(side.Node).RunOnceAsync(Ct));
            foreach (var (id, status) in new[] { (closed, ReferralStatus.Closed), (declined, ReferralStatus.Declined) })
            {
                var ex = await RefusedAsync(side.Client.ReadPersonalDataAsync(new ReadPersonalDataRequest { ReferralId = id }, Auth(side.Token)));
                Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
                Assert.Equal($"The personal data, attachments and notes of referral {id} were purged on {purgedOn} under the retention rules; its history remains.", ex.Status.Detail);
                var referral = await GetAsync(side.Client, side.Token, id);
                Assert.True(referral.Purged);
                Assert.Equal(status, referral.Status);
                Assert.Equal(histories[(side.Node.Country, id)], History(referral));
                Assert.Equal((true, 0), await StoredPersonalDataAsync(network, side.Node.Country, id));
            }

            Assert.Equal(2, (await GetAsync(side.Client, side.Token, closed)).Notes);
            Assert.Equal(new[] { closed, declined }.Order(), (await AuditAsync(side.Node, "referral.purged")).Select(r => r.Target).Order());
            Assert.Equal(2, (await AuditAsync(side.Node, "referral.read")).Count(r => r.Outcome == "refused"));

            // The active referral keeps its data until its own retention date.
            Assert.Equal("Synthetic", (await side.Client.ReadPersonalDataAsync(new ReadPersonalDataRequest { ReferralId = active }, Auth(side.Token))).Content.PersonalData.GivenName);
            Assert.False((await GetAsync(side.Client, side.Token, active)).Purged);
        }

        clock.Advance(activeEnd - clock.GetUtcNow() - TimeSpan.FromMinutes(1));
        foreach (var side in sides)
        {
            Assert.Equal(0, await RetentionOf(side.Node).RunOnceAsync(Ct));
            Assert.Equal((false, 0), await StoredPersonalDataAsync(network, side.Node.Country, active));
        }

        // Past its retention date it goes too, though still ACTIVE: never later than the date the sender set. (The node's
        // own check ran on day 45 and may run late, so what was purged is counted in the audit trail, not by this run.)
        clock.Advance(TimeSpan.FromMinutes(2));
        foreach (var side in sides)
        {
            await RetentionOf(side.Node).RunOnceAsync(Ct);
            Assert.Equal(new[] { active, closed, declined }.Order(), (await AuditAsync(side.Node, "referral.purged")).Select(r => r.Target).Order());
            var referral = await GetAsync(side.Client, side.Token, active);
            Assert.True(referral.Purged);
            Assert.Equal(ReferralStatus.Active, referral.Status);
            Assert.Equal(histories[(side.Node.Country, active)], History(referral));
            Assert.Equal((true, 0), await StoredPersonalDataAsync(network, side.Node.Country, active));
            var ex = await RefusedAsync(side.Client.ReadPersonalDataAsync(new ReadPersonalDataRequest { ReferralId = active }, Auth(side.Token)));
            Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        }
    }

    private static ReferralRetention RetentionOf(TestNode node) => node.App.Services.GetRequiredService<ReferralRetention>();

    /// <summary>Whether the sealed content is gone from the node's file, and how many sealed notes remain.</summary>
    private static async Task<(bool ContentGone, int Notes)> StoredPersonalDataAsync(TestNetwork network, string country, string referralId)
    {
        await using var connection = NodeFiles.OpenReadOnly(Path.Combine(network.Folder, "node-" + country));
        var gone = await connection.QuerySingleAsync<bool>("SELECT content IS NULL FROM referrals WHERE referral_id = @Id", new { Id = referralId });
        var notes = await connection.QuerySingleAsync<int>("SELECT COUNT(*) FROM referral_events WHERE referral_id = @Id AND note IS NOT NULL", new { Id = referralId });
        return (gone, notes);
    }
}

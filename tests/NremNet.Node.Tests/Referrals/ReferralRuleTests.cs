using Grpc.Core;
using NremNet.Contracts.Local.V1;
using NremNet.Contracts.Referrals.V1;
using NremNet.Domain.Referrals;
using NremNet.Hosting.Grpc;
using NremNet.Node.Tests.Infrastructure;
using ReferralClient = NremNet.Contracts.Local.V1.ReferralService.ReferralServiceClient;
using static NremNet.Node.Tests.Referrals.ReferralFixtures;

namespace NremNet.Node.Tests.Referrals;

/// <summary>What the user API refuses, between real nodes: moves a side does not own, moves the status machine lacks, forms that are not complete, submissions the consent does not cover, countries that are not partners.</summary>
public sealed class ReferralRuleTests
{
    [Fact]
    public async Task IllegalTransitions_FailedPrecondition_NamingTheOwnerOrTheAllowedMoves_AndNothingChangesOnEitherSide()
    {
        await using var network = await TestNetwork.StartAsync();
        var (nl, se) = await StartPartnersAsync(network, "NL", "SE") switch { var n => (n[0], n[1]) };
        var nlOfficer = await TokenAsync(nl, "nl-officer", "referral_officer");
        var seOfficer = await TokenAsync(se, "se-officer", "referral_officer");
        using var nlChannel = nl.ConsoleChannel();
        using var seChannel = se.ConsoleChannel();
        var sender = new ReferralClient(nlChannel);
        var receiver = new ReferralClient(seChannel);
        var id = await SubmitAsync(sender, nlOfficer, Form("NL", "SE"));
        await SettledAsync(receiver, seOfficer, id, ReferralStatus.Acknowledged);
        var before = History(await SettledAsync(sender, nlOfficer, id, ReferralStatus.Acknowledged));

        async Task Refused(ReferralClient client, string token, ReferralStatus to, string reason, string expected)
        {
            var ex = await RefusedAsync(client.TransitionReferralAsync(new TransitionReferralRequest { ReferralId = id, To = to, Reason = reason }, Auth(token)));
            Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
            Assert.Equal(expected, ex.Status.Detail);
        }

        // Withdrawing is the sender's move; accepting is the receiver's. The message says whose it is, or what this side may do.
        await Refused(receiver, seOfficer, ReferralStatus.Withdrawn, "we changed our mind (synthetic)",
            $"Referral {id} is ACKNOWLEDGED: only the sending side may move a referral from ACKNOWLEDGED to WITHDRAWN.");
        await Refused(sender, nlOfficer, ReferralStatus.Accepted, string.Empty,
            $"Referral {id} is ACKNOWLEDGED: a referral cannot go from ACKNOWLEDGED to ACCEPTED (from ACKNOWLEDGED the sending side may go to: WITHDRAWN).");
        await Refused(sender, nlOfficer, ReferralStatus.UnderAssessment, string.Empty,
            $"Referral {id} is ACKNOWLEDGED: only the receiving side may move a referral from ACKNOWLEDGED to UNDER_ASSESSMENT.");

        // Submitting twice.
        var twice = await RefusedAsync(sender.SubmitReferralAsync(new SubmitReferralRequest { ReferralId = id }, Auth(nlOfficer)));
        Assert.Equal(StatusCode.FailedPrecondition, twice.StatusCode);
        Assert.Equal($"Referral {id} is ACKNOWLEDGED: a referral cannot go from ACKNOWLEDGED to SUBMITTED (from ACKNOWLEDGED the sending side may go to: WITHDRAWN).", twice.Status.Detail);

        // Declining needs a reason; the UNDER_ASSESSMENT step the decline implies is not kept either.
        await Refused(receiver, seOfficer, ReferralStatus.Declined, string.Empty, $"Referral {id} is ACKNOWLEDGED: a reason is required to move a referral to DECLINED.");
        await Refused(receiver, seOfficer, ReferralStatus.Declined, "   ", $"Referral {id} is ACKNOWLEDGED: a reason is required to move a referral to DECLINED.");
        await Refused(receiver, seOfficer, ReferralStatus.Unspecified, string.Empty, $"Referral {id} is ACKNOWLEDGED: no target status was given.");

        // Notes only once accepted, on either side.
        foreach (var (client, token) in new[] { (sender, nlOfficer), (receiver, seOfficer) })
        {
            var note = await RefusedAsync(client.AddReferralNoteAsync(new AddReferralNoteRequest { ReferralId = id, Text = "too early (synthetic)" }, Auth(token)));
            Assert.Equal(StatusCode.FailedPrecondition, note.StatusCode);
            Assert.Equal($"Referral {id} is ACKNOWLEDGED: follow-up notes are exchanged once it is ACCEPTED, and until it is closed.", note.Status.Detail);
        }

        // None of that changed anything, or queued anything for the other side.
        var sent = await GetAsync(sender, nlOfficer, id);
        var held = await GetAsync(receiver, seOfficer, id);
        Assert.Equal((ReferralStatus.Acknowledged, ReferralStatus.Acknowledged), (sent.Status, held.Status));
        Assert.Equal(before, History(sent));
        Assert.Equal(before, History(held));
        Assert.Equal(0, (await sender.ListOutboxAsync(new ListOutboxRequest(), Auth(nlOfficer))).Total);
        Assert.Equal(0, (await receiver.ListOutboxAsync(new ListOutboxRequest(), Auth(seOfficer))).Total);

        // Once ACTIVE, the sender can no longer withdraw; the receiver never could.
        await MoveAsync(receiver, seOfficer, id, ReferralStatus.Accepted);
        await MoveAsync(receiver, seOfficer, id, ReferralStatus.Active);
        await SettledAsync(sender, nlOfficer, id, ReferralStatus.Active);
        await Refused(sender, nlOfficer, ReferralStatus.Withdrawn, "no longer needed (synthetic)",
            $"Referral {id} is ACTIVE: a referral cannot go from ACTIVE to WITHDRAWN (from ACTIVE the sending side may go to: CLOSED).");
        await Refused(receiver, seOfficer, ReferralStatus.Withdrawn, "no longer needed (synthetic)",
            $"Referral {id} is ACTIVE: a referral cannot go from ACTIVE to WITHDRAWN (from ACTIVE the receiving side may go to: FOLLOW_UP, CLOSED).");
        await Refused(sender, nlOfficer, ReferralStatus.FollowUp, string.Empty,
            $"Referral {id} is ACTIVE: only the receiving side may move a referral from ACTIVE to FOLLOW_UP.");
        Assert.Equal(ReferralStatus.Active, (await SettledAsync(receiver, seOfficer, id, ReferralStatus.Active)).Status);
        Assert.Equal(History(await GetAsync(sender, nlOfficer, id)), History(await GetAsync(receiver, seOfficer, id)));
    }

    [Fact]
    public async Task Submit_ConsentNotCoveringTheReceiver_DraftKept_FailedPreconditionNamesConsentRecipientCountries()
    {
        await using var network = await TestNetwork.StartAsync();
        var (nl, se) = await StartPartnersAsync(network, "NL", "SE") switch { var n => (n[0], n[1]) };
        var nlOfficer = await TokenAsync(nl, "nl-officer", "referral_officer");
        var seOfficer = await TokenAsync(se, "se-officer", "referral_officer");
        using var nlChannel = nl.ConsoleChannel();
        using var seChannel = se.ConsoleChannel();
        var sender = new ReferralClient(nlChannel);
        var receiver = new ReferralClient(seChannel);
        var elsewhere = Form("NL", "SE");
        elsewhere.Consent.RecipientCountries.Clear();
        elsewhere.Consent.RecipientCountries.Add("FI");
        var notGiven = Form("NL", "SE", "SYN-0002");
        notGiven.Consent.Given = false;

        var drafts = new List<string>();
        foreach (var form in new[] { elsewhere, notGiven })
        {
            var draft = (await sender.CreateDraftAsync(new CreateDraftRequest { Form = form }, Auth(nlOfficer))).Referral;
            Assert.Equal(ReferralStatus.Draft, draft.Status);
            drafts.Add(draft.Header.ReferralId);
        }

        var uncovered = await RefusedAsync(sender.SubmitReferralAsync(new SubmitReferralRequest { ReferralId = drafts[0] }, Auth(nlOfficer)));
        Assert.Equal(StatusCode.FailedPrecondition, uncovered.StatusCode);
        Assert.Equal($"Referral {drafts[0]} cannot be submitted: consent.recipient_countries: the consent does not cover sending to SE (it covers: FI).", uncovered.Status.Detail);
        var withoutConsent = await RefusedAsync(sender.SubmitReferralAsync(new SubmitReferralRequest { ReferralId = drafts[1] }, Auth(nlOfficer)));
        Assert.Equal(StatusCode.FailedPrecondition, withoutConsent.StatusCode);
        Assert.Equal($"Referral {drafts[1]} cannot be submitted: consent.given: the person has not consented: no referral is submitted without consent.", withoutConsent.Status.Detail);

        foreach (var id in drafts)
        {
            var kept = await GetAsync(sender, nlOfficer, id);
            Assert.Equal(ReferralStatus.Draft, kept.Status);
            Assert.Equal(["created:DRAFT"], kept.History.Select(h => $"{h.Kind}:{ReferralStateMachine.Name(h.To)}"));
            var nothing = await RefusedAsync(receiver.GetReferralAsync(new GetReferralRequest { ReferralId = id }, Auth(seOfficer)));
            Assert.Equal(StatusCode.NotFound, nothing.StatusCode);
        }

        Assert.Equal(0, (await sender.ListOutboxAsync(new ListOutboxRequest(), Auth(nlOfficer))).Total);
        Assert.Empty(await AuditAsync(nl, "referral.submit"));
    }

    [Fact]
    public async Task NonPartner_CannotBeTheReceiverOfADraft_NorDeliverToThisNode()
    {
        await using var network = await TestNetwork.StartAsync();
        var nl = await network.StartNodeAsync("NL", configure: s =>
        {
            Partners(s);
            s["Node:Referrals:Partners:0"] = "SE";
        });
        await network.StartNodeAsync("SE", configure: Partners);
        var fi = await network.StartNodeAsync("FI", configure: Partners);
        await nl.WaitForSnapshotAsync(s => new[] { "SE", "FI" }.All(c => s.Members.Any(m => m.Country == c && !m.Certificate.IsEmpty)));
        var nlOfficer = await TokenAsync(nl, "nl-officer", "referral_officer");
        using var nlChannel = nl.ConsoleChannel();
        var sender = new ReferralClient(nlChannel);

        var draft = await RefusedAsync(sender.CreateDraftAsync(new CreateDraftRequest { Form = Form("NL", "FI") }, Auth(nlOfficer)));
        Assert.Equal(StatusCode.FailedPrecondition, draft.StatusCode);
        Assert.Equal("FI is not a referral partner of this node (Node:Referrals:Partners lists SE).", draft.Status.Detail);

        // FI's node, a member with a valid signature, is not a partner of NL either.
        var fromFinland = ReferralCrypto.Sign(Submission("FI", "NL", nl.Certificate), fi.Certificate);
        var delivered = await Assert.ThrowsAsync<RpcException>(() => DeliverAsync(nl, fi.Certificate, fromFinland));
        Assert.Equal(StatusCode.PermissionDenied, delivered.StatusCode);
        Assert.Equal("FI is not a referral partner of this node.", delivered.Status.Detail);

        Assert.Equal(0, (await sender.ListReferralsAsync(new ListReferralsRequest(), Auth(nlOfficer))).Total);
        var refused = Assert.Single(await AuditAsync(nl, "referral.refused"));
        Assert.Equal(("peer:FI", "/nremnet.referrals.v1.ReferralService/Deliver", "denied"), (refused.Actor, refused.Target, refused.Outcome));

        // SE, the partner, is still fine.
        var id = await SubmitAsync(sender, nlOfficer, Form("NL", "SE"));
        await SettledAsync(sender, nlOfficer, id, ReferralStatus.Acknowledged);
    }

    [Fact]
    public async Task CreateDraft_ManyInvalidFields_InvalidArgumentListingEveryOne_NothingStored()
    {
        await using var network = await TestNetwork.StartAsync();
        var (nl, _) = await StartPartnersAsync(network, "NL", "SE") switch { var n => (n[0], n[1]) };
        var nlOfficer = await TokenAsync(nl, "nl-officer", "referral_officer");
        using var nlChannel = nl.ConsoleChannel();
        var sender = new ReferralClient(nlChannel);
        var form = new ReferralForm
        {
            ReceiverCountry = "se",
            PersonReference = "Ana Popescu",
            PersonalData = new PersonalData { Sex = "female", DateOfBirth = "1999-13", Citizenship = "Romania" },
            Consent = new Consent { Given = true, Date = "2026-02-30", ExplainedInLanguage = "Romanian" },
            RetentionUntil = "2020-01-01",
        };
        form.Consent.RecipientCountries.Add("Sweden");

        var ex = await RefusedAsync(sender.CreateDraftAsync(new CreateDraftRequest { Form = form }, Auth(nlOfficer)));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        string[] expected =
        [
            "receiver_country", "phase", "purpose", "urgency", "sending_organisation", "receiving_organisation", "person_reference",
            "personal_data.sex", "personal_data.citizenship", "personal_data.date_of_birth", "safety_risks", "consent.date",
            "consent.explained_in_language", "consent.recipient_countries[0]", "legal_basis", "retention_until",
        ];
        var violations = ex.GetFieldViolations();
        Assert.Equal(expected, violations.Select(v => v.Field));
        Assert.All(violations, v => Assert.False(string.IsNullOrWhiteSpace(v.Description), v.Field));
        Assert.StartsWith($"The referral form has {expected.Length} problems: ", ex.Status.Detail, StringComparison.Ordinal);
        Assert.All(violations, v => Assert.Contains($"{v.Field} {v.Description}", ex.Status.Detail, StringComparison.Ordinal));
        Assert.Contains("'se' is not an ISO 3166-1 alpha-2 country code", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("2020-01-01 is not after today", ex.Status.Detail, StringComparison.Ordinal);

        Assert.Equal(0, (await sender.ListReferralsAsync(new ListReferralsRequest(), Auth(nlOfficer))).Total);
        Assert.Empty(await AuditAsync(nl, "referral.draft"));
    }
}

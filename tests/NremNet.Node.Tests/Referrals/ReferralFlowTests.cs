using Grpc.Core;
using NremNet.Contracts.Local.V1;
using NremNet.Contracts.Referrals.V1;
using NremNet.Node.Tests.Infrastructure;
using ReferralClient = NremNet.Contracts.Local.V1.ReferralService.ReferralServiceClient;
using static NremNet.Node.Tests.Referrals.ReferralFixtures;

namespace NremNet.Node.Tests.Referrals;

/// <summary>Referrals between real nodes: real TLS, real SQLite files, the real outbox.</summary>
public sealed class ReferralFlowTests
{
    [Fact]
    public async Task HappyPath_DraftToClosed_BothSidesHoldTheSameHistory_OnlyOfficersRead()
    {
        await using var network = await TestNetwork.StartAsync();
        var (nl, se) = await StartPartnersAsync(network, "NL", "SE") switch { var n => (n[0], n[1]) };
        var nlOfficer = await TokenAsync(nl, "nl-officer", "referral_officer");
        var seOfficer = await TokenAsync(se, "se-officer", "referral_officer");
        var seRapporteur = await TokenAsync(se, "se-rapporteur", "rapporteur");
        using var nlChannel = nl.ConsoleChannel();
        using var seChannel = se.ConsoleChannel();
        var sender = new ReferralClient(nlChannel);
        var receiver = new ReferralClient(seChannel);

        var draft = (await sender.CreateDraftAsync(new CreateDraftRequest { Form = Form("NL", "SE") }, Auth(nlOfficer))).Referral;
        Assert.Equal(ReferralStatus.Draft, draft.Status);
        var id = draft.Header.ReferralId;
        await sender.SubmitReferralAsync(new SubmitReferralRequest { ReferralId = id }, Auth(nlOfficer));

        // The receiving node acknowledges by itself; both sides settle on ACKNOWLEDGED.
        await SettledAsync(receiver, seOfficer, id, ReferralStatus.Acknowledged);
        await SettledAsync(sender, nlOfficer, id, ReferralStatus.Acknowledged);

        var read = await receiver.ReadPersonalDataAsync(new ReadPersonalDataRequest { ReferralId = id }, Auth(seOfficer));
        Assert.Equal("Synthetic", read.Content.PersonalData.GivenName);
        Assert.Equal("Synthetic assessment", read.Content.Attachments[0].Content.ToStringUtf8());
        var denied = await Assert.ThrowsAsync<RpcException>(() => receiver.ReadPersonalDataAsync(new ReadPersonalDataRequest { ReferralId = id }, Auth(seRapporteur)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);

        await receiver.TransitionReferralAsync(new TransitionReferralRequest { ReferralId = id, To = ReferralStatus.Accepted }, Auth(seOfficer));
        await receiver.TransitionReferralAsync(new TransitionReferralRequest { ReferralId = id, To = ReferralStatus.Active }, Auth(seOfficer));
        await SettledAsync(sender, nlOfficer, id, ReferralStatus.Active);
        await sender.AddReferralNoteAsync(new AddReferralNoteRequest { ReferralId = id, Text = "Flight details follow (synthetic)" }, Auth(nlOfficer));
        await receiver.AddReferralNoteAsync(new AddReferralNoteRequest { ReferralId = id, Text = "She arrived safely (synthetic)" }, Auth(seOfficer));
        await receiver.TransitionReferralAsync(new TransitionReferralRequest { ReferralId = id, To = ReferralStatus.FollowUp }, Auth(seOfficer));
        await SettledAsync(sender, nlOfficer, id, ReferralStatus.FollowUp);
        await sender.TransitionReferralAsync(new TransitionReferralRequest { ReferralId = id, To = ReferralStatus.Closed }, Auth(nlOfficer));

        var atSender = await SettledAsync(sender, nlOfficer, id, ReferralStatus.Closed);
        var atReceiver = await SettledAsync(receiver, seOfficer, id, ReferralStatus.Closed);
        Assert.Equal(
            ["created:DRAFT", "status:SUBMITTED", "status:ACKNOWLEDGED", "status:UNDER_ASSESSMENT", "status:ACCEPTED", "status:ACTIVE", "note:UNSPECIFIED", "note:UNSPECIFIED", "status:FOLLOW_UP", "status:CLOSED"],
            atSender.History.Select(h => $"{h.Kind}:{Domain.Referrals.ReferralStateMachine.Name(h.To)}").ToArray());
        Assert.Equal(Describe(atSender), Describe(atReceiver));
        Assert.All(atSender.History, h => Assert.True(h.Delivered));

        var notes = await receiver.ReadPersonalDataAsync(new ReadPersonalDataRequest { ReferralId = id }, Auth(seOfficer));
        Assert.Equal(["Flight details follow (synthetic)", "She arrived safely (synthetic)"], notes.Notes.Select(n => n.Text).Order().ToArray());
        var senderNotes = await sender.ReadPersonalDataAsync(new ReadPersonalDataRequest { ReferralId = id }, Auth(nlOfficer));
        Assert.Equal(2, senderNotes.Notes.Count);
    }

    private static string[] Describe(Referral referral) =>
        [.. referral.History.Select(h => $"{h.MessageId} {h.Country} {h.Actor} {h.Kind} {h.From}->{h.To} {h.Reason} {h.At}")];
}

using System.Security.Cryptography.X509Certificates;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using NremNet.Contracts.Local.V1;
using NremNet.Contracts.Referrals.V1;
using NremNet.Domain.Audit;
using NremNet.Domain.Referrals;
using NremNet.Node.Audit;
using NremNet.Node.Tests.Infrastructure;
using ReferralClient = NremNet.Contracts.Local.V1.ReferralService.ReferralServiceClient;
using ReferralPeerClient = NremNet.Contracts.Referrals.V1.ReferralService.ReferralServiceClient;

namespace NremNet.Node.Tests.Referrals;

/// <summary>Referral nodes and officers for tests: synthetic forms, tokens, waiting for delivery.</summary>
internal static class ReferralFixtures
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Settings for a node that exchanges referrals with every member and retries fast.</summary>
    public static void Partners(IDictionary<string, string?> settings)
    {
        settings["Node:Referrals:Partners:0"] = "*";
        settings["Node:Referrals:MaxBackoff"] = "00:00:01";
        settings["Node:Referrals:CircuitBreakDuration"] = "00:00:01";
    }

    /// <summary>Starts <paramref name="countries"/> as referral partners and waits until each holds the others' certificates.</summary>
    public static async Task<TestNode[]> StartPartnersAsync(TestNetwork network, params string[] countries)
    {
        var nodes = new List<TestNode>();
        foreach (var country in countries)
        {
            nodes.Add(await network.StartNodeAsync(country, configure: Partners));
        }

        foreach (var node in nodes)
        {
            await node.WaitForSnapshotAsync(s => countries.All(c => s.Members.Any(m => m.Country == c && !m.Certificate.IsEmpty)));
        }

        return [.. nodes];
    }

    /// <summary>A complete, valid, SYNTHETIC referral form from <paramref name="sender"/> to <paramref name="receiver"/>.</summary>
    public static ReferralForm Form(string sender, string receiver, string reference = "SYN-0001")
    {
        var form = new ReferralForm
        {
            ReceiverCountry = receiver,
            Phase = Phase.FirstAssistance,
            Purpose = Purpose.Assistance,
            Urgency = Urgency.Urgent,
            SendingOrganisation = new Organisation { Name = $"Synthetic NGO {sender}", Unit = "TRM desk", Email = "trm@sender.nremnet.example" },
            ReceivingOrganisation = new Organisation { Name = $"Synthetic shelter {receiver}", Email = "trm@receiver.nremnet.example" },
            PersonReference = $"{sender}-{reference}",
            PersonalData = new PersonalData { GivenName = "Synthetic", FamilyName = "Person", Sex = "F", Citizenship = "RO", DateOfBirth = "1999-04", Contact = "via the sending NGO (synthetic)" },
            Consent = new Consent { Given = true, Date = "2026-11-01", ExplainedInLanguage = "ro", WithdrawalExplained = true },
            LegalBasis = "GDPR art. 6(1)(e), 9(2)(g) (synthetic test)",
            RetentionUntil = DateTime.UtcNow.AddYears(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        };
        form.PersonalData.Languages.Add("ro");
        form.Needs.Add("shelter and medical care (synthetic)");
        form.SafetyRisks.Add(new SafetyRisk { Description = "exploiter may look for her (synthetic)", Level = RiskLevel.High });
        form.Consent.DataScope.AddRange([DataCategory.Identity, DataCategory.DateOfBirth, DataCategory.Contact, DataCategory.Languages]);
        form.Consent.RecipientCountries.Add(receiver);
        form.Attachments.Add(new Attachment { Name = "assessment.txt", MediaType = "text/plain", Content = ByteString.CopyFrom(Encoding.UTF8.GetBytes("Synthetic assessment")) });
        return form;
    }

    public static CallOptions Auth(string token) => new(new Metadata { { "authorization", "Bearer " + token } });

    /// <summary>Adds a user with one role on a (running) node and returns a token.</summary>
    public static Task<string> TokenAsync(TestNode node, string user, string role) =>
        TokenAsync(Path.Combine(Path.GetDirectoryName(node.CertificateFile)!, "..", "node-" + node.Country), node.CertificateFile, node.KeyFile, user, role, TimeSpan.FromHours(1));

    /// <summary>Adds a user with one role to the node whose data folder is <paramref name="dataDirectory"/> and returns a token valid for <paramref name="lifetime"/>.</summary>
    public static async Task<string> TokenAsync(string dataDirectory, string certificateFile, string keyFile, string user, string role, TimeSpan lifetime)
    {
        var setup = await NodeSetup.OpenAsync(dataDirectory, certificateFile, keyFile, Ct);
        await setup.AddUserAsync(user, user, [role], null, Ct);
        return await setup.CreateTokenAsync(user, "test", lifetime, Ct);
    }

    /// <summary>Waits until the referral has <paramref name="status"/> and nothing undelivered on this node.</summary>
    public static async Task<Referral> SettledAsync(ReferralClient client, string token, string referralId, ReferralStatus status, TimeSpan? within = null)
    {
        Referral? last = null;
        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                last = (await client.GetReferralAsync(new GetReferralRequest { ReferralId = referralId }, Auth(token))).Referral;
                return last.Status == status && last.Undelivered == 0;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
            {
                return false;
            }
        }, $"referral {referralId} reaching {status} (last seen {last?.Status}, undelivered {last?.Undelivered})", within ?? TimeSpan.FromSeconds(30));
        return last!;
    }

    /// <summary>Creates a draft from <paramref name="form"/> and submits it; returns the referral id.</summary>
    public static async Task<string> SubmitAsync(ReferralClient client, string token, ReferralForm form)
    {
        var id = (await client.CreateDraftAsync(new CreateDraftRequest { Form = form }, Auth(token))).Referral.Header.ReferralId;
        await client.SubmitReferralAsync(new SubmitReferralRequest { ReferralId = id }, Auth(token));
        return id;
    }

    /// <summary>Moves a referral; the response's referral.</summary>
    public static async Task<Referral> MoveAsync(ReferralClient client, string token, string referralId, ReferralStatus to, string reason = "") =>
        (await client.TransitionReferralAsync(new TransitionReferralRequest { ReferralId = referralId, To = to, Reason = reason }, Auth(token))).Referral;

    /// <summary>The referral as the node shows it to an officer.</summary>
    public static async Task<Referral> GetAsync(ReferralClient client, string token, string referralId) =>
        (await client.GetReferralAsync(new GetReferralRequest { ReferralId = referralId }, Auth(token))).Referral;

    /// <summary>A referral's history, one line per entry, to compare both sides.</summary>
    public static string[] History(Referral referral) =>
        [.. referral.History.Select(h => $"{h.MessageId} {h.Country} {h.Actor} {h.Kind} {h.From}->{h.To} {h.Reason} {h.At}")];

    /// <summary>The call's refusal.</summary>
    public static Task<RpcException> RefusedAsync<T>(AsyncUnaryCall<T> call) => Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

    /// <summary>The node's audit entries with <paramref name="action"/>, oldest first.</summary>
    public static async Task<IReadOnlyList<AuditRecord>> AuditAsync(TestNode node, string action) =>
        [.. (await node.App.Services.GetRequiredService<AuditLog>().ListAsync(10_000, 0, action, Ct)).Select(e => e.Record).Reverse()];

    /// <summary>A message of referral <paramref name="referralId"/> from <paramref name="from"/> to <paramref name="to"/>, without a body.</summary>
    public static ReferralMessage Message(string referralId, string from, string to, ulong sequence, ulong clock) => new()
    {
        MessageId = Guid.CreateVersion7().ToString(),
        ReferralId = referralId,
        FromCountry = from,
        ToCountry = to,
        Sequence = sequence,
        Clock = clock,
        CreatedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
        Actor = "test-officer",
    };

    /// <summary>
    /// The submission of a new referral as the sending node makes it: the header in the clear, the content of
    /// <see cref="Form"/> sealed for <paramref name="recipient"/> and bound to this message.
    /// </summary>
    public static ReferralMessage Submission(string from, string to, X509Certificate2 recipient)
    {
        var form = Form(from, to);
        var message = Message(Guid.CreateVersion7().ToString(), from, to, sequence: 1, clock: 1);
        var header = new ReferralHeader
        {
            ReferralId = message.ReferralId,
            SenderCountry = from,
            ReceiverCountry = to,
            Phase = form.Phase,
            Purpose = form.Purpose,
            Urgency = form.Urgency,
            SendingOrganisation = form.SendingOrganisation,
            ReceivingOrganisation = form.ReceivingOrganisation,
            PersonReference = form.PersonReference,
            Consent = form.Consent,
            LegalBasis = form.LegalBasis,
            RetentionUntil = form.RetentionUntil,
            CreatedAt = message.CreatedAt,
            CreatedBy = message.Actor,
        };
        header.SendingOrganisation.Country = from;
        header.ReceivingOrganisation.Country = to;
        header.DataCategories.AddRange(ReferralForms.DistinctCategories(form.PersonalData));
        var content = new ReferralContent { PersonalData = form.PersonalData };
        content.Needs.AddRange(form.Needs);
        content.SafetyRisks.AddRange(form.SafetyRisks);
        content.Attachments.AddRange(form.Attachments);
        message.Submission = new Submission
        {
            Header = header,
            Content = ReferralCrypto.Seal(content, recipient, ReferralCrypto.Binding(message.ReferralId, message.MessageId, from, to)),
        };
        return message;
    }

    /// <summary>A change of status of referral <paramref name="referralId"/> made on the <paramref name="from"/> side.</summary>
    public static ReferralMessage StatusChange(string referralId, string from, string to, ulong sequence, ulong clock, ReferralStatus before, ReferralStatus after, string reason = "")
    {
        var message = Message(referralId, from, to, sequence, clock);
        message.StatusChange = new StatusChange { From = before, To = after, Reason = reason };
        return message;
    }

    /// <summary>Delivers a signed submission to <paramref name="receiver"/>'s peer API presenting <paramref name="caller"/>.</summary>
    public static async Task<SignedReceipt> DeliverAsync(TestNode receiver, X509Certificate2? caller, SignedMessage message)
    {
        using var channel = receiver.PeerChannel(caller);
        return (await new ReferralPeerClient(channel).DeliverAsync(new DeliverRequest { Message = message }).ResponseAsync).Receipt;
    }

    /// <summary>Sends a signed status change to <paramref name="receiver"/>'s peer API presenting <paramref name="caller"/>.</summary>
    public static async Task<SignedReceipt> ChangeStatusAsync(TestNode receiver, X509Certificate2 caller, SignedMessage message)
    {
        using var channel = receiver.PeerChannel(caller);
        return (await new ReferralPeerClient(channel).ChangeStatusAsync(new ChangeStatusRequest { Message = message }).ResponseAsync).Receipt;
    }
}

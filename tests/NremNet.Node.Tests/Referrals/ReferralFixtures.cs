using System.Text;
using Google.Protobuf;
using NremNet.Clients;
using NremNet.Contracts.Local.V1;
using NremNet.Contracts.Referrals.V1;
using NremNet.Node.Tests.Infrastructure;
using NremNet.Rpc;

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
    public static async Task<string> TokenAsync(TestNode node, string user, string role)
    {
        var setup = await NodeSetup.OpenAsync(Path.Combine(Path.GetDirectoryName(node.CertificateFile)!, "..", "node-" + node.Country), node.CertificateFile, node.KeyFile, Ct);
        await setup.AddUserAsync(user, user, [role], null, Ct);
        return await setup.CreateTokenAsync(user, "test", TimeSpan.FromHours(1), Ct);
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
}

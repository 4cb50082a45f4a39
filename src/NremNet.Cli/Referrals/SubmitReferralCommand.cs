using System.CommandLine;
using Google.Protobuf;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;

namespace NremNet.Cli.Referrals;

/// <summary><c>nremnet referral submit ID</c>: sends a draft to the receiving country; delivery follows through the node's outbox.</summary>
internal sealed class SubmitReferralCommand(CliContext context)
    : ReferralChangeCommand(context, "submit", "Submit a draft to the receiving country: DRAFT → SUBMITTED (sending side). Needs consent covering that country and every kind of data the referral carries; the node delivers it, retrying until the other side holds it (see 'referral outbox').")
{
    protected override async Task<(IMessage Response, Referral Referral)> ChangeAsync(ReferralService.ReferralServiceClient client, string id, ParseResult parse, CancellationToken cancellationToken)
    {
        var response = await client.SubmitReferralAsync(new SubmitReferralRequest { ReferralId = id }, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        return (response, response.Referral);
    }
}

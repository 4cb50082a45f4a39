using System.CommandLine;
using Google.Protobuf;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;
using NremNet.Contracts.Referrals.V1;
using NremNet.Domain.Referrals;
using ReferralService = NremNet.Contracts.Local.V1.ReferralService;

namespace NremNet.Cli.Referrals;

/// <summary>
/// <c>nremnet referral assess|accept|decline|activate|follow-up|close|withdraw ID</c>: one verb per target status, each
/// asking the node to move the referral there. <c>--reason</c> is required where the status machine requires one
/// (decline, withdraw) and may be given for the others.
/// </summary>
internal sealed class TransitionReferralCommand : ReferralChangeCommand
{
    private readonly ReferralStatus _to;
    private readonly Option<string?> _reason;

    public TransitionReferralCommand(CliContext context, string name, ReferralStatus to, string description)
        : base(context, name, description)
    {
        _to = to;
        var required = ReferralStateMachine.Transitions.Any(t => t.To == to && t.ReasonRequired);
        _reason = new Option<string?>("--reason")
        {
            Description = required ? "Why (required; the other side sees it)." : "Why (optional; the other side sees it).",
            Required = required,
        };
        Options.Add(_reason);
    }

    protected override async Task<(IMessage Response, Referral Referral)> ChangeAsync(ReferralService.ReferralServiceClient client, string id, ParseResult parse, CancellationToken cancellationToken)
    {
        var reason = parse.GetValue(_reason)?.Trim() ?? string.Empty;
        if (_reason.Required && reason.Length == 0)
        {
            throw new CliException(ExitCodes.Usage, $"--reason is empty; say why the referral is {ReferralText.Status(_to)}.");
        }

        var request = new TransitionReferralRequest { ReferralId = id, To = _to, Reason = reason };
        var response = await client.TransitionReferralAsync(request, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        return (response, response.Referral);
    }
}

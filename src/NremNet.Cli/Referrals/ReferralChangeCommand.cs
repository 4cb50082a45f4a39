using System.CommandLine;
using Google.Protobuf;
using NremNet.Cli.Cli;
using NremNet.Contracts.Local.V1;

namespace NremNet.Cli.Referrals;

/// <summary>
/// A verb that moves one referral to another status: it prints the new status and the last line of its history. The
/// node decides whether the move is allowed; its refusal (FAILED_PRECONDITION, naming the moves that are) is shown as it is.
/// </summary>
internal abstract class ReferralChangeCommand : ReferralVerb
{
    private readonly Argument<string> _id = IdArgument();

    protected ReferralChangeCommand(CliContext context, string name, string description)
        : base(context, name, description)
    {
        Arguments.Add(_id);
    }

    /// <summary>Makes the change; returns the node's response and the referral after the change.</summary>
    protected abstract Task<(IMessage Response, Referral Referral)> ChangeAsync(ReferralService.ReferralServiceClient client, string id, ParseResult parse, CancellationToken cancellationToken);

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        using var session = Open(parse);
        var id = await session.IdAsync(parse.GetValue(_id)!, cancellationToken).ConfigureAwait(false);
        var (response, referral) = await ChangeAsync(session.Client, id, parse, cancellationToken).ConfigureAwait(false);
        if (WroteJson(response))
        {
            return ExitCodes.Ok;
        }

        Output.Success($"Referral {id} ({ReferralText.Way(referral)}) is now {ReferralText.StatusLine(referral)}.");
        Output.Line("  " + ReferralText.Tail(referral, session.Profile.Node));
        return ExitCodes.Ok;
    }
}

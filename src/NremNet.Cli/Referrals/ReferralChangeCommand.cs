using System.CommandLine;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Clients;
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

    /// <summary>Makes the change; returns the referral after it.</summary>
    protected abstract Task<Referral> ChangeAsync(ReferralClient client, string id, ParseResult parse, CancellationToken cancellationToken);

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        using var connection = NodeConnection.Open(Profile(parse));
        var client = new ReferralClient(connection.Invoker);
        var id = await ResolveIdAsync(client, parse.GetValue(_id)!, cancellationToken).ConfigureAwait(false);
        var referral = await ChangeAsync(client, id, parse, cancellationToken).ConfigureAwait(false);
        if (Output.Json)
        {
            WriteMessage(referral);
            return ExitCodes.Ok;
        }

        Output.Success($"Referral {id} ({ReferralText.Way(referral)}) is now {ReferralText.StatusLine(referral)}.");
        Output.Line("  " + ReferralText.Tail(referral, connection.Profile.Node));
        return ExitCodes.Ok;
    }
}

using System.CommandLine;
using NremNet.Cli.Cli;
using NremNet.Contracts.Referrals.V1;

namespace NremNet.Cli.Referrals;

/// <summary><c>nremnet referral</c>: transnational referrals, as a referral officer writes, sends, follows and answers them.</summary>
internal static class ReferralCommands
{
    public static Command Create(CliContext context)
    {
        var referral = new Command(
            "referral",
            "Transnational referrals: write one from a form file, submit it to another country, follow it and answer incoming ones (referral officer). "
            + "Runs as --profile, else a referral officer profile of --node, else the current profile when it is a referral officer's, else the referral officer profile of the current profile's node.");
        referral.Subcommands.Add(new NewReferralCommand(context));
        referral.Subcommands.Add(new SubmitReferralCommand(context));
        referral.Subcommands.Add(new ListReferralsCommand(context));
        referral.Subcommands.Add(new ShowReferralCommand(context));
        referral.Subcommands.Add(new ReadReferralCommand(context));
        referral.Subcommands.Add(new TransitionReferralCommand(context, "assess", ReferralStatus.UnderAssessment, "Start assessing an incoming referral: ACKNOWLEDGED → UNDER_ASSESSMENT (receiving side)."));
        referral.Subcommands.Add(new TransitionReferralCommand(context, "accept", ReferralStatus.Accepted, "Take an incoming referral on: UNDER_ASSESSMENT → ACCEPTED (receiving side)."));
        referral.Subcommands.Add(new TransitionReferralCommand(context, "decline", ReferralStatus.Declined, "Decline an incoming referral, with a reason the sender sees: UNDER_ASSESSMENT → DECLINED (receiving side)."));
        referral.Subcommands.Add(new TransitionReferralCommand(context, "activate", ReferralStatus.Active, "Assistance or action has started: ACCEPTED → ACTIVE (receiving side)."));
        referral.Subcommands.Add(new TransitionReferralCommand(context, "follow-up", ReferralStatus.FollowUp, "Action done, following up: ACTIVE → FOLLOW_UP (receiving side)."));
        referral.Subcommands.Add(new TransitionReferralCommand(context, "close", ReferralStatus.Closed, "Close a referral: ACTIVE or FOLLOW_UP → CLOSED (either side); its personal data is purged after the retention period."));
        referral.Subcommands.Add(new TransitionReferralCommand(context, "withdraw", ReferralStatus.Withdrawn, "Withdraw a referral this node sent, with a reason, any time before it is ACTIVE (sending side)."));
        referral.Subcommands.Add(new AddReferralNoteCommand(context));
        referral.Subcommands.Add(new OutboxCommand(context));
        return referral;
    }
}

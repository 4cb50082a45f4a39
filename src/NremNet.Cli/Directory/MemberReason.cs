using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;

namespace NremNet.Cli.Directory;

/// <summary>The reason the secretariat gives for suspending or removing a member.</summary>
internal static class MemberReason
{
    public static string Require(string? reason) =>
        string.IsNullOrWhiteSpace(reason)
            ? throw new CliException(ExitCodes.Usage, "--reason is empty; say why, for the record (e.g. --reason \"certificate compromised\").")
            : reason.Trim();
}

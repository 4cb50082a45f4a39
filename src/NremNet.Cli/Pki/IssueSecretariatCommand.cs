using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Domain.Pki;

namespace NremNet.Cli.Pki;

/// <summary><c>nremnet pki issue-secretariat</c>: the certificate with which the secretariat administers the directory.</summary>
internal sealed class IssueSecretariatCommand : IssueCommand
{
    private readonly Option<string?> _holder = new("--holder") { Description = "Who holds it, shown in its subject (default: your user name)." };

    public IssueSecretariatCommand(CliContext context)
        : base(context, "issue-secretariat", "Issue the secretariat's client certificate (secretariat.crt, and secretariat.key readable by you only), which may approve, suspend and remove members.")
    {
        Options.Add(_holder);
    }

    protected override (string FileName, Func<X509Certificate2, DateTimeOffset, TimeSpan, X509Certificate2> Issue) Prepare(ParseResult parse)
    {
        var holder = parse.GetValue(_holder) ?? Environment.UserName;
        if (string.IsNullOrWhiteSpace(holder))
        {
            throw new CliException(ExitCodes.Usage, "--holder is empty; name the person or office that holds the certificate.");
        }

        return ("secretariat", (authority, now, lifetime) => NetworkCertificates.IssueSecretariat(authority, holder.Trim(), now, lifetime));
    }
}

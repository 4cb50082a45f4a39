using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using NremNet.Cli.Cli;
using NremNet.Domain.Pki;

namespace NremNet.Cli.Pki;

/// <summary><c>nremnet pki issue-directory</c>: the directory's certificate, which also signs its snapshots.</summary>
internal sealed class IssueDirectoryCommand : IssueCommand
{
    private readonly Option<string[]> _hosts = HostOption("directory");

    public IssueDirectoryCommand(CliContext context)
        : base(context, "issue-directory", "Issue the directory's certificate (directory.crt, and directory.key readable by you only); its key signs the member snapshots.")
    {
        Options.Add(_hosts);
    }

    protected override (string FileName, Func<X509Certificate2, DateTimeOffset, TimeSpan, X509Certificate2> Issue) Prepare(ParseResult parse)
    {
        var hosts = Hosts(parse, _hosts);
        return ("directory", (authority, now, lifetime) => NetworkCertificates.IssueDirectory(authority, hosts, now, lifetime));
    }
}

using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using NremNet.Cli.Cli;
using NremNet.Domain.Pki;

namespace NremNet.Cli.Pki;

/// <summary><c>nremnet pki issue</c>: a country node's certificate, naming its country.</summary>
internal sealed class IssueNodeCommand : IssueCommand
{
    private readonly Option<string> _country = new("--country") { Description = "The node's country, ISO 3166-1 alpha-2 (e.g. NL); the certificate names it and the file is called after it.", Required = true };
    private readonly Option<string[]> _hosts = HostOption("node");

    public IssueNodeCommand(CliContext context)
        : base(context, "issue", "Issue a country node's certificate (XX.crt, and XX.key readable by you only) under the network CA.")
    {
        Options.Add(_country);
        Options.Add(_hosts);
    }

    protected override (string FileName, Func<X509Certificate2, DateTimeOffset, TimeSpan, X509Certificate2> Issue) Prepare(ParseResult parse)
    {
        var country = CliValues.Country(parse.GetValue(_country), "--country");
        var hosts = Hosts(parse, _hosts);
        return (country, (authority, now, lifetime) => NetworkCertificates.IssueNode(authority, country, hosts, now, lifetime));
    }
}

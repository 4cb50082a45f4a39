using System.CommandLine;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Domain.Pki;

namespace NremNet.Cli.Pki;

/// <summary><c>nremnet pki init-ca</c>: creates the network CA that the secretariat holds.</summary>
internal sealed class InitCaCommand : VerbCommand
{
    private readonly Option<string> _dir = new("--dir") { Description = "Folder to write ca.crt and ca.key into.", DefaultValueFactory = _ => "pki" };
    private readonly Option<string> _name = new("--name") { Description = "The CA's name, shown as its subject.", DefaultValueFactory = _ => "NremNet network CA" };
    private readonly Option<int> _days = new("--days") { Description = "How many days the CA is valid; every certificate it issues must expire before it.", DefaultValueFactory = _ => 3650 };
    private readonly Option<bool> _force = new("--force") { Description = "Replace an existing CA. Every certificate it issued stops being trusted." };

    public InitCaCommand(CliContext context)
        : base(context, "init-ca", "Create the network CA (ca.crt, and ca.key readable by you only). Whoever holds ca.key can admit members: keep it offline.")
    {
        Options.Add(_dir);
        Options.Add(_name);
        Options.Add(_days);
        Options.Add(_force);
    }

    protected override Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var dir = parse.GetValue(_dir)!;
        var name = parse.GetValue(_name);
        var force = parse.GetValue(_force);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new CliException(ExitCodes.Usage, "--name is empty; give the CA a name, e.g. \"NremNet network CA\".");
        }

        var lifetime = CliValues.Days(parse.GetValue(_days), "--days");
        PkiFiles.EnsureWritable(dir, PkiFiles.AuthorityName, force, "every certificate the old CA issued stops being trusted");
        using var authority = NetworkCertificates.CreateAuthority(name, Context.Time.GetUtcNow(), lifetime);
        PkiFiles.WriteAndReport(Output, authority, dir, PkiFiles.AuthorityName, force);
        if (!Output.Json)
        {
            Output.Warning($"Keep {Path.Combine(dir, PkiFiles.AuthorityName + ".key")} secret, ideally offline: whoever holds it can admit members to the network.");
            Output.Line($"Next: issue certificates with 'nremnet pki issue --country XX --ca-dir {dir}', 'nremnet pki issue-directory' and 'nremnet pki issue-secretariat'.");
        }

        return Task.FromResult(ExitCodes.Ok);
    }
}

using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;

namespace NremNet.Cli.Pki;

/// <summary>
/// What the verbs that issue a certificate under the network CA share: where the CA is, where the files go, how long the
/// certificate lives, and refusing to overwrite.
/// </summary>
internal abstract class IssueCommand : VerbCommand
{
    private readonly Option<string> _caDir = new("--ca-dir") { Description = "Folder holding the network CA (ca.crt and ca.key).", DefaultValueFactory = _ => "pki" };
    private readonly Option<string?> _out = new("--out") { Description = "Folder to write the certificate and key into (default: the --ca-dir folder)." };
    private readonly Option<int> _days = new("--days") { Description = "How many days the certificate is valid (at most until the CA expires).", DefaultValueFactory = _ => 397 };
    private readonly Option<bool> _force = new("--force") { Description = "Replace an existing certificate and key of the same name; the old ones stop matching the directory's entry." };

    protected IssueCommand(CliContext context, string name, string description)
        : base(context, name, description)
    {
        Options.Add(_caDir);
        Options.Add(_out);
        Options.Add(_days);
        Options.Add(_force);
    }

    /// <summary>Reads and checks the verb's own options; returns the file name and how to make the certificate.</summary>
    protected abstract (string FileName, Func<X509Certificate2, DateTimeOffset, TimeSpan, X509Certificate2> Issue) Prepare(ParseResult parse);

    protected sealed override Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var (fileName, issue) = Prepare(parse);
        var caDir = parse.GetValue(_caDir)!;
        var outDir = parse.GetValue(_out) ?? caDir;
        var force = parse.GetValue(_force);
        var lifetime = CliValues.Days(parse.GetValue(_days), "--days");
        PkiFiles.EnsureWritable(outDir, fileName, force, "the old certificate no longer matches what the directory records for it");
        using var authority = PkiFiles.LoadAuthority(caDir);
        using var certificate = issue(authority, Context.Time.GetUtcNow(), lifetime);
        PkiFiles.WriteAndReport(Output, certificate, outDir, fileName, force);
        return Task.FromResult(ExitCodes.Ok);
    }

    /// <summary>The <c>--host</c> option of certificates that serve: repeatable, localhost and 127.0.0.1 by default.</summary>
    protected static Option<string[]> HostOption(string what) => new("--host")
    {
        Description = $"A DNS name or IP address the {what} answers on; repeat for several (default: localhost and 127.0.0.1).",
        DefaultValueFactory = _ => ["localhost", "127.0.0.1"],
        Arity = ArgumentArity.OneOrMore,
    };

    /// <summary>Host names and addresses, checked.</summary>
    protected static IReadOnlyList<string> Hosts(ParseResult parse, Option<string[]> option)
    {
        var hosts = (parse.GetValue(option) ?? []).Select(h => h.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var bad = hosts.Where(h => Uri.CheckHostName(h) == UriHostNameType.Unknown).ToList();
        if (hosts.Count == 0 || bad.Count > 0)
        {
            throw new CliException(ExitCodes.Usage, hosts.Count == 0
                ? "--host needs at least one DNS name or IP address."
                : $"--host {string.Join(", ", bad.Select(b => $"'{b}'"))} is not a DNS name or IP address.");
        }

        return hosts;
    }
}

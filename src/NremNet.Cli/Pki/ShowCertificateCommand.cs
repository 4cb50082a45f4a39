using System.CommandLine;
using NremNet.Cli.Cli;
using NremNet.Domain.Membership;
using NremNet.Hosting.Certificates;

namespace NremNet.Cli.Pki;

/// <summary><c>nremnet pki show FILE</c>: what a certificate says, and optionally whether it chains to the network CA.</summary>
internal sealed class ShowCertificateCommand : VerbCommand
{
    private readonly Argument<string> _file = new("file") { Description = "The certificate (PEM), e.g. pki/NL.crt." };
    private readonly Option<string?> _ca = new("--ca") { Description = "Also check that the certificate chains to this network CA (PEM) and is valid now; exit code 8 when not." };

    public ShowCertificateCommand(CliContext context)
        : base(context, "show", "Show a certificate: subject, network identity, SHA-256 thumbprint, validity and issuer.")
    {
        Arguments.Add(_file);
        Options.Add(_ca);
    }

    protected override Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var file = parse.GetValue(_file)!;
        using var certificate = PemFiles.Load(file);
        var summary = CertificateSummary.Of(certificate);
        var now = Context.Time.GetUtcNow();
        var current = now >= summary.NotBefore && now < summary.NotAfter;

        string? caFile = parse.GetValue(_ca);
        bool? chains = null;
        var problem = string.Empty;
        if (caFile is not null)
        {
            using var authority = PemFiles.Load(caFile);
            chains = SnapshotSigning.ChainsTo(certificate, authority, now, out problem);
        }

        if (Output.Json)
        {
            Output.WriteJson(new { file = Path.GetFullPath(file), certificate = summary, validNow = current, chainsToCa = chains, chainProblem = chains == false ? problem : null });
        }
        else
        {
            Output.Line(file);
            summary.WriteTo(Output);
            if (!current)
            {
                Output.Warning(now < summary.NotBefore ? $"Not valid yet: it starts {CliValues.Time(summary.NotBefore)}." : $"Expired {CliValues.Time(summary.NotAfter)}; issue a new one.");
            }

            if (chains == true)
            {
                Output.Success($"Chains to the network CA {caFile}.");
            }
            else if (chains == false)
            {
                Output.Error($"Does not chain to the network CA {caFile}: {problem}");
            }
        }

        return Task.FromResult(chains == false ? ExitCodes.CheckFailed : ExitCodes.Ok);
    }
}

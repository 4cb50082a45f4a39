using System.Security.Cryptography.X509Certificates;
using NremNet.Cli.Cli;
using NremNet.Cli.Tests.Infrastructure;
using NremNet.Domain.Membership;
using NremNet.Domain.Pki;
using NremNet.Hosting.Certificates;

namespace NremNet.Cli.Tests.Pki;

public sealed class PkiCommandsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public PkiCommandsTests(ITestOutputHelper log)
    {
        Cli = new CliRunner(_folder.Combine("profiles.json"), log);
    }

    private CliRunner Cli { get; }

    private string Pki => _folder.Combine("pki");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task InitCa_WritesSelfSignedAuthorityWithOwnerOnlyKey()
    {
        var run = await Cli.SucceedAsync("--json", "pki", "init-ca", "--dir", Pki, "--name", "Test network CA", "--days", "30");

        using var authority = PemFiles.LoadWithKey(Path.Combine(Pki, "ca.crt"), Path.Combine(Pki, "ca.key"));
        Assert.Equal(FileModes.OwnerOnly, FileModes.Of(Path.Combine(Pki, "ca.key")));
        Assert.Contains("CN=Test network CA", authority.Subject, StringComparison.Ordinal);
        Assert.Equal(authority.Subject, authority.Issuer);
        Assert.True(authority.Extensions["2.5.29.19"] is X509BasicConstraintsExtension { CertificateAuthority: true });
        Assert.InRange((authority.NotAfter.ToUniversalTime() - DateTime.UtcNow).TotalDays, 29.9, 30.1);
        Assert.Equal(NetworkIdentity.Thumbprint(authority), run.Json.GetProperty("certificate").GetProperty("thumbprint").GetString());
        Assert.Equal(Path.Combine(Pki, "ca.key"), run.Json.GetProperty("keyFile").GetString());
    }

    [Fact]
    public async Task Issue_NodeCertificate_ChainsToCaNamesCountryAndHosts()
    {
        await Cli.SucceedAsync("pki", "init-ca", "--dir", Pki);
        var run = await Cli.SucceedAsync("pki", "issue", "--country", "nl", "--ca-dir", Pki, "--host", "nremnet.example.nl", "--host", "10.1.2.3");

        using var certificate = PemFiles.LoadWithKey(Path.Combine(Pki, "NL.crt"), Path.Combine(Pki, "NL.key"));
        using var authority = PemFiles.Load(Path.Combine(Pki, "ca.crt"));
        Assert.Equal(new NetworkIdentity(NetworkRole.Node, "NL"), NetworkIdentity.Read(certificate));
        Assert.True(SnapshotSigning.ChainsTo(certificate, authority, DateTimeOffset.UtcNow, out var problem), problem);
        Assert.Equal(FileModes.OwnerOnly, FileModes.Of(Path.Combine(Pki, "NL.key")));
        var names = Assert.IsType<X509SubjectAlternativeNameExtension>(certificate.Extensions["2.5.29.17"]);
        Assert.Equal(["nremnet.example.nl"], names.EnumerateDnsNames());
        Assert.Equal(["10.1.2.3"], names.EnumerateIPAddresses().Select(a => a.ToString()));
        Assert.InRange((certificate.NotAfter.ToUniversalTime() - DateTime.UtcNow).TotalDays, 396.9, 397.1);

        // What it printed for people: the files, the identity, the thumbprint and the expiry.
        Assert.Contains(run.Output.Successes, s => s.Contains(Path.Combine(Pki, "NL.crt"), StringComparison.Ordinal));
        Assert.Contains(run.Output.Lines, l => l.Contains(NetworkIdentity.Thumbprint(certificate), StringComparison.Ordinal));
        Assert.Contains(run.Output.Lines, l => l.Contains("node NL", StringComparison.Ordinal));
        Assert.Contains(run.Output.Lines, l => l.Contains(certificate.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
    }

    [Fact]
    public async Task IssueDirectoryAndSecretariat_WriteCertificatesForTheirRoles()
    {
        var output = _folder.Combine("out");
        await Cli.SucceedAsync("pki", "init-ca", "--dir", Pki);
        await Cli.SucceedAsync("pki", "issue-directory", "--ca-dir", Pki, "--out", output);
        await Cli.SucceedAsync("pki", "issue-secretariat", "--ca-dir", Pki, "--out", output, "--holder", "Network Secretariat", "--days", "90");

        using var authority = PemFiles.Load(Path.Combine(Pki, "ca.crt"));
        foreach (var (name, role) in new[] { ("directory", NetworkRole.Directory), ("secretariat", NetworkRole.Secretariat) })
        {
            using var certificate = PemFiles.LoadWithKey(Path.Combine(output, name + ".crt"), Path.Combine(output, name + ".key"));
            Assert.Equal(role, NetworkIdentity.Read(certificate).Role);
            Assert.True(SnapshotSigning.ChainsTo(certificate, authority, DateTimeOffset.UtcNow, out var problem), problem);
            Assert.Equal(FileModes.OwnerOnly, FileModes.Of(Path.Combine(output, name + ".key")));
        }

        using var directory = PemFiles.Load(Path.Combine(output, "directory.crt"));
        var names = Assert.IsType<X509SubjectAlternativeNameExtension>(directory.Extensions["2.5.29.17"]);
        Assert.Equal(["localhost"], names.EnumerateDnsNames());
        Assert.Equal(["127.0.0.1"], names.EnumerateIPAddresses().Select(a => a.ToString()));
        using var secretariat = PemFiles.Load(Path.Combine(output, "secretariat.crt"));
        Assert.Contains("Network Secretariat", secretariat.Subject, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Pki, "directory.crt")), "--out was ignored");
    }

    [Fact]
    public async Task InitCa_Twice_RefusedWithoutForceNamingTheFile_ReplacedWithForce()
    {
        await Cli.SucceedAsync("pki", "init-ca", "--dir", Pki);
        var before = await File.ReadAllTextAsync(Path.Combine(Pki, "ca.crt"), TestContext.Current.CancellationToken);

        var refused = await Cli.RunAsync("pki", "init-ca", "--dir", Pki);
        Assert.Equal(ExitCodes.Conflict, refused.ExitCode);
        Assert.Contains(Path.Combine(Pki, "ca.crt"), refused.ErrorText, StringComparison.Ordinal);
        Assert.Contains("--force", refused.ErrorText, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllTextAsync(Path.Combine(Pki, "ca.crt"), TestContext.Current.CancellationToken));

        await Cli.SucceedAsync("pki", "init-ca", "--dir", Pki, "--force");
        Assert.NotEqual(before, await File.ReadAllTextAsync(Path.Combine(Pki, "ca.crt"), TestContext.Current.CancellationToken));
        Assert.Equal(FileModes.OwnerOnly, FileModes.Of(Path.Combine(Pki, "ca.key")));
    }

    [Fact]
    public async Task Issue_Twice_RefusedWithoutForce_ReplacedWithForce()
    {
        await Cli.SucceedAsync("pki", "init-ca", "--dir", Pki);
        await Cli.SucceedAsync("pki", "issue", "--country", "SE", "--ca-dir", Pki);
        var before = await File.ReadAllTextAsync(Path.Combine(Pki, "SE.key"), TestContext.Current.CancellationToken);

        var refused = await Cli.RunAsync("pki", "issue", "--country", "SE", "--ca-dir", Pki);
        Assert.Equal(ExitCodes.Conflict, refused.ExitCode);
        Assert.Contains(Path.Combine(Pki, "SE.crt"), refused.ErrorText, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllTextAsync(Path.Combine(Pki, "SE.key"), TestContext.Current.CancellationToken));

        await Cli.SucceedAsync("pki", "issue", "--country", "SE", "--ca-dir", Pki, "--force");
        Assert.NotEqual(before, await File.ReadAllTextAsync(Path.Combine(Pki, "SE.key"), TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("XX")]
    [InlineData("NLD")]
    [InlineData("1")]
    public async Task Issue_NotACountry_RejectedAsUsageWithoutWritingAnything(string country)
    {
        await Cli.SucceedAsync("pki", "init-ca", "--dir", Pki);

        var run = await Cli.RunAsync("pki", "issue", "--country", country, "--ca-dir", Pki);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains($"'{country}' is not an ISO 3166-1 alpha-2 country code", run.ErrorText, StringComparison.Ordinal);
        Assert.Equal(["ca.crt", "ca.key"], System.IO.Directory.GetFiles(Pki).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Issue_WithoutCa_SaysToRunInitCa()
    {
        var run = await Cli.RunAsync("pki", "issue", "--country", "NL", "--ca-dir", Pki);

        Assert.Equal(ExitCodes.NotFound, run.ExitCode);
        Assert.Contains("nremnet pki init-ca", run.ErrorText, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Pki, "NL.crt")));
    }

    [Fact]
    public async Task Issue_OutlivingTheCa_RefusedWithTheCaExpiry()
    {
        await Cli.SucceedAsync("pki", "init-ca", "--dir", Pki, "--days", "30");

        var run = await Cli.RunAsync("pki", "issue", "--country", "NL", "--ca-dir", Pki, "--days", "397");

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains("outlive the network CA", run.ErrorText, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Pki, "NL.crt")));
    }

    [Fact]
    public async Task Issue_ZeroDays_RejectedAsUsage()
    {
        await Cli.SucceedAsync("pki", "init-ca", "--dir", Pki);

        var run = await Cli.RunAsync("pki", "issue-secretariat", "--ca-dir", Pki, "--days", "0");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--days is 0", run.ErrorText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_DescribesCertificate_AndChecksItsChain()
    {
        await Cli.SucceedAsync("pki", "init-ca", "--dir", Pki);
        await Cli.SucceedAsync("pki", "issue", "--country", "BG", "--ca-dir", Pki);
        await Cli.SucceedAsync("pki", "init-ca", "--dir", _folder.Combine("other"));
        using var certificate = PemFiles.Load(Path.Combine(Pki, "BG.crt"));

        var shown = await Cli.SucceedAsync("--json", "pki", "show", Path.Combine(Pki, "BG.crt"), "--ca", Path.Combine(Pki, "ca.crt"));
        var summary = shown.Json.GetProperty("certificate");
        Assert.Equal(NetworkIdentity.Thumbprint(certificate), summary.GetProperty("thumbprint").GetString());
        Assert.Equal("node BG", summary.GetProperty("identity").GetString());
        Assert.Equal("BG", summary.GetProperty("country").GetString());
        Assert.Equal(certificate.Issuer, summary.GetProperty("issuer").GetString());
        Assert.True(shown.Json.GetProperty("chainsToCa").GetBoolean());
        Assert.True(shown.Json.GetProperty("validNow").GetBoolean());

        var foreign = await Cli.RunAsync("pki", "show", Path.Combine(Pki, "BG.crt"), "--ca", _folder.Combine("other", "ca.crt"));
        Assert.Equal(ExitCodes.CheckFailed, foreign.ExitCode);
        Assert.Contains("Does not chain to the network CA", foreign.ErrorText, StringComparison.Ordinal);
        Assert.Contains(foreign.Output.Lines, l => l.Contains(NetworkIdentity.Thumbprint(certificate), StringComparison.Ordinal));
    }
}

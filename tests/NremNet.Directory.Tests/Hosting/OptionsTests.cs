using Microsoft.Extensions.Configuration;
using NremNet.Directory.Hosting;
using NremNet.Directory.Tests.Infrastructure;

namespace NremNet.Directory.Tests.Hosting;

public sealed class OptionsTests
{
    [Fact]
    public void Validate_ReportsEveryBadKeyAtOnce()
    {
        var options = new DirectoryOptions
        {
            Listen = "",
            DataDirectory = " ",
            CertificateFile = "/nonexistent/directory.crt",
            KeyFile = "",
            NetworkCaFile = "/nonexistent/ca.crt",
            SnapshotLifetime = TimeSpan.FromHours(-1),
            SnapshotRenewBefore = TimeSpan.Zero,
        };

        var result = new DirectoryOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Equal(7, failures.Count);
        foreach (var key in new[] { "Listen", "DataDirectory", "CertificateFile", "KeyFile", "NetworkCaFile", "SnapshotLifetime", "SnapshotRenewBefore" })
        {
            Assert.Single(failures, f => f.StartsWith($"Directory:{key} ", StringComparison.Ordinal) || f.StartsWith($"Directory:{key}:", StringComparison.Ordinal));
        }

        Assert.Contains(failures, f => f.Contains("/nonexistent/directory.crt", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_DefaultsWithExistingFiles_Pass()
    {
        using var network = TestNetwork.Create();
        var options = new DirectoryOptions { CertificateFile = network.CertificateFile, KeyFile = network.KeyFile, NetworkCaFile = network.CaFile };

        var result = new DirectoryOptionsValidator().Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_RenewalNotShorterThanLifetime_IsRefused()
    {
        using var network = TestNetwork.Create();
        var options = new DirectoryOptions
        {
            CertificateFile = network.CertificateFile,
            KeyFile = network.KeyFile,
            NetworkCaFile = network.CaFile,
            SnapshotLifetime = TimeSpan.FromHours(1),
            SnapshotRenewBefore = TimeSpan.FromHours(1),
        };

        var failure = Assert.Single(new DirectoryOptionsValidator().Validate(null, options).Failures!);

        Assert.StartsWith("Directory:SnapshotRenewBefore", failure, StringComparison.Ordinal);
        Assert.Contains("shorter than Directory:SnapshotLifetime", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:7400", true)]
    [InlineData("[::1]:0", true)]
    [InlineData("*:7400", true)]
    [InlineData("localhost:7400", true)]
    [InlineData("localhost:0", false)]
    [InlineData("127.0.0.1", false)]
    [InlineData("127.0.0.1:70000", false)]
    [InlineData("directory.example:7400", false)]
    [InlineData("::1:7400", false)]
    [InlineData(":7400", false)]
    public void ListenAddress_AcceptsOnlyWhatKestrelCanBind(string value, bool valid)
    {
        Assert.Equal(valid, ListenAddress.TryParse(value, out var address, out var problem));
        Assert.Equal(valid, address is not null);
        Assert.Equal(valid, problem.Length == 0);
    }

    [Fact]
    public void Build_WithBadConfiguration_ThrowsNamingEveryKey_BeforeAnythingStarts()
    {
        using var network = TestNetwork.Create();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(network.Settings(new Dictionary<string, string?>
        {
            ["Directory:Listen"] = "directory.example:7400",
            ["Directory:SnapshotLifetime"] = "-01:00:00",
            ["Directory:CertificateFile"] = Path.Combine(network.Folder, "missing.crt"),
        })).Build();

        var ex = Assert.Throws<InvalidOperationException>(() => DirectoryHost.Build(configuration));

        Assert.Contains("3 problems", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Directory:Listen", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Directory:SnapshotLifetime", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Directory:CertificateFile", ex.Message, StringComparison.Ordinal);
        Assert.Contains("missing.crt", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(network.DataDirectory, "directory.db")));
    }

    [Fact]
    public void Build_WithRelativePaths_ResolvesThemAgainstTheCurrentDirectory()
    {
        using var network = TestNetwork.Create();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(network.Settings(new Dictionary<string, string?>
        {
            ["Directory:CertificateFile"] = Path.GetRelativePath(Environment.CurrentDirectory, network.CertificateFile),
        })).Build();

        using var app = DirectoryHost.Build(configuration);

        var options = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Microsoft.Extensions.Options.IOptions<DirectoryOptions>>(app.Services).Value;
        Assert.Equal(network.CertificateFile, options.CertificateFile);
    }

    [Fact]
    public void Build_WithAnUnknownKey_NamesIt()
    {
        using var network = TestNetwork.Create();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(network.Settings(new Dictionary<string, string?> { ["Directory:Lisen"] = "127.0.0.1:7400" })).Build();

        var ex = Assert.Throws<InvalidOperationException>(() => DirectoryHost.Build(configuration));

        Assert.Contains("Lisen", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_WithANodeCertificateForTheDirectory_SaysWhatIsWrong()
    {
        using var network = TestNetwork.Create();
        var node = network.Node("NL");
        var (certificate, key) = NremNet.Hosting.Certificates.PemFiles.Write(node, Path.Combine(network.Folder, "wrong"), "node", overwrite: false);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(network.Settings(new Dictionary<string, string?>
        {
            ["Directory:CertificateFile"] = certificate,
            ["Directory:KeyFile"] = key,
        })).Build();

        var ex = Assert.Throws<InvalidOperationException>(() => DirectoryHost.Build(configuration));

        Assert.Contains("names node NL, not directory", ex.Message, StringComparison.Ordinal);
    }
}

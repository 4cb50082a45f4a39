using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NremNet.Contracts.Directory.V1;
using NremNet.Directory.Health;
using NremNet.Directory.Snapshots;
using NremNet.Directory.Tests.Infrastructure;
using NremNet.Domain.Membership;
using NremNet.Domain.Pki;
using NremNet.Hosting.Certificates;
using HealthClient = Grpc.Health.V1.Health.HealthClient;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace NremNet.Directory.Tests.Health;

public sealed class DirectoryHealthTests
{
    /// <summary>
    /// ASP.NET Core's health check service logs every run of a failing check as an error (event HealthCheckEnd); the
    /// failure itself is what these tests bring about. (NremNet's own log of changes, HealthCheckFailing, is a warning.)
    /// </summary>
    private const string UnhealthyCheckLogged = "HealthCheckEnd";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Health_WhenEverythingIsFine_IsServing_WithEveryCheckNamed()
    {
        using var network = TestNetwork.Create();
        await using var server = await DirectoryServer.StartAsync(network);

        var report = await server.Service<HealthCheckService>().CheckHealthAsync(Cancel);

        Assert.Equal(["certificate", "database", "snapshot"], report.Entries.Keys.Order(StringComparer.Ordinal));
        Assert.All(report.Entries.Values, c => Assert.True(c.Status == HealthStatus.Healthy, c.Description));
        var health = await new HealthClient(server.Channel(network.Node("NL"))).CheckAsync(new HealthCheckRequest(), new(cancellationToken: Cancel));
        Assert.Equal(ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task Health_WithTheCertificateExpiringWithinFourteenDays_IsNotServing()
    {
        using var network = TestNetwork.Create(directoryLifetime: TimeSpan.FromDays(10));
        await using var server = await DirectoryServer.StartAsync(network, expectedErrors: UnhealthyCheckLogged);

        var report = await server.Service<HealthCheckService>().CheckHealthAsync(Cancel);

        var certificate = report.Entries[CertificateHealthCheck.Name];
        Assert.Equal(HealthStatus.Unhealthy, certificate.Status);
        Assert.Contains("nremnet pki", certificate.Description, StringComparison.Ordinal);
        var health = await new HealthClient(server.Channel(network.Node("NL"))).CheckAsync(new HealthCheckRequest(), new(cancellationToken: Cancel));
        Assert.Equal(ServingStatus.NotServing, health.Status);

        // The change log hears of every publication (every 10 s, the first at start); publishing this report now makes
        // the test independent of the publisher's timer. A check already logged as failing is not logged again.
        foreach (var publisher in server.Services.GetServices<IHealthCheckPublisher>())
        {
            await publisher.PublishAsync(report, Cancel);
        }

        Assert.Contains(server.Logs.Entries, e => e.EventName == "HealthCheckFailing" && e.Message.Contains("certificate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Healthz_OverTheDirectoryEndpoint_AnswersEveryCheckWithItsReason()
    {
        using var network = TestNetwork.Create(directoryLifetime: TimeSpan.FromDays(10));
        await using var server = await DirectoryServer.StartAsync(network, expectedErrors: UnhealthyCheckLogged);
        // The endpoint speaks HTTP/2 only and asks every caller for a network certificate, /healthz included.
        using var http = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [network.Node("NL")],
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is X509Certificate2 presented && NetworkIdentity.Thumbprint(presented) == NetworkIdentity.Thumbprint(network.DirectoryCertificate),
            },
        })
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using var response = await http.GetAsync(new Uri(server.Address, "/healthz"), Cancel);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal("unhealthy", body.GetProperty("status").GetString());
        var checks = body.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => (Healthy: c.GetProperty("healthy").GetBoolean(), Reason: c.GetProperty("reason").GetString()!));
        Assert.Equal(["certificate", "database", "snapshot"], checks.Keys.Order(StringComparer.Ordinal));
        Assert.False(checks["certificate"].Healthy);
        Assert.Contains("nremnet pki", checks["certificate"].Reason, StringComparison.Ordinal);
        Assert.True(checks["snapshot"].Healthy, checks["snapshot"].Reason);
    }

    [Fact]
    public async Task SnapshotCheck_FailsWithoutASnapshot_AndWhenItWasNotRenewedInTime()
    {
        using var network = TestNetwork.Create();
        var options = Options.Create(new DirectoryOptions { DataDirectory = network.DataDirectory });
        var time = new FakeTimeProvider(network.Now);
        var credentials = NetworkCredentials.Load(network.CertificateFile, network.KeyFile, network.CaFile, NetworkRole.Directory, null, network.Now);
        var feed = new SnapshotFeed();
        var check = new SnapshotHealthCheck(feed, options, time);

        var none = await check.CheckHealthAsync(new HealthCheckContext(), Cancel);
        feed.Publish(Signed(credentials, network.Now, TimeSpan.FromHours(24)));
        var fresh = await check.CheckHealthAsync(new HealthCheckContext(), Cancel);
        time.Advance(TimeSpan.FromHours(19));
        var late = await check.CheckHealthAsync(new HealthCheckContext(), Cancel);
        time.Advance(TimeSpan.FromHours(6));
        var expired = await check.CheckHealthAsync(new HealthCheckContext(), Cancel);

        Assert.Equal(HealthStatus.Unhealthy, none.Status);
        Assert.True(fresh.Status == HealthStatus.Healthy, fresh.Description);
        Assert.Equal(HealthStatus.Unhealthy, late.Status);
        Assert.Contains("not been re-signed", late.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Unhealthy, expired.Status);
        Assert.Contains("expired", expired.Description, StringComparison.Ordinal);
    }

    private static PublishedSnapshot Signed(NetworkCredentials credentials, DateTimeOffset issued, TimeSpan lifetime)
    {
        var snapshot = new Snapshot { Version = 1, IssuedAt = SnapshotSigning.ToTimestamp(issued), ExpiresAt = SnapshotSigning.ToTimestamp(issued + lifetime) };
        return new PublishedSnapshot(snapshot, SnapshotSigning.Sign(snapshot, credentials.Certificate));
    }
}

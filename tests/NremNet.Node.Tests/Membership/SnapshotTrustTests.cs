using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using NremNet.Contracts.Directory.V1;
using NremNet.Contracts.Federation.V1;
using NremNet.Domain.Membership;
using NremNet.Domain.Pki;
using NremNet.Node.Tests.Infrastructure;

namespace NremNet.Node.Tests.Membership;

/// <summary>Snapshots the node must not trust: altered, signed by someone else, or expired.</summary>
public sealed class SnapshotTrustTests
{
    [Fact]
    public async Task AlteredSnapshot_IsRejected_AndTheHeldOneKept()
    {
        await using var network = await TestNetwork.StartAsync();
        var nl = await network.StartNodeAsync("NL");
        using var channel = network.SecretariatChannel();
        var signed = (await new DirectoryService.DirectoryServiceClient(channel).GetSnapshotAsync(new GetSnapshotRequest(), cancellationToken: TestContext.Current.CancellationToken)).Snapshot;
        var held = nl.Snapshots.Version;

        var snapshot = Snapshot.Parser.ParseFrom(signed.Snapshot);
        snapshot.Version += 10;
        snapshot.Members.Add(new MemberApplication { Country = "XK", PeerEndpoint = "https://attacker.example:443" });
        var altered = signed.Clone();
        altered.Snapshot = snapshot.ToByteString();

        var (accepted, problem) = nl.Snapshots.Offer(altered);

        Assert.False(accepted);
        Assert.Contains("signature does not match", problem, StringComparison.Ordinal);
        Assert.Equal(held, nl.Snapshots.Version);
        network.ExpectedErrors.Add("SnapshotRejected");
    }

    [Fact]
    public async Task SnapshotSignedByANodeInsteadOfTheDirectory_IsRejected()
    {
        await using var network = await TestNetwork.StartAsync();
        var nl = await network.StartNodeAsync("NL");
        var (_, _, forger) = network.IssueNode("SE", "forger");
        var forged = new Snapshot
        {
            Version = 1000,
            IssuedAt = SnapshotSigning.ToTimestamp(DateTimeOffset.UtcNow),
            ExpiresAt = SnapshotSigning.ToTimestamp(DateTimeOffset.UtcNow.AddHours(1)),
        };
        using var key = forger.GetECDsaPrivateKey()!;
        var bytes = forged.ToByteArray();
        var signed = new SignedSnapshot
        {
            Snapshot = ByteString.CopyFrom(bytes),
            Signature = ByteString.CopyFrom(key.SignData(bytes, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)),
            SignerThumbprint = NetworkIdentity.Thumbprint(forger),
            SignerCertificate = ByteString.CopyFrom(forger.RawData),
        };

        var (accepted, problem) = nl.Snapshots.Offer(signed);

        Assert.False(accepted);
        Assert.Contains("is not the directory", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpiredSnapshot_StopsTrustInEveryPeer_AndHealthSaysWhy()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var network = await TestNetwork.StartAsync(clock);
        // Long intervals, so moving the clock a day ahead does not run the schedules thousands of times.
        static void Slow(IDictionary<string, string?> settings)
        {
            settings["Node:SnapshotRefreshInterval"] = "02:00:00";
            settings["Node:PeerCheckInterval"] = "02:00:00";
        }

        var nl = await network.StartNodeAsync("NL", configure: Slow);
        var se = await network.StartNodeAsync("SE", configure: Slow);
        await nl.WaitForSnapshotAsync(s => s.Members.Any(m => m.Country == "SE"));
        await network.StopDirectoryAsync();

        clock.Advance(TimeSpan.FromHours(25));

        using var channel = nl.PeerChannel(se.Certificate);
        var ex = await Assert.ThrowsAsync<RpcException>(() => new FederationService.FederationServiceClient(channel).HelloAsync(new HelloRequest(), cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Contains("expired", ex.Status.Detail, StringComparison.Ordinal);
        var health = await nl.App.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);
        var snapshot = health.Entries["snapshot"];
        Assert.Equal(HealthStatus.Unhealthy, snapshot.Status);
        Assert.Contains("expired", snapshot.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Unhealthy, health.Entries["directory"].Status);
    }
}

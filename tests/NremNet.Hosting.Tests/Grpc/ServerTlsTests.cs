using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using NremNet.Hosting.Grpc;
using NremNet.Hosting.Tests.Infrastructure;
using NremNet.Testing;

namespace NremNet.Hosting.Tests.Grpc;

/// <summary>
/// Mutual TLS on a real Kestrel endpoint (<see cref="ServerTls.UseGrpcTls"/>) with real GrpcChannels
/// (<see cref="NetworkChannel"/>), certificates made in the test: only clients with a certificate from the network CA
/// that the endpoint's own check accepts get in, and the endpoint hears why each other one was refused.
/// </summary>
public sealed class ServerTlsTests
{
    private static readonly Uri CountryNl = new("urn:nremnet:country:NL");

    [Fact]
    public async Task ClientWithCertificateFromTheNetworkCa_IsAccepted_AndTheHandlerSeesIt()
    {
        var network = TestPki.CreateAuthority("NremNet test network CA");
        var client = TestPki.IssueClient(network, "node-nl", CountryNl);
        var rejections = new Rejections();
        await using var server = await StartAsync(network, null, rejections);

        using var channel = server.CreateChannel(new NetworkChannelOptions { ClientCertificates = [client] });
        var response = await new TestService.TestServiceClient(channel).UnaryCallAsync(new SimpleRequest { FillUsername = true }, cancellationToken: Ct);

        Assert.Equal(client.Subject, response.Username);
        Assert.Empty(rejections.Reasons);
    }

    [Fact]
    public async Task ClientWithoutCertificate_IsRefused_WithTheReasonReported()
    {
        var network = TestPki.CreateAuthority("NremNet test network CA");
        var rejections = new Rejections();
        await using var server = await StartAsync(network, null, rejections);

        using var channel = server.CreateChannel();
        var ex = await Assert.ThrowsAsync<RpcException>(() => new TestService.TestServiceClient(channel).UnaryCallAsync(new SimpleRequest(), cancellationToken: Ct).ResponseAsync);

        AssertRefused(ex);
        Assert.Contains(rejections.Reasons, r => r.Contains("no client certificate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ClientWithCertificateFromAnotherCa_IsRefused_WithTheReasonReported()
    {
        var network = TestPki.CreateAuthority("NremNet test network CA");
        var impostorCa = TestPki.CreateAuthority("NremNet test network CA");
        var impostor = TestPki.IssueClient(impostorCa, "node-nl", CountryNl);
        var rejections = new Rejections();
        await using var server = await StartAsync(network, null, rejections);

        using var channel = server.CreateChannel(new NetworkChannelOptions { ClientCertificates = [impostor] });
        var ex = await Assert.ThrowsAsync<RpcException>(() => new TestService.TestServiceClient(channel).UnaryCallAsync(new SimpleRequest(), cancellationToken: Ct).ResponseAsync);

        AssertRefused(ex);
        Assert.Contains(rejections.Reasons, r => r.Contains(impostor.GetCertHashString(HashAlgorithmName.SHA256), StringComparison.Ordinal) && r.Contains("not trusted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ClientWithAServerOnlyCertificate_IsRefused_WithTheReasonReported()
    {
        var network = TestPki.CreateAuthority("NremNet test network CA");
        var serverOnly = TestPki.IssueServer(network, ["node-nl"], []);
        var rejections = new Rejections();
        await using var server = await StartAsync(network, null, rejections);

        using var channel = server.CreateChannel(new NetworkChannelOptions { ClientCertificates = [serverOnly] });
        var ex = await Assert.ThrowsAsync<RpcException>(() => new TestService.TestServiceClient(channel).UnaryCallAsync(new SimpleRequest(), cancellationToken: Ct).ResponseAsync);

        AssertRefused(ex);
        Assert.Contains(rejections.Reasons, r => r.Contains(serverOnly.GetCertHashString(HashAlgorithmName.SHA256), StringComparison.Ordinal));
    }

    [Fact]
    public async Task ClientPinnedOutByTheEndpointsCheck_IsRefused_WithTheReasonReported()
    {
        var network = TestPki.CreateAuthority("NremNet test network CA");
        var pinned = TestPki.IssueClient(network, "node-nl", CountryNl);
        var other = TestPki.IssueClient(network, "node-nl-old", CountryNl);
        var rejections = new Rejections();
        await using var server = await StartAsync(network, c => c.Thumbprint == pinned.Thumbprint, rejections);

        using var good = server.CreateChannel(new NetworkChannelOptions { ClientCertificates = [pinned] });
        await new TestService.TestServiceClient(good).UnaryCallAsync(new SimpleRequest(), cancellationToken: Ct);
        using var bad = server.CreateChannel(new NetworkChannelOptions { ClientCertificates = [other] });
        var ex = await Assert.ThrowsAsync<RpcException>(() => new TestService.TestServiceClient(bad).UnaryCallAsync(new SimpleRequest(), cancellationToken: Ct).ResponseAsync);

        AssertRefused(ex);
        var reason = Assert.Single(rejections.Reasons);
        Assert.Contains(other.GetCertHashString(HashAlgorithmName.SHA256), reason, StringComparison.Ordinal);
        Assert.Contains("refused by the endpoint's own check", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerWithCertificateFromAnotherCa_IsRefusedByTheClient()
    {
        var network = TestPki.CreateAuthority("NremNet test network CA");
        var rogue = TestPki.CreateAuthority("NremNet test network CA");
        await using var server = await TestServer.StartAsync(tls: new ServerTlsOptions { ServerCertificate = TestPki.IssueServer(rogue, ["localhost"], [IPAddress.Loopback]) });

        using var channel = server.CreateChannel(new NetworkChannelOptions { TrustedServerRoots = [network] });
        var ex = await Assert.ThrowsAsync<RpcException>(() => new TestService.TestServiceClient(channel).EmptyCallAsync(new Empty(), cancellationToken: Ct).ResponseAsync);

        AssertServerRefused(ex);
    }

    [Fact]
    public async Task ServerCertificate_IsCheckedAgainstTheClientsPin()
    {
        var network = TestPki.CreateAuthority("NremNet test network CA");
        var certificate = TestPki.IssueServer(network, ["localhost"], [IPAddress.Loopback]);
        var sameCaOtherKey = TestPki.IssueServer(network, ["localhost"], [IPAddress.Loopback]);
        await using var server = await TestServer.StartAsync(tls: new ServerTlsOptions { ServerCertificate = certificate }, authority: network);

        using var pinnedRight = server.CreateChannel(new NetworkChannelOptions { TrustedServerRoots = [network], ValidateServerCertificate = c => c.Thumbprint == certificate.Thumbprint });
        await new TestService.TestServiceClient(pinnedRight).EmptyCallAsync(new Empty(), cancellationToken: Ct);

        var seen = new List<string>();
        using var pinnedElsewhere = server.CreateChannel(new NetworkChannelOptions
        {
            TrustedServerRoots = [network],
            ValidateServerCertificate = c =>
            {
                lock (seen)
                {
                    seen.Add(c.Thumbprint);
                }

                return c.Thumbprint == sameCaOtherKey.Thumbprint;
            },
        });
        var ex = await Assert.ThrowsAsync<RpcException>(() => new TestService.TestServiceClient(pinnedElsewhere).EmptyCallAsync(new Empty(), cancellationToken: Ct).ResponseAsync);

        AssertServerRefused(ex);
        Assert.Contains(certificate.Thumbprint, seen);
    }

    [Fact]
    public async Task ServerCertificateForAnotherName_IsRefused_UnlessTheNameIsOverridden()
    {
        var network = TestPki.CreateAuthority("NremNet test network CA");
        await using var server = await TestServer.StartAsync(tls: new ServerTlsOptions { ServerCertificate = TestPki.IssueServer(network, ["node-nl.example"], []) }, authority: network);

        using var byAddress = server.CreateChannel();
        var ex = await Assert.ThrowsAsync<RpcException>(() => new TestService.TestServiceClient(byAddress).EmptyCallAsync(new Empty(), cancellationToken: Ct).ResponseAsync);
        AssertServerRefused(ex);

        using var byName = server.CreateChannel(new NetworkChannelOptions { TrustedServerRoots = [network], ServerNameOverride = "node-nl.example" });
        await new TestService.TestServiceClient(byName).EmptyCallAsync(new Empty(), cancellationToken: Ct);
    }

    [Fact]
    public void AskingForClientCertificatesWithoutTrustedRoots_IsAConfigurationError()
    {
        var network = TestPki.CreateAuthority("NremNet test network CA");
        var options = new KestrelServerOptions();
        var ex = Assert.Throws<InvalidOperationException>(() => options.Listen(IPAddress.Loopback, 0, listen => listen.UseGrpcTls(new ServerTlsOptions
        {
            ServerCertificate = TestPki.IssueServer(network, ["localhost"], [IPAddress.Loopback]),
            ClientCertificateMode = ClientCertificateMode.RequireCertificate,
        })));
        Assert.Contains("trusted client roots", ex.Message, StringComparison.Ordinal);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A connection the server refused during the TLS handshake: the call never reached a handler.</summary>
    private static void AssertRefused(RpcException ex) => Assert.True(HandshakeRefusals.IsRefusedInHandshake(ex), ex.ToString());

    /// <summary>
    /// A server certificate the client refused: grpc-dotnet reports the failed handshake as INTERNAL ("Error starting gRPC
    /// call"), the certificate's rejection as the cause.
    /// </summary>
    private static void AssertServerRefused(RpcException ex)
    {
        Assert.True(ex.StatusCode == StatusCode.Internal, ex.ToString());
        Assert.IsType<AuthenticationException>(ex.Status.DebugException?.GetBaseException());
    }

    private static Task<TestServer> StartAsync(X509Certificate2 network, Func<X509Certificate2, bool>? accept, Rejections rejections) =>
        TestServer.StartAsync(
            tls: new ServerTlsOptions
            {
                ServerCertificate = TestPki.IssueServer(network, ["localhost"], [IPAddress.Loopback]),
                ClientCertificateMode = ClientCertificateMode.RequireCertificate,
                TrustedClientRoots = [network],
                ValidateClientCertificate = accept,
                OnClientCertificateRejected = (_, reason) => rejections.Add(reason),
            },
            authority: network);

    /// <summary>The reasons the endpoint gave for refusing client certificates.</summary>
    private sealed class Rejections
    {
        private readonly List<string> _reasons = [];

        public IReadOnlyList<string> Reasons
        {
            get
            {
                lock (_reasons)
                {
                    return [.. _reasons];
                }
            }
        }

        public void Add(string reason)
        {
            lock (_reasons)
            {
                _reasons.Add(reason);
            }
        }
    }
}

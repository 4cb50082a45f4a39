using System.Net;
using System.Security.Cryptography.X509Certificates;
using Grpc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using NremNet.Rpc.Interop;
using NremNet.Rpc.Tests.Infrastructure;
using NremNet.Testing;

namespace NremNet.Rpc.Tests.Hosting;

/// <summary>Mutual TLS with certificates made in the test: only clients with a certificate from the network CA get in.</summary>
public sealed class MutualTlsTests
{
    private static readonly Uri CountryNl = new("urn:nremnet:country:NL");

    [Fact]
    public async Task ClientWithCertificateFromTheNetworkCa_IsAccepted_AndTheHandlerSeesIt()
    {
        var network = TestPki.CreateAuthority("NremNet test network CA");
        var client = TestPki.IssueClient(network, "node-nl", CountryNl);
        await using var server = await StartAsync(network, out var handled, out _);

        using var channel = server.CreateChannel(new RpcChannelOptions { ClientCertificates = [client] });
        var response = await new TestServiceClient(channel.CreateCallInvoker()).UnaryCallAsync(new SimpleRequest { FillUsername = true });

        Assert.Equal(client.Subject, response.Username);
        Assert.Single(handled);
    }

    [Fact]
    public async Task ClientWithoutCertificate_IsRefused()
    {
        var network = TestPki.CreateAuthority("NremNet test network CA");
        await using var server = await StartAsync(network, out var handled, out _);

        using var channel = server.CreateChannel();
        var ex = await Assert.ThrowsAsync<RpcException>(() => new TestServiceClient(channel.CreateCallInvoker()).UnaryCallAsync(new SimpleRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Empty(handled);
    }

    [Fact]
    public async Task ClientWithCertificateFromAnotherCa_IsRefused_WithTheReasonReported()
    {
        var network = TestPki.CreateAuthority("NremNet test network CA");
        var impostorCa = TestPki.CreateAuthority("NremNet test network CA");
        var impostor = TestPki.IssueClient(impostorCa, "node-nl", CountryNl);
        await using var server = await StartAsync(network, out var handled, out var rejections);

        using var channel = server.CreateChannel(new RpcChannelOptions { ClientCertificates = [impostor] });
        var ex = await Assert.ThrowsAsync<RpcException>(() => new TestServiceClient(channel.CreateCallInvoker()).UnaryCallAsync(new SimpleRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Empty(handled);
        Assert.Contains(rejections, r => r.Contains(impostor.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), StringComparison.Ordinal));
    }

    [Fact]
    public async Task ClientRefusedByThePinningHook_IsRefused()
    {
        var network = TestPki.CreateAuthority("NremNet test network CA");
        var pinned = TestPki.IssueClient(network, "node-nl", CountryNl);
        var other = TestPki.IssueClient(network, "node-nl-old", CountryNl);
        var handled = new List<string>();
        var rejections = new List<string>();
        await using var server = await TestServer.StartAsync(
            rpc => rpc.AddDefinition(Recording(handled)),
            tls: Tls(network, c => c.Thumbprint == pinned.Thumbprint, rejections),
            authority: network);

        using var good = server.CreateChannel(new RpcChannelOptions { ClientCertificates = [pinned] });
        await new TestServiceClient(good.CreateCallInvoker()).UnaryCallAsync(new SimpleRequest());
        using var bad = server.CreateChannel(new RpcChannelOptions { ClientCertificates = [other] });
        var ex = await Assert.ThrowsAsync<RpcException>(() => new TestServiceClient(bad.CreateCallInvoker()).UnaryCallAsync(new SimpleRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Single(handled);
        Assert.Contains(rejections, r => r.Contains(other.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), StringComparison.Ordinal) && r.Contains("refused by the endpoint's own check", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ServerWithCertificateFromAnotherCa_IsRefusedByTheClient()
    {
        var network = TestPki.CreateAuthority("NremNet test network CA");
        var rogue = TestPki.CreateAuthority("rogue CA");
        var handled = new List<string>();
        var serverCertificate = TestPki.IssueServer(rogue, ["localhost"], [IPAddress.Loopback]);
        await using var server = await TestServer.StartAsync(rpc => rpc.AddDefinition(Recording(handled)), tls: new RpcServerTlsOptions { ServerCertificate = serverCertificate });

        using var channel = server.CreateChannel(new RpcChannelOptions { TrustedServerRoots = [network] });
        var ex = await Assert.ThrowsAsync<RpcException>(() => new TestServiceClient(channel.CreateCallInvoker()).UnaryCallAsync(new SimpleRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Empty(handled);
    }

    [Fact]
    public void AskingForClientCertificatesWithoutTrustedRoots_IsAConfigurationError()
    {
        var network = TestPki.CreateAuthority("NremNet test network CA");
        var options = new Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions();
        var ex = Assert.Throws<InvalidOperationException>(() => options.Listen(IPAddress.Loopback, 0, listen => listen.UseRpc(new RpcServerTlsOptions
        {
            ServerCertificate = TestPki.IssueServer(network, ["localhost"], [IPAddress.Loopback]),
            ClientCertificateMode = ClientCertificateMode.RequireCertificate,
        })));
        Assert.Contains("trusted client roots", ex.Message, StringComparison.Ordinal);
    }

    private static Task<TestServer> StartAsync(X509Certificate2 network, out List<string> handled, out List<string> rejections)
    {
        var calls = new List<string>();
        handled = calls;
        rejections = [];
        return TestServer.StartAsync(rpc => rpc.AddDefinition(Recording(calls)), tls: Tls(network, null, rejections), authority: network);
    }

    private static RpcServerTlsOptions Tls(X509Certificate2 network, Func<X509Certificate2, bool>? pin, List<string> rejections) => new()
    {
        ServerCertificate = TestPki.IssueServer(network, ["localhost"], [IPAddress.Loopback]),
        ClientCertificateMode = ClientCertificateMode.RequireCertificate,
        TrustedClientRoots = [network],
        ValidateClientCertificate = pin,
        OnClientCertificateRejected = (_, reason) =>
        {
            lock (rejections)
            {
                rejections.Add(reason);
            }
        },
    };

    private static ServiceDefinition Recording(List<string> handled) => TestServices.Create(b => b.Unary<SimpleRequest, SimpleResponse>("UnaryCall", (_, context) =>
    {
        lock (handled)
        {
            handled.Add(context.Peer);
        }

        return Task.FromResult(new SimpleResponse { Username = context.ClientCertificate?.Subject ?? string.Empty });
    }), "UnaryCall");
}

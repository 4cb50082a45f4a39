using System.Net;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using NremNet.Contracts;
using NremNet.Node.Tests.Infrastructure;
using HealthClient = Grpc.Health.V1.Health.HealthClient;
using V1 = Grpc.Reflection.V1;
using V1Alpha = Grpc.Reflection.V1Alpha;

namespace NremNet.Node.Tests.Hosting;

/// <summary>
/// The peer API answers only on the peer listener and the user API only on the console listener — health and reflection
/// included, each listener's reflection listing only its own services.
/// </summary>
public sealed class ListenerSeparationTests
{
    private static readonly string[] Infrastructure = ["grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EachApi_AnswersOnlyOnItsOwnListener()
    {
        await using var network = await TestNetwork.StartAsync();
        var nl = await network.StartNodeAsync("NL");
        var se = await network.StartNodeAsync("SE");
        await nl.WaitForSnapshotAsync(s => s.Members.Any(m => m.Country == "SE"));
        var admin = await AdminTokenAsync(nl);
        using var peer = nl.PeerChannel(se.Certificate);
        using var console = nl.ConsoleChannel();

        foreach (var method in Methods(ContractServices.User))
        {
            // An admitted member asking the peer listener for the user API finds no such service there ...
            var onPeer = await CallAsync(peer, method, token: null);
            Assert.True(onPeer.StatusCode == StatusCode.Unimplemented, $"{method} on the peer listener answered {onPeer.StatusCode}: {onPeer.Detail}");
            // ... while the node's own admin reaches it on the console listener (whatever it then answers an empty request).
            var onConsole = await CallAsync(console, method, admin);
            Assert.True(onConsole.StatusCode != StatusCode.Unimplemented, $"{method} on the console listener answered {onConsole.StatusCode}: {onConsole.Detail}");
        }

        foreach (var method in Methods(ContractServices.Peer))
        {
            var onConsole = await CallAsync(console, method, admin);
            Assert.True(onConsole.StatusCode == StatusCode.Unimplemented, $"{method} on the console listener answered {onConsole.StatusCode}: {onConsole.Detail}");
            var onPeer = await CallAsync(peer, method, token: null);
            Assert.True(onPeer.StatusCode != StatusCode.Unimplemented, $"{method} on the peer listener answered {onPeer.StatusCode}: {onPeer.Detail}");
        }
    }

    [Fact]
    public async Task Reflection_ListsOnlyTheListenersOwnServices_HealthAnswersOnBoth()
    {
        await using var network = await TestNetwork.StartAsync();
        var nl = await network.StartNodeAsync("NL");
        var se = await network.StartNodeAsync("SE");
        await nl.WaitForSnapshotAsync(s => s.Members.Any(m => m.Country == "SE"));
        var admin = await AdminTokenAsync(nl);
        using var peer = nl.PeerChannel(se.Certificate);
        using var console = nl.ConsoleChannel();

        string[] peerServices = [.. ContractServices.Peer.Select(s => s.FullName), .. Infrastructure];
        string[] userServices = [.. ContractServices.User.Select(s => s.FullName), .. Infrastructure];
        Assert.Equal(peerServices.Order(StringComparer.Ordinal), await ListServicesAsync(peer, new CallOptions(cancellationToken: Ct)));
        Assert.Equal(peerServices.Order(StringComparer.Ordinal), await ListServicesV1AlphaAsync(peer, new CallOptions(cancellationToken: Ct)));
        Assert.Equal(userServices.Order(StringComparer.Ordinal), await ListServicesAsync(console, Auth(admin)));
        Assert.Equal(userServices.Order(StringComparer.Ordinal), await ListServicesV1AlphaAsync(console, Auth(admin)));

        // Health answers on both, for anyone who may connect: any network certificate on the peer listener, no token on the console one.
        var (_, _, stranger) = network.IssueNode("DE", "de");
        using var strangerChannel = nl.PeerChannel(stranger);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await new HealthClient(strangerChannel).CheckAsync(new HealthCheckRequest(), cancellationToken: Ct)).Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await new HealthClient(console).CheckAsync(new HealthCheckRequest(), cancellationToken: Ct)).Status);

        // /healthz belongs to the console listener.
        Assert.Equal(HttpStatusCode.OK, await GetHealthzAsync(nl.Console.Port, network.Authority, clientCertificate: null));
        Assert.Equal(HttpStatusCode.NotFound, await GetHealthzAsync(nl.Peer.Port, network.Authority, se.Certificate));
    }

    private static IEnumerable<string> Methods(IEnumerable<Google.Protobuf.Reflection.ServiceDescriptor> services) =>
        services.SelectMany(s => s.Methods.Select(m => $"/{s.FullName}/{m.Name}"));

    private static CallOptions Auth(string token) => new(new Metadata { { "authorization", "Bearer " + token } }, cancellationToken: Ct);

    /// <summary>Calls any method with an empty message: whether it is there at all is what counts.</summary>
    private static async Task<(StatusCode StatusCode, string Detail)> CallAsync(GrpcChannel channel, string path, string? token)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var raw = Marshallers.Create(static (byte[] bytes) => bytes, static bytes => bytes);
        var method = new Method<byte[], byte[]>(MethodType.Unary, parts[0], parts[1], raw, raw);
        try
        {
            await channel.CreateCallInvoker().AsyncUnaryCall(method, null, token is null ? new CallOptions(cancellationToken: Ct) : Auth(token), []).ResponseAsync;
            return (StatusCode.OK, string.Empty);
        }
        catch (RpcException ex)
        {
            return (ex.StatusCode, ex.Status.Detail);
        }
    }

    private static async Task<IReadOnlyList<string>> ListServicesAsync(GrpcChannel channel, CallOptions options)
    {
        using var call = new V1.ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo(options);
        await call.RequestStream.WriteAsync(new V1.ServerReflectionRequest { ListServices = string.Empty }, Ct);
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(Ct));
        string[] names = [.. call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).Order(StringComparer.Ordinal)];
        // Read to the end, so the call ends with the server's status rather than a reset the server would log as an error.
        Assert.False(await call.ResponseStream.MoveNext(Ct));
        return names;
    }

    private static async Task<IReadOnlyList<string>> ListServicesV1AlphaAsync(GrpcChannel channel, CallOptions options)
    {
        using var call = new V1Alpha.ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo(options);
        await call.RequestStream.WriteAsync(new V1Alpha.ServerReflectionRequest { ListServices = string.Empty }, Ct);
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(Ct));
        string[] names = [.. call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).Order(StringComparer.Ordinal)];
        // Read to the end, so the call ends with the server's status rather than a reset the server would log as an error.
        Assert.False(await call.ResponseStream.MoveNext(Ct));
        return names;
    }

    /// <summary>GET /healthz over HTTP/2 with TLS (the only protocol the peer listener speaks).</summary>
    private static async Task<HttpStatusCode> GetHealthzAsync(int port, X509Certificate2 authority, X509Certificate2? clientCertificate)
    {
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.ClientCertificates = clientCertificate is null ? null : [clientCertificate];
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()).Issuer == authority.Subject;
        using var client = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://127.0.0.1:{port}/healthz") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await client.SendAsync(request, Ct);
        return response.StatusCode;
    }

    private static async Task<string> AdminTokenAsync(TestNode node)
    {
        var setup = await NodeSetup.OpenAsync(Path.Combine(Path.GetDirectoryName(node.CertificateFile)!, "..", "node-" + node.Country), node.CertificateFile, node.KeyFile, Ct);
        await setup.AddUserAsync("nl-admin", "nl-admin", ["admin"], null, Ct);
        return await setup.CreateTokenAsync("nl-admin", "test", TimeSpan.FromHours(1), Ct);
    }
}

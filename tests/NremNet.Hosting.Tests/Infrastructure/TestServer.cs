using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Grpc.AspNetCore.Server;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NremNet.Hosting.Grpc;
using NremNet.Rpc.Interop;
using NremNet.Testing;

namespace NremNet.Hosting.Tests.Infrastructure;

/// <summary>
/// A real Kestrel server on 127.0.0.1 with a free port, configured as NremNet's hosts are: <c>AddNremNetGrpc</c> and
/// a <c>UseGrpcTls</c> endpoint (h2c, or TLS when given), Kestrel's limits as NremNet leaves them. It serves the interop
/// test service unless the test maps its own. Disposing it fails the test when the server logged an error the test did
/// not declare as expected.
/// </summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string[] _expectedErrors;

    private TestServer(WebApplication app, Uri address, CapturingLoggerProvider logs, string[] expectedErrors, X509Certificate2? authority)
    {
        _app = app;
        Address = address;
        Logs = logs;
        _expectedErrors = expectedErrors;
        Authority = authority;
    }

    public Uri Address { get; }

    public CapturingLoggerProvider Logs { get; }

    /// <summary>The CA that signed the server certificate, under TLS.</summary>
    public X509Certificate2? Authority { get; }

    public static async Task<TestServer> StartAsync(
        Action<WebApplication>? map = null,
        Action<GrpcServiceOptions>? grpc = null,
        ServerTlsOptions? tls = null,
        X509Certificate2? authority = null,
        Action<IServiceCollection>? services = null,
        params string[] expectedErrors)
    {
        var logs = new CapturingLoggerProvider(Log);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseGrpcTls(tls));
        });
        builder.Services.AddNremNetGrpc(grpc);
        services?.Invoke(builder.Services);
        var app = builder.Build();
        if (map is null)
        {
            app.MapGrpcService<TestServiceImpl>();
        }
        else
        {
            map(app);
        }

        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        var scheme = tls is null ? "http" : "https";
        return new TestServer(app, new Uri($"{scheme}://127.0.0.1:{address.Port}"), logs, expectedErrors, authority);
    }

    /// <summary>A channel to this server, made as NremNet's clients make theirs; under TLS it trusts the server's CA.</summary>
    public GrpcChannel CreateChannel(NetworkChannelOptions? options = null)
    {
        options ??= new NetworkChannelOptions();
        return NetworkChannel.Create(Address, Authority is null || options.TrustedServerRoots is not null ? options : new NetworkChannelOptions
        {
            ClientCertificates = options.ClientCertificates,
            TrustedServerRoots = [Authority],
            ValidateServerCertificate = options.ValidateServerCertificate,
            ServerNameOverride = options.ServerNameOverride,
            MaxReceiveMessageSize = options.MaxReceiveMessageSize,
            MaxSendMessageSize = options.MaxSendMessageSize,
            Retry = options.Retry,
            LoggerFactory = options.LoggerFactory,
            WrapHttpHandler = options.WrapHttpHandler,
        });
    }

    /// <summary>
    /// A plain HTTP/2 client for hand-made requests (no gRPC library involved). It sends header values as UTF-8, so a
    /// test can put bytes beyond ASCII on the wire.
    /// </summary>
    public HttpClient CreateRawClient()
    {
        var handler = new SocketsHttpHandler { UseProxy = false, RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 };
        if (Authority is not null)
        {
            var roots = new X509Certificate2Collection { Authority };
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is X509Certificate2 server && CertificateTrust.Validate(server, roots, CertificateTrust.ServerAuthenticationOid, null, out _),
            };
        }

        return new HttpClient(handler)
        {
            BaseAddress = Address,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        var unexpected = Logs.UnexpectedErrors(_expectedErrors);
        Assert.True(unexpected.Count == 0, "The server logged errors the test did not expect:" + Environment.NewLine + string.Join(Environment.NewLine, unexpected.Select(e => $"{e.Category}: {e.Message} {e.Exception}")));
    }

    private static void Log(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);
}

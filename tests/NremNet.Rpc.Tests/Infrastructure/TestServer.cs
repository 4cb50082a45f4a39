using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NremNet.Testing;

namespace NremNet.Rpc.Tests.Infrastructure;

/// <summary>
/// A real Kestrel server on 127.0.0.1 with a free port, HTTP/2 (h2c or TLS), serving the given services.
/// Disposing it fails the test when the server logged an error the test did not declare as expected.
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

    public IServiceProvider Services => _app.Services;

    public static async Task<TestServer> StartAsync(
        Action<RpcServerBuilder> services,
        Action<RpcServerOptions>? options = null,
        RpcServerTlsOptions? tls = null,
        X509Certificate2? authority = null,
        Action<IServiceCollection>? moreServices = null,
        Action<WebApplication>? pipeline = null,
        params string[] expectedErrors)
    {
        var logs = new CapturingLoggerProvider(Log);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseRpc(tls));
        });
        services(builder.Services.AddNremNetRpc(options));
        moreServices?.Invoke(builder.Services);
        var app = builder.Build();
        pipeline?.Invoke(app);
        app.UseNremNetRpc();
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        var scheme = tls is null ? "http" : "https";
        return new TestServer(app, new Uri($"{scheme}://127.0.0.1:{address.Port}"), logs, expectedErrors, authority);
    }

    /// <summary>A channel to this server; under TLS it trusts the server's CA.</summary>
    public RpcChannel CreateChannel(RpcChannelOptions? options = null)
    {
        options ??= new RpcChannelOptions();
        if (Authority is not null && options.TrustedServerRoots is null)
        {
            options.TrustedServerRoots = [Authority];
        }

        return RpcChannel.ForAddress(Address, options);
    }

    /// <summary>A plain HTTP/2 client for hand-made requests (no gRPC library involved).</summary>
    public HttpClient CreateRawClient()
    {
        var handler = new SocketsHttpHandler { UseProxy = false };
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

using System.Net;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NremNet.Hosting.Grpc;
using NremNet.Hosting.Health;
using NremNet.Hosting.Startup;
using NremNet.Rpc.Interop;
using NremNet.Testing;

// The interop harness's entry point: "server --port=N [--use_tls]" or
// "client --server_host=H --server_port=N --test_case=NAME [--use_tls --use_test_ca --ca_file=PEM]".
var command = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : null;
var rest = command is null ? args : args[1..];
var booleans = new HashSet<string>(StringComparer.Ordinal) { "use_tls", "use_test_ca" };
InteropFlags flags;
try
{
    flags = InteropFlags.Parse(rest, booleans);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

command ??= flags.String("test_case") is null ? "server" : "client";
return command switch
{
    "server" => await RunServerAsync(flags),
    "client" => await RunClientAsync(flags),
    _ => Usage($"Unknown command '{command}'."),
};

static int Usage(string problem)
{
    Console.Error.WriteLine(problem);
    Console.Error.WriteLine("usage: NremNet.Rpc.Interop server --port=N [--use_tls] [--tls_cert_file=PEM --tls_key_file=PEM] [--host=ADDRESS]");
    Console.Error.WriteLine("       NremNet.Rpc.Interop client --server_host=H --server_port=N --test_case=NAME [--use_tls] [--use_test_ca --ca_file=PEM] [--server_host_override=NAME]");
    return 2;
}

static async Task<int> RunClientAsync(InteropFlags flags)
{
    var testCase = flags.String("test_case");
    if (testCase is null)
    {
        return Usage("--test_case is required.");
    }

    try
    {
        using var client = new InteropClient(flags);
        foreach (var name in testCase == "all" ? InteropClient.TestCases : [testCase])
        {
            await client.RunAsync(name);
            Console.WriteLine($"PASSED {name}");
        }

        return 0;
    }
    catch (Exception ex) when (ex is InteropFailure or RpcException or ArgumentException)
    {
        Console.Error.WriteLine($"FAILED {testCase}: {ex.Message}");
        return 1;
    }
}

static async Task<int> RunServerAsync(InteropFlags flags)
{
    var port = flags.Int("port", 0);
    var host = IPAddress.Parse(flags.String("host", "127.0.0.1"));
    ServerTlsOptions? tls = flags.Bool("use_tls") ? new ServerTlsOptions { ServerCertificate = LoadOrCreateServerCertificate(flags) } : null;

    // Configured as NremNet's hosts are: NremNet's gRPC defaults and reflection, its Kestrel endpoint (HTTP/2 only,
    // TLS 1.2+ or h2c), health as health checks, its logging.
    var builder = WebApplication.CreateSlimBuilder();
    NremNetHost.ConfigureLogging(builder.Logging, builder.Configuration);
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.WebHost.ConfigureKestrel(kestrel =>
    {
        kestrel.AddServerHeader = false;
        kestrel.Listen(host, port, listen => listen.UseGrpcTls(tls));
    });
    builder.Services.AddNremNetGrpc();
    // grpc.health.v1 reports the registered checks; with none it says UNKNOWN, so the server states what it checks.
    builder.Services.AddNremNetHealth().AddCheck("interop", () => HealthCheckResult.Healthy("serving grpc.testing.TestService"));

    var app = builder.Build();
    ServiceCoverage.EnsureImplemented([typeof(TestServiceImpl)]);
    app.MapGrpcService<TestServiceImpl>();
    app.MapGrpcReflectionService();
    app.MapGrpcHealth();
    await app.StartAsync();
    var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    Console.WriteLine($"NremNet interop server listening on {address.Host}:{address.Port} ({(tls is null ? "plaintext h2c" : "TLS")})");
    await app.WaitForShutdownAsync();
    return 0;
}

static X509Certificate2 LoadOrCreateServerCertificate(InteropFlags flags)
{
    if (flags.String("tls_cert_file") is { } certFile)
    {
        var keyFile = flags.String("tls_key_file") ?? throw new ArgumentException("--tls_cert_file needs --tls_key_file.");
        return X509Certificate2.CreateFromPemFile(certFile, keyFile);
    }

    // No certificate given: make a test CA and a server certificate for the names interop clients use,
    // and say where the CA is so a client can trust it with --use_test_ca --ca_file.
    var authority = TestPki.CreateAuthority("NremNet interop test CA");
    var server = TestPki.IssueServer(authority, ["foo.test.google.fr", "*.test.google.fr", "localhost"], [IPAddress.Loopback, IPAddress.IPv6Loopback]);
    var caFile = Path.Combine(Path.GetTempPath(), $"nremnet-interop-ca-{Environment.ProcessId}.pem");
    File.WriteAllText(caFile, TestPki.CertificatePem(authority));
    Console.WriteLine($"Test CA written to {caFile}");
    return server;
}

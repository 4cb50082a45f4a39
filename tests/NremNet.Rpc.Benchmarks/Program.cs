using System.Diagnostics;
using System.Globalization;
using System.Net;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NremNet.Hosting.Grpc;
using NremNet.Hosting.Startup;
using NremNet.Rpc.Benchmarks.V1;

// server --port N                 the echo service on Grpc.AspNetCore as NremNet's hosts configure it (h2c, 127.0.0.1)
// client --target URL --seconds S --concurrency C [--payload BYTES]
//                                 unary echo calls through NremNet's channel (Grpc.Net.Client); prints calls/s
return args.FirstOrDefault() switch
{
    "server" => await ServeAsync(Option(args, "--port", 0)),
    "client" => await LoadAsync(OptionText(args, "--target"), Option(args, "--seconds", 10), Option(args, "--concurrency", 64), Option(args, "--payload", 32)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: NremNet.Rpc.Benchmarks server --port N | client --target URL [--seconds S] [--concurrency C] [--payload BYTES]");
    return 2;
}

static async Task<int> ServeAsync(int port)
{
    var builder = WebApplication.CreateSlimBuilder();
    // As on a node: NremNet's logging (ASP.NET Core's per-request diagnostics off), its gRPC defaults, its Kestrel
    // endpoint, and its telemetry (OpenTelemetry tracing and metrics of every request, no exporter configured).
    // HOSTING_DIAGNOSTICS=on keeps ASP.NET Core's request diagnostics, TELEMETRY=off leaves OpenTelemetry out, to measure
    // what each costs.
    NremNetHost.ConfigureLogging(builder.Logging, builder.Configuration);
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    if (Environment.GetEnvironmentVariable("HOSTING_DIAGNOSTICS") == "on")
    {
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Information);
    }

    if (Environment.GetEnvironmentVariable("TELEMETRY") != "off")
    {
        NremNetHost.AddTelemetry(builder.Services, builder.Configuration, "NremNet.Rpc.Benchmarks", null);
    }

    builder.WebHost.ConfigureKestrel(kestrel =>
    {
        kestrel.AddServerHeader = false;
        kestrel.Listen(IPAddress.Loopback, port, listen => listen.UseGrpcTls());
    });
    builder.Services.AddNremNetGrpc();
    var app = builder.Build();
    ServiceCoverage.EnsureImplemented([typeof(EchoHandler)]);
    app.MapGrpcService<EchoHandler>();
    await app.StartAsync();
    var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    Console.WriteLine($"NremNet echo server listening on 127.0.0.1:{address.Port}");
    await app.WaitForShutdownAsync();
    return 0;
}

static async Task<int> LoadAsync(string target, int seconds, int concurrency, int payloadSize)
{
    using var channel = NetworkChannel.Create(target, new NetworkChannelOptions { Retry = null });
    var client = new EchoService.EchoServiceClient(channel);
    var request = new EchoRequest { Payload = ByteString.CopyFrom(new byte[payloadSize]) };

    // Warm up: connections, JIT, pools.
    await RunAsync(client, request, concurrency, TimeSpan.FromSeconds(Math.Min(3, seconds)));
    var (calls, errors, elapsed) = await RunAsync(client, request, concurrency, TimeSpan.FromSeconds(seconds));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"calls={calls} errors={errors} seconds={elapsed.TotalSeconds:F2} calls_per_second={calls / elapsed.TotalSeconds:F0}"));
    return errors == 0 ? 0 : 1;
}

static async Task<(long Calls, long Errors, TimeSpan Elapsed)> RunAsync(EchoService.EchoServiceClient client, EchoRequest request, int concurrency, TimeSpan duration)
{
    long calls = 0, errors = 0;
    var stopwatch = Stopwatch.StartNew();
    var workers = Enumerable.Range(0, concurrency).Select(async _ =>
    {
        while (stopwatch.Elapsed < duration)
        {
            try
            {
                await client.EchoAsync(request);
                Interlocked.Increment(ref calls);
            }
            catch (RpcException)
            {
                Interlocked.Increment(ref errors);
            }
        }
    });
    await Task.WhenAll(workers);
    return (calls, errors, stopwatch.Elapsed);
}

static int Option(string[] args, string name, int fallback) =>
    Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;

static string OptionText(string[] args, string name) =>
    Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{name} is required.");

/// <summary>Echoes the request's payload.</summary>
internal sealed class EchoHandler : EchoService.EchoServiceBase
{
    public override Task<EchoResponse> Echo(EchoRequest request, ServerCallContext context) => Task.FromResult(new EchoResponse { Payload = request.Payload });
}

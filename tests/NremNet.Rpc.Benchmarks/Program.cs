using System.Diagnostics;
using System.Globalization;
using System.Net;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NremNet.Rpc;
using NremNet.Rpc.Benchmarks.V1;

// server --port N                 the echo service on NremNet.Rpc (h2c, 127.0.0.1)
// client --target URL --seconds S --concurrency C [--payload BYTES]
//                                 unary echo calls from NremNet.Rpc's client; prints calls/s
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
    // As on a node: calls are logged by NremNet.Rpc, so ASP.NET Core's per-request diagnostics (which start an
    // Activity and a logging scope for every request) are off.
    // (HOSTING_DIAGNOSTICS=on keeps them, to measure what they cost.)
    builder.Logging.ClearProviders().AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
    if (Environment.GetEnvironmentVariable("HOSTING_DIAGNOSTICS") != "on")
    {
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
    }

    builder.WebHost.ConfigureKestrel(kestrel =>
    {
        kestrel.AddServerHeader = false;
        kestrel.Listen(IPAddress.Loopback, port, listen => listen.UseRpc());
    });
    builder.Services.AddNremNetRpc().AddService<EchoService>();
    var app = builder.Build();
    app.UseNremNetRpc();
    await app.StartAsync();
    var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    Console.WriteLine($"NremNet echo server listening on 127.0.0.1:{address.Port}");
    await app.WaitForShutdownAsync();
    return 0;
}

static async Task<int> LoadAsync(string target, int seconds, int concurrency, int payloadSize)
{
    using var channel = RpcChannel.ForAddress(target);
    var client = new EchoClient(channel.CreateCallInvoker());
    var request = new EchoRequest { Payload = ByteString.CopyFrom(new byte[payloadSize]) };

    // Warm up: connections, JIT, pools.
    await RunAsync(client, request, concurrency, TimeSpan.FromSeconds(Math.Min(3, seconds)));
    var (calls, errors, elapsed) = await RunAsync(client, request, concurrency, TimeSpan.FromSeconds(seconds));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"calls={calls} errors={errors} seconds={elapsed.TotalSeconds:F2} calls_per_second={calls / elapsed.TotalSeconds:F0}"));
    return errors == 0 ? 0 : 1;
}

static async Task<(long Calls, long Errors, TimeSpan Elapsed)> RunAsync(EchoClient client, EchoRequest request, int concurrency, TimeSpan duration)
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
internal sealed class EchoService : IRpcService
{
    public ServiceDefinition BindService() => ServiceBuilder.For(EchoReflection.Descriptor.Services[0])
        .Unary<EchoRequest, EchoResponse>("Echo", (request, _) => Task.FromResult(new EchoResponse { Payload = request.Payload }))
        .Build();
}

/// <summary>A typed client of the echo service.</summary>
internal sealed class EchoClient(CallInvoker invoker) : ClientBase(invoker)
{
    private static readonly Method<EchoRequest, EchoResponse> EchoMethod = Method.FromDescriptor<EchoRequest, EchoResponse>(EchoReflection.Descriptor.Services[0], "Echo");

    public AsyncUnaryCall<EchoResponse> EchoAsync(EchoRequest request, CallOptions options = default) => CallInvoker.AsyncUnaryCall(EchoMethod, null, options, request);
}

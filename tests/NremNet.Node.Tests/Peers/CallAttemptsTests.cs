using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using NremNet.Contracts.Aggregates.V1;
using NremNet.Hosting.Grpc;
using NremNet.Node.Peers;

namespace NremNet.Node.Tests.Peers;

/// <summary>
/// The attempts a peer call took, counted where grpc makes them: a channel built as <see cref="PeerChannels"/> builds it
/// (grpc's retry policy, <see cref="CallAttempts"/> around the handler), against a real server that is unavailable for a while.
/// </summary>
public sealed class CallAttemptsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Query_UnavailableTwiceThenAnswered_ThreeAttempts()
    {
        await using var server = await FlakyServer.StartAsync(unavailableFor: 2);
        using var channel = server.Channel();

        var attempts = CallAttempts.Start();
        var answer = await new AggregateService.AggregateServiceClient(channel).QueryAsync(new QueryRequest(), cancellationToken: Ct);

        Assert.Equal("SE", answer.Country);
        Assert.Equal((3, 3), (server.Calls, attempts.Attempts));
    }

    [Fact]
    public async Task Query_UnavailableThroughout_EveryAttemptOfTheRetryPolicy()
    {
        await using var server = await FlakyServer.StartAsync(unavailableFor: int.MaxValue);
        using var channel = server.Channel();

        var attempts = CallAttempts.Start();
        var ex = await Assert.ThrowsAsync<RpcException>(() => new AggregateService.AggregateServiceClient(channel).QueryAsync(new QueryRequest(), cancellationToken: Ct).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Equal((FlakyServer.MaxAttempts, FlakyServer.MaxAttempts), (server.Calls, attempts.Attempts));
    }

    [Fact]
    public async Task Query_Refused_NotRetried_OneAttempt()
    {
        await using var server = await FlakyServer.StartAsync(unavailableFor: 0, refuse: true);
        using var channel = server.Channel();

        var attempts = CallAttempts.Start();
        var ex = await Assert.ThrowsAsync<RpcException>(() => new AggregateService.AggregateServiceClient(channel).QueryAsync(new QueryRequest(), cancellationToken: Ct).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Equal((1, 1), (server.Calls, attempts.Attempts));
    }

    [Fact]
    public async Task TwoFlows_EachCountsOnlyItsOwnCalls()
    {
        await using var server = await FlakyServer.StartAsync(unavailableFor: 0);
        using var channel = server.Channel();
        var client = new AggregateService.AggregateServiceClient(channel);

        async Task<int> CallsAsync(int calls)
        {
            var attempts = CallAttempts.Start();
            for (var i = 0; i < calls; i++)
            {
                await client.QueryAsync(new QueryRequest(), cancellationToken: Ct);
            }

            return attempts.Attempts;
        }

        var counted = await Task.WhenAll(Task.Run(() => CallsAsync(2), Ct), Task.Run(() => CallsAsync(5), Ct));

        Assert.Equal([2, 5], counted);
        Assert.Equal(7, server.Calls);
    }

    /// <summary>An AggregateService on 127.0.0.1 (plain HTTP/2) that answers UNAVAILABLE to its first calls.</summary>
    private sealed class FlakyServer : IAsyncDisposable
    {
        /// <summary>Attempts of the channel's retry policy.</summary>
        public const int MaxAttempts = 4;

        private readonly WebApplication _app;
        private readonly Aggregates _service;

        private FlakyServer(WebApplication app, Aggregates service)
        {
            _app = app;
            _service = service;
        }

        public int Calls => Volatile.Read(ref _service.Calls);

        public static async Task<FlakyServer> StartAsync(int unavailableFor, bool refuse = false)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
            var service = new Aggregates(unavailableFor, refuse);
            builder.Services.AddGrpc();
            builder.Services.AddSingleton(service);
            var app = builder.Build();
            app.MapGrpcService<Aggregates>();
            await app.StartAsync(TestContext.Current.CancellationToken);
            return new FlakyServer(app, service);
        }

        /// <summary>A channel as <see cref="PeerChannels"/> builds one, without TLS, retrying quickly.</summary>
        public Grpc.Net.Client.GrpcChannel Channel()
        {
            var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            return NetworkChannel.Create(address, new NetworkChannelOptions
            {
                Retry = new RetryOptions { MaxAttempts = MaxAttempts, InitialBackoff = TimeSpan.FromMilliseconds(10), MaxBackoff = TimeSpan.FromMilliseconds(50) },
                WrapHttpHandler = static handler => new CallAttempts(handler),
            });
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }
    }

    private sealed class Aggregates(int unavailableFor, bool refuse) : AggregateService.AggregateServiceBase
    {
        internal int Calls;

        public override Task<QueryResponse> Query(QueryRequest request, ServerCallContext context)
        {
            var call = Interlocked.Increment(ref Calls);
            return call <= unavailableFor
                ? throw new RpcException(new Status(StatusCode.Unavailable, "starting up"))
                : refuse
                    ? throw new RpcException(new Status(StatusCode.PermissionDenied, "no agreement"))
                    : Task.FromResult(new QueryResponse { Country = "SE" });
        }
    }
}

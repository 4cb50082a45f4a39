using Google.Protobuf;
using Grpc.Core;
using Grpc.Testing;
using NremNet.Hosting.Grpc;
using NremNet.Hosting.Tests.Infrastructure;

namespace NremNet.Hosting.Tests.Grpc;

/// <summary>Message limits and compression as <c>AddNremNetGrpc</c> and <see cref="NetworkChannel"/> set them.</summary>
public sealed class LimitsAndCompressionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ServerReceiveLimit_Is4MiB_AndConfigurable()
    {
        Assert.Equal(4 * 1024 * 1024, GrpcServer.MaxReceiveMessageSize);
        await using var server = await TestServer.StartAsync(grpc: o => o.MaxReceiveMessageSize = 1024);
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);

        Assert.NotNull(await client.UnaryCallAsync(new SimpleRequest { Payload = new Payload { Body = ByteString.CopyFrom(new byte[900]) } }, cancellationToken: Ct));
        var ex = await Assert.ThrowsAsync<RpcException>(() => client.UnaryCallAsync(new SimpleRequest { Payload = new Payload { Body = ByteString.CopyFrom(new byte[2000]) } }, cancellationToken: Ct).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task ClientReceiveLimit_DefaultsTo4MiB_AndIsEnforced()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);

        var fits = await client.UnaryCallAsync(new SimpleRequest { ResponseSize = (4 * 1024 * 1024) - 64 }, cancellationToken: Ct);
        Assert.Equal((4 * 1024 * 1024) - 64, fits.Payload.Body.Length);
        var ex = await Assert.ThrowsAsync<RpcException>(() => client.UnaryCallAsync(new SimpleRequest { ResponseSize = 4 * 1024 * 1024 }, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);

        using var small = server.CreateChannel(new NetworkChannelOptions { MaxReceiveMessageSize = 100 });
        var limited = await Assert.ThrowsAsync<RpcException>(() => new TestService.TestServiceClient(small).UnaryCallAsync(new SimpleRequest { ResponseSize = 200 }, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, limited.StatusCode);
    }

    [Fact]
    public async Task ClientSendLimit_FailsBeforeSending()
    {
        var calls = 0;
        var service = new ScriptedTestService { Unary = (_, _) => { Interlocked.Increment(ref calls); return Task.FromResult(new SimpleResponse()); } };
        await using var server = await service.StartAsync();
        using var channel = server.CreateChannel(new NetworkChannelOptions { MaxSendMessageSize = 100 });

        var ex = await Assert.ThrowsAsync<RpcException>(() => new TestService.TestServiceClient(channel).UnaryCallAsync(new SimpleRequest { Payload = new Payload { Body = ByteString.CopyFrom(new byte[200]) } }, cancellationToken: Ct).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task ServerResponses_AreUncompressedByDefault_EvenForClientsThatAcceptGzip()
    {
        await using var server = await TestServer.StartAsync();
        using var raw = server.CreateRawClient();

        var response = await RawGrpc.SendAsync(raw, RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(new SimpleRequest { ResponseSize = 50_000 }), headers: [new("grpc-accept-encoding", "identity,gzip")]));

        Assert.Equal(StatusCode.OK, response.GrpcStatus);
        Assert.False(response.Headers.ContainsKey("grpc-encoding"));
        Assert.Equal(0, response.Body[0]);
    }

    [Fact]
    public async Task ServerCompression_WhenConfigured_CompressesForClientsThatAcceptIt()
    {
        await using var server = await TestServer.StartAsync(grpc: o => o.ResponseCompressionAlgorithm = "gzip");
        using var raw = server.CreateRawClient();

        var gzip = await RawGrpc.SendAsync(raw, RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(new SimpleRequest { ResponseSize = 50_000 }), headers: [new("grpc-accept-encoding", "identity,gzip")]));
        Assert.Equal("gzip", gzip.Headers["grpc-encoding"]);
        Assert.Equal(1, gzip.Body[0]);
        Assert.True(gzip.Body.Length < 5_000, $"{gzip.Body.Length} bytes on the wire for 50 kB of zeros");

        var plain = await RawGrpc.SendAsync(raw, RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(new SimpleRequest { ResponseSize = 50_000 }), headers: [new("grpc-accept-encoding", "identity")]));
        Assert.False(plain.Headers.ContainsKey("grpc-encoding"));
        Assert.Equal(0, plain.Body[0]);
    }

    [Fact]
    public async Task ClientCompression_ForACall_IsDecompressedByTheServer()
    {
        var encodings = new List<string>();
        var service = new ScriptedTestService
        {
            ClientStreaming = async (requests, context) =>
            {
                encodings.Add(context.GetHttpContext().Request.Headers["grpc-encoding"].ToString());
                var total = 0;
                while (await requests.MoveNext(context.CancellationToken))
                {
                    total += requests.Current.Payload.Body.Length;
                }

                return new StreamingInputCallResponse { AggregatedPayloadSize = total };
            },
        };
        await using var server = await service.StartAsync();
        using var channel = server.CreateChannel();

        // Grpc.Net.Client compresses a call's messages when this request header names an encoding it has.
        using var call = new TestService.TestServiceClient(channel).StreamingInputCall(new Metadata { { "grpc-internal-encoding-request", "gzip" } }, cancellationToken: Ct);
        await call.RequestStream.WriteAsync(new StreamingInputCallRequest { Payload = new Payload { Body = ByteString.CopyFrom(new byte[10_000]) } }, Ct);
        call.RequestStream.WriteOptions = new WriteOptions(WriteFlags.NoCompress);
        await call.RequestStream.WriteAsync(new StreamingInputCallRequest { Payload = new Payload { Body = ByteString.CopyFrom(new byte[10_000]) } }, Ct);
        await call.RequestStream.CompleteAsync();

        Assert.Equal(20_000, (await call).AggregatedPayloadSize);
        Assert.Equal(["gzip"], encodings);
    }
}

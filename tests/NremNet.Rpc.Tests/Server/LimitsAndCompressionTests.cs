using Google.Protobuf;
using Grpc.Testing;
using NremNet.Rpc.Interop;
using NremNet.Rpc.Tests.Infrastructure;

namespace NremNet.Rpc.Tests.Server;

public sealed class LimitsAndCompressionTests
{
    [Fact]
    public async Task ServerReceiveLimit_IsConfigurable()
    {
        await using var server = await TestServer.StartAsync(rpc => rpc.AddService<TestServiceImpl>(), options: o => o.MaxReceiveMessageSize = 1024);
        using var channel = server.CreateChannel();
        var client = new TestServiceClient(channel.CreateCallInvoker());

        var ok = await client.UnaryCallAsync(new SimpleRequest { Payload = new Payload { Body = ByteString.CopyFrom(new byte[900]) } });
        Assert.NotNull(ok);
        var ex = await Assert.ThrowsAsync<RpcException>(() => client.UnaryCallAsync(new SimpleRequest { Payload = new Payload { Body = ByteString.CopyFrom(new byte[2000]) } }).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Contains("1024", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientReceiveLimit_DefaultsTo4MiB_AndIsEnforced()
    {
        await using var server = await TestServer.StartAsync(rpc => rpc.AddService<TestServiceImpl>());
        using var channel = server.CreateChannel();
        var client = new TestServiceClient(channel.CreateCallInvoker());

        var fits = await client.UnaryCallAsync(new SimpleRequest { ResponseSize = (4 * 1024 * 1024) - 64 });
        Assert.Equal((4 * 1024 * 1024) - 64, fits.Payload.Body.Length);
        var ex = await Assert.ThrowsAsync<RpcException>(() => client.UnaryCallAsync(new SimpleRequest { ResponseSize = 4 * 1024 * 1024 }).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);

        using var small = server.CreateChannel(new RpcChannelOptions { MaxReceiveMessageSize = 100 });
        var limited = new TestServiceClient(small.CreateCallInvoker());
        var small1 = await Assert.ThrowsAsync<RpcException>(() => limited.UnaryCallAsync(new SimpleRequest { ResponseSize = 200 }).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, small1.StatusCode);
    }

    [Fact]
    public async Task ClientSendLimit_FailsBeforeSending()
    {
        await using var server = await TestServer.StartAsync(rpc => rpc.AddService<TestServiceImpl>());
        using var channel = server.CreateChannel(new RpcChannelOptions { MaxSendMessageSize = 100 });
        var client = new TestServiceClient(channel.CreateCallInvoker());

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.UnaryCallAsync(new SimpleRequest { Payload = new Payload { Body = ByteString.CopyFrom(new byte[200]) } }).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task ServerDefaultCompression_CompressesForClientsThatAcceptIt()
    {
        await using var server = await TestServer.StartAsync(rpc => rpc.AddService<TestServiceImpl>(), options: o => o.ResponseCompressionAlgorithm = "gzip");
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
    public async Task ClientCompression_ForAChannel_CompressesEveryRequest()
    {
        var compressed = new List<bool>();
        var definition = TestServices.Create(b => b.ClientStreaming<StreamingInputCallRequest, StreamingInputCallResponse>("StreamingInputCall", async (requests, context) =>
        {
            var total = 0;
            while (await requests.MoveNext(context.CancellationToken))
            {
                compressed.Add(context.LastRequestMessageCompressed);
                total += requests.Current.Payload.Body.Length;
            }

            return new StreamingInputCallResponse { AggregatedPayloadSize = total };
        }), "StreamingInputCall");
        await using var server = await TestServer.StartAsync(rpc => rpc.AddDefinition(definition));
        using var channel = server.CreateChannel(new RpcChannelOptions { RequestCompression = "gzip" });
        var client = new TestServiceClient(channel.CreateCallInvoker());

        using var call = client.StreamingInputCall();
        await call.RequestStream.WriteAsync(new StreamingInputCallRequest { Payload = new Payload { Body = ByteString.CopyFrom(new byte[10_000]) } }, TestContext.Current.CancellationToken);
        call.RequestStream.WriteOptions = new WriteOptions(WriteFlags.NoCompress);
        await call.RequestStream.WriteAsync(new StreamingInputCallRequest { Payload = new Payload { Body = ByteString.CopyFrom(new byte[10_000]) } }, TestContext.Current.CancellationToken);
        await call.RequestStream.CompleteAsync();

        Assert.Equal(20_000, (await call).AggregatedPayloadSize);
        Assert.Equal([true, false], compressed);
    }

    [Fact]
    public void UnknownRequestCompression_IsRefusedWhenTheChannelIsCreated()
    {
        var ex = Assert.Throws<ArgumentException>(() => RpcChannel.ForAddress("http://127.0.0.1:1", new RpcChannelOptions { RequestCompression = "br" }));
        Assert.Contains("br", ex.Message, StringComparison.Ordinal);
    }
}

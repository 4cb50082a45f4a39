using Google.Protobuf;
using Grpc.Testing;
using NremNet.Rpc.Interop;
using NremNet.Rpc.Tests.Infrastructure;

namespace NremNet.Rpc.Tests.Server;

/// <summary>Every call shape between NremNet.Rpc's client and server over real HTTP/2, plain and TLS.</summary>
public sealed class CallTests
{
    public static TheoryData<bool> Transports => [false, true];

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task EveryCallShape_Works(bool tls)
    {
        await using var server = await StartAsync(tls);
        using var channel = server.CreateChannel();
        var client = new TestServiceClient(channel.CreateCallInvoker());
        var ct = TestContext.Current.CancellationToken;

        var unary = await client.UnaryCallAsync(new SimpleRequest { ResponseSize = 1234 });
        Assert.Equal(1234, unary.Payload.Body.Length);

        var request = new StreamingOutputCallRequest();
        request.ResponseParameters.Add(Enumerable.Range(1, 50).Select(i => new ResponseParameters { Size = i * 100 }));
        using (var serverStreaming = client.StreamingOutputCall(request))
        {
            var sizes = new List<int>();
            await foreach (var response in serverStreaming.ResponseStream.ReadAllAsync(ct))
            {
                sizes.Add(response.Payload.Body.Length);
            }

            Assert.Equal(Enumerable.Range(1, 50).Select(i => i * 100), sizes);
            Assert.Equal(StatusCode.OK, serverStreaming.GetStatus().StatusCode);
        }

        using (var clientStreaming = client.StreamingInputCall())
        {
            await clientStreaming.RequestStream.WriteAllAsync(Enumerable.Range(1, 30).Select(i => new StreamingInputCallRequest { Payload = new Payload { Body = ByteString.CopyFrom(new byte[i]) } }));
            Assert.Equal(465, (await clientStreaming).AggregatedPayloadSize);
        }

        using var duplex = client.FullDuplexCall();
        for (var i = 1; i <= 25; i++)
        {
            var ping = new StreamingOutputCallRequest();
            ping.ResponseParameters.Add(new ResponseParameters { Size = i });
            await duplex.RequestStream.WriteAsync(ping, ct);
            Assert.True(await duplex.ResponseStream.MoveNext(ct));
            Assert.Equal(i, duplex.ResponseStream.Current.Payload.Body.Length);
        }

        await duplex.RequestStream.CompleteAsync();
        Assert.False(await duplex.ResponseStream.MoveNext(ct));
    }

    [Fact]
    public async Task ManyConcurrentCalls_OnOneChannel_AllSucceed()
    {
        await using var server = await StartAsync(tls: false);
        using var channel = server.CreateChannel();
        var client = new TestServiceClient(channel.CreateCallInvoker());

        var calls = Enumerable.Range(0, 500).Select(async i => (await client.UnaryCallAsync(new SimpleRequest { ResponseSize = i % 97 })).Payload.Body.Length);
        var sizes = await Task.WhenAll(calls);

        Assert.Equal(Enumerable.Range(0, 500).Select(i => i % 97), sizes);
    }

    [Fact]
    public async Task ErrorStatus_CarriesCodeMessageAndTrailers()
    {
        var definition = TestServices.Create(
            b => b.Unary<SimpleRequest, SimpleResponse>("UnaryCall", (_, _) =>
                throw new RpcException(new Status(StatusCode.FailedPrecondition, "agreement with SE not active: ask the admin"), new Metadata { { "x-reason", "agreement" }, { "x-detail-bin", new byte[] { 0, 1, 2, 255 } } })),
            "UnaryCall");
        await using var server = await TestServer.StartAsync(rpc => rpc.AddDefinition(definition));
        using var channel = server.CreateChannel();
        var client = new TestServiceClient(channel.CreateCallInvoker());

        using var call = client.UnaryCallAsync(new SimpleRequest());
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Equal("agreement with SE not active: ask the admin", ex.Status.Detail);
        Assert.Equal("agreement", ex.Trailers.GetValue("x-reason"));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, ex.Trailers.GetValueBytes("x-detail-bin"));
        Assert.Equal(StatusCode.FailedPrecondition, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task UnexpectedHandlerException_IsUnknownWithoutInternalText_AndIsLogged()
    {
        var definition = TestServices.Create(
            b => b.Unary<SimpleRequest, SimpleResponse>("UnaryCall", (_, _) => throw new InvalidOperationException("connection string Password=hunter2")),
            "UnaryCall");
        await using var server = await TestServer.StartAsync(rpc => rpc.AddDefinition(definition), expectedErrors: "HandlerFailed");
        using var channel = server.CreateChannel();
        var client = new TestServiceClient(channel.CreateCallInvoker());

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.UnaryCallAsync(new SimpleRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unknown, ex.StatusCode);
        Assert.DoesNotContain("hunter2", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Contains(server.Logs.Entries, e => e.EventName == "HandlerFailed" && e.Exception is InvalidOperationException);
    }

    [Fact]
    public async Task Metadata_AsciiAndBinary_TravelBothWays()
    {
        await using var server = await StartAsync(tls: false);
        using var channel = server.CreateChannel();
        var client = new TestServiceClient(channel.CreateCallInvoker());
        byte[] binary = [0xab, 0x00, 0xff, 0x10, 0x20];
        var headers = new Metadata { { "x-grpc-test-echo-initial", "hello NL" }, { "x-grpc-test-echo-trailing-bin", binary } };

        using var call = client.UnaryCallAsync(new SimpleRequest(), new CallOptions(headers));
        await call;

        Assert.Equal("hello NL", (await call.ResponseHeadersAsync).GetValue("x-grpc-test-echo-initial"));
        Assert.Equal(binary, call.GetTrailers().GetValueBytes("x-grpc-test-echo-trailing-bin"));
    }

    [Theory]
    [InlineData("q6ur", "ABABAB")]
    [InlineData("q6s", "ABAB")]
    [InlineData("q6s=", "ABAB")]
    [InlineData("q6s,q6ur", "ABAB|ABABAB")]
    public async Task BinaryMetadata_PaddedUnpaddedAndJoined_IsAccepted(string wireValue, string expected)
    {
        var definition = TestServices.Create(b => b.Unary<SimpleRequest, SimpleResponse>("UnaryCall", (_, context) =>
        {
            var values = context.RequestHeaders.GetAll("x-data-bin").Select(e => Convert.ToHexString(e.ValueBytes));
            context.ResponseTrailers.Add("x-echo-bin", [0xab, 0xab, 0xab]);
            return Task.FromResult(new SimpleResponse { Hostname = string.Join("|", values) });
        }), "UnaryCall");
        await using var server = await TestServer.StartAsync(rpc => rpc.AddDefinition(definition));
        using var raw = server.CreateRawClient();

        var response = await RawGrpc.SendAsync(raw, RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(new SimpleRequest()), headers: [new("x-data-bin", wireValue)]));

        Assert.Equal(StatusCode.OK, response.GrpcStatus);
        Assert.Equal(expected, SimpleResponse.Parser.ParseFrom(response.Body.AsSpan(5)).Hostname);
        Assert.Equal("q6ur", response.Trailers["x-echo-bin"]);
    }

    [Fact]
    public async Task SuccessWithoutMessages_SendsHeadersThenTrailers()
    {
        await using var server = await StartAsync(tls: false);
        using var raw = server.CreateRawClient();

        var response = await RawGrpc.SendAsync(raw, RawGrpc.Request("/grpc.testing.TestService/StreamingOutputCall", RawGrpc.Frame(new StreamingOutputCallRequest())));

        Assert.Equal(StatusCode.OK, response.GrpcStatus);
        Assert.False(response.IsTrailersOnly, response.ToString());
        Assert.Equal("application/grpc", response.Headers["content-type"]);
    }

    private static Task<TestServer> StartAsync(bool tls)
    {
        if (!tls)
        {
            return TestServer.StartAsync(rpc => rpc.AddService<TestServiceImpl>());
        }

        var authority = NremNet.Testing.TestPki.CreateAuthority("call tests CA");
        var certificate = NremNet.Testing.TestPki.IssueServer(authority, ["localhost"], [System.Net.IPAddress.Loopback]);
        return TestServer.StartAsync(rpc => rpc.AddService<TestServiceImpl>(), tls: new RpcServerTlsOptions { ServerCertificate = certificate }, authority: authority);
    }
}

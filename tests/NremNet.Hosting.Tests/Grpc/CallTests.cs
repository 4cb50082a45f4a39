using System.Net;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Testing;
using NremNet.Hosting.Grpc;
using NremNet.Hosting.Tests.Infrastructure;
using NremNet.Testing;

namespace NremNet.Hosting.Tests.Grpc;

/// <summary>Every call shape between NremNet's channel and NremNet's server configuration over real HTTP/2, plain and TLS.</summary>
public sealed class CallTests
{
    public static TheoryData<bool> Transports => [false, true];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task EveryCallShape_Works(bool tls)
    {
        await using var server = await StartAsync(tls);
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);

        var unary = await client.UnaryCallAsync(new SimpleRequest { ResponseSize = 1234 }, cancellationToken: Ct);
        Assert.Equal(1234, unary.Payload.Body.Length);

        var request = new StreamingOutputCallRequest();
        request.ResponseParameters.Add(Enumerable.Range(1, 50).Select(i => new ResponseParameters { Size = i * 100 }));
        using (var serverStreaming = client.StreamingOutputCall(request, cancellationToken: Ct))
        {
            var sizes = new List<int>();
            await foreach (var response in serverStreaming.ResponseStream.ReadAllAsync(Ct))
            {
                sizes.Add(response.Payload.Body.Length);
            }

            Assert.Equal(Enumerable.Range(1, 50).Select(i => i * 100), sizes);
            Assert.Equal(StatusCode.OK, serverStreaming.GetStatus().StatusCode);
        }

        using (var clientStreaming = client.StreamingInputCall(cancellationToken: Ct))
        {
            foreach (var i in Enumerable.Range(1, 30))
            {
                await clientStreaming.RequestStream.WriteAsync(new StreamingInputCallRequest { Payload = new Payload { Body = ByteString.CopyFrom(new byte[i]) } }, Ct);
            }

            await clientStreaming.RequestStream.CompleteAsync();
            Assert.Equal(465, (await clientStreaming).AggregatedPayloadSize);
        }

        using var duplex = client.FullDuplexCall(cancellationToken: Ct);
        for (var i = 1; i <= 25; i++)
        {
            var ping = new StreamingOutputCallRequest();
            ping.ResponseParameters.Add(new ResponseParameters { Size = i });
            await duplex.RequestStream.WriteAsync(ping, Ct);
            Assert.True(await duplex.ResponseStream.MoveNext(Ct));
            Assert.Equal(i, duplex.ResponseStream.Current.Payload.Body.Length);
        }

        await duplex.RequestStream.CompleteAsync();
        Assert.False(await duplex.ResponseStream.MoveNext(Ct));
    }

    [Fact]
    public async Task ManyConcurrentCalls_OnOneChannel_AllSucceed()
    {
        await using var server = await StartAsync(tls: false);
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);

        var calls = Enumerable.Range(0, 500).Select(async i => (await client.UnaryCallAsync(new SimpleRequest { ResponseSize = i % 97 }, cancellationToken: Ct)).Payload.Body.Length);
        var sizes = await Task.WhenAll(calls);

        Assert.Equal(Enumerable.Range(0, 500).Select(i => i % 97), sizes);
    }

    [Fact]
    public async Task ErrorStatus_CarriesCodeMessageAndTrailers()
    {
        var service = new ScriptedTestService
        {
            Unary = (_, _) => throw new RpcException(new Status(StatusCode.FailedPrecondition, "agreement with SE not active: ask the admin"), new Metadata { { "x-reason", "agreement" }, { "x-detail-bin", new byte[] { 0, 1, 2, 255 } } }),
        };
        await using var server = await service.StartAsync();
        using var channel = server.CreateChannel();

        using var call = new TestService.TestServiceClient(channel).UnaryCallAsync(new SimpleRequest(), cancellationToken: Ct);
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Equal("agreement with SE not active: ask the admin", ex.Status.Detail);
        Assert.Equal("agreement", ex.Trailers.GetValue("x-reason"));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, ex.Trailers.GetValueBytes("x-detail-bin"));
        Assert.Equal(StatusCode.FailedPrecondition, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task UnexpectedHandlerException_IsUnknownWithoutItsText_AndIsLogged()
    {
        var service = new ScriptedTestService { Unary = (_, _) => throw new InvalidOperationException("connection string Password=hunter2") };
        await using var server = await service.StartAsync(expectedErrors: "Error when executing service method");
        using var channel = server.CreateChannel();

        var ex = await Assert.ThrowsAsync<RpcException>(() => new TestService.TestServiceClient(channel).UnaryCallAsync(new SimpleRequest(), cancellationToken: Ct).ResponseAsync);

        // AddNremNetGrpc turns detailed errors off: callers never see exception text.
        Assert.Equal(StatusCode.Unknown, ex.StatusCode);
        Assert.DoesNotContain("hunter2", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Contains(server.Logs.Entries, e => e.Exception is InvalidOperationException { Message: "connection string Password=hunter2" });
    }

    [Fact]
    public async Task Metadata_AsciiAndBinary_TravelBothWays()
    {
        await using var server = await StartAsync(tls: false);
        using var channel = server.CreateChannel();
        byte[] binary = [0xab, 0x00, 0xff, 0x10, 0x20];
        var headers = new Metadata { { "x-grpc-test-echo-initial", "hello NL" }, { "x-grpc-test-echo-trailing-bin", binary } };

        using var call = new TestService.TestServiceClient(channel).UnaryCallAsync(new SimpleRequest(), headers, cancellationToken: Ct);
        await call;

        Assert.Equal("hello NL", (await call.ResponseHeadersAsync).GetValue("x-grpc-test-echo-initial"));
        Assert.Equal(binary, call.GetTrailers().GetValueBytes("x-grpc-test-echo-trailing-bin"));
    }

    [Theory]
    [InlineData("q6ur", "ABABAB")]
    [InlineData("q6s", "ABAB")]
    [InlineData("q6s=", "ABAB")]
    public async Task BinaryMetadata_PaddedAndUnpadded_IsAccepted(string wireValue, string expected)
    {
        // "Implementations MUST accept padded and un-padded values and should emit un-padded values."
        var service = new ScriptedTestService
        {
            Unary = (_, context) =>
            {
                var values = context.RequestHeaders.Where(e => e.Key == "x-data-bin").Select(e => Convert.ToHexString(e.ValueBytes));
                context.ResponseTrailers.Add("x-echo-bin", [0xab, 0xab, 0xab]);
                return Task.FromResult(new SimpleResponse { Hostname = string.Join("|", values) });
            },
        };
        await using var server = await service.StartAsync();
        using var raw = server.CreateRawClient();

        var response = await RawGrpc.SendAsync(raw, RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(new SimpleRequest()), headers: [new("x-data-bin", wireValue)]));

        Assert.Equal(StatusCode.OK, response.GrpcStatus);
        Assert.Equal(expected, SimpleResponse.Parser.ParseFrom(response.Body.AsSpan(5)).Hostname);
        Assert.Equal("q6ur", response.Trailers["x-echo-bin"]);
    }

    [Theory]
    [InlineData("q6s,q6ur")]
    [InlineData("q6s", "q6ur")]
    public async Task BinaryMetadataWithSeveralValues_IsRefusedWithAReason_NotAFailingHandler(params string[] wireValues)
    {
        // The protocol says to split such values into several entries; Grpc.AspNetCore cannot (it decodes the joined
        // text as one value and the handler throws: UNKNOWN). NremNet's guard tells the caller instead.
        var service = new ScriptedTestService { Unary = (_, context) => Task.FromResult(new SimpleResponse { Hostname = context.RequestHeaders.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) }) };
        await using var server = await service.StartAsync();
        using var raw = server.CreateRawClient();

        var response = await RawGrpc.SendAsync(raw, RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(new SimpleRequest()), headers: wireValues.Select(v => new KeyValuePair<string, string>("x-data-bin", v))));

        Assert.True(response.GrpcStatus == StatusCode.Internal, response.ToString());
        Assert.Contains("'x-data-bin' has several values", response.GrpcMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SuccessWithoutMessages_IsAWellFormedResponse()
    {
        await using var server = await StartAsync(tls: false);
        using var raw = server.CreateRawClient();

        var response = await RawGrpc.SendAsync(raw, RawGrpc.Request("/grpc.testing.TestService/StreamingOutputCall", RawGrpc.Frame(new StreamingOutputCallRequest())));

        // Grpc.AspNetCore answers a call that ends OK before any message as Trailers-Only (HTTP-Status Content-Type
        // Trailers), a whole response every gRPC client reads; the hand-written server sent headers, then trailers.
        Assert.Equal(200, response.HttpStatus);
        Assert.Equal(StatusCode.OK, response.GrpcStatus);
        Assert.Equal("application/grpc", response.Headers["content-type"]);
        Assert.Empty(response.Body);
    }

    private static Task<TestServer> StartAsync(bool tls)
    {
        if (!tls)
        {
            return TestServer.StartAsync();
        }

        var authority = TestPki.CreateAuthority("call tests CA");
        return TestServer.StartAsync(tls: new ServerTlsOptions { ServerCertificate = TestPki.IssueServer(authority, ["localhost"], [IPAddress.Loopback]) }, authority: authority);
    }
}

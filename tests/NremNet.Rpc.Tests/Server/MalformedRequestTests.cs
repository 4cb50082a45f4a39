using System.IO.Compression;
using Google.Protobuf;
using Grpc.Testing;
using NremNet.Rpc.Interop;
using NremNet.Rpc.Tests.Infrastructure;

namespace NremNet.Rpc.Tests.Server;

/// <summary>
/// Malformed requests sent over plain HTTP/2: each gets the status the protocol prescribes, and the server goes on
/// serving other calls — on the same connection, and on a stream that was open the whole time.
/// </summary>
public sealed class MalformedRequestTests
{
    private static readonly byte[] ValidRequest = new SimpleRequest { ResponseSize = 10, Payload = new Payload { Body = ByteString.CopyFrom(new byte[20]) } }.ToByteArray();

    public static TheoryData<string> Cases => new(Corpus.Keys);

    private static readonly Dictionary<string, (Func<HttpRequestMessage> Request, int HttpStatus, StatusCode? Status)> Corpus = new()
    {
        ["wrong content-type"] = (() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(ValidRequest), "text/plain"), 415, null),
        ["missing content-type"] = (() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(ValidRequest), null), 415, null),
        ["grpc content-type with a message format not served"] = (() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(ValidRequest), "application/grpc+json"), 415, null),
        ["GET instead of POST"] = (() => { var get = RawGrpc.Request(RawGrpc.UnaryCallPath, []); get.Method = HttpMethod.Get; get.Content = null; return get; }, 405, null),
        ["empty body for a unary call"] = (() => RawGrpc.Request(RawGrpc.UnaryCallPath, []), 200, StatusCode.Internal),
        ["truncated prefix"] = (() => RawGrpc.Request(RawGrpc.UnaryCallPath, [0, 0, 0]), 200, StatusCode.Internal),
        ["declared length longer than the body"] = (() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(ValidRequest, declaredLength: (uint)ValidRequest.Length + 10)), 200, StatusCode.Internal),
        ["extra bytes after a unary message"] = (() => RawGrpc.Request(RawGrpc.UnaryCallPath, [.. RawGrpc.Frame(ValidRequest), 1, 2, 3]), 200, StatusCode.Internal),
        ["two messages on a unary call"] = (() => RawGrpc.Request(RawGrpc.UnaryCallPath, [.. RawGrpc.Frame(ValidRequest), .. RawGrpc.Frame(ValidRequest)]), 200, StatusCode.Internal),
        ["compressed flag without grpc-encoding"] = (() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(Gzip(ValidRequest), flag: 1)), 200, StatusCode.Internal),
        ["unknown encoding"] = (() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(Gzip(ValidRequest), flag: 1), headers: [new("grpc-encoding", "br")]), 200, StatusCode.Unimplemented),
        ["compressed flag that is neither 0 nor 1"] = (() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(ValidRequest, flag: 2)), 200, StatusCode.Internal),
        ["gzip flag with bytes that are not gzip"] = (() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(ValidRequest, flag: 1), headers: [new("grpc-encoding", "gzip")]), 200, StatusCode.Internal),
        ["message over the receive limit"] = (() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(new byte[(4 * 1024 * 1024) + 1])), 200, StatusCode.ResourceExhausted),
        ["compressed message that expands over the receive limit"] = (() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(Gzip(new byte[(4 * 1024 * 1024) + 1]), flag: 1), headers: [new("grpc-encoding", "gzip")]), 200, StatusCode.ResourceExhausted),
        ["invalid protobuf bytes"] = (() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame([0x1A, 0x05, 0x01])), 200, StatusCode.Internal),
        ["invalid wire type"] = (() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame([0x0F, 0x00])), 200, StatusCode.Internal),
        ["grpc-timeout without a unit"] = (() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(ValidRequest), headers: [new("grpc-timeout", "100")]), 200, StatusCode.Internal),
        ["grpc-timeout with nine digits"] = (() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(ValidRequest), headers: [new("grpc-timeout", "123456789S")]), 200, StatusCode.Internal),
        ["grpc-timeout with an unknown unit"] = (() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(ValidRequest), headers: [new("grpc-timeout", "10x")]), 200, StatusCode.Internal),
        ["grpc-timeout that is not a number"] = (() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(ValidRequest), headers: [new("grpc-timeout", "soonS")]), 200, StatusCode.Internal),
        ["oversized metadata"] = (() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(ValidRequest), headers: [new("x-padding", new string('x', 16 * 1024))]), 200, StatusCode.ResourceExhausted),
        ["binary metadata that is not base64"] = (() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(ValidRequest), headers: [new("x-grpc-test-echo-trailing-bin", "#not base64#")]), 200, StatusCode.Internal),
        ["unknown service"] = (() => RawGrpc.Request("/nremnet.nothing.v1.Nothing/Call", RawGrpc.Frame(ValidRequest)), 200, StatusCode.Unimplemented),
        ["unknown method"] = (() => RawGrpc.Request("/grpc.testing.TestService/NoSuchMethod", RawGrpc.Frame(ValidRequest)), 200, StatusCode.Unimplemented),
        ["method marked unimplemented"] = (() => RawGrpc.Request("/grpc.testing.TestService/UnimplementedCall", RawGrpc.Frame([])), 200, StatusCode.Unimplemented),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task MalformedRequest_GetsPrescribedStatus_AndServerKeepsServing(string name)
    {
        await using var server = await TestServer.StartAsync(rpc => rpc.AddService<TestServiceImpl>());
        using var raw = server.CreateRawClient();
        using var channel = server.CreateChannel();
        var client = new TestServiceClient(channel.CreateCallInvoker());

        // A stream that stays open across the bad request.
        using var open = client.FullDuplexCall();
        await PingAsync(open, 7);

        var (request, httpStatus, status) = Corpus[name];
        var response = await RawGrpc.SendAsync(raw, request());

        Assert.True(response.HttpStatus == httpStatus, $"{name}: expected HTTP {httpStatus}, got {response}");
        if (status is { } expected)
        {
            Assert.True(response.GrpcStatus == expected, $"{name}: expected grpc-status {expected}, got {response}");
            Assert.False(string.IsNullOrWhiteSpace(response.GrpcMessage), $"{name}: the error names no problem: {response}");
            Assert.True(response.IsTrailersOnly, $"{name}: an immediate error should be a trailers-only response: {response}");
        }
        else
        {
            Assert.True(response.GrpcStatus == StatusCode.Internal, $"{name}: a gRPC client reading this should see a status: {response}");
        }

        if (name == "unknown encoding")
        {
            Assert.Contains("gzip", response.Headers["grpc-accept-encoding"], StringComparison.Ordinal);
        }

        // The same connection serves a good call, and the open stream still works.
        var ok = await RawGrpc.SendAsync(raw, RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(ValidRequest)));
        Assert.True(ok.GrpcStatus == StatusCode.OK, $"after '{name}' a valid call failed: {ok}");
        await PingAsync(open, 11);
        await open.RequestStream.CompleteAsync();
        Assert.False(await open.ResponseStream.MoveNext(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task MetadataBeyondHttp2HeaderListLimit_IsRefused_AndServerKeepsServing()
    {
        await using var server = await TestServer.StartAsync(rpc => rpc.AddService<TestServiceImpl>());
        using (var raw = server.CreateRawClient())
        {
            var huge = RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(ValidRequest), headers: [new("x-padding", new string('x', 64 * 1024))]);
            var outcome = await Record.ExceptionAsync(async () =>
            {
                var response = await RawGrpc.SendAsync(raw, huge);
                Assert.True(response.HttpStatus != 200 || response.GrpcStatus != StatusCode.OK, $"64 KiB of metadata was accepted: {response}");
            });
            Assert.True(outcome is null or HttpRequestException or HttpIOException, $"unexpected failure: {outcome}");
        }

        using var fresh = server.CreateRawClient();
        var ok = await RawGrpc.SendAsync(fresh, RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(ValidRequest)));
        Assert.Equal(StatusCode.OK, ok.GrpcStatus);
    }

    private static async Task PingAsync(AsyncDuplexStreamingCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call, int size)
    {
        var request = new StreamingOutputCallRequest();
        request.ResponseParameters.Add(new ResponseParameters { Size = size });
        await call.RequestStream.WriteAsync(request);
        Assert.True(await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken));
        Assert.Equal(size, call.ResponseStream.Current.Payload.Body.Length);
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }
}

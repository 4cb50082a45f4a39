using System.IO.Compression;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Testing;
using NremNet.Hosting.Tests.Infrastructure;

namespace NremNet.Hosting.Tests.Grpc;

/// <summary>
/// Malformed requests sent over plain HTTP/2 to a server configured as NremNet configures its hosts: each gets the
/// answer the gRPC protocol (grpc/grpc doc/PROTOCOL-HTTP2.md) prescribes, and the server goes on serving other calls —
/// on the same connection, and on a stream that was open the whole time.
/// </summary>
public sealed class MalformedRequestTests
{
    private const string DuplexPath = "/grpc.testing.TestService/FullDuplexCall";

    private static readonly byte[] ValidRequest = new SimpleRequest { ResponseSize = 10, Payload = new Payload { Body = ByteString.CopyFrom(new byte[20]) } }.ToByteArray();

    public static TheoryData<string> Cases => new(Corpus.Keys);

    /// <summary>
    /// Each request with the HTTP status and grpc-status it must get (null: none), and the error the server logs, if any. Where grpc-dotnet answers
    /// otherwise than NremNet's former hand-written server did, the reason is the protocol's and is given.
    /// </summary>
    private static readonly Dictionary<string, Case> Corpus = new()
    {
        // "If Content-Type does not begin with application/grpc, gRPC servers SHOULD respond with HTTP status of 415", with
        // a grpc-status for a gRPC client that reads it.
        ["wrong content-type"] = new(() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(ValidRequest), "text/plain"), 415, StatusCode.Internal),
        ["missing content-type"] = new(() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(ValidRequest), null), 415, StatusCode.Internal),

        // Content-Type → "application/grpc" [("+proto" / "+json" / {custom})]: the protocol defines no answer for a
        // format the server does not serve. grpc-dotnet, like gRPC's other implementations, takes any application/grpc
        // type and reads protobuf, so the (protobuf) request is served — the hand-written server answered 415.
        ["grpc content-type with another message format"] = new(() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(ValidRequest), "application/grpc+json"), 200, StatusCode.OK),

        // Method → ":method POST". A GET is not a gRPC request; no endpoint takes it, so ASP.NET Core answers 404 (a gRPC
        // client maps it to UNIMPLEMENTED) where the hand-written server answered 405. Either is an HTTP refusal.
        ["GET instead of POST"] = new(() => { var get = RawGrpc.Request(RawGrpc.UnaryCallPath, []); get.Method = HttpMethod.Get; get.Content = null; return get; }, 404, null),

        // Framing: a message that cannot be read ends the call with INTERNAL (doc/statuscodes.md: "Error parsing request
        // proto", "Could not decompress, but compression algorithm supported"). Grpc.AspNetCore says UNKNOWN for the
        // message errors, as for a failing handler, and logs them as errors; NremNet's GrpcRequestGuard reports INTERNAL.
        // A unary call with no message or a second one is a "request cardinality violation", UNIMPLEMENTED in that
        // table; grpc-dotnet, grpc-java and the hand-written server answer INTERNAL, and gRPC's maintainers mean to
        // change the table to match (grpc/grpc-java#11247), so INTERNAL it is.
        ["empty body for a unary call"] = new(() => RawGrpc.Request(RawGrpc.UnaryCallPath, []), 200, StatusCode.Internal),
        ["truncated prefix"] = new(() => RawGrpc.Request(RawGrpc.UnaryCallPath, [0, 0, 0]), 200, StatusCode.Internal),
        ["declared length longer than the body"] = new(() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(ValidRequest, declaredLength: (uint)ValidRequest.Length + 10)), 200, StatusCode.Internal),
        ["extra bytes after a unary message"] = new(() => RawGrpc.Request(RawGrpc.UnaryCallPath, [.. RawGrpc.Frame(ValidRequest), 1, 2, 3]), 200, StatusCode.Internal),
        ["two messages on a unary call"] = new(() => RawGrpc.Request(RawGrpc.UnaryCallPath, [.. RawGrpc.Frame(ValidRequest), .. RawGrpc.Frame(ValidRequest)]), 200, StatusCode.Internal),
        ["compressed flag without grpc-encoding"] = new(() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(Gzip(ValidRequest), flag: 1)), 200, StatusCode.Internal),
        ["compressed flag that is neither 0 nor 1"] = new(() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(ValidRequest, flag: 2)), 200, StatusCode.Internal, HandlerError),
        ["gzip flag with bytes that are not gzip"] = new(() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(ValidRequest, flag: 1), headers: [new("grpc-encoding", "gzip")]), 200, StatusCode.Internal, HandlerError),
        ["invalid protobuf bytes"] = new(() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame([0x1A, 0x05, 0x01])), 200, StatusCode.Internal, HandlerError),
        ["invalid wire type"] = new(() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame([0x0F, 0x00])), 200, StatusCode.Internal, HandlerError),
        ["invalid protobuf bytes on a stream"] = new(() => RawGrpc.Request(DuplexPath, RawGrpc.Frame([0x1A, 0x05, 0x01])), 200, StatusCode.Internal, HandlerError),
        ["invalid protobuf bytes on a stream after response headers"] = new(() => RawGrpc.Request(DuplexPath, RawGrpc.Frame([0x1A, 0x05, 0x01]), headers: [new("x-grpc-test-echo-initial", "started")]), 200, StatusCode.Internal, HandlerError, TrailersOnly: false),

        // compression.md: a message compressed in a way the server does not support fails with UNIMPLEMENTED.
        ["unknown encoding"] = new(() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(Gzip(ValidRequest), flag: 1), headers: [new("grpc-encoding", "br")]), 200, StatusCode.Unimplemented),

        // Limits: NremNet's 4 MiB, before and after decompression.
        ["message over the receive limit"] = new(() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(new byte[(4 * 1024 * 1024) + 1])), 200, StatusCode.ResourceExhausted),
        ["compressed message that expands over the receive limit"] = new(() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(Gzip(new byte[(4 * 1024 * 1024) + 1]), flag: 1), headers: [new("grpc-encoding", "gzip")]), 200, StatusCode.ResourceExhausted),

        // The path names the method exactly as sent ("Path is case-sensitive"; Path → "/" Service-Name "/" method name).
        // Kestrel decodes percent-encoding and removes dot segments and ASP.NET Core routes without regard to case, so
        // NremNet's GrpcRequestGuard answers these before routing: they name no method.
        ["unknown service"] = new(() => RawGrpc.Request("/nremnet.nothing.v1.Nothing/Call", RawGrpc.Frame(ValidRequest)), 200, StatusCode.Unimplemented),
        ["unknown method"] = new(() => RawGrpc.Request("/grpc.testing.TestService/NoSuchMethod", RawGrpc.Frame(ValidRequest)), 200, StatusCode.Unimplemented),
        ["method marked unimplemented"] = new(() => RawGrpc.Request("/grpc.testing.TestService/UnimplementedCall", RawGrpc.Frame([])), 200, StatusCode.Unimplemented),
        ["percent-encoded method name"] = new(() => RawGrpc.Request("/grpc.testing.TestService/Unary%43all", RawGrpc.Frame(ValidRequest)), 200, StatusCode.Unimplemented),
        ["percent-encoded slash"] = new(() => RawGrpc.Request("/grpc.testing.TestService%2FUnaryCall", RawGrpc.Frame(ValidRequest)), 200, StatusCode.Unimplemented),
        ["dot-dot segment"] = new(() => RawGrpc.Request("/grpc.testing.TestService/../grpc.testing.TestService/UnaryCall", RawGrpc.Frame(ValidRequest)), 200, StatusCode.Unimplemented),
        ["percent-encoded dot-dot segment"] = new(() => RawGrpc.Request("/nremnet.nothing.v1.Nothing/%2E%2E/grpc.testing.TestService/UnaryCall", RawGrpc.Frame(ValidRequest)), 200, StatusCode.Unimplemented),
        ["dot segment"] = new(() => RawGrpc.Request("/grpc.testing.TestService/./UnaryCall", RawGrpc.Frame(ValidRequest)), 200, StatusCode.Unimplemented),
        ["empty segment"] = new(() => RawGrpc.Request("/grpc.testing.TestService//UnaryCall", RawGrpc.Frame(ValidRequest)), 200, StatusCode.Unimplemented),
        ["query string"] = new(() => RawGrpc.Request(RawGrpc.UnaryCallPath + "?debug=1", RawGrpc.Frame(ValidRequest)), 200, StatusCode.Unimplemented),
        ["method in another case"] = new(() => RawGrpc.Request("/grpc.testing.TestService/unarycall", RawGrpc.Frame(ValidRequest)), 200, StatusCode.Unimplemented),
        ["service in another case"] = new(() => RawGrpc.Request("/GRPC.TESTING.TESTSERVICE/UnaryCall", RawGrpc.Frame(ValidRequest)), 200, StatusCode.Unimplemented),

        // Timeout → "grpc-timeout" TimeoutValue (at most 8 digits) TimeoutUnit. The largest is served (it is a deadline
        // past any call). The protocol prescribes no failure for a malformed value and says an absent one means no
        // deadline; grpc-dotnet ignores a malformed value (logging it), so the call is served — where the hand-written
        // server answered INTERNAL.
        ["grpc-timeout of 99999999 hours"] = new(() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(ValidRequest), headers: [new("grpc-timeout", "99999999H")]), 200, StatusCode.OK),
        ["grpc-timeout without a unit"] = new(() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(ValidRequest), headers: [new("grpc-timeout", "100")]), 200, StatusCode.OK),
        ["grpc-timeout with nine digits"] = new(() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(ValidRequest), headers: [new("grpc-timeout", "123456789S")]), 200, StatusCode.OK),
        ["grpc-timeout with an unknown unit"] = new(() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(ValidRequest), headers: [new("grpc-timeout", "10x")]), 200, StatusCode.OK),
        ["grpc-timeout that is not a number"] = new(() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(ValidRequest), headers: [new("grpc-timeout", "soonS")]), 200, StatusCode.OK),

        // ASCII-Value → printable ASCII. "Implementations must not error due to receiving an invalid ASCII-Value that's a
        // valid field-value in HTTP ... they may throw the value away": NremNet's guard drops it, so a handler asked to
        // echo it has nothing to echo and the call succeeds (grpc-dotnet alone ended it UNKNOWN, and Kestrel alone
        // answered a byte that is not UTF-8 with GOAWAY).
        ["echoed metadata with UTF-8 beyond ASCII"] = new(() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(ValidRequest), headers: [new("x-grpc-test-echo-initial", "Überweisung für São Tomé ☺")]), 200, StatusCode.OK),
        ["echoed metadata with a tab"] = new(() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(ValidRequest), headers: [new("x-grpc-test-echo-initial", "before\tafter")]), 200, StatusCode.OK),

        // Binary-Header → base64. The protocol names no status for a value that is not base64; NremNet's guard ends the
        // call INTERNAL naming the header, as the hand-written server did (grpc-dotnet alone threw in the handler: UNKNOWN).
        ["binary metadata that is not base64"] = new(() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(ValidRequest), headers: [new("x-grpc-test-echo-trailing-bin", "#not base64#")]), 200, StatusCode.Internal),

        // "Servers may limit the size of Request-Headers": Kestrel's limit (32 KiB of headers, 16 KiB a field) is the one
        // NremNet keeps; 12 KiB of metadata is within it and served — the hand-written server had an 8 KiB limit of its own.
        ["metadata within Kestrel's header limits"] = new(() => RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(ValidRequest), headers: [new("x-padding", new string('x', 12 * 1024))]), 200, StatusCode.OK),
    };

    /// <summary>What Grpc.AspNetCore logs (as an error) when a request message cannot be read.</summary>
    private const string HandlerError = "Error when executing service method";

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task MalformedRequest_GetsPrescribedStatus_AndServerKeepsServing(string name)
    {
        var (request, httpStatus, status, loggedError, _) = Corpus[name];
        await using var server = await TestServer.StartAsync(expectedErrors: loggedError is null ? [] : [loggedError]);
        using var raw = server.CreateRawClient();
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);

        // A stream that stays open across the bad request.
        using var open = client.FullDuplexCall(cancellationToken: TestContext.Current.CancellationToken);
        await PingAsync(open, 7);

        var response = await RawGrpc.SendAsync(raw, request());
        TestContext.Current.TestOutputHelper?.WriteLine($"{name}: {response}");

        Assert.True(response.HttpStatus == httpStatus, $"{name}: expected HTTP {httpStatus}, got {response}");
        if (status is StatusCode.OK)
        {
            Assert.True(response.GrpcStatus == StatusCode.OK, $"{name}: expected the call to be served, got {response}");
            Assert.Equal(10, SimpleResponse.Parser.ParseFrom(response.Body.AsSpan(5)).Payload.Body.Length);
            Assert.False(response.Headers.ContainsKey("x-grpc-test-echo-initial"), $"{name}: metadata that is not printable ASCII was echoed: {response}");
        }
        else if (status is { } expected)
        {
            Assert.True(response.GrpcStatus == expected, $"{name}: expected grpc-status {expected}, got {response}");
            Assert.False(string.IsNullOrWhiteSpace(response.GrpcMessage), $"{name}: the error names no problem: {response}");
            Assert.True(response.IsTrailersOnly == Corpus[name].TrailersOnly, $"{name}: an immediate error should be a trailers-only response, one after response headers in trailers: {response}");
        }
        else
        {
            Assert.Null(response.GrpcStatus);
        }

        if (name == "unknown encoding")
        {
            Assert.Contains("gzip", response.Headers["grpc-accept-encoding"], StringComparison.Ordinal);
            Assert.DoesNotContain("br", response.Headers["grpc-accept-encoding"], StringComparison.Ordinal);
        }

        // The same connection serves a good call, and the open stream still works.
        var ok = await RawGrpc.SendAsync(raw, RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(ValidRequest)));
        Assert.True(ok.GrpcStatus == StatusCode.OK, $"after '{name}' a valid call failed: {ok}");
        await PingAsync(open, 11);
        await open.RequestStream.CompleteAsync();
        Assert.False(await open.ResponseStream.MoveNext(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task EchoedMetadataWithBytesThatAreNotUtf8_IsDropped_WithoutFailingTheConnection()
    {
        await using var server = await TestServer.StartAsync();
        using var raw = new HttpClient(new SocketsHttpHandler { UseProxy = false, RequestHeaderEncodingSelector = (_, _) => System.Text.Encoding.Latin1 })
        {
            BaseAddress = server.Address,
            DefaultRequestVersion = System.Net.HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var channel = server.CreateChannel();
        using var open = new TestService.TestServiceClient(channel).FullDuplexCall(cancellationToken: TestContext.Current.CancellationToken);
        await PingAsync(open, 3);

        // Latin-1 'ÿ' goes on the wire as the single byte 0xFF: obs-text, a valid HTTP field-value, never valid UTF-8.
        var response = await RawGrpc.SendAsync(raw, RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(ValidRequest), headers: [new("x-grpc-test-echo-initial", "caf\u00ff")]));

        Assert.True(response.GrpcStatus == StatusCode.OK, response.ToString());
        Assert.False(response.Headers.ContainsKey("x-grpc-test-echo-initial"), response.ToString());
        Assert.Equal(StatusCode.OK, (await RawGrpc.SendAsync(raw, RawGrpc.Request(RawGrpc.UnaryCallPath, RawGrpc.Frame(ValidRequest)))).GrpcStatus);
        await PingAsync(open, 5);
    }

    [Fact]
    public async Task MetadataBeyondKestrelsHeaderListLimit_IsRefused_AndServerKeepsServing()
    {
        await using var server = await TestServer.StartAsync();
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

    /// <summary>A malformed request and what it must get.</summary>
    private sealed record Case(Func<HttpRequestMessage> Request, int HttpStatus, StatusCode? Status, string? LoggedError = null, bool TrailersOnly = true);

    private static async Task PingAsync(AsyncDuplexStreamingCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call, int size)
    {
        var request = new StreamingOutputCallRequest();
        request.ResponseParameters.Add(new ResponseParameters { Size = size });
        await call.RequestStream.WriteAsync(request, TestContext.Current.CancellationToken);
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

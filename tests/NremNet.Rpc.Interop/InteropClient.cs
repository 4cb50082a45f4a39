using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Testing;
using NremNet.Hosting.Grpc;

namespace NremNet.Rpc.Interop;

/// <summary>The client side of the interop tests: one named case per run, per the published test descriptions.</summary>
internal sealed class InteropClient : IDisposable
{
    private static readonly string[] Cases =
    [
        "empty_unary", "large_unary", "client_compressed_unary", "server_compressed_unary", "client_streaming",
        "client_compressed_streaming", "server_streaming", "server_compressed_streaming", "ping_pong", "empty_stream",
        "status_code_and_message", "special_status_message", "custom_metadata", "unimplemented_method",
        "unimplemented_service", "cancel_after_begin", "cancel_after_first_response", "timeout_on_sleeping_server",
    ];

    /// <summary>The request header Grpc.Net.Client reads to compress a call's request messages; it is not sent.</summary>
    private const string RequestEncodingKey = "grpc-internal-encoding-request";

    private readonly GrpcChannel _channel;
    private readonly TestService.TestServiceClient _client;
    private WireObserver? _observer;

    public InteropClient(InteropFlags flags)
    {
        var host = flags.String("server_host", "127.0.0.1");
        var port = flags.Int("server_port", 0);
        if (port <= 0)
        {
            throw new ArgumentException("--server_port is required.");
        }

        var useTls = flags.Bool("use_tls");
        X509Certificate2Collection? roots = null;
        if (useTls && flags.Bool("use_test_ca"))
        {
            var caFile = flags.String("ca_file") ?? Environment.GetEnvironmentVariable("NREMNET_INTEROP_CA_FILE")
                ?? throw new ArgumentException("--use_test_ca needs --ca_file=PATH (or NREMNET_INTEROP_CA_FILE) naming the test CA in PEM.");
            roots = [X509CertificateLoader.LoadCertificateFromFile(caFile)];
        }

        // The channel NremNet's clients use (NetworkChannel), without retries: an interop case must see each failure.
        _channel = NetworkChannel.Create($"{(useTls ? "https" : "http")}://{host}:{port}", new NetworkChannelOptions
        {
            TrustedServerRoots = roots,
            ServerNameOverride = flags.String("server_host_override"),
            WrapHttpHandler = inner => _observer = new WireObserver(inner),
            Retry = null,
        });
        _client = new TestService.TestServiceClient(_channel);
    }

    public static IReadOnlyList<string> TestCases => Cases;

    public async Task RunAsync(string testCase)
    {
        switch (testCase)
        {
            case "empty_unary": await EmptyUnaryAsync().ConfigureAwait(false); break;
            case "large_unary": await LargeUnaryAsync().ConfigureAwait(false); break;
            case "client_compressed_unary": await ClientCompressedUnaryAsync().ConfigureAwait(false); break;
            case "server_compressed_unary": await ServerCompressedUnaryAsync().ConfigureAwait(false); break;
            case "client_streaming": await ClientStreamingAsync().ConfigureAwait(false); break;
            case "client_compressed_streaming": await ClientCompressedStreamingAsync().ConfigureAwait(false); break;
            case "server_streaming": await ServerStreamingAsync().ConfigureAwait(false); break;
            case "server_compressed_streaming": await ServerCompressedStreamingAsync().ConfigureAwait(false); break;
            case "ping_pong": await PingPongAsync().ConfigureAwait(false); break;
            case "empty_stream": await EmptyStreamAsync().ConfigureAwait(false); break;
            case "status_code_and_message": await StatusCodeAndMessageAsync("test status message").ConfigureAwait(false); break;
            case "special_status_message": await StatusCodeAndMessageAsync("\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n", unaryOnly: true).ConfigureAwait(false); break;
            case "custom_metadata": await CustomMetadataAsync().ConfigureAwait(false); break;
            case "unimplemented_method": await UnimplementedMethodAsync().ConfigureAwait(false); break;
            case "unimplemented_service": await UnimplementedServiceAsync().ConfigureAwait(false); break;
            case "cancel_after_begin": await CancelAfterBeginAsync().ConfigureAwait(false); break;
            case "cancel_after_first_response": await CancelAfterFirstResponseAsync().ConfigureAwait(false); break;
            case "timeout_on_sleeping_server": await TimeoutOnSleepingServerAsync().ConfigureAwait(false); break;
            default: throw new ArgumentException($"Unknown test case '{testCase}'. Known: {string.Join(", ", Cases)}.");
        }
    }

    public void Dispose() => _channel.Dispose();

    private async Task EmptyUnaryAsync()
    {
        var response = await _client.EmptyCallAsync(new Empty());
        Check(response is not null, "EmptyCall returned no message");
    }

    private async Task LargeUnaryAsync()
    {
        var response = await _client.UnaryCallAsync(new SimpleRequest { ResponseSize = 314159, Payload = Zeros(271828) });
        CheckZeros(response.Payload, 314159);
    }

    private async Task ClientCompressedUnaryAsync()
    {
        var probe = new SimpleRequest { ExpectCompressed = new BoolValue { Value = true }, ResponseSize = 314159, Payload = Zeros(271828) };
        await ExpectStatusAsync(StatusCode.InvalidArgument, () => _client.UnaryCallAsync(probe).ResponseAsync, "the uncompressed probe with expect_compressed");

        var compressed = await _client.UnaryCallAsync(probe, Compressed());
        CheckZeros(compressed.Payload, 314159);

        var plain = await _client.UnaryCallAsync(new SimpleRequest { ExpectCompressed = new BoolValue { Value = false }, ResponseSize = 314159, Payload = Zeros(271828) });
        CheckZeros(plain.Payload, 314159);
    }

    private async Task ServerCompressedUnaryAsync()
    {
        var observer = Observer();
        foreach (var compress in new[] { true, false })
        {
            observer.TakeCompressedFlags();
            var response = await _client.UnaryCallAsync(new SimpleRequest { ResponseCompressed = new BoolValue { Value = compress }, ResponseSize = 314159, Payload = Zeros(271828) });
            CheckZeros(response.Payload, 314159);
            var flags = observer.TakeCompressedFlags();
            Check(flags.Count == 1 && flags[0] == compress, $"response_compressed={compress} but the wire showed compressed flags [{string.Join(", ", flags)}]");
        }
    }

    private async Task ClientStreamingAsync()
    {
        using var call = _client.StreamingInputCall();
        foreach (var size in new[] { 27182, 8, 1828, 45904 })
        {
            await call.RequestStream.WriteAsync(new StreamingInputCallRequest { Payload = Zeros(size) });
        }

        await call.RequestStream.CompleteAsync();
        var response = await call.ResponseAsync;
        Check(response.AggregatedPayloadSize == 74922, $"aggregated_payload_size is {response.AggregatedPayloadSize}, expected 74922");
    }

    private async Task ClientCompressedStreamingAsync()
    {
        using (var probe = _client.StreamingInputCall())
        {
            await ExpectStatusAsync(StatusCode.InvalidArgument, async () =>
            {
                await probe.RequestStream.WriteAsync(new StreamingInputCallRequest { ExpectCompressed = new BoolValue { Value = true }, Payload = Zeros(27182) });
                await probe.RequestStream.CompleteAsync();
                return await probe.ResponseAsync;
            }, "the uncompressed probe with expect_compressed");
        }

        using var call = _client.StreamingInputCall(Compressed());
        await call.RequestStream.WriteAsync(new StreamingInputCallRequest { ExpectCompressed = new BoolValue { Value = true }, Payload = Zeros(27182) });
        call.RequestStream.WriteOptions = new WriteOptions(WriteFlags.NoCompress);
        await call.RequestStream.WriteAsync(new StreamingInputCallRequest { ExpectCompressed = new BoolValue { Value = false }, Payload = Zeros(45904) });
        await call.RequestStream.CompleteAsync();
        var response = await call.ResponseAsync;
        Check(response.AggregatedPayloadSize == 73086, $"aggregated_payload_size is {response.AggregatedPayloadSize}, expected 73086");
    }

    private async Task ServerStreamingAsync()
    {
        int[] sizes = [31415, 9, 2653, 58979];
        var request = new StreamingOutputCallRequest();
        request.ResponseParameters.AddRange(sizes.Select(s => new ResponseParameters { Size = s }));
        using var call = _client.StreamingOutputCall(request);
        var received = new List<int>();
        await foreach (var response in call.ResponseStream.ReadAllAsync())
        {
            CheckZeros(response.Payload, sizes[Math.Min(received.Count, sizes.Length - 1)]);
            received.Add(response.Payload.Body.Length);
        }

        Check(received.SequenceEqual(sizes), $"response sizes were [{string.Join(", ", received)}], expected [{string.Join(", ", sizes)}]");
        Check(call.GetStatus().StatusCode == StatusCode.OK, $"status is {call.GetStatus()}");
    }

    private async Task ServerCompressedStreamingAsync()
    {
        var observer = Observer();
        observer.TakeCompressedFlags();
        var request = new StreamingOutputCallRequest();
        request.ResponseParameters.Add(new ResponseParameters { Size = 31415, Compressed = new BoolValue { Value = true } });
        request.ResponseParameters.Add(new ResponseParameters { Size = 92653, Compressed = new BoolValue { Value = false } });
        using var call = _client.StreamingOutputCall(request);
        var received = new List<int>();
        await foreach (var response in call.ResponseStream.ReadAllAsync())
        {
            received.Add(response.Payload.Body.Length);
        }

        Check(received.SequenceEqual([31415, 92653]), $"response sizes were [{string.Join(", ", received)}], expected [31415, 92653]");
        var flags = observer.TakeCompressedFlags();
        Check(flags.SequenceEqual([true, false]), $"compressed flags on the wire were [{string.Join(", ", flags)}], expected [True, False]");
    }

    private async Task PingPongAsync()
    {
        (int Request, int Response)[] steps = [(27182, 31415), (8, 9), (1828, 2653), (45904, 58979)];
        using var call = _client.FullDuplexCall();
        foreach (var (requestSize, responseSize) in steps)
        {
            var request = new StreamingOutputCallRequest { Payload = Zeros(requestSize) };
            request.ResponseParameters.Add(new ResponseParameters { Size = responseSize });
            await call.RequestStream.WriteAsync(request);
            Check(await call.ResponseStream.MoveNext(CancellationToken.None), "the stream ended before a response arrived");
            CheckZeros(call.ResponseStream.Current.Payload, responseSize);
        }

        await call.RequestStream.CompleteAsync();
        Check(!await call.ResponseStream.MoveNext(CancellationToken.None), "a response arrived after the last one");
        Check(call.GetStatus().StatusCode == StatusCode.OK, $"status is {call.GetStatus()}");
    }

    private async Task EmptyStreamAsync()
    {
        using var call = _client.FullDuplexCall();
        await call.RequestStream.CompleteAsync();
        Check(!await call.ResponseStream.MoveNext(CancellationToken.None), "a response arrived on an empty stream");
    }

    private async Task StatusCodeAndMessageAsync(string message, bool unaryOnly = false)
    {
        var status = new EchoStatus { Code = 2, Message = message };
        var unary = await ExpectStatusAsync(StatusCode.Unknown, () => _client.UnaryCallAsync(new SimpleRequest { ResponseStatus = status }).ResponseAsync, "UnaryCall with response_status");
        Check(unary.Status.Detail == message, $"status message was '{Escape(unary.Status.Detail)}', expected '{Escape(message)}'");
        if (unaryOnly)
        {
            return;
        }

        using var call = _client.FullDuplexCall();
        await call.RequestStream.WriteAsync(new StreamingOutputCallRequest { ResponseStatus = status });
        await call.RequestStream.CompleteAsync();
        var duplex = await ExpectStatusAsync(StatusCode.Unknown, async () => await call.ResponseStream.MoveNext(CancellationToken.None), "FullDuplexCall with response_status");
        Check(duplex.Status.Detail == message, $"status message was '{Escape(duplex.Status.Detail)}', expected '{Escape(message)}'");
    }

    private async Task CustomMetadataAsync()
    {
        const string InitialKey = "x-grpc-test-echo-initial";
        const string TrailingKey = "x-grpc-test-echo-trailing-bin";
        byte[] trailingValue = [0xab, 0xab, 0xab];
        var headers = new Metadata { { InitialKey, "test_initial_metadata_value" }, { TrailingKey, trailingValue } };

        using (var unary = _client.UnaryCallAsync(new SimpleRequest { ResponseSize = 314159, Payload = Zeros(271828) }, new CallOptions(headers)))
        {
            CheckZeros((await unary).Payload, 314159);
            CheckMetadata(await unary.ResponseHeadersAsync, unary.GetTrailers(), "UnaryCall");
        }

        using var call = _client.FullDuplexCall(new CallOptions(headers));
        var request = new StreamingOutputCallRequest { Payload = Zeros(271828) };
        request.ResponseParameters.Add(new ResponseParameters { Size = 314159 });
        await call.RequestStream.WriteAsync(request);
        await call.RequestStream.CompleteAsync();
        Check(await call.ResponseStream.MoveNext(CancellationToken.None), "FullDuplexCall sent no response");
        CheckZeros(call.ResponseStream.Current.Payload, 314159);
        Check(!await call.ResponseStream.MoveNext(CancellationToken.None), "FullDuplexCall sent more than one response");
        CheckMetadata(await call.ResponseHeadersAsync, call.GetTrailers(), "FullDuplexCall");

        void CheckMetadata(Metadata initial, Metadata trailing, string what)
        {
            Check(initial.GetValue(InitialKey) == "test_initial_metadata_value", $"{what}: initial metadata {InitialKey} was '{initial.Get(InitialKey)}'");
            Check(trailing.GetValueBytes(TrailingKey) is { } bytes && bytes.AsSpan().SequenceEqual(trailingValue), $"{what}: trailing metadata {TrailingKey} was '{trailing.Get(TrailingKey)}'");
        }
    }

    private async Task UnimplementedMethodAsync() =>
        await ExpectStatusAsync(StatusCode.Unimplemented, () => _client.UnimplementedCallAsync(new Empty()).ResponseAsync, "TestService/UnimplementedCall");

    private async Task UnimplementedServiceAsync() =>
        await ExpectStatusAsync(StatusCode.Unimplemented, () => new UnimplementedService.UnimplementedServiceClient(_channel).UnimplementedCallAsync(new Empty()).ResponseAsync, "UnimplementedService/UnimplementedCall");

    private async Task CancelAfterBeginAsync()
    {
        using var cancellation = new CancellationTokenSource();
        using var call = _client.StreamingInputCall(new CallOptions(cancellationToken: cancellation.Token));
        await cancellation.CancelAsync();
        await ExpectStatusAsync(StatusCode.Cancelled, () => call.ResponseAsync, "StreamingInputCall cancelled after begin");
    }

    private async Task CancelAfterFirstResponseAsync()
    {
        using var cancellation = new CancellationTokenSource();
        using var call = _client.FullDuplexCall(new CallOptions(cancellationToken: cancellation.Token));
        var request = new StreamingOutputCallRequest { Payload = Zeros(27182) };
        request.ResponseParameters.Add(new ResponseParameters { Size = 31415 });
        await call.RequestStream.WriteAsync(request);
        Check(await call.ResponseStream.MoveNext(CancellationToken.None), "no first response");
        CheckZeros(call.ResponseStream.Current.Payload, 31415);
        await cancellation.CancelAsync();
        await ExpectStatusAsync(StatusCode.Cancelled, async () => await call.ResponseStream.MoveNext(CancellationToken.None), "FullDuplexCall cancelled after the first response");
    }

    private async Task TimeoutOnSleepingServerAsync()
    {
        using var call = _client.FullDuplexCall(new CallOptions(deadline: DateTime.UtcNow.AddMilliseconds(1)));
        try
        {
            await call.RequestStream.WriteAsync(new StreamingOutputCallRequest { Payload = Zeros(27182) });
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.DeadlineExceeded)
        {
            // The deadline may pass before the write; the read below must still report it.
        }
        catch (InvalidOperationException)
        {
            // Grpc.Net.Client refuses a write to a call that already ended (here, by its deadline); the read reports why.
        }

        await ExpectStatusAsync(StatusCode.DeadlineExceeded, async () => await call.ResponseStream.MoveNext(CancellationToken.None), "FullDuplexCall with a 1 ms deadline");
    }

    /// <summary>Options that gzip every request message of a call, but those written with <see cref="WriteFlags.NoCompress"/>.</summary>
    private static CallOptions Compressed() => new(new Metadata { { RequestEncodingKey, "gzip" } });

    private WireObserver Observer() => _observer ?? throw new InvalidOperationException("The wire observer is not installed.");

    private static async Task<RpcException> ExpectStatusAsync<T>(StatusCode expected, Func<Task<T>> call, string what)
    {
        try
        {
            await call();
        }
        catch (RpcException ex)
        {
            Check(ex.StatusCode == expected, $"{what} ended with {ex.StatusCode} ('{ex.Status.Detail}'), expected {expected}");
            return ex;
        }

        throw new InteropFailure($"{what} succeeded, expected {expected}");
    }

    private static Payload Zeros(int size) => new() { Body = ByteString.CopyFrom(new byte[size]) };

    private static void CheckZeros(Payload? payload, int size)
    {
        Check(payload is not null, "the response has no payload");
        Check(payload!.Body.Length == size, $"payload is {payload.Body.Length} bytes, expected {size}");
        Check(!payload.Body.Span.ContainsAnyExcept((byte)0), "payload is not all zeros");
    }

    private static void Check(bool condition, string failure)
    {
        if (!condition)
        {
            throw new InteropFailure(failure);
        }
    }

    private static string Escape(string value) => value.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal);
}

/// <summary>An interop case's assertion failed.</summary>
internal sealed class InteropFailure(string message) : Exception(message);

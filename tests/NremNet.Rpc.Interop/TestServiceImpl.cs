using Google.Protobuf;
using Grpc.Testing;

namespace NremNet.Rpc.Interop;

/// <summary>The server side of the interop tests, per the published test descriptions.</summary>
internal sealed class TestServiceImpl : IRpcService
{
    private const string EchoInitialKey = "x-grpc-test-echo-initial";
    private const string EchoTrailingKey = "x-grpc-test-echo-trailing-bin";

    private readonly string _serverId = "nremnet-" + Environment.ProcessId;

    public ServiceDefinition BindService() => ServiceBuilder.For(TestReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.ServiceDescriptor>("TestService"))
        .Unary<Empty, Empty>("EmptyCall", (_, _) => Task.FromResult(new Empty()))
        .Unary<SimpleRequest, SimpleResponse>("UnaryCall", UnaryCall)
        .Unary<SimpleRequest, SimpleResponse>("CacheableUnaryCall", CacheableUnaryCall)
        .ServerStreaming<StreamingOutputCallRequest, StreamingOutputCallResponse>("StreamingOutputCall", StreamingOutputCall)
        .ClientStreaming<StreamingInputCallRequest, StreamingInputCallResponse>("StreamingInputCall", StreamingInputCall)
        .DuplexStreaming<StreamingOutputCallRequest, StreamingOutputCallResponse>("FullDuplexCall", FullDuplexCall)
        .DuplexStreaming<StreamingOutputCallRequest, StreamingOutputCallResponse>("HalfDuplexCall", HalfDuplexCall)
        .Unimplemented("UnimplementedCall", "the interop tests expect this method to be missing")
        .Build();

    private async Task<SimpleResponse> UnaryCall(SimpleRequest request, ServerCallContext context)
    {
        if (request.ResponseCompressed is { } compressed)
        {
            SetCompression(context, compressed.Value);
        }

        await EchoMetadataAsync(context).ConfigureAwait(false);
        EnsureCompression(request.ExpectCompressed, context);
        ThrowIfStatusRequested(request.ResponseStatus);
        EnsurePayloadType(request.ResponseType);

        var response = new SimpleResponse { Payload = CreatePayload(request.ResponseSize) };
        if (request.FillServerId)
        {
            response.ServerId = _serverId;
        }

        if (request.FillUsername && context.ClientCertificate is { } certificate)
        {
            response.Username = certificate.Subject;
        }

        response.Hostname = request.FillServerId ? Environment.MachineName : string.Empty;
        return response;
    }

    private async Task<SimpleResponse> CacheableUnaryCall(SimpleRequest request, ServerCallContext context)
    {
        await context.WriteResponseHeadersAsync(new Metadata { { "cache-control", "max-age=60" } }).ConfigureAwait(false);
        var nanoseconds = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;
        return new SimpleResponse { Payload = new Payload { Body = ByteString.CopyFromUtf8(nanoseconds.ToString(System.Globalization.CultureInfo.InvariantCulture)) } };
    }

    private async Task StreamingOutputCall(StreamingOutputCallRequest request, IServerStreamWriter<StreamingOutputCallResponse> responses, ServerCallContext context)
    {
        if (request.ResponseParameters.Any(p => p.Compressed?.Value == true))
        {
            context.ResponseCompression = "gzip";
        }

        await EchoMetadataAsync(context).ConfigureAwait(false);
        ThrowIfStatusRequested(request.ResponseStatus);
        EnsurePayloadType(request.ResponseType);
        await WriteResponsesAsync(request, responses, context).ConfigureAwait(false);
    }

    private async Task<StreamingInputCallResponse> StreamingInputCall(IAsyncStreamReader<StreamingInputCallRequest> requests, ServerCallContext context)
    {
        var total = 0;
        while (await requests.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            EnsureCompression(requests.Current.ExpectCompressed, context);
            total += requests.Current.Payload?.Body.Length ?? 0;
        }

        return new StreamingInputCallResponse { AggregatedPayloadSize = total };
    }

    private async Task FullDuplexCall(IAsyncStreamReader<StreamingOutputCallRequest> requests, IServerStreamWriter<StreamingOutputCallResponse> responses, ServerCallContext context)
    {
        await EchoMetadataAsync(context).ConfigureAwait(false);
        while (await requests.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            ThrowIfStatusRequested(requests.Current.ResponseStatus);
            await WriteResponsesAsync(requests.Current, responses, context).ConfigureAwait(false);
        }
    }

    private async Task HalfDuplexCall(IAsyncStreamReader<StreamingOutputCallRequest> requests, IServerStreamWriter<StreamingOutputCallResponse> responses, ServerCallContext context)
    {
        var all = new List<StreamingOutputCallRequest>();
        while (await requests.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            all.Add(requests.Current);
        }

        foreach (var request in all)
        {
            ThrowIfStatusRequested(request.ResponseStatus);
            await WriteResponsesAsync(request, responses, context).ConfigureAwait(false);
        }
    }

    private static async Task WriteResponsesAsync(StreamingOutputCallRequest request, IServerStreamWriter<StreamingOutputCallResponse> responses, ServerCallContext context)
    {
        if (request.ResponseParameters.Any(p => p.Compressed?.Value == true))
        {
            context.ResponseCompression = "gzip";
        }

        foreach (var parameters in request.ResponseParameters)
        {
            if (parameters.IntervalUs > 0)
            {
                await Task.Delay(TimeSpan.FromMicroseconds(parameters.IntervalUs), context.CancellationToken).ConfigureAwait(false);
            }

            responses.WriteOptions = parameters.Compressed?.Value == true ? WriteOptions.Default : new WriteOptions(WriteFlags.NoCompress);
            await responses.WriteAsync(new StreamingOutputCallResponse { Payload = CreatePayload(parameters.Size) }).ConfigureAwait(false);
        }
    }

    private static void SetCompression(ServerCallContext context, bool compress)
    {
        if (compress)
        {
            context.ResponseCompression = "gzip";
            context.WriteOptions = WriteOptions.Default;
        }
        else
        {
            context.WriteOptions = new WriteOptions(WriteFlags.NoCompress);
        }
    }

    private static void EnsureCompression(BoolValue? expectCompressed, ServerCallContext context)
    {
        if (expectCompressed?.Value == true && !context.LastRequestMessageCompressed)
        {
            throw new RpcException(StatusCode.InvalidArgument, "Expected a compressed request message, got an uncompressed one.");
        }

        if (expectCompressed is { Value: false } && context.LastRequestMessageCompressed)
        {
            throw new RpcException(StatusCode.InvalidArgument, "Expected an uncompressed request message, got a compressed one.");
        }
    }

    private static async Task EchoMetadataAsync(ServerCallContext context)
    {
        if (context.RequestHeaders.Get(EchoInitialKey) is { } initial)
        {
            await context.WriteResponseHeadersAsync(new Metadata { initial }).ConfigureAwait(false);
        }

        if (context.RequestHeaders.Get(EchoTrailingKey) is { } trailing)
        {
            context.ResponseTrailers.Add(trailing);
        }
    }

    private static void ThrowIfStatusRequested(EchoStatus? status)
    {
        if (status is { Code: not 0 })
        {
            throw new RpcException((StatusCode)status.Code, status.Message);
        }
    }

    private static void EnsurePayloadType(PayloadType type)
    {
        if (type != PayloadType.Compressable)
        {
            throw new RpcException(StatusCode.InvalidArgument, $"Payload type {(int)type} is not supported; only COMPRESSABLE is.");
        }
    }

    private static Payload CreatePayload(int size) => new() { Body = ByteString.CopyFrom(new byte[size]) };
}

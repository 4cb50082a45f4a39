using Google.Protobuf;
using Grpc.Core;
using Grpc.Testing;
using NremNet.Hosting.Certificates;

namespace NremNet.Rpc.Interop;

/// <summary>The server side of the interop tests, per the published test descriptions, on the generated service base.</summary>
internal sealed class TestServiceImpl : TestService.TestServiceBase
{
    private const string EchoInitialKey = "x-grpc-test-echo-initial";
    private const string EchoTrailingKey = "x-grpc-test-echo-trailing-bin";

    /// <summary>
    /// The response header Grpc.AspNetCore reads to compress a call's responses (the server-side counterpart of
    /// Grpc.Net.Client's request header of the same name); it is not sent on the wire.
    /// </summary>
    private const string ResponseEncodingKey = "grpc-internal-encoding-request";

    private readonly string _serverId = "nremnet-" + Environment.ProcessId;

    public override Task<Empty> EmptyCall(Empty request, ServerCallContext context) => Task.FromResult(new Empty());

    public override async Task<SimpleResponse> UnaryCall(SimpleRequest request, ServerCallContext context)
    {
        await EchoMetadataAsync(context, request.ResponseCompressed?.Value == true).ConfigureAwait(false);
        if (request.ResponseCompressed is { } compressed)
        {
            context.WriteOptions = compressed.Value ? WriteOptions.Default : new WriteOptions(WriteFlags.NoCompress);
        }

        EnsureCompression(request.ExpectCompressed, context);
        ThrowIfStatusRequested(request.ResponseStatus);
        EnsurePayloadType(request.ResponseType);

        var response = new SimpleResponse { Payload = CreatePayload(request.ResponseSize) };
        if (request.FillServerId)
        {
            response.ServerId = _serverId;
            response.Hostname = Environment.MachineName;
        }

        if (request.FillUsername && context.ClientCertificate() is { } certificate)
        {
            response.Username = certificate.Subject;
        }

        return response;
    }

    public override async Task<SimpleResponse> CacheableUnaryCall(SimpleRequest request, ServerCallContext context)
    {
        await context.WriteResponseHeadersAsync(new Metadata { { "cache-control", "max-age=60" } }).ConfigureAwait(false);
        var nanoseconds = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;
        return new SimpleResponse { Payload = new Payload { Body = ByteString.CopyFromUtf8(nanoseconds.ToString(System.Globalization.CultureInfo.InvariantCulture)) } };
    }

    public override async Task StreamingOutputCall(StreamingOutputCallRequest request, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context)
    {
        await EchoMetadataAsync(context, request.ResponseParameters.Any(p => p.Compressed?.Value == true)).ConfigureAwait(false);
        ThrowIfStatusRequested(request.ResponseStatus);
        EnsurePayloadType(request.ResponseType);
        await WriteResponsesAsync(request, responseStream, context).ConfigureAwait(false);
    }

    public override async Task<StreamingInputCallResponse> StreamingInputCall(IAsyncStreamReader<StreamingInputCallRequest> requestStream, ServerCallContext context)
    {
        await EchoMetadataAsync(context, compressResponses: false).ConfigureAwait(false);
        var total = 0;
        while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            EnsureCompression(requestStream.Current.ExpectCompressed, context);
            total += requestStream.Current.Payload?.Body.Length ?? 0;
        }

        return new StreamingInputCallResponse { AggregatedPayloadSize = total };
    }

    public override async Task FullDuplexCall(IAsyncStreamReader<StreamingOutputCallRequest> requestStream, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context)
    {
        await EchoMetadataAsync(context, compressResponses: false).ConfigureAwait(false);
        while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            ThrowIfStatusRequested(requestStream.Current.ResponseStatus);
            await WriteResponsesAsync(requestStream.Current, responseStream, context).ConfigureAwait(false);
        }
    }

    public override async Task HalfDuplexCall(IAsyncStreamReader<StreamingOutputCallRequest> requestStream, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context)
    {
        var all = new List<StreamingOutputCallRequest>();
        while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            all.Add(requestStream.Current);
        }

        foreach (var request in all)
        {
            ThrowIfStatusRequested(request.ResponseStatus);
            await WriteResponsesAsync(request, responseStream, context).ConfigureAwait(false);
        }
    }

    public override Task<Empty> UnimplementedCall(Empty request, ServerCallContext context) =>
        throw new RpcException(new Status(StatusCode.Unimplemented, "The interop tests expect this method to be missing."));

    private static async Task WriteResponsesAsync(StreamingOutputCallRequest request, IServerStreamWriter<StreamingOutputCallResponse> responses, ServerCallContext context)
    {
        foreach (var parameters in request.ResponseParameters)
        {
            if (parameters.IntervalUs > 0)
            {
                await Task.Delay(TimeSpan.FromMicroseconds(parameters.IntervalUs), context.CancellationToken).ConfigureAwait(false);
            }

            // Messages are compressed only on a call whose response encoding is gzip (see EchoMetadataAsync).
            responses.WriteOptions = parameters.Compressed?.Value == true ? WriteOptions.Default : new WriteOptions(WriteFlags.NoCompress);
            await responses.WriteAsync(new StreamingOutputCallResponse { Payload = CreatePayload(parameters.Size) }).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends the response headers the client asked to have echoed, with gzip as the response encoding when some
    /// response should be compressed; echoes the trailing metadata asked for.
    /// </summary>
    private static async Task EchoMetadataAsync(ServerCallContext context, bool compressResponses)
    {
        var headers = new Metadata();
        if (context.RequestHeaders.Get(EchoInitialKey) is { } initial)
        {
            headers.Add(initial);
        }

        if (compressResponses)
        {
            headers.Add(ResponseEncodingKey, "gzip");
        }

        if (headers.Count > 0)
        {
            await context.WriteResponseHeadersAsync(headers).ConfigureAwait(false);
        }

        if (context.RequestHeaders.Get(EchoTrailingKey) is { } trailing)
        {
            context.ResponseTrailers.Add(trailing);
        }
    }

    /// <summary>
    /// Checks that a message the client says it compressed came on a call with a compressed encoding. Grpc.AspNetCore
    /// decompresses transparently and tells no handler a message's compressed flag (as grpc-dotnet's own interop server
    /// notes), but it fails a call whose message is flagged compressed without such an encoding, so an encoding other
    /// than identity is what a compressed message needs. A message written uncompressed on a gzip call cannot be told
    /// from a compressed one here; the clients' side of the compression cases checks the flags on the wire.
    /// </summary>
    private static void EnsureCompression(BoolValue? expectCompressed, ServerCallContext context)
    {
        if (expectCompressed is not { Value: true })
        {
            return;
        }

        var encoding = context.GetHttpContext().Request.Headers["grpc-encoding"].ToString();
        if (encoding is "" or "identity")
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "Expected a compressed request message, got an uncompressed one."));
        }
    }

    private static void ThrowIfStatusRequested(EchoStatus? status)
    {
        if (status is { Code: not 0 })
        {
            throw new RpcException(new Status((StatusCode)status.Code, status.Message));
        }
    }

    private static void EnsurePayloadType(PayloadType type)
    {
        if (type != PayloadType.Compressable)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"Payload type {(int)type} is not supported; only COMPRESSABLE is."));
        }
    }

    private static Payload CreatePayload(int size) => new() { Body = ByteString.CopyFrom(new byte[size]) };
}

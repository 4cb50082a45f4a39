using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using NremNet.Rpc.Compression;
using NremNet.Rpc.Framing;
using NremNet.Rpc.Telemetry;
using Polly;

namespace NremNet.Rpc.Client;

/// <summary>
/// One client call over HTTP/2: builds the request, sends messages, reads the response and derives the final
/// status from trailers, HTTP status, transport errors, the deadline or cancellation — whichever applies.
/// </summary>
internal sealed class ClientCall<TRequest, TResponse> : IClientCall, IMessageReadContext, IRetryableCall
    where TRequest : class
    where TResponse : class
{
    private static readonly MediaTypeHeaderValue GrpcContentType = new(GrpcProtocol.ContentType);

    private readonly RpcChannel _channel;
    private readonly Method<TRequest, TResponse> _method;
    private readonly CallOptions _options;
    private readonly CancellationTokenSource _callSource;
    private readonly CancellationToken _callToken;
    private readonly CancellationTokenSource? _deadlineSource;
    private readonly CancellationTokenRegistration _deadlineRegistration;
    private readonly TaskCompletionSource<Metadata> _responseHeaders = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ICompressionProvider? _requestCompressor;
    private readonly Activity? _activity;
    private readonly long _startTimestamp;
    private readonly Lock _lock = new();
    private HttpResponseMessage? _response;
    private PipeReader? _responseReader;
    private Task? _headersTask;
    private StreamingRequestContent? _requestContent;
    private ClientResponseStreamReader<TRequest, TResponse>? _responseStream;
    private Status? _status;
    private Metadata? _trailers;
    private bool _committed;
    private bool _disposed;

    public ClientCall(RpcChannel channel, Method<TRequest, TResponse> method, CallOptions options)
    {
        _channel = channel;
        _method = method;
        _options = options;
        _startTimestamp = Stopwatch.GetTimestamp();
        _callSource = options.CancellationToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken)
            : new CancellationTokenSource();
        _callToken = _callSource.Token;

        if (options.Deadline is { } deadline && deadline != DateTime.MaxValue)
        {
            var remaining = deadline.ToUniversalTime() - channel.Options.TimeProvider.GetUtcNow().UtcDateTime;
            _deadlineSource = new CancellationTokenSource(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, channel.Options.TimeProvider);
            _deadlineRegistration = _deadlineSource.Token.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), _callSource);
        }

        var encoding = options.Compression ?? channel.Options.RequestCompression;
        if (encoding is not null && !string.Equals(encoding, GrpcProtocol.IdentityEncoding, StringComparison.OrdinalIgnoreCase))
        {
            _requestCompressor = channel.Compression.Find(encoding)
                ?? throw new ArgumentException($"Compression '{encoding}' has no provider on this channel; add one to CompressionProviders.", nameof(options));
        }

        _activity = RpcDiagnostics.StartClient(method, channel.Address);
    }

    public Task<Metadata> ResponseHeadersAsync => _responseHeaders.Task;

    public IAsyncStreamReader<TResponse> ResponseStream => _responseStream ??= new ClientResponseStreamReader<TRequest, TResponse>(this);

    public int? MaxReceiveMessageSize => _channel.Options.MaxReceiveMessageSize;

    public string? ReceivedEncoding { get; private set; }

    public CompressionProviders Decompressors => _channel.Compression;

    internal CancellationToken CallToken => _callToken;

    internal bool IsFinished => _status is not null;

    public void OnMessageRead(bool compressed)
    {
    }

    // ---- unary -------------------------------------------------------------------------------------------

    public async Task<TResponse> UnaryAsync(TRequest request)
    {
        try
        {
            CheckSendSize(request);
            TResponse response;
            var idempotent = _options.Idempotent ?? _method.IsIdempotent;
            if (idempotent && _channel.RetryPipeline != ResiliencePipeline.Empty)
            {
                var context = ResilienceContextPool.Shared.Get(_callToken);
                context.Properties.Set(RetryableCall.Key, this);
                try
                {
                    response = await _channel.RetryPipeline.ExecuteAsync(
                        static (_, state) => new ValueTask<TResponse>(state.call.AttemptUnaryAsync(state.request)),
                        context,
                        (call: this, request)).ConfigureAwait(false);
                }
                finally
                {
                    ResilienceContextPool.Shared.Return(context);
                }
            }
            else
            {
                response = await AttemptUnaryAsync(request).ConfigureAwait(false);
            }

            Finish(Status.DefaultSuccess);
            return response;
        }
        catch (Exception ex)
        {
            throw Fail(ex);
        }
        finally
        {
            Release();
        }
    }

    private async Task<TResponse> AttemptUnaryAsync(TRequest request)
    {
        ReleaseResponse();
        var response = await SendAsync(new UnaryRequestContent(this, request)).ConfigureAwait(false);
        _response = response;
        await ProcessHeadersAsync(response).ConfigureAwait(false);
        if (_responseReader is not { } reader)
        {
            throw new RpcException(StatusCode.Internal, "The server ended a unary call with OK but sent no response message.");
        }

        var message = await MessageReader.ReadMessageAsync(reader, this, _method.ResponseMarshaller, _callToken).ConfigureAwait(false);
        if (message is not null)
        {
            await MessageReader.ReadEndOfStreamAsync(reader, "response of a unary call", _callToken).ConfigureAwait(false);
        }

        var status = ReadTrailers(response);
        if (status.StatusCode != StatusCode.OK)
        {
            throw new RpcException(status, _trailers!);
        }

        return message ?? throw new RpcException(StatusCode.Internal, "The server ended a unary call with OK but sent no response message.");
    }

    bool IRetryableCall.CanRetry()
    {
        if (_committed || _callSource.IsCancellationRequested)
        {
            return false;
        }

        return _options.Deadline is not { } deadline
            || deadline.ToUniversalTime() - _channel.Options.TimeProvider.GetUtcNow().UtcDateTime > _channel.Options.Retry.InitialBackoff;
    }

    void IRetryableCall.OnRetry(int attempt, TimeSpan delay, Exception? cause) =>
        RpcClientLog.Retrying(_channel.Logger, _method.FullName, _channel.Target, attempt, delay, cause?.Message ?? string.Empty);

    private void CheckSendSize(TRequest request)
    {
        if (_channel.Options.MaxSendMessageSize is { } limit && _method.RequestMarshaller.GetSerializedSize(request) is var size && size > limit)
        {
            throw new RpcException(StatusCode.ResourceExhausted, $"Sending a message of {size} bytes exceeds the send limit of {limit} bytes.");
        }
    }

    // ---- streaming ---------------------------------------------------------------------------------------

    public void StartServerStreaming(TRequest request)
    {
        try
        {
            CheckSendSize(request);
        }
        catch (Exception ex)
        {
            _headersTask = Task.FromException(Fail(ex));
            return;
        }

        _headersTask = StartResponseAsync(new UnaryRequestContent(this, request));
    }

    public IClientStreamWriter<TRequest> StartRequestStreaming()
    {
        _requestContent = new StreamingRequestContent(GrpcContentType);
        _headersTask = StartResponseAsync(_requestContent);
        return new ClientRequestStreamWriter(this, _requestContent);
    }

    private async Task StartResponseAsync(HttpContent content)
    {
        try
        {
            var response = await SendAsync(content).ConfigureAwait(false);
            _response = response;
            await ProcessHeadersAsync(response).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw Fail(ex);
        }
    }

    /// <summary>Reads the next streamed response; null at the end of a successful call.</summary>
    internal async Task<TResponse?> ReadNextAsync(CancellationToken cancellationToken)
    {
        await _headersTask!.ConfigureAwait(false);
        if (_status is { } finished)
        {
            return finished.StatusCode == StatusCode.OK ? null : throw new RpcException(finished, _trailers ?? Metadata.Empty);
        }

        if (_responseReader is null)
        {
            // A trailers-only OK response: no messages.
            Finish(Status.DefaultSuccess);
            Release();
            return null;
        }

        CancellationTokenSource? linked = null;
        try
        {
            var token = _callToken;
            if (cancellationToken.CanBeCanceled && cancellationToken != token)
            {
                linked = CancellationTokenSource.CreateLinkedTokenSource(token, cancellationToken);
                token = linked.Token;
            }

            var message = await MessageReader.ReadMessageAsync(_responseReader!, this, _method.ResponseMarshaller, token).ConfigureAwait(false);
            if (message is not null)
            {
                return message;
            }

            var status = ReadTrailers(_response!);
            if (status.StatusCode != StatusCode.OK)
            {
                throw new RpcException(status, _trailers!);
            }

            Finish(status);
            Release();
            return null;
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && !_callSource.IsCancellationRequested)
        {
            // Only this read was cancelled, not the call.
            throw new OperationCanceledException("Reading the response stream was cancelled.", ex, cancellationToken);
        }
        catch (Exception ex)
        {
            var failure = Fail(ex);
            Release();
            throw failure;
        }
        finally
        {
            linked?.Dispose();
        }
    }

    /// <summary>The one response of a client-streaming call.</summary>
    public async Task<TResponse> ReadSingleResponseAsync()
    {
        try
        {
            await _headersTask!.ConfigureAwait(false);
            if (_status is { } finished)
            {
                throw new RpcException(finished, _trailers ?? Metadata.Empty);
            }

            if (_responseReader is null)
            {
                throw new RpcException(StatusCode.Internal, "The server ended a client-streaming call with OK but sent no response message.");
            }

            var message = await MessageReader.ReadMessageAsync(_responseReader, this, _method.ResponseMarshaller, _callToken).ConfigureAwait(false);
            if (message is not null)
            {
                await MessageReader.ReadEndOfStreamAsync(_responseReader!, "response of a client-streaming call", _callToken).ConfigureAwait(false);
            }

            var status = ReadTrailers(_response!);
            if (status.StatusCode != StatusCode.OK)
            {
                throw new RpcException(status, _trailers!);
            }

            if (message is null)
            {
                throw new RpcException(StatusCode.Internal, "The server ended a client-streaming call with OK but sent no response message.");
            }

            Finish(status);
            return message;
        }
        catch (Exception ex)
        {
            throw Fail(ex);
        }
        finally
        {
            Release();
        }
    }

    /// <summary>Writes one request message to the request body.</summary>
    internal async Task WriteRequestAsync(StreamingRequestContent content, TRequest message, WriteOptions? options, CancellationToken cancellationToken)
    {
        ThrowIfFinished();
        CheckSendSize(message);
        using var linked = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(_callToken, cancellationToken) : null;
        var token = linked?.Token ?? _callToken;
        try
        {
            var stream = await content.GetStreamAsync(token).ConfigureAwait(false);
            using var buffer = new PooledBufferWriter(256);
            var compressor = (options ?? _options.WriteOptions)?.NoCompress == true ? null : _requestCompressor;
            MessageWriter.Write(buffer, message, _method.RequestMarshaller, compressor, _channel.Options.CompressionLevel, null);
            await stream.WriteAsync(buffer.WrittenMemory, token).ConfigureAwait(false);
            if ((options ?? _options.WriteOptions)?.BufferHint != true)
            {
                await stream.FlushAsync(token).ConfigureAwait(false);
            }
        }
        catch (Exception) when (_status is { } status)
        {
            throw new RpcException(status.StatusCode == StatusCode.OK ? new Status(StatusCode.Internal, "The call completed before the request could be written.") : status, _trailers ?? Metadata.Empty);
        }
        catch (Exception ex) when (_callSource.IsCancellationRequested)
        {
            throw new RpcException(FailureStatus(ex));
        }
    }

    internal void ThrowIfFinished()
    {
        if (_status is { } status)
        {
            throw status.StatusCode == StatusCode.OK
                ? new InvalidOperationException("The call is complete; no more requests can be written.")
                : new RpcException(status, _trailers ?? Metadata.Empty);
        }
    }

    // ---- HTTP exchange -----------------------------------------------------------------------------------

    private async Task<HttpResponseMessage> SendAsync(HttpContent content)
    {
        var request = CreateRequest(content);
        try
        {
            return await _channel.Http.SendAsync(request, _callToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !_callSource.IsCancellationRequested)
        {
            throw new RpcException(ResponseStatus.FromTransportException(ex, _channel.Target));
        }
    }

    private HttpRequestMessage CreateRequest(HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _channel.UriFor(_method))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        var headers = request.Headers;
        headers.TryAddWithoutValidation(GrpcProtocol.TeHeader, GrpcProtocol.TeTrailers);
        headers.TryAddWithoutValidation("user-agent", GrpcProtocol.UserAgent);
        headers.TryAddWithoutValidation(GrpcProtocol.AcceptEncodingHeader, _channel.Compression.AcceptEncoding);
        if (_requestCompressor is not null)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.EncodingHeader, _requestCompressor.EncodingName);
        }

        if (_options.Deadline is { } deadline && deadline != DateTime.MaxValue)
        {
            var remaining = deadline.ToUniversalTime() - _channel.Options.TimeProvider.GetUtcNow().UtcDateTime;
            if (remaining <= TimeSpan.Zero)
            {
                throw new RpcException(StatusCode.DeadlineExceeded, "Deadline exceeded before the call was sent.");
            }

            headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcTimeout.Format(remaining));
        }

        if (_channel.Options.ServerNameOverride is { } host)
        {
            headers.Host = host;
        }

        var traceParent = _activity ?? Activity.Current;
        if (traceParent is { IdFormat: ActivityIdFormat.W3C, Id: { } id })
        {
            headers.TryAddWithoutValidation(GrpcProtocol.TraceParentHeader, id);
            if (traceParent.TraceStateString is { } state)
            {
                headers.TryAddWithoutValidation(GrpcProtocol.TraceStateHeader, state);
            }
        }

        if (_options.Headers is { } metadata)
        {
            foreach (var entry in metadata)
            {
                MetadataHeaders.EnsureApplicationKey(entry.Key);
                headers.TryAddWithoutValidation(entry.Key, MetadataHeaders.ToHeaderValue(entry));
            }
        }

        return request;
    }

    /// <summary>Checks the response headers; throws the call's status when it already ended (trailers-only or not gRPC).</summary>
    private async Task ProcessHeadersAsync(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.OK)
        {
            _trailers = ToMetadata(response.Headers);
            _responseHeaders.TrySetResult(_trailers);
            throw new RpcException(ResponseStatus.FromHttpStatus(response.StatusCode, response.Headers), _trailers);
        }

        if (ResponseStatus.FromHeaders(response.Headers) is { } trailersOnly)
        {
            // Trailers-only: the call ended without messages, successfully or not.
            _trailers = ToMetadata(response.Headers);
            _responseHeaders.TrySetResult(Metadata.Empty);
            if (trailersOnly.StatusCode != StatusCode.OK)
            {
                throw new RpcException(trailersOnly, _trailers);
            }

            // Successful and empty: there is no body to read.
            return;
        }

        var contentType = response.Content.Headers.ContentType?.MediaType;
        if (!GrpcProtocol.IsGrpcContentType(response.Content.Headers.NonValidated.TryGetValues("content-type", out var raw) ? raw.ToString() : contentType))
        {
            _responseHeaders.TrySetResult(Metadata.Empty);
            throw new RpcException(StatusCode.Internal, $"The server answered with content-type '{contentType}', which is not gRPC.");
        }

        _committed = true;
        ReceivedEncoding = response.Headers.NonValidated.TryGetValues(GrpcProtocol.EncodingHeader, out var encoding) ? encoding.ToString() : null;
        _responseHeaders.TrySetResult(ToMetadata(response.Headers));
        var stream = await response.Content.ReadAsStreamAsync(_callToken).ConfigureAwait(false);
        _responseReader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 1024, leaveOpen: false));
    }

    private Status ReadTrailers(HttpResponseMessage response)
    {
        _trailers = ToMetadata(response.TrailingHeaders);
        return ResponseStatus.FromHeaders(response.TrailingHeaders)
            ?? new Status(StatusCode.Internal, "The server ended the call without a grpc-status.");
    }

    private static Metadata ToMetadata(HttpHeaders headers)
    {
        var metadata = new Metadata();
        foreach (var header in headers.NonValidated)
        {
            if (GrpcProtocol.IsReservedHeader(header.Key)
                || header.Key.Equals("date", StringComparison.OrdinalIgnoreCase)
                || header.Key.Equals("server", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var value in header.Value)
            {
                MetadataHeaders.AddFromWire(metadata, header.Key, value);
            }
        }

        return metadata.Freeze();
    }

    // ---- completion --------------------------------------------------------------------------------------

    private Status FailureStatus(Exception ex)
    {
        if (_deadlineSource?.IsCancellationRequested == true
            || (_options.Deadline is { } deadline && _channel.Options.TimeProvider.GetUtcNow().UtcDateTime >= deadline.ToUniversalTime()
                && ex is not RpcException { StatusCode: not (StatusCode.Cancelled or StatusCode.DeadlineExceeded) }))
        {
            return new Status(StatusCode.DeadlineExceeded, "Deadline exceeded.");
        }

        if (ex is RpcException rpc)
        {
            return rpc.Status;
        }

        if (_callSource.IsCancellationRequested)
        {
            return new Status(StatusCode.Cancelled, _disposed ? "The call was disposed before it completed." : "The call was cancelled.");
        }

        return ex is OperationCanceledException
            ? new Status(StatusCode.Cancelled, "The call was cancelled.")
            : ResponseStatus.FromTransportException(ex, _channel.Target);
    }

    /// <summary>Ends the call with the status an exception stands for and returns the exception to throw.</summary>
    private RpcException Fail(Exception ex)
    {
        lock (_lock)
        {
            if (_status is { } existing)
            {
                return ex as RpcException ?? new RpcException(existing, _trailers ?? Metadata.Empty);
            }
        }

        var status = FailureStatus(ex);
        var trailers = _trailers ?? Metadata.Empty;
        Finish(status);
        _responseHeaders.TrySetException(new RpcException(status, trailers));
        return ex is RpcException same && same.Status == status ? same : new RpcException(status, trailers);
    }

    private void Finish(Status status)
    {
        lock (_lock)
        {
            if (_status is not null)
            {
                return;
            }

            _status = status;
            _trailers ??= Metadata.Empty;
        }

        _responseHeaders.TrySetResult(Metadata.Empty);
        _requestContent?.Abort();
        RpcDiagnostics.StopClient(_activity, _method, status.StatusCode, _startTimestamp);
        if (status.StatusCode != StatusCode.OK)
        {
            RpcClientLog.CallFailed(_channel.Logger, _method.FullName, _channel.Target, status.StatusCode, status.Detail);
        }
    }

    private void ReleaseResponse()
    {
        _responseReader?.Complete();
        _responseReader = null;
        _response?.Dispose();
        _response = null;
    }

    /// <summary>Frees the HTTP resources; the stream is reset if it is still open.</summary>
    private void Release()
    {
        if (_status is null)
        {
            return;
        }

        lock (_lock)
        {
            ReleaseResponse();
            _deadlineRegistration.Dispose();
            _deadlineSource?.Dispose();

            // A linked source stays registered with the caller's token until disposed; long-lived tokens would
            // collect one registration per call.
            _callSource.Dispose();
        }
    }

    public Status GetStatus() => _status ?? throw new InvalidOperationException("The call is still running; its status is known only once it completes.");

    public Metadata GetTrailers() => _status is null
        ? throw new InvalidOperationException("The call is still running; its trailers are known only once it completes.")
        : _trailers ?? Metadata.Empty;

    public void Dispose()
    {
        _disposed = true;
        if (_status is null)
        {
            try
            {
                _callSource.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Already finished and released.
            }

            Fail(new OperationCanceledException("The call was disposed."));
        }

        Release();
    }

    // ---- content -----------------------------------------------------------------------------------------

    /// <summary>The body of a call with one request: the message is framed into a pooled buffer while it is sent.</summary>
    private sealed class UnaryRequestContent : HttpContent
    {
        private readonly ClientCall<TRequest, TResponse> _call;
        private readonly TRequest _request;

        public UnaryRequestContent(ClientCall<TRequest, TResponse> call, TRequest request)
        {
            _call = call;
            _request = request;
            Headers.ContentType = GrpcContentType;
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            // The buffer is returned only once the bytes have been handed to the connection, never while it may still read them.
            using var buffer = new PooledBufferWriter(256);
            var compressor = _call._options.WriteOptions?.NoCompress == true ? null : _call._requestCompressor;
            MessageWriter.Write(buffer, _request, _call._method.RequestMarshaller, compressor, _call._channel.Options.CompressionLevel, null);
            await stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    /// <summary>Writes request messages of a streaming call.</summary>
    private sealed class ClientRequestStreamWriter(ClientCall<TRequest, TResponse> call, StreamingRequestContent content) : IClientStreamWriter<TRequest>
    {
        private Task _lastWrite = Task.CompletedTask;
        private bool _completed;

        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(TRequest message) => WriteAsync(message, CancellationToken.None);

        public Task WriteAsync(TRequest message, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(message);
            if (_completed)
            {
                throw new InvalidOperationException("The request stream is already complete; no more requests can be written.");
            }

            if (!_lastWrite.IsCompleted)
            {
                throw new InvalidOperationException("The previous write has not finished; await each write before starting the next.");
            }

            return _lastWrite = call.WriteRequestAsync(content, message, WriteOptions, cancellationToken);
        }

        public async Task CompleteAsync()
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            try
            {
                await _lastWrite.ConfigureAwait(false);
            }
            catch (RpcException) when (call.IsFinished)
            {
                // The call already ended; its status is reported where the responses are read.
            }

            // Half-closing a call that has already ended is harmless, so it is not an error.
            content.Complete();
        }
    }
}

/// <summary>Reads the responses of a streaming call.</summary>
internal sealed class ClientResponseStreamReader<TRequest, TResponse>(ClientCall<TRequest, TResponse> call) : IAsyncStreamReader<TResponse>
    where TRequest : class
    where TResponse : class
{
    private TResponse? _current;
    private Task<TResponse?>? _pending;

    public TResponse Current => _current ?? throw new InvalidOperationException("No message has been read; call MoveNext first and check that it returned true.");

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        if (_pending is { IsCompleted: false })
        {
            throw new InvalidOperationException("The previous read has not finished; await each MoveNext before starting the next.");
        }

        _pending = call.ReadNextAsync(cancellationToken);
        _current = await _pending.ConfigureAwait(false);
        return _current is not null;
    }
}

/// <summary>A request body written message by message while the call runs (client and bidirectional streaming).</summary>
internal sealed class StreamingRequestContent : HttpContent
{
    private readonly TaskCompletionSource<Stream> _stream = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StreamingRequestContent(MediaTypeHeaderValue contentType)
    {
        Headers.ContentType = contentType;
    }

    /// <summary>The request body stream, once the HTTP layer has started sending it.</summary>
    public Task<Stream> GetStreamAsync(CancellationToken cancellationToken) => _stream.Task.WaitAsync(cancellationToken);

    /// <summary>Ends the request stream (END_STREAM).</summary>
    public void Complete() => _complete.TrySetResult();

    /// <summary>Ends the request stream because the call is over.</summary>
    public void Abort()
    {
        _stream.TrySetCanceled();
        _complete.TrySetResult();
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        _stream.TrySetResult(stream);
        return _complete.Task;
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        _stream.TrySetResult(stream);
        return _complete.Task.WaitAsync(cancellationToken);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}

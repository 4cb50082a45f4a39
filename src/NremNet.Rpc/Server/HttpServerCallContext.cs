using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using NremNet.Rpc.Compression;
using NremNet.Rpc.Framing;

namespace NremNet.Rpc.Server;

/// <summary>The state of one call being served over an HTTP/2 stream.</summary>
internal sealed class HttpServerCallContext : ServerCallContext, IMessageReadContext
{
    private const int Http2CancelErrorCode = 0x8;

    private readonly HttpContext _http;
    private readonly ServerCallHandler _handler;
    private readonly Lock _completionLock = new();
    private Metadata? _requestHeaders;
    private Metadata? _responseTrailers;
    private Dictionary<object, object?>? _userState;
    private CancellationTokenSource? _deadlineSource;
    private CancellationTokenSource? _callSource;
    private ITimer? _resetTimer;
    private DateTime _deadline = DateTime.MaxValue;
    private ICompressionProvider? _responseCompressor;
    private bool _responseHeadersPrepared;
    private bool _completed;

    public HttpServerCallContext(HttpContext http, ServerCallHandler handler)
    {
        _http = http;
        _handler = handler;
    }

    public HttpContext HttpContext => _http;

    /// <summary>Whether anything (headers or a message) has been written to the response.</summary>
    public bool ResponseStarted { get; private set; }

    /// <summary>Whether the call ran out of time.</summary>
    public bool DeadlineExceeded => _deadlineSource?.IsCancellationRequested == true;

    public override string Method => _handler.Method.FullName;

    public override string Host => _http.Request.Host.Value ?? string.Empty;

    public override string Peer
    {
        get
        {
            var connection = _http.Connection;
            return connection.RemoteIpAddress switch
            {
                null => "unknown",
                { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } ip => $"ipv6:[{ip}]:{connection.RemotePort}",
                var ip => $"ipv4:{ip}:{connection.RemotePort}",
            };
        }
    }

    public override DateTime Deadline => _deadline;

    public override Metadata RequestHeaders => _requestHeaders ??= ReadRequestHeaders();

    public override CancellationToken CancellationToken => _callSource?.Token ?? _http.RequestAborted;

    public override Metadata ResponseTrailers => _responseTrailers ??= [];

    public override Status Status { get; set; } = Status.DefaultSuccess;

    public override WriteOptions? WriteOptions { get; set; }

    public override string? ResponseCompression { get; set; }

    public override bool LastRequestMessageCompressed => LastMessageCompressed;

    public override X509Certificate2? ClientCertificate => _http.Connection.ClientCertificate;

    public override IDictionary<object, object?> UserState => _userState ??= [];

    public int? MaxReceiveMessageSize => _handler.Options.MaxReceiveMessageSize;

    public string? ReceivedEncoding { get; private set; }

    public CompressionProviders Decompressors => _handler.Compression;

    public bool LastMessageCompressed { get; private set; }

    public void OnMessageRead(bool compressed) => LastMessageCompressed = compressed;

    /// <summary>Reads the call headers: deadline, encoding, metadata size. Throws <see cref="RpcException"/> for a malformed request.</summary>
    public void Initialize()
    {
        var headers = _http.Request.Headers;
        var metadataSize = 0;
        foreach (var header in headers)
        {
            if (header.Key.Length > 0 && header.Key[0] != ':')
            {
                foreach (var value in header.Value)
                {
                    metadataSize += 32 + header.Key.Length + (value?.Length ?? 0);
                }
            }
        }

        if (metadataSize > _handler.Options.MaxRequestMetadataSize)
        {
            throw new RpcException(StatusCode.ResourceExhausted, $"The request metadata is {metadataSize} bytes, over the limit of {_handler.Options.MaxRequestMetadataSize} bytes.");
        }

        var encoding = headers[GrpcProtocol.EncodingHeader];
        ReceivedEncoding = encoding.Count == 0 ? null : encoding.ToString();

        var timeoutHeader = headers[GrpcProtocol.TimeoutHeader];
        if (timeoutHeader.Count > 0)
        {
            if (timeoutHeader.Count > 1 || !GrpcTimeout.TryParse(timeoutHeader[0], out var timeout))
            {
                throw new RpcException(StatusCode.Internal, $"The grpc-timeout header '{timeoutHeader}' is malformed: expected a positive integer of at most 8 digits followed by H, M, S, m, u or n.");
            }

            StartDeadline(timeout);
        }
    }

    private void StartDeadline(TimeSpan timeout)
    {
        var time = _handler.TimeProvider;
        _deadline = time.GetUtcNow().UtcDateTime + timeout;
        _deadlineSource = new CancellationTokenSource(timeout, time);
        _callSource = CancellationTokenSource.CreateLinkedTokenSource(_deadlineSource.Token, _http.RequestAborted);
        _deadlineSource.Token.UnsafeRegister(static state => ((HttpServerCallContext)state!).OnDeadline(), this);
    }

    private void OnDeadline()
    {
        lock (_completionLock)
        {
            if (_completed)
            {
                return;
            }

            RpcServerLog.DeadlineExceeded(_handler.Logger, Method);

            // The handler's token has fired. Should the handler ignore it, the stream is reset after a grace
            // period, as the protocol asks, so the client is not held.
            _resetTimer = _handler.TimeProvider.CreateTimer(
                static state => ((HttpServerCallContext)state!).ResetIfStillRunning(),
                this,
                _handler.Options.DeadlineGracePeriod,
                Timeout.InfiniteTimeSpan);
        }
    }

    private void ResetIfStillRunning()
    {
        lock (_completionLock)
        {
            if (_completed)
            {
                return;
            }

            RpcServerLog.ResetAfterDeadline(_handler.Logger, Method);
            _http.Features.Get<IHttpResetFeature>()?.Reset(Http2CancelErrorCode);
        }
    }

    public override Task WriteResponseHeadersAsync(Metadata responseHeaders)
    {
        ArgumentNullException.ThrowIfNull(responseHeaders);
        if (ResponseStarted)
        {
            throw new InvalidOperationException("Response headers were already sent for this call; they can be sent only once, before the first message.");
        }

        foreach (var entry in responseHeaders)
        {
            MetadataHeaders.EnsureApplicationKey(entry.Key);
            _http.Response.Headers.Append(entry.Key, MetadataHeaders.ToHeaderValue(entry));
        }

        PrepareResponseHeaders();
        ResponseStarted = true;
        return _http.Response.BodyWriter.FlushAsync(CancellationToken).AsTask();
    }

    /// <summary>Writes one response message to the response body (not flushed).</summary>
    public void WriteMessage<T>(T message, Marshaller<T> marshaller, WriteOptions? options)
    {
        PrepareResponseHeaders();
        ResponseStarted = true;
        var compressor = (options ?? WriteOptions)?.NoCompress == true ? null : _responseCompressor;
        MessageWriter.Write(_http.Response.BodyWriter, message, marshaller, compressor, _handler.Options.ResponseCompressionLevel, _handler.Options.MaxSendMessageSize);
    }

    private void PrepareResponseHeaders()
    {
        if (_responseHeadersPrepared)
        {
            return;
        }

        _responseHeadersPrepared = true;
        var response = _http.Response;
        response.ContentType = GrpcProtocol.ContentType;
        var headers = response.Headers;
        headers[GrpcProtocol.AcceptEncodingHeader] = _handler.Compression.AcceptEncoding;

        var requested = ResponseCompression ?? _handler.Options.ResponseCompressionAlgorithm;
        if (requested is not null
            && !string.Equals(requested, GrpcProtocol.IdentityEncoding, StringComparison.OrdinalIgnoreCase)
            && CompressionProviders.Accepts(_http.Request.Headers[GrpcProtocol.AcceptEncodingHeader].ToString(), requested)
            && _handler.Compression.Find(requested) is { } compressor)
        {
            _responseCompressor = compressor;
            headers[GrpcProtocol.EncodingHeader] = compressor.EncodingName;
        }
    }

    /// <summary>
    /// Ends the call with a status: in trailers, or as a trailers-only response when nothing was written yet.
    /// Nothing is written when the client has gone.
    /// </summary>
    public void Complete(Status status, Metadata? extraTrailers)
    {
        lock (_completionLock)
        {
            _completed = true;
        }

        if (_http.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        var response = _http.Response;
        if (!ResponseStarted && !response.HasStarted && status.StatusCode != StatusCode.OK)
        {
            // Trailers-only, for a call that ends in an error before any response.
            response.ContentType = GrpcProtocol.ContentType;
            var headers = response.Headers;
            headers[GrpcProtocol.AcceptEncodingHeader] = _handler.Compression.AcceptEncoding;
            headers[GrpcProtocol.StatusHeader] = StatusCodeText(status.StatusCode);
            if (status.Detail.Length > 0)
            {
                headers[GrpcProtocol.MessageHeader] = PercentEncoding.Encode(status.Detail);
            }

            AppendMetadata(headers, _responseTrailers);
            AppendMetadata(headers, extraTrailers);
            return;
        }

        PrepareResponseHeaders();
        response.AppendTrailer(GrpcProtocol.StatusHeader, StatusCodeText(status.StatusCode));
        if (status.Detail.Length > 0)
        {
            response.AppendTrailer(GrpcProtocol.MessageHeader, PercentEncoding.Encode(status.Detail));
        }

        AppendTrailers(response, _responseTrailers);
        AppendTrailers(response, extraTrailers);
    }

    private static void AppendMetadata(IHeaderDictionary headers, Metadata? metadata)
    {
        if (metadata is null)
        {
            return;
        }

        foreach (var entry in metadata)
        {
            if (!GrpcProtocol.IsReservedHeader(entry.Key))
            {
                headers.Append(entry.Key, MetadataHeaders.ToHeaderValue(entry));
            }
        }
    }

    private static void AppendTrailers(HttpResponse response, Metadata? metadata)
    {
        if (metadata is null)
        {
            return;
        }

        foreach (var entry in metadata)
        {
            if (!GrpcProtocol.IsReservedHeader(entry.Key))
            {
                response.AppendTrailer(entry.Key, MetadataHeaders.ToHeaderValue(entry));
            }
        }
    }

    private Metadata ReadRequestHeaders()
    {
        var metadata = new Metadata();
        foreach (var header in _http.Request.Headers)
        {
            if (!GrpcProtocol.IsReservedHeader(header.Key))
            {
                MetadataHeaders.AddFromWire(metadata, header.Key, header.Value);
            }
        }

        return metadata.Freeze();
    }

    public void Dispose()
    {
        lock (_completionLock)
        {
            _completed = true;
        }

        _resetTimer?.Dispose();
        _callSource?.Dispose();
        _deadlineSource?.Dispose();
    }

    internal static string StatusCodeText(StatusCode code) => code switch
    {
        StatusCode.OK => "0",
        StatusCode.Cancelled => "1",
        StatusCode.Unknown => "2",
        StatusCode.InvalidArgument => "3",
        StatusCode.DeadlineExceeded => "4",
        StatusCode.NotFound => "5",
        StatusCode.AlreadyExists => "6",
        StatusCode.PermissionDenied => "7",
        StatusCode.ResourceExhausted => "8",
        StatusCode.FailedPrecondition => "9",
        StatusCode.Aborted => "10",
        StatusCode.OutOfRange => "11",
        StatusCode.Unimplemented => "12",
        StatusCode.Internal => "13",
        StatusCode.Unavailable => "14",
        StatusCode.DataLoss => "15",
        StatusCode.Unauthenticated => "16",
        _ => ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

namespace NremNet.Rpc;

/// <summary>Options of one client call.</summary>
public readonly record struct CallOptions
{
    /// <summary>Creates call options.</summary>
    public CallOptions(Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default, WriteOptions? writeOptions = null, bool? idempotent = null, string? compression = null)
    {
        Headers = headers;
        Deadline = deadline;
        CancellationToken = cancellationToken;
        WriteOptions = writeOptions;
        Idempotent = idempotent;
        Compression = compression;
    }

    /// <summary>Custom metadata to send with the request.</summary>
    public Metadata? Headers { get; init; }

    /// <summary>When the call must be over (UTC); null for no deadline.</summary>
    public DateTime? Deadline { get; init; }

    /// <summary>Cancels the call.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>Options for request writes.</summary>
    public WriteOptions? WriteOptions { get; init; }

    /// <summary>Overrides the method's idempotency (which decides whether UNAVAILABLE is retried); null keeps the method's.</summary>
    public bool? Idempotent { get; init; }

    /// <summary>Encoding to compress request messages with (e.g. <c>gzip</c>); null for the channel's default.</summary>
    public string? Compression { get; init; }

    /// <summary>A copy with other headers.</summary>
    public CallOptions WithHeaders(Metadata headers) => this with { Headers = headers };

    /// <summary>A copy with another deadline.</summary>
    public CallOptions WithDeadline(DateTime deadline) => this with { Deadline = deadline };

    /// <summary>A copy with another cancellation token.</summary>
    public CallOptions WithCancellationToken(CancellationToken cancellationToken) => this with { CancellationToken = cancellationToken };
}

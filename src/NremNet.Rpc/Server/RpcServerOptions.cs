using System.IO.Compression;
using Microsoft.Extensions.Options;
using NremNet.Rpc.Compression;

namespace NremNet.Rpc;

/// <summary>Options of the gRPC server (configuration section <c>Rpc:Server</c>).</summary>
public sealed class RpcServerOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Rpc:Server";

    /// <summary>Largest request message accepted, in bytes (default 4 MiB); larger ones end the call with RESOURCE_EXHAUSTED.</summary>
    public int? MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest response message sent, in bytes; null for no limit.</summary>
    public int? MaxSendMessageSize { get; set; }

    /// <summary>Largest total size of a request's custom metadata, counted like HTTP/2 header lists (default 8 KiB).</summary>
    public int MaxRequestMetadataSize { get; set; } = 8 * 1024;

    /// <summary>Compression algorithms the server accepts and may respond with (gzip by default).</summary>
    public IList<ICompressionProvider> CompressionProviders { get; } = [GzipCompressionProvider.Instance];

    /// <summary>Encoding to compress responses with when the client accepts it; null sends them uncompressed.</summary>
    public string? ResponseCompressionAlgorithm { get; set; }

    /// <summary>Compression level for responses.</summary>
    public CompressionLevel ResponseCompressionLevel { get; set; } = CompressionLevel.Fastest;

    /// <summary>Whether error statuses carry the text of unexpected exceptions. For development only.</summary>
    public bool EnableDetailedErrors { get; set; }

    /// <summary>
    /// How long a handler may run past its deadline (after its cancellation token fired) before the stream is reset.
    /// </summary>
    public TimeSpan DeadlineGracePeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Server interceptors, outermost first.</summary>
    public IList<Interceptor> Interceptors { get; } = [];

    /// <summary>A copy, with a list of interceptors and compression providers of its own.</summary>
    public RpcServerOptions Clone()
    {
        var copy = new RpcServerOptions
        {
            MaxReceiveMessageSize = MaxReceiveMessageSize,
            MaxSendMessageSize = MaxSendMessageSize,
            MaxRequestMetadataSize = MaxRequestMetadataSize,
            ResponseCompressionAlgorithm = ResponseCompressionAlgorithm,
            ResponseCompressionLevel = ResponseCompressionLevel,
            EnableDetailedErrors = EnableDetailedErrors,
            DeadlineGracePeriod = DeadlineGracePeriod,
        };
        copy.CompressionProviders.Clear();
        foreach (var provider in CompressionProviders)
        {
            copy.CompressionProviders.Add(provider);
        }

        foreach (var interceptor in Interceptors)
        {
            copy.Interceptors.Add(interceptor);
        }

        return copy;
    }
}

/// <summary>Checks <see cref="RpcServerOptions"/> and names every problem with its configuration key.</summary>
internal sealed class RpcServerOptionsValidator : IValidateOptions<RpcServerOptions>
{
    public ValidateOptionsResult Validate(string? name, RpcServerOptions options)
    {
        var errors = new List<string>();
        if (options.MaxReceiveMessageSize is <= 0)
        {
            errors.Add($"{RpcServerOptions.SectionName}:{nameof(RpcServerOptions.MaxReceiveMessageSize)} must be positive (got {options.MaxReceiveMessageSize}).");
        }

        if (options.MaxSendMessageSize is <= 0)
        {
            errors.Add($"{RpcServerOptions.SectionName}:{nameof(RpcServerOptions.MaxSendMessageSize)} must be positive (got {options.MaxSendMessageSize}).");
        }

        if (options.MaxRequestMetadataSize <= 0)
        {
            errors.Add($"{RpcServerOptions.SectionName}:{nameof(RpcServerOptions.MaxRequestMetadataSize)} must be positive (got {options.MaxRequestMetadataSize}).");
        }

        if (options.DeadlineGracePeriod < TimeSpan.Zero)
        {
            errors.Add($"{RpcServerOptions.SectionName}:{nameof(RpcServerOptions.DeadlineGracePeriod)} may not be negative (got {options.DeadlineGracePeriod}).");
        }

        if (options.ResponseCompressionAlgorithm is { } algorithm
            && !options.CompressionProviders.Any(p => string.Equals(p.EncodingName, algorithm, StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add($"{RpcServerOptions.SectionName}:{nameof(RpcServerOptions.ResponseCompressionAlgorithm)} is '{algorithm}', but no compression provider has that name (have: {string.Join(", ", options.CompressionProviders.Select(p => p.EncodingName))}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

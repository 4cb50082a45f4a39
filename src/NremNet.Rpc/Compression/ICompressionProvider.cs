using System.IO.Compression;

namespace NremNet.Rpc.Compression;

/// <summary>A message compression algorithm, named as in <c>grpc-encoding</c>.</summary>
public interface ICompressionProvider
{
    /// <summary>The encoding name, e.g. <c>gzip</c>.</summary>
    string EncodingName { get; }

    /// <summary>A stream that compresses what is written to it into <paramref name="destination"/>.</summary>
    Stream CreateCompressionStream(Stream destination, CompressionLevel level);

    /// <summary>A stream that decompresses <paramref name="source"/>.</summary>
    Stream CreateDecompressionStream(Stream source);
}

/// <summary>gzip (RFC 1952) message compression.</summary>
public sealed class GzipCompressionProvider : ICompressionProvider
{
    /// <summary>The shared instance.</summary>
    public static readonly GzipCompressionProvider Instance = new();

    /// <inheritdoc />
    public string EncodingName => "gzip";

    /// <inheritdoc />
    public Stream CreateCompressionStream(Stream destination, CompressionLevel level) => new GZipStream(destination, level, leaveOpen: true);

    /// <inheritdoc />
    public Stream CreateDecompressionStream(Stream source) => new GZipStream(source, CompressionMode.Decompress, leaveOpen: true);
}

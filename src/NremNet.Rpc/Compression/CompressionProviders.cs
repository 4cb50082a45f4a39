using System.Collections.Frozen;

namespace NremNet.Rpc.Compression;

/// <summary>The compression algorithms one side accepts, looked up by encoding name.</summary>
internal sealed class CompressionProviders
{
    private readonly FrozenDictionary<string, ICompressionProvider> _byName;

    public CompressionProviders(IEnumerable<ICompressionProvider> providers)
    {
        var list = providers.ToList();
        _byName = list.ToFrozenDictionary(p => p.EncodingName, StringComparer.OrdinalIgnoreCase);
        AcceptEncoding = string.Join(",", new[] { Framing.GrpcProtocol.IdentityEncoding }.Concat(list.Select(p => p.EncodingName)));
    }

    /// <summary>The <c>grpc-accept-encoding</c> value: identity and every provider.</summary>
    public string AcceptEncoding { get; }

    public ICompressionProvider? Find(string? encodingName) =>
        encodingName is not null && _byName.TryGetValue(encodingName, out var provider) ? provider : null;

    /// <summary>Whether a <c>grpc-accept-encoding</c> list from the peer names an encoding.</summary>
    public static bool Accepts(string? acceptEncoding, string encodingName)
    {
        if (string.IsNullOrEmpty(acceptEncoding))
        {
            return false;
        }

        foreach (var range in acceptEncoding.AsSpan().Split(','))
        {
            if (acceptEncoding.AsSpan(range).Trim().Equals(encodingName, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}

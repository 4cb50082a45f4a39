using Microsoft.Extensions.Primitives;

namespace NremNet.Rpc.Framing;

/// <summary>Maps metadata to HTTP/2 header fields and back, base64 for binary entries.</summary>
internal static class MetadataHeaders
{
    /// <summary>The header value of an entry: binary values as unpadded base64, as the protocol recommends.</summary>
    public static string ToHeaderValue(Metadata.Entry entry) =>
        entry.IsBinary ? Convert.ToBase64String(entry.ValueBytes).TrimEnd('=') : entry.Value;

    /// <summary>Throws when application metadata uses a header the protocol owns.</summary>
    public static void EnsureApplicationKey(string key)
    {
        if (GrpcProtocol.IsReservedHeader(key))
        {
            throw new InvalidOperationException($"Metadata key '{key}' is reserved by the gRPC protocol and cannot be set by an application.");
        }
    }

    /// <summary>Adds the entries of one received header to the metadata; binary values may be comma-joined and padded or not.</summary>
    public static void AddFromWire(Metadata metadata, string name, StringValues values)
    {
        var key = name.ToLowerInvariant();
        foreach (var value in values)
        {
            if (value is null)
            {
                continue;
            }

            if (Metadata.IsBinaryKey(key))
            {
                foreach (var part in value.Split(','))
                {
                    metadata.Add(Metadata.Entry.FromWire(key, DecodeBase64(key, part.Trim())));
                }
            }
            else
            {
                metadata.Add(Metadata.Entry.FromWire(key, value));
            }
        }
    }

    /// <summary>Decodes base64 with or without padding.</summary>
    public static byte[] DecodeBase64(string key, string value)
    {
        var padded = (value.Length % 4) switch
        {
            2 => value + "==",
            3 => value + "=",
            _ => value,
        };
        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            throw new RpcException(StatusCode.Internal, $"Binary metadata '{key}' is not valid base64.");
        }
    }
}

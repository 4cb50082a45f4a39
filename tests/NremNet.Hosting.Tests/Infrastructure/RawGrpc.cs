using System.Buffers.Binary;
using System.Net.Http.Headers;
using Google.Protobuf;
using Grpc.Core;

namespace NremNet.Hosting.Tests.Infrastructure;

/// <summary>Hand-made gRPC requests over plain HTTP/2, to send what a correct client never would.</summary>
internal static class RawGrpc
{
    public const string UnaryCallPath = "/grpc.testing.TestService/UnaryCall";

    /// <summary>A length-prefixed frame with any flag and declared length.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> payload, byte flag = 0, uint? declaredLength = null)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), declaredLength ?? (uint)payload.Length);
        payload.CopyTo(frame.AsSpan(5));
        return frame;
    }

    public static byte[] Frame(IMessage message) => Frame(message.ToByteArray());

    public static HttpRequestMessage Request(string path, byte[] body, string? contentType = "application/grpc", IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = null;
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("content-type", contentType);
        }

        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = content,
            Version = System.Net.HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    /// <summary>
    /// Sends a request and reads the whole response, trailers included. The path goes on the wire as written:
    /// percent-encoding and dot segments are not normalised away as <see cref="Uri"/> otherwise would.
    /// </summary>
    public static async Task<RawResponse> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        if (request.RequestUri is { IsAbsoluteUri: false } relative)
        {
            request.RequestUri = new Uri(client.BaseAddress!.GetLeftPart(UriPartial.Authority) + relative.OriginalString, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        return new RawResponse((int)response.StatusCode, Flatten(response.Headers, response.Content.Headers), Flatten(response.TrailingHeaders), body);
    }

    private static Dictionary<string, string> Flatten(params HttpHeaders[] all)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var headers in all)
        {
            foreach (var header in headers.NonValidated)
            {
                result[header.Key] = header.Value.ToString();
            }
        }

        return result;
    }
}

/// <summary>A response as it came off the wire.</summary>
internal sealed record RawResponse(int HttpStatus, IReadOnlyDictionary<string, string> Headers, IReadOnlyDictionary<string, string> Trailers, byte[] Body)
{
    /// <summary>The grpc-status, from the trailers or from a trailers-only response's headers.</summary>
    public StatusCode? GrpcStatus =>
        (Trailers.TryGetValue("grpc-status", out var value) || Headers.TryGetValue("grpc-status", out value)) ? (StatusCode)int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : null;

    public string? GrpcMessage =>
        Trailers.TryGetValue("grpc-message", out var value) || Headers.TryGetValue("grpc-message", out value) ? Uri.UnescapeDataString(value) : null;

    /// <summary>Whether the status came in the headers, with no separate trailers.</summary>
    public bool IsTrailersOnly => Headers.ContainsKey("grpc-status") && Trailers.Count == 0;

    public override string ToString() =>
        $"HTTP {HttpStatus}, grpc-status {GrpcStatus}, grpc-message '{GrpcMessage}', headers [{string.Join(", ", Headers.Select(h => h.Key + ": " + h.Value))}], trailers [{string.Join(", ", Trailers.Select(h => h.Key + ": " + h.Value))}], {Body.Length} body bytes";
}

using System.Collections.Frozen;
using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace NremNet.Node.Console;

/// <summary>One file the console serves: its fingerprinted path, type, and its bytes as they are, as Brotli and as gzip.</summary>
internal sealed record ConsoleAsset(string Name, string Path, string ContentType, string ETag, byte[] Identity, byte[] Brotli, byte[] Gzip);

/// <summary>
/// The console's static files — its stylesheets (<c>Console/Assets/*.css</c>) and the framework's
/// <c>blazor.web.js</c> — embedded in this assembly and served from memory at <c>/assets/{name}.{hash}.{ext}</c>, the hash
/// being of the content, so a browser may keep each for a year and a new build's files have new addresses. Embedded
/// rather than static web assets: those are found through manifests named after the entry program, which for a node is
/// <c>nremnet</c> or a test host, never this library.
/// </summary>
internal sealed class ConsoleAssets
{
    private const string ResourcePrefix = "NremNet.Node.Console.Assets.";
    private readonly FrozenDictionary<string, ConsoleAsset> _byPath;
    private readonly FrozenDictionary<string, ConsoleAsset> _byName;

    public ConsoleAssets()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        var assets = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(n => Load(n[ResourcePrefix.Length..], assembly.GetManifestResourceStream(n)!))
            .ToList();
        _byPath = assets.ToFrozenDictionary(a => a.Path, StringComparer.Ordinal);
        _byName = assets.ToFrozenDictionary(a => a.Name, StringComparer.Ordinal);
    }

    /// <summary>Every asset, by file name (<c>console.css</c>, <c>blazor.web.js</c>).</summary>
    public IReadOnlyDictionary<string, ConsoleAsset> ByName => _byName;

    /// <summary>The address of an asset by its file name, e.g. <c>Url("console.css")</c> → <c>/assets/console.3f2a….css</c>.</summary>
    /// <exception cref="KeyNotFoundException">There is no such asset.</exception>
    public string Url(string name) => _byName.TryGetValue(name, out var asset) ? asset.Path : throw new KeyNotFoundException($"The console has no asset {name}; add it to Console/Assets.");

    /// <summary>Serves the assets at their fingerprinted addresses.</summary>
    public static IEndpointConventionBuilder Map(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapGet("/assets/{file}", static (HttpContext context, ConsoleAssets assets) => assets.ServeAsync(context));
    }

    private Task ServeAsync(HttpContext context)
    {
        var response = context.Response;
        if (!_byPath.TryGetValue(context.Request.Path.Value ?? string.Empty, out var asset))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        response.Headers.CacheControl = "public, max-age=31536000, immutable";
        response.Headers.ETag = asset.ETag;
        response.Headers.Vary = HeaderNames.AcceptEncoding;
        response.ContentType = asset.ContentType;
        if (context.Request.Headers.IfNoneMatch == asset.ETag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        var accepted = context.Request.Headers.AcceptEncoding.ToString();
        var (body, encoding) = accepted.Contains("br", StringComparison.OrdinalIgnoreCase) ? (asset.Brotli, "br")
            : accepted.Contains("gzip", StringComparison.OrdinalIgnoreCase) ? (asset.Gzip, "gzip")
            : (asset.Identity, null);
        if (encoding is not null)
        {
            response.Headers.ContentEncoding = encoding;
        }

        response.ContentLength = body.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    private static ConsoleAsset Load(string name, Stream stream)
    {
        using (stream)
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var hash = Convert.ToHexString(SHA256.HashData(bytes))[..16].ToLowerInvariant();
            var extension = System.IO.Path.GetExtension(name);
            var path = $"/assets/{System.IO.Path.GetFileNameWithoutExtension(name)}.{hash}{extension}";
            var type = extension switch
            {
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".svg" => "image/svg+xml",
                _ => "application/octet-stream",
            };
            return new ConsoleAsset(name, path, type, $"\"{hash}\"", bytes, Compress(bytes, s => new BrotliStream(s, CompressionLevel.Optimal)), Compress(bytes, s => new GZipStream(s, CompressionLevel.Optimal)));
        }
    }

    private static byte[] Compress(byte[] bytes, Func<Stream, Stream> encoder)
    {
        using var output = new MemoryStream();
        using (var compressing = encoder(output))
        {
            compressing.Write(bytes);
        }

        return output.ToArray();
    }
}

using System.Buffers;
using System.Text;
using Google.Protobuf;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NremNet.Hosting.Grpc;

/// <summary>
/// What NremNet checks of a gRPC request before ASP.NET Core routes it (and of how the call ended), where Kestrel and
/// Grpc.AspNetCore on their own depart from the gRPC protocol (grpc/grpc doc/PROTOCOL-HTTP2.md, doc/statuscodes.md):
/// <list type="bullet">
/// <item>The <c>:path</c> is <c>/Service/Method</c> as the client wrote it. Kestrel decodes percent-encoding and removes
/// dot segments before routing, so <c>/pkg.Svc/Cal%6C</c> or <c>/x/../pkg.Svc/Call</c> would reach <c>Call</c>; gRPC
/// compares the path as sent, so such a request names no method: UNIMPLEMENTED, never routed. "Path is
/// case-sensitive", but ASP.NET Core routes without regard to case: a path that names a method only in another case is
/// UNIMPLEMENTED too.</item>
/// <item>Custom metadata that is not an ASCII-Value (printable ASCII) is dropped: the protocol lets a server throw it
/// away but not fail the call, and Grpc.AspNetCore would otherwise hand it to a handler that cannot echo it (the
/// response header is refused and the call ends UNKNOWN).</item>
/// <item>Binary metadata (<c>-bin</c>) that is not base64 ends the call with INTERNAL, naming the header, instead of an
/// exception in the handler that reads it (UNKNOWN, logged as a server error). So does a binary key with several
/// values (repeated, or joined with ','): the protocol asks that they be split, but Grpc.AspNetCore decodes the joined
/// text as one value and throws in the handler; the caller is told instead.</item>
/// <item>A request message that cannot be parsed or decompressed, or whose compressed flag is neither 0 nor 1, ends the
/// call with INTERNAL, as doc/statuscodes.md has it ("Error parsing request proto", "Could not decompress"):
/// Grpc.AspNetCore reports UNKNOWN, as if the handler had failed.</item>
/// </list>
/// Requests that are not gRPC (another content type) pass untouched.
/// </summary>
public static partial class GrpcRequestGuard
{
    /// <summary>How much of a refused path is repeated in the log and the answer.</summary>
    private const int MaxShownPath = 120;

    private static readonly SearchValues<char> PrintableAscii = SearchValues.Create(Enumerable.Range(0x20, 0x7F - 0x20).Select(c => (char)c).ToArray());

    /// <summary>Adds the guard to the start of the application's pipeline (<see cref="GrpcServer.AddNremNetGrpc"/> does).</summary>
    public static IApplicationBuilder UseGrpcRequestGuard(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GrpcRequestGuard).FullName!);
        var methods = new Lazy<MethodPaths>(() => new MethodPaths(app.ApplicationServices.GetService<EndpointDataSource>()));
        return app.Use(async (http, next) =>
        {
            if (!IsGrpc(http.Request))
            {
                await next(http).ConfigureAwait(false);
                return;
            }

            if (Admit(http, methods.Value, logger))
            {
                await next(http).ConfigureAwait(false);
                ReportUnreadableMessage(http);
            }
        });
    }

    /// <summary>Whether the request is a gRPC call (its content type begins with <c>application/grpc</c>).</summary>
    private static bool IsGrpc(HttpRequest request) =>
        request.ContentType is { } type && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);

    /// <summary>Checks a gRPC request; answers it and returns false when it must not reach a method.</summary>
    private static bool Admit(HttpContext http, MethodPaths methods, ILogger logger)
    {
        var request = http.Request;
        var rawTarget = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? string.Empty;
        if (!IsMethodPath(rawTarget) || !string.Equals(rawTarget, request.PathBase.Add(request.Path).Value, StringComparison.Ordinal) || methods.InAnotherCase(rawTarget))
        {
            // The path is the caller's text: shown bounded, in the log and in the answer.
            var shown = rawTarget.Length <= MaxShownPath ? rawTarget : string.Concat(rawTarget.AsSpan(0, MaxShownPath), "…");
            PathRefused(logger, shown);
            Refuse(http, StatusCode.Unimplemented, $"'{shown}' names no method of this server: a gRPC path is /Service/Method spelled as in the proto, without percent-encoding, dot segments or a query.");
            return false;
        }

        List<string>? dropped = null;
        foreach (var (key, values) in request.Headers)
        {
            if (key.EndsWith("-bin", StringComparison.OrdinalIgnoreCase))
            {
                if (!IsBase64(values))
                {
                    Refuse(http, StatusCode.Internal, $"Request metadata '{key}' is not base64, as a -bin header must be.");
                    return false;
                }

                if (values.Count > 1 || values.Any(v => v?.Contains(',', StringComparison.Ordinal) == true))
                {
                    Refuse(http, StatusCode.Internal, $"Request metadata '{key}' has several values; this server takes one value per binary key.");
                    return false;
                }
            }
            else if (values.Any(v => v is not null && v.AsSpan().ContainsAnyExcept(PrintableAscii)))
            {
                (dropped ??= []).Add(key);
            }
        }

        foreach (var key in dropped ?? [])
        {
            MetadataDropped(logger, key);
            request.Headers.Remove(key);
        }

        return true;
    }

    /// <summary>
    /// After the call: a request message that could not be read is INTERNAL, not the UNKNOWN that Grpc.AspNetCore gives
    /// every exception (its status keeps the exception). The status is in the headers of a trailers-only response, or
    /// in the trailers, which Kestrel sends when the pipeline returns.
    /// </summary>
    private static void ReportUnreadableMessage(HttpContext http)
    {
        if (http.Features.Get<IServerCallContextFeature>()?.ServerCallContext.Status is not { StatusCode: StatusCode.Unknown, DebugException: InvalidProtocolBufferException or InvalidDataException })
        {
            return;
        }

        var fields = http.Response.HasStarted ? http.Features.Get<IHttpResponseTrailersFeature>()?.Trailers : http.Response.Headers;
        if (fields is not null && fields.ContainsKey("grpc-status"))
        {
            fields["grpc-status"] = ((int)StatusCode.Internal).ToString(System.Globalization.CultureInfo.InvariantCulture);
            fields["grpc-message"] = PercentEncode("A request message could not be read: it is not a valid message of the method's type, or it does not decompress.");
        }
    }

    /// <summary>Whether a target is <c>/Service/Method</c>: two non-empty segments, nothing else.</summary>
    private static bool IsMethodPath(string target)
    {
        if (target.Length < 4 || target[0] != '/' || target.AsSpan().IndexOfAny('?', '#') >= 0)
        {
            return false;
        }

        var slash = target.IndexOf('/', 1);
        return slash > 1 && slash < target.Length - 1 && target.IndexOf('/', slash + 1) < 0
            && target[1..slash] is not ("." or "..") && target[(slash + 1)..] is not ("." or "..");
    }

    /// <summary>Whether every comma-separated part of a binary header is base64, padded or not (as the protocol allows).</summary>
    private static bool IsBase64(Microsoft.Extensions.Primitives.StringValues values)
    {
        foreach (var value in values)
        {
            foreach (var part in (value ?? string.Empty).Split(','))
            {
                var text = part.Trim();
                if (text.Length % 4 == 1)
                {
                    return false;
                }

                var padded = text.Length % 4 == 0 ? text : text + new string('=', 4 - (text.Length % 4));
                if (!Convert.TryFromBase64String(padded, new byte[padded.Length], out _))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>A trailers-only gRPC response: HTTP 200 with the status in the only HEADERS frame.</summary>
    private static void Refuse(HttpContext http, StatusCode code, string message)
    {
        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = PercentEncode(message);
    }

    /// <summary>grpc-message's percent-encoding: printable ASCII but '%' as it is, every other UTF-8 byte as %XX.</summary>
    private static string PercentEncode(string message)
    {
        var text = new StringBuilder(message.Length);
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            if (b is >= 0x20 and <= 0x7E && b != '%')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    [LoggerMessage(1, LogLevel.Debug, "gRPC request for '{Path}' refused as UNIMPLEMENTED: not a /Service/Method path as sent.", EventName = "GrpcPathRefused")]
    private static partial void PathRefused(ILogger logger, string path);

    [LoggerMessage(2, LogLevel.Debug, "Request metadata '{Key}' dropped: its value is not printable ASCII.", EventName = "GrpcMetadataDropped")]
    private static partial void MetadataDropped(ILogger logger, string key);

    /// <summary>The paths of the gRPC methods the host serves, as <c>/Service/Method</c> in their proto's case.</summary>
    private sealed class MethodPaths(EndpointDataSource? endpoints)
    {
        private readonly HashSet<string> _exact = [.. (endpoints?.Endpoints ?? []).Select(e => e.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method.FullName).OfType<string>()];
        private readonly HashSet<string> _anyCase = new((endpoints?.Endpoints ?? []).Select(e => e.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method.FullName).OfType<string>(), StringComparer.OrdinalIgnoreCase);

        /// <summary>Whether the path names a served method only when case is ignored (ASP.NET Core would route it there).</summary>
        public bool InAnotherCase(string path) => !_exact.Contains(path) && _anyCase.Contains(path);
    }

    /// <summary>Puts the guard first in every application pipeline of the host.</summary>
    internal sealed class StartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseGrpcRequestGuard();
            next(app);
        };
    }
}

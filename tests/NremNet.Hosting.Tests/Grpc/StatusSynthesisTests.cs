using Grpc.Core;
using Grpc.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using NremNet.Hosting.Tests.Infrastructure;
using NremNet.Rpc.Interop;

namespace NremNet.Hosting.Tests.Grpc;

/// <summary>
/// Responses that are not proper gRPC (a proxy's error page, a broken server): NremNet's channel makes a status of
/// what it got, as the protocol asks ("Implementations must synthesize a Status &amp; Status-Message"), mapping HTTP
/// statuses as grpc/grpc doc/http-grpc-status-mapping.md does and RST_STREAM codes as PROTOCOL-HTTP2.md does. Where the
/// protocol names no code, the code is Grpc.Net.Client's (the hand-written client's differed): CANCELLED for a 200 that is
/// not gRPC or has no grpc-status, INTERNAL for a grpc-status that is not a number (doc/statuscodes.md would say UNKNOWN,
/// "Error parsing returned status"; NremNet does not patch the client for it: either way the call fails with the text).
/// </summary>
public sealed class StatusSynthesisTests
{
    public static TheoryData<string, StatusCode> Cases => new()
    {
        { "http-400", StatusCode.Internal },
        { "http-401", StatusCode.Unauthenticated },
        { "http-403", StatusCode.PermissionDenied },
        { "http-404", StatusCode.Unimplemented },
        { "http-429", StatusCode.Unavailable },
        { "http-500", StatusCode.Unknown },
        { "http-502", StatusCode.Unavailable },
        { "http-503", StatusCode.Unavailable },
        { "http-504", StatusCode.Unavailable },
        { "html", StatusCode.Cancelled },
        { "no-status", StatusCode.Cancelled },
        { "bad-status", StatusCode.Internal },
        { "reset-refused", StatusCode.Unavailable },
        { "reset-cancel", StatusCode.Cancelled },
        { "reset-protocol", StatusCode.Internal },
        { "two-messages", StatusCode.Internal },
        { "truncated", StatusCode.Internal },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BrokenResponse_BecomesAStatus(string behaviour, StatusCode expected)
    {
        await using var server = await TestServer.StartAsync(map: app =>
        {
            app.Use(next => http => Misbehave(http, behaviour));
            app.MapGrpcService<TestServiceImpl>();
        });
        using var channel = server.CreateChannel();

        var ex = await Assert.ThrowsAsync<RpcException>(() => new TestService.TestServiceClient(channel).UnaryCallAsync(new SimpleRequest(), cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);

        Assert.True(ex.StatusCode == expected, $"{behaviour}: expected {expected}, got {ex.Status}");
        Assert.False(string.IsNullOrEmpty(ex.Status.Detail));
    }

    private static async Task Misbehave(HttpContext http, string behaviour)
    {
        var response = http.Response;
        switch (behaviour)
        {
            case var s when s.StartsWith("http-", StringComparison.Ordinal):
                response.StatusCode = int.Parse(s[5..], System.Globalization.CultureInfo.InvariantCulture);
                response.ContentType = "text/plain";
                await response.WriteAsync("proxy says no", http.RequestAborted);
                break;
            case "html":
                response.ContentType = "text/html";
                await response.WriteAsync("<html>login page</html>", http.RequestAborted);
                break;
            case "no-status":
                response.ContentType = "application/grpc";
                await response.Body.FlushAsync(http.RequestAborted);
                break;
            case "bad-status":
                response.ContentType = "application/grpc";
                response.Headers["grpc-status"] = "not-a-number";
                break;
            case "reset-refused":
                http.Features.Get<IHttpResetFeature>()!.Reset(0x7);
                break;
            case "reset-cancel":
                http.Features.Get<IHttpResetFeature>()!.Reset(0x8);
                break;
            case "reset-protocol":
                http.Features.Get<IHttpResetFeature>()!.Reset(0x1);
                break;
            case "two-messages":
                response.ContentType = "application/grpc";
                await response.Body.WriteAsync(RawGrpc.Frame(new SimpleResponse()).Concat(RawGrpc.Frame(new SimpleResponse())).ToArray(), http.RequestAborted);
                response.AppendTrailer("grpc-status", "0");
                break;
            case "truncated":
                response.ContentType = "application/grpc";
                await response.Body.WriteAsync(RawGrpc.Frame([], declaredLength: 100), http.RequestAborted);
                response.AppendTrailer("grpc-status", "0");
                break;
        }
    }
}

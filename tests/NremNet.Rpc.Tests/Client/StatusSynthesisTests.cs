using Grpc.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using NremNet.Rpc.Interop;
using NremNet.Rpc.Tests.Infrastructure;

namespace NremNet.Rpc.Tests.Client;

/// <summary>Responses that are not proper gRPC: the client makes a status out of what it got, as the protocol asks.</summary>
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
        { "html", StatusCode.Internal },
        { "no-status", StatusCode.Internal },
        { "bad-status", StatusCode.Unknown },
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
        await using var server = await TestServer.StartAsync(rpc => rpc.AddService<TestServiceImpl>(), pipeline: app => app.Use(next => http => Misbehave(http, behaviour)));
        using var channel = server.CreateChannel();
        var client = new TestServiceClient(channel.CreateCallInvoker());

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.UnaryCallAsync(new SimpleRequest()).ResponseAsync);

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

using System.Net;
using Grpc.Core;
using Grpc.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using NremNet.Hosting.Grpc;
using NremNet.Hosting.Tests.Infrastructure;
using NremNet.Rpc.Interop;

namespace NremNet.Hosting.Tests.Grpc;

/// <summary>
/// What <see cref="GrpcRequestGuard"/> leaves alone: requests that are not gRPC, and the gRPC requests it has no reason
/// to stop. (What it stops is in <see cref="MalformedRequestTests"/>.)
/// </summary>
public sealed class GrpcRequestGuardTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RequestThatIsNotGrpc_IsRoutedAsASPNETCoreRoutesIt()
    {
        await using var server = await TestServer.StartAsync(map: app =>
        {
            app.MapGrpcService<TestServiceImpl>();
            app.MapPost("/files/{name}", (string name, HttpRequest request) => $"{name} {request.Headers["x-note"]}");
        });
        using var raw = server.CreateRawClient();

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/files/annual%20report", UriKind.Relative))
        {
            Content = new StringContent("x"),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.TryAddWithoutValidation("x-note", "für NL");
        using var response = await raw.SendAsync(request, Ct);

        // Routed with its path decoded, as ASP.NET Core does; header bytes are read as Latin-1 on NremNet's hosts (so that
        // no byte fails a connection), here the two bytes of UTF-8 'ü'.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("annual report f\u00c3\u00bcr NL", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task GrpcCallWithPrintableMetadata_ReachesTheHandlerWithIt()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        var headers = new Metadata { { "x-grpc-test-echo-initial", "plain ASCII, spaces & symbols ~!" } };

        using var call = new TestService.TestServiceClient(channel).UnaryCallAsync(new SimpleRequest(), headers, cancellationToken: Ct);
        await call;

        Assert.Equal("plain ASCII, spaces & symbols ~!", (await call.ResponseHeadersAsync).GetValue("x-grpc-test-echo-initial"));
    }

    [Fact]
    public async Task GrpcCallToReflection_IsServed()
    {
        await using var server = await TestServer.StartAsync(map: app =>
        {
            app.MapGrpcService<TestServiceImpl>();
            app.MapGrpcReflectionService();
        });
        using var channel = server.CreateChannel();

        using var call = new global::Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo(cancellationToken: Ct);
        await call.RequestStream.WriteAsync(new global::Grpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = string.Empty }, Ct);
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(Ct));

        Assert.Contains(call.ResponseStream.Current.ListServicesResponse.Service, s => s.Name == "grpc.testing.TestService");
    }

    [Fact]
    public async Task LongUnroutablePath_IsUnimplemented_AndRepeatedOnlyInPart()
    {
        await using var server = await TestServer.StartAsync();
        using var raw = server.CreateRawClient();
        var path = "/grpc.testing.TestService/../" + new string('a', 4_000);

        var response = await RawGrpc.SendAsync(raw, RawGrpc.Request(path, RawGrpc.Frame([])));

        // The path is the caller's text: the answer names it, bounded, rather than sending 4 KB back.
        Assert.Equal(StatusCode.Unimplemented, response.GrpcStatus);
        Assert.StartsWith("'/grpc.testing.TestService/../aaa", response.GrpcMessage, StringComparison.Ordinal);
        Assert.InRange(response.GrpcMessage!.Length, 1, 400);
    }
}

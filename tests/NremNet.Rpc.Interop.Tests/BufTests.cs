using NremNet.Testing;

namespace NremNet.Rpc.Interop.Tests;

/// <summary>
/// buf, a gRPC tool built on another implementation (connect-go): it lints our contracts and, through server
/// reflection alone, lists and calls our services.
/// </summary>
public sealed class BufTests(InteropServers servers)
{
    [Fact]
    public async Task BufLint_PassesOnTheContracts()
    {
        var result = await BufAsync(["lint"], RepositoryPaths.Combine("proto"));
        Assert.True(result.ExitCode == 0, result.Output);
    }

    [Theory]
    [InlineData("grpc-v1")]
    [InlineData("grpc-v1alpha")]
    public async Task BufCurl_ListsMethodsThroughReflection(string reflectProtocol)
    {
        var result = await BufAsync(["curl", "--protocol", "grpc", "--http2-prior-knowledge", "--reflect-protocol", reflectProtocol, "--list-methods", $"http://127.0.0.1:{servers.OursPlain}"]);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("grpc.testing.TestService/UnaryCall", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("grpc.testing.TestService/FullDuplexCall", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("grpc.health.v1.Health/Check", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BufCurl_CallsAUnaryMethodWithJson()
    {
        var result = await BufAsync(["curl", "--protocol", "grpc", "--http2-prior-knowledge", "-d", """{"response_size": 5}""", $"http://127.0.0.1:{servers.OursPlain}/grpc.testing.TestService/UnaryCall"]);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("\"AAAAAAA=\"", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BufCurl_OverTls_ChecksHealth()
    {
        var result = await BufAsync(["curl", "--protocol", "grpc", "--cacert", servers.CaFile, "--servername", "foo.test.google.fr", "-d", "{}", $"https://127.0.0.1:{servers.OursTls}/grpc.health.v1.Health/Check"]);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("SERVING", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BufCurl_SeesAnErrorStatusAndItsMessage()
    {
        var result = await BufAsync(["curl", "--protocol", "grpc", "--http2-prior-knowledge", "-d", """{"response_status": {"code": 5, "message": "no figures for 2031"}}""", $"http://127.0.0.1:{servers.OursPlain}/grpc.testing.TestService/UnaryCall"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("not_found", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("no figures for 2031", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BufCurl_ServerStreaming()
    {
        var result = await BufAsync(["curl", "--protocol", "grpc", "--http2-prior-knowledge", "-d", """{"response_parameters": [{"size": 1}, {"size": 2}, {"size": 3}]}""", $"http://127.0.0.1:{servers.OursPlain}/grpc.testing.TestService/StreamingOutputCall"]);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(3, result.StandardOutput.Split("\"payload\"").Length - 1);
    }

    private static Task<ProcessResult> BufAsync(IReadOnlyList<string> arguments, string? workingDirectory = null) =>
        ChildProcess.RunAsync(Tools.Buf, arguments, Tools.CaseTimeout, workingDirectory ?? RepositoryPaths.Root, cancellationToken: TestContext.Current.CancellationToken);
}

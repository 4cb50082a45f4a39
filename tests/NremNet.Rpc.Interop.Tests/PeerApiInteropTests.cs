using System.Text.Json;
using NremNet.Testing;

namespace NremNet.Rpc.Interop.Tests;

/// <summary>
/// A real node's peer API called from other gRPC stacks over mutual TLS with a network certificate, as a country writing
/// its own node in another language would: Python grpcio with stubs generated from proto/, and buf curl reading the
/// contract from proto/. NL answers; the caller presents SE's node certificate.
/// </summary>
public sealed class PeerApiInteropTests(PeerNetwork network) : IClassFixture<PeerNetwork>
{
    [Fact]
    public async Task PythonGrpcio_CallsHello_AndIsKnownAsSe()
    {
        var result = await PythonAsync("--method=hello", network.Se);

        Assert.True(result.ExitCode == 0, result.Output);
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal("NL", json.RootElement.GetProperty("country").GetString());
        Assert.Equal("SE", json.RootElement.GetProperty("caller_country").GetString());
    }

    [Fact]
    public async Task PythonGrpcio_QueriesAnAggregate()
    {
        var result = await PythonAsync("--method=query", network.Se, "--indicator=THB_VICT_REG", "--start_year=2024", "--end_year=2024");

        Assert.True(result.ExitCode == 0, result.Output);
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal("NL", json.RootElement.GetProperty("country").GetString());
    }

    [Fact]
    public async Task PythonGrpcio_WithACertificateFromAnotherCa_IsRefused()
    {
        var result = await PythonAsync("--method=hello", network.Impostor);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("FAILED UNAVAILABLE", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PythonGrpcio_WithoutACertificate_IsRefused()
    {
        var result = await PythonAsync("--method=hello", null);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("FAILED UNAVAILABLE", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BufCurl_CallsHello_FromTheProtoFiles()
    {
        var result = await BufCurlAsync("nremnet.federation.v1.FederationService/Hello", """{"snapshot_version": 0}""");

        Assert.True(result.ExitCode == 0, result.Output);
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal("NL", json.RootElement.GetProperty("country").GetString());
        Assert.Equal("SE", json.RootElement.GetProperty("callerCountry").GetString());
    }

    [Fact]
    public async Task BufCurl_QueriesAnAggregate_FromTheProtoFiles()
    {
        var result = await BufCurlAsync("nremnet.aggregates.v1.AggregateService/Query", """{"indicator": "THB_VICT_REG", "start_year": 2024, "end_year": 2024}""");

        Assert.True(result.ExitCode == 0, result.Output);
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal("NL", json.RootElement.GetProperty("country").GetString());
    }

    [Fact]
    public async Task BufCurl_ListsOnlyThePeerApiThroughReflection()
    {
        var result = Logged(await ChildProcess.RunAsync(Tools.Buf, [.. TlsFlags(), "--list-methods", $"https://127.0.0.1:{network.NlPeerPort}"], Tools.CaseTimeout, RepositoryPaths.Root, cancellationToken: TestContext.Current.CancellationToken));

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("nremnet.federation.v1.FederationService/Hello", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("nremnet.aggregates.v1.AggregateService/Query", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("nremnet.local.", result.StandardOutput, StringComparison.Ordinal);
    }

    private static ProcessResult Logged(ProcessResult result)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(result.Output);
        return result;
    }

    private async Task<ProcessResult> PythonAsync(string method, (string Certificate, string Key)? credentials, params string[] more) => Logged(await
        ChildProcess.RunAsync(
            Tools.Python,
            [
                Tools.PythonPeerClient, "--server_host=127.0.0.1", $"--server_port={network.NlPeerPort}", $"--ca_file={network.CaFile}",
                .. credentials is { } c ? [$"--cert_file={c.Certificate}", $"--key_file={c.Key}"] : Array.Empty<string>(),
                method, .. more,
            ],
            Tools.CaseTimeout,
            RepositoryPaths.Root,
            cancellationToken: TestContext.Current.CancellationToken));

    private async Task<ProcessResult> BufCurlAsync(string method, string body) => Logged(await
        ChildProcess.RunAsync(Tools.Buf, [.. TlsFlags(), "--schema", "proto", "-d", body, $"https://127.0.0.1:{network.NlPeerPort}/{method}"], Tools.CaseTimeout, RepositoryPaths.Root, cancellationToken: TestContext.Current.CancellationToken));

    private string[] TlsFlags() => ["curl", "--protocol", "grpc", "--cacert", network.CaFile, "--cert", network.Se.Certificate, "--key", network.Se.Key];
}

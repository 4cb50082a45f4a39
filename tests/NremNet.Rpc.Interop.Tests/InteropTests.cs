using NremNet.Testing;

namespace NremNet.Rpc.Interop.Tests;

/// <summary>
/// Every interop case, against gRPC implementations other than .NET's: Python grpcio and Node grpc-js clients against
/// our interop server (Grpc.AspNetCore as NremNet's hosts configure it), and our client (Grpc.Net.Client through
/// NremNet's NetworkChannel) against a Python grpcio server.
/// </summary>
public sealed class InteropTests(InteropServers servers)
{
    [Theory]
    [MemberData(nameof(InteropCases.All), MemberType = typeof(InteropCases))]
    public async Task PythonGrpcioClient_AgainstOurServer(string testCase, bool tls) =>
        await RunAsync(Tools.Python, [Tools.PythonClient, .. servers.ClientFlags(tls ? servers.OursTls : servers.OursPlain, tls, testCase)]);

    [Theory]
    [MemberData(nameof(InteropCases.All), MemberType = typeof(InteropCases))]
    public async Task NodeGrpcJsClient_AgainstOurServer(string testCase, bool tls) =>
        await RunAsync(Tools.Node, [Tools.NodeClient, .. servers.ClientFlags(tls ? servers.OursTls : servers.OursPlain, tls, testCase)]);

    [Theory]
    [MemberData(nameof(InteropCases.All), MemberType = typeof(InteropCases))]
    public async Task OurClient_AgainstPythonGrpcioServer(string testCase, bool tls) =>
        await RunAsync("dotnet", [Tools.OurInterop, "client", .. servers.ClientFlags(tls ? servers.PythonTls : servers.PythonPlain, tls, testCase)]);

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments)
    {
        var result = await ChildProcess.RunAsync(program, arguments, Tools.CaseTimeout, RepositoryPaths.Root, cancellationToken: TestContext.Current.CancellationToken);
        TestContext.Current.TestOutputHelper?.WriteLine(result.Output);
        Assert.True(result.ExitCode == 0, $"{Path.GetFileName(arguments[0])} {string.Join(' ', arguments.Skip(1))} failed:{Environment.NewLine}{result.Output}");
        Assert.Contains("PASSED", result.StandardOutput, StringComparison.Ordinal);
    }
}

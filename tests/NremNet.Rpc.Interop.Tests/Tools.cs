using NremNet.Testing;

namespace NremNet.Rpc.Interop.Tests;

/// <summary>The other implementations and tools the interop tests run, and where they are.</summary>
internal static class Tools
{
    /// <summary>Debian's Python, which has python3-grpcio (the pyenv one on PATH may not).</summary>
    public static string Python => Require("/usr/bin/python3", "apt-get install python3-grpcio python3-grpc-tools protobuf-compiler-grpc");

    public static string Node => Which("node") ?? throw Missing("node", "install Node.js 20");

    public static string Buf => Require(RepositoryPaths.Combine("tests", "tools", "node_modules", ".bin", "buf"), "cd tests/tools && npm install");

    public static string PythonClient => RepositoryPaths.Combine("tests", "interop", "python", "interop_client.py");

    public static string PythonServer => RepositoryPaths.Combine("tests", "interop", "python", "interop_server.py");

    public static string PythonPeerClient => RepositoryPaths.Combine("tests", "interop", "python", "peer_client.py");

    public static string NodeClient
    {
        get
        {
            Require(RepositoryPaths.Combine("tests", "interop", "node", "node_modules", "@grpc", "grpc-js", "package.json"), "cd tests/interop/node && npm install");
            return RepositoryPaths.Combine("tests", "interop", "node", "interop_client.js");
        }
    }

    /// <summary>Our interop program, built next to the tests.</summary>
    public static string OurInterop => Require(Path.Combine(AppContext.BaseDirectory, "NremNet.Rpc.Interop.dll"), "dotnet build tests/NremNet.Rpc.Interop");

    public static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(60);

    private static string Require(string path, string install) =>
        File.Exists(path) ? path : throw Missing(path, install);

    private static InvalidOperationException Missing(string what, string install) =>
        new($"'{what}' is missing. Run 'bash tests/run.sh' (it installs what the tests need) or: {install}");

    private static string? Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':')
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}

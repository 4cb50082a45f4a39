using NremNet.Cli.Cli;
using NremNet.Cli.Tests.Infrastructure;

namespace NremNet.Cli.Tests.Directory;

public sealed class ServeDirectoryCommandTests(ITestOutputHelper log) : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Serve_WithConfigRelativeToItsFolder_AnswersTheSecretariat_AndStopsOnSigterm()
    {
        var cli = new CliRunner(_folder.Combine("profiles.json"), log);
        var pki = _folder.Combine("pki");
        await cli.SucceedAsync("pki", "init-ca", "--dir", pki);
        await cli.SucceedAsync("pki", "issue-directory", "--ca-dir", pki);
        await cli.SucceedAsync("pki", "issue-secretariat", "--ca-dir", pki);
        System.IO.Directory.CreateDirectory(_folder.Combine("directory"));
        await File.WriteAllTextAsync(
            _folder.Combine("directory", "directory.json"),
            """{ "Directory": { "DataDirectory": "data", "CertificateFile": "../pki/directory.crt", "KeyFile": "../pki/directory.key", "NetworkCaFile": "../pki/ca.crt" } }""",
            TestContext.Current.CancellationToken);
        var port = Eventually.FreePort();

        await using var directory = NremnetProcess.Start(_folder.Path, "directory", "serve", "--config", Path.Combine("directory", "directory.json"), $"--Directory:Listen=127.0.0.1:{port}");
        await directory.WaitForLineAsync(l => l == $"NremNet directory listening on 127.0.0.1:{port}", TimeSpan.FromSeconds(60));

        var members = await cli.SucceedAsync(
            "--json", "directory", "members", "--directory-url", $"https://127.0.0.1:{port}",
            "--cert", Path.Combine(pki, "secretariat.crt"), "--key", Path.Combine(pki, "secretariat.key"), "--ca", Path.Combine(pki, "ca.crt"));
        Assert.Equal(0, members.Json.GetProperty("members").GetArrayLength());
        Assert.True(File.Exists(_folder.Combine("directory", "data", "directory.db")), "The data folder was not taken relative to the configuration file.");

        Assert.Equal(0, await NremnetProcess.TerminateAsync(directory));
        Assert.DoesNotContain(" fail: ", directory.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_ExtraSettings_AreNotParseErrors()
    {
        var parse = CliApplication.Create(new CliContext(new RecordingOutput(), TimeProvider.System)).Parse(["directory", "serve", "--Directory:Listen=127.0.0.1:7400", "--Directory:SnapshotLifetime", "01:00:00"]);

        Assert.Empty(parse.Errors);
        Assert.Equal(["--Directory:Listen=127.0.0.1:7400", "--Directory:SnapshotLifetime", "01:00:00"], parse.UnmatchedTokens);
    }

    [Fact]
    public async Task Serve_MissingConfiguration_NotFound()
    {
        var run = await new CliRunner(_folder.Combine("profiles.json"), log).RunAsync("directory", "serve", "--config", _folder.Combine("missing.json"));

        Assert.Equal(ExitCodes.NotFound, run.ExitCode);
        Assert.Contains(_folder.Combine("missing.json"), run.ErrorText, StringComparison.Ordinal);
    }
}

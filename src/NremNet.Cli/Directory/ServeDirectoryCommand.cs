using System.CommandLine;
using NremNet.Cli.Cli;
using NremNet.Directory;

namespace NremNet.Cli.Directory;

/// <summary><c>nremnet directory serve</c>: runs the directory in this process until stopped.</summary>
internal sealed class ServeDirectoryCommand : VerbCommand
{
    private readonly Option<string?> _config = new("--config") { Description = "The directory's JSON configuration (section Directory). Relative paths in it are resolved from its folder." };
    private readonly Option<int?> _parentPid = new("--parent-pid") { Description = "Stop when the process with this id ends (used when another program starts the directory)." };

    public ServeDirectoryCommand(CliContext context)
        : base(context, "serve", "Run the directory until Ctrl+C or SIGTERM. Settings come from --config, then NREMNET_ environment variables, then extra arguments such as --Directory:Listen=127.0.0.1:7400.")
    {
        Options.Add(_config);
        Options.Add(_parentPid);
        // Everything else on the line is configuration for the host (--Directory:Key=value).
        TreatUnmatchedTokensAsErrors = false;
    }

    protected override Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var config = HostLaunch.EnterConfigurationFolder(parse.GetValue(_config), "Check the path; the settings are those of DirectoryOptions (section Directory).");
        return DirectoryHost.RunAsync(config, [.. parse.UnmatchedTokens], parse.GetValue(_parentPid), cancellationToken);
    }
}

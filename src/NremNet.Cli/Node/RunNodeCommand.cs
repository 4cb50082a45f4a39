using System.CommandLine;
using NremNet.Cli.Cli;
using NremNet.Node;

namespace NremNet.Cli.Node;

/// <summary><c>nremnet node run</c>: runs a country node in this process until stopped.</summary>
internal sealed class RunNodeCommand : VerbCommand
{
    private readonly Option<string?> _config = new("--config") { Description = "The node's JSON configuration (section Node), e.g. the node.json 'nremnet node init' wrote. Relative paths in it are resolved from its folder." };
    private readonly Option<int?> _parentPid = new("--parent-pid") { Description = "Stop when the process with this id ends (used when another program starts the node)." };

    public RunNodeCommand(CliContext context)
        : base(context, "run", "Run a country node until Ctrl+C or SIGTERM. Settings come from --config, then NREMNET_ environment variables, then extra arguments such as --Node:ConsoleListen=127.0.0.1:8443.")
    {
        Options.Add(_config);
        Options.Add(_parentPid);
        // Everything else on the line is configuration for the host (--Node:Key=value).
        TreatUnmatchedTokensAsErrors = false;
    }

    protected override Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var config = HostLaunch.EnterConfigurationFolder(parse.GetValue(_config), "Write one with 'nremnet node init --dir DIR ...', or check the path.");
        return NodeHost.RunAsync(config, [.. parse.UnmatchedTokens], parse.GetValue(_parentPid), cancellationToken);
    }
}

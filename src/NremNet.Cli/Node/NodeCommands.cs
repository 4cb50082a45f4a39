using System.CommandLine;
using NremNet.Cli.Cli;

namespace NremNet.Cli.Node;

/// <summary><c>nremnet node</c>: set up, run and check a country node.</summary>
internal static class NodeCommands
{
    public static Command Create(CliContext context)
    {
        var node = new Command("node", "A country node: set one up, run it, check its health and its view of its peers.");
        node.Subcommands.Add(new InitNodeCommand(context));
        node.Subcommands.Add(new RunNodeCommand(context));
        node.Subcommands.Add(new NodeStatusCommand(context));
        return node;
    }
}

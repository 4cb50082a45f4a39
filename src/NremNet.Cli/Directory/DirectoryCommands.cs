using System.CommandLine;
using NremNet.Cli.Cli;

namespace NremNet.Cli.Directory;

/// <summary><c>nremnet directory</c>: run the directory, and administer its members as the secretariat.</summary>
internal static class DirectoryCommands
{
    public static Command Create(CliContext context)
    {
        var directory = new Command("directory", "The network directory: run it, and admit, suspend and remove members as the secretariat.");
        directory.Subcommands.Add(new ServeDirectoryCommand(context));
        directory.Subcommands.Add(new ListMembersCommand(context));
        directory.Subcommands.Add(new ApproveMemberCommand(context));
        directory.Subcommands.Add(new SuspendMemberCommand(context));
        directory.Subcommands.Add(new RemoveMemberCommand(context));
        return directory;
    }
}

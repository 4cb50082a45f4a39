using System.CommandLine;
using NremNet.Cli.Cli;

namespace NremNet.Cli.Practices;

/// <summary><c>nremnet practice</c>: the practice library every node replicates and searches, as rapporteurs publish and everyone reads it.</summary>
internal static class PracticeCommands
{
    public static Command Create(CliContext context)
    {
        var practice = new Command(
            "practice",
            "Good practices: publish what worked (and what did not), with the evidence behind it; search every member's practices on this node, in several languages, also while their node is down. "
            + "Start with 'nremnet practice template'. Rapporteurs publish, edit, withdraw and erase their node's practices; every user searches and reads. "
            + "Runs as --profile, else a fitting profile of --node (a rapporteur's to publish, an admin's for sync), else the current profile when it fits, else the fitting profile of the current profile's node.");
        practice.Subcommands.Add(new PracticeTemplateCommand(context));
        practice.Subcommands.Add(new AttachPracticeFileCommand(context));
        practice.Subcommands.Add(new PublishPracticeCommand(context));
        practice.Subcommands.Add(new EditPracticeCommand(context));
        practice.Subcommands.Add(new WithdrawDocumentCommand(context, DocumentNoun.Practice));
        practice.Subcommands.Add(new EraseDocumentCommand(context, DocumentNoun.Practice));
        practice.Subcommands.Add(new SearchPracticesCommand(context));
        practice.Subcommands.Add(new ShowPracticeCommand(context));
        practice.Subcommands.Add(new PracticeHistoryCommand(context));
        practice.Subcommands.Add(new DownloadAttachmentCommand(context));
        practice.Subcommands.Add(new PracticeSyncCommand(context));
        return practice;
    }
}

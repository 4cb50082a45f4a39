using System.CommandLine;
using NremNet.Cli.Cli;
using NremNet.Cli.Practices;

namespace NremNet.Cli.Questions;

/// <summary><c>nremnet question</c>: network questions — one mechanism asks, the others answer, the answers are compiled.</summary>
internal static class QuestionCommands
{
    public static Command Create(CliContext context)
    {
        var question = new Command(
            "question",
            "Network questions: put a short set of comparable questions to every member or to chosen countries with a deadline; each answers or declines per item, for the whole network or for the asker only; the answers are compiled into one table. "
            + "Start with 'nremnet question template'. Rapporteurs ask and answer; every user reads and compiles. "
            + "Runs as --profile, else a fitting profile of --node (a rapporteur's to ask and answer), else the current profile when it fits, else the fitting profile of the current profile's node.");
        question.Subcommands.Add(new QuestionTemplateCommand(context));
        question.Subcommands.Add(new AskQuestionCommand(context));
        question.Subcommands.Add(new ListQuestionsCommand(context));
        question.Subcommands.Add(new ShowQuestionCommand(context));
        question.Subcommands.Add(new AnswerTemplateCommand(context));
        question.Subcommands.Add(new AnswerQuestionCommand(context));
        question.Subcommands.Add(new CompileQuestionCommand(context));
        question.Subcommands.Add(new WithdrawDocumentCommand(context, DocumentNoun.Question));
        question.Subcommands.Add(new EraseDocumentCommand(context, DocumentNoun.Question));
        return question;
    }
}

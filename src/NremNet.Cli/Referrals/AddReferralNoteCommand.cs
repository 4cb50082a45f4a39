using System.CommandLine;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;

namespace NremNet.Cli.Referrals;

/// <summary><c>nremnet referral note ID TEXT</c> (or <c>--file FILE</c>): a follow-up note, sealed for the other side like the referral itself.</summary>
internal sealed class AddReferralNoteCommand : ReferralVerb
{
    private readonly Argument<string> _id = IdArgument();
    private readonly Argument<string?> _text = new("text") { Description = "The note.", Arity = ArgumentArity.ZeroOrOne };
    private readonly Option<string?> _file = new("--file") { Description = "Read the note from this file ('-': standard input) instead of TEXT." };

    public AddReferralNoteCommand(CliContext context)
        : base(context, "note", "Add a follow-up note to a referral once it is ACCEPTED (either side); it is encrypted for the other side and shown by 'referral read'.")
    {
        Arguments.Add(_id);
        Arguments.Add(_text);
        Options.Add(_file);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var text = await NoteTextAsync(parse.GetValue(_text), parse.GetValue(_file), cancellationToken).ConfigureAwait(false);
        using var session = Open(parse);
        var id = await session.IdAsync(parse.GetValue(_id)!, cancellationToken).ConfigureAwait(false);
        var response = await session.Client.AddReferralNoteAsync(new AddReferralNoteRequest { ReferralId = id, Text = text }, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        if (WroteJson(response))
        {
            return ExitCodes.Ok;
        }

        var referral = response.Referral;
        Output.Success($"Added note {response.NoteId} to referral {id} ({ReferralText.Way(referral)}); it has {referral.Notes} note{(referral.Notes == 1 ? string.Empty : "s")}.");
        Output.Line($"  {ReferralText.StatusLine(referral)} · {ReferralText.Tail(referral, session.Profile.Node)}");
        return ExitCodes.Ok;
    }

    private static async Task<string> NoteTextAsync(string? text, string? file, CancellationToken cancellationToken)
    {
        if (text is not null && file is not null)
        {
            throw new CliException(ExitCodes.Usage, "Give the note as TEXT or with --file FILE, not both.");
        }

        if (file is null)
        {
            return NonEmpty(text ?? string.Empty, "Give the note as TEXT or with --file FILE; it says what happened.");
        }

        if (file == "-")
        {
            return NonEmpty(await Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false), "The note on standard input is empty.");
        }

        var path = Path.GetFullPath(file);
        return File.Exists(path)
            ? NonEmpty(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false), $"{path} is empty; write the note in it.")
            : throw new CliException(ExitCodes.NotFound, $"There is no file {path}.");
    }

    private static string NonEmpty(string text, string problem) =>
        string.IsNullOrWhiteSpace(text) ? throw new CliException(ExitCodes.Usage, problem) : text.Trim();
}

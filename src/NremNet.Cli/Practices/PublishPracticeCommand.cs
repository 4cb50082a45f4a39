using System.CommandLine;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Practices;

namespace NremNet.Cli.Practices;

/// <summary>
/// What <c>practice publish</c> and <c>practice edit</c> share: the practice file, <c>--confirm</c>, and the node's
/// check (CheckPractice) before anything is sent, so every problem and every personal-data finding is shown at once.
/// </summary>
internal abstract class PracticeFileVerb : DocumentVerb
{
    private readonly Option<string[]> _confirm = new("--confirm")
    {
        Description = "The fingerprint of a personal-data finding you have checked and mean to publish (e.g. a public helpline), as the check lists it; repeat it or separate with commas. Each confirmation is recorded in the node's audit log.",
    };

    protected PracticeFileVerb(CliContext context, string name, string description)
        : base(context, name, description, DocumentProfile.Writer)
    {
        File = new Argument<string>("file") { Description = "The practice file: YAML front matter between '---' lines, then the body in Markdown ('-': standard input). 'nremnet practice template' prints one to start from." };
    }

    /// <summary>The practice file argument; the verb adds it where it belongs among its arguments.</summary>
    protected Argument<string> File { get; }

    /// <summary>Adds <c>--confirm</c>; called by the verb after its arguments.</summary>
    protected void AddConfirmOption() => Options.Add(_confirm);

    /// <summary>
    /// Reads the practice file and has the node check it. Returns the file, the practice as read here (for its id and
    /// title) and the confirmations to send; or, when the check stops it, null and the exit code (every problem and
    /// finding shown).
    /// </summary>
    protected async Task<(CheckedPractice? Checked, int ExitCode)> CheckAsync(DocumentSession session, ParseResult parse, string rerun, CancellationToken cancellationToken)
    {
        var file = parse.GetValue(File)!;
        var (name, text) = await ReadFileAsync(file, "Start from 'nremnet practice template'.", cancellationToken).ConfigureAwait(false);
        var confirmed = Values(parse, _confirm);
        var check = await session.Practices.CheckPracticeAsync(new CheckPracticeRequest { File = text }, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        var outcome = new DocumentCheck(check.Problems, check.Findings, confirmed);
        if (!outcome.Passed)
        {
            return (null, WroteJson(check) ? ExitCodes.CheckFailed : outcome.Report(Output, name, "published", rerun));
        }

        // The node found no problem, so the domain's reading here succeeds too (whatever the node's attachment limit).
        var practice = PracticeFile.Parse(text, long.MaxValue).Value ?? new Practice();
        return (new CheckedPractice(text, practice, [.. confirmed.Where(c => check.Findings.Any(f => f.Fingerprint == c))]), ExitCodes.Ok);
    }
}

/// <summary>A practice file the node's check passed.</summary>
/// <param name="Text">The file.</param>
/// <param name="Practice">The practice as read here.</param>
/// <param name="Confirmed">The confirmations that match findings: what to send.</param>
internal sealed record CheckedPractice(string Text, Practice Practice, IReadOnlyList<string> Confirmed);

/// <summary><c>nremnet practice publish FILE.md</c>: publishes a new practice, signed by this node, after the node's check passes.</summary>
internal sealed class PublishPracticeCommand : PracticeFileVerb
{
    public PublishPracticeCommand(CliContext context)
        : base(context, "publish", "Publish a new practice from a practice file (rapporteur). The node first checks it: every problem is listed with its line and field, and every passage that may be personal data with its excerpt and fingerprint; nothing is published until there is no problem and each finding is edited away or confirmed with --confirm (exit code 8 otherwise). Peers take the signed practice within seconds.")
    {
        Arguments.Add(File);
        AddConfirmOption();
    }

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        using var session = Open(parse);
        var file = parse.GetValue(File)!;
        var (checkedFile, exitCode) = await CheckAsync(session, parse, $"nremnet practice publish {file}", cancellationToken).ConfigureAwait(false);
        if (checkedFile is null)
        {
            return exitCode;
        }

        if (checkedFile.Practice.Id.Length > 0)
        {
            throw new CliException(ExitCodes.Usage, $"{file} has id {checkedFile.Practice.Id}: it is a practice published already. Publish a new version of it with 'nremnet practice edit {checkedFile.Practice.Id} {file}', or remove the id line to publish it as a new practice.");
        }

        var request = new PublishPracticeRequest { File = checkedFile.Text, ConfirmedFindings = { checkedFile.Confirmed } };
        var response = await session.Practices.PublishPracticeAsync(request, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        if (WroteJson(response))
        {
            return ExitCodes.Ok;
        }

        var id = response.Version.DocumentId;
        Output.Success($"Published practice {id} (version {response.Version.Version}) of {response.Version.OwnerCountry}: {checkedFile.Practice.Title}");
        if (checkedFile.Confirmed.Count > 0)
        {
            Output.Line($"  {DocumentText.Count(checkedFile.Confirmed.Count, "personal-data finding")} confirmed by {session.Profile.Username}, as recorded in {session.Profile.Node}'s audit log.");
        }

        Output.Line($"  Peers take it from {session.Profile.Node} within seconds ('nremnet practice sync' shows how far each is). See it with 'nremnet practice show {DocumentIds.Short(id).TrimStart('…')}'.");
        return ExitCodes.Ok;
    }
}

/// <summary><c>nremnet practice edit ID FILE.md</c>: publishes a new version of one of this node's practices.</summary>
internal sealed class EditPracticeCommand : PracticeFileVerb
{
    private readonly Argument<string> _id = new("id") { Description = "The practice's id, or its last characters as 'practice search' shows them." };
    private readonly Option<int> _baseVersion = new("--base-version") { Description = "The version your edit starts from (as 'practice show' gives it); the node refuses the edit when a newer version came since. 0 (default): the current one." };

    public EditPracticeCommand(CliContext context)
        : base(context, "edit", "Publish a new version of one of this node's practices from an edited practice file (rapporteur): get the file with 'practice show ID --file > p.md', edit it, then 'practice edit ID p.md --base-version N'. Checked like 'practice publish'; earlier versions stay in the history.")
    {
        Arguments.Add(_id);
        Arguments.Add(File);
        Options.Add(_baseVersion);
        AddConfirmOption();
    }

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var baseVersion = parse.GetValue(_baseVersion);
        if (baseVersion < 0)
        {
            throw new CliException(ExitCodes.Usage, $"--base-version is {baseVersion}; give the version your edit starts from (1 or more), or 0 for the current one.");
        }

        using var session = Open(parse);
        var id = await session.PracticeIdAsync(parse.GetValue(_id)!, cancellationToken).ConfigureAwait(false);
        var file = parse.GetValue(File)!;
        var (checkedFile, exitCode) = await CheckAsync(session, parse, $"nremnet practice edit {parse.GetValue(_id)} {file}", cancellationToken).ConfigureAwait(false);
        if (checkedFile is null)
        {
            return exitCode;
        }

        var request = new EditPracticeRequest { DocumentId = id, File = checkedFile.Text, BaseVersion = baseVersion, ConfirmedFindings = { checkedFile.Confirmed } };
        var response = await session.Practices.EditPracticeAsync(request, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        if (WroteJson(response))
        {
            return ExitCodes.Ok;
        }

        Output.Success($"Published version {response.Version.Version} of practice {id}: {checkedFile.Practice.Title}");
        Output.Line($"  Earlier versions stay readable ('nremnet practice history {DocumentIds.Short(id).TrimStart('…')}'); peers take the new one within seconds.");
        return ExitCodes.Ok;
    }
}

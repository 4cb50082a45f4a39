using NremNet.Cli.Cli;
using NremNet.Contracts.Local.V1;

namespace NremNet.Cli.Practices;

/// <summary>
/// What the node's check of a file (CheckPractice, CheckQuestion) found, against the findings the author confirmed
/// with <c>--confirm</c>: a file with any problem, or with a personal-data finding not confirmed, is not sent.
/// </summary>
/// <param name="Problems">Every problem of the file.</param>
/// <param name="Findings">Every personal-data finding.</param>
/// <param name="Confirmed">The fingerprints given with <c>--confirm</c>.</param>
internal sealed record DocumentCheck(IReadOnlyList<FileProblem> Problems, IReadOnlyList<PersonalDataFinding> Findings, IReadOnlyList<string> Confirmed)
{
    /// <summary>The findings not confirmed: each must be edited away or confirmed.</summary>
    public IReadOnlyList<PersonalDataFinding> Unconfirmed =>
        [.. Findings.Where(f => !Confirmed.Contains(f.Fingerprint, StringComparer.Ordinal))];

    /// <summary>Fingerprints given with <c>--confirm</c> that match no finding (a typo, or text edited since).</summary>
    public IReadOnlyList<string> Unmatched =>
        [.. Confirmed.Where(c => !Findings.Any(f => string.Equals(f.Fingerprint, c, StringComparison.Ordinal)))];

    /// <summary>Whether the file may be sent: no problem, every finding confirmed.</summary>
    public bool Passed => Problems.Count == 0 && Unconfirmed.Count == 0;

    /// <summary>
    /// Tells the author what stops the file and how to go on: every problem with its line and field, every unconfirmed
    /// finding with its field, line, excerpt and fingerprint, and the command that confirms them. Returns the exit code.
    /// </summary>
    /// <param name="output">Where to write.</param>
    /// <param name="name">The file's name, for messages.</param>
    /// <param name="action">What was not done, e.g. "published".</param>
    /// <param name="rerun">The command line that sends the file, without <c>--confirm</c>, e.g. "nremnet practice publish p.md".</param>
    public int Report(ICliOutput output, string name, string action, string rerun)
    {
        foreach (var unmatched in Unmatched)
        {
            output.Warning($"--confirm {unmatched} matches no finding in {name}; it is ignored (the text may have changed since: check again).");
        }

        if (Problems.Count > 0)
        {
            output.Table($"Problems in {name}", DocumentText.ProblemHeaders, DocumentText.Problems(Problems));
            output.Error($"{name} has {DocumentText.Count(Problems.Count, "problem")}; nothing was {action}. Fix each one listed (the line and field say where) and run '{rerun}' again.");
        }

        var unconfirmed = Unconfirmed;
        if (unconfirmed.Count > 0)
        {
            output.Table($"Possible personal data in {name}", DocumentText.FindingHeaders, DocumentText.Findings(unconfirmed));
            output.Error(
                $"{name} has {DocumentText.Count(unconfirmed.Count, "passage")} that may be personal data (masked with • above); nothing was {action}. "
                + "Edit each so that it names no person and holds no contact details or numbers of anyone; "
                + "or, where it is meant to be there (e.g. a public helpline), confirm it by its fingerprint. Confirmations are recorded in the node's audit log.");
            if (Problems.Count == 0)
            {
                output.Line($"With every finding confirmed: {rerun} {string.Join(' ', unconfirmed.Select(f => "--confirm " + f.Fingerprint))}");
            }
        }

        return Passed ? ExitCodes.Ok : ExitCodes.CheckFailed;
    }
}

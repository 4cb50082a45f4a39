using Grpc.Core;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Documents;
using NremNet.Domain.Practices;
using NremNet.Domain.Questions;
using NremNet.Node.Audit;
using Proto = NremNet.Contracts.Local.V1;

namespace NremNet.Node.Practices;

/// <summary>
/// What the user API tells an author about a document file: every problem with its place, every personal-data finding
/// with its field, excerpt and fingerprint, and the refusal when either stands in the way; and the audit record of the
/// findings an author confirmed (kinds, fields and fingerprints: never the matched text).
/// </summary>
internal static class DocumentFeedback
{
    /// <summary>A problem as the user API gives it.</summary>
    public static FileProblem ToProto(DocumentProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return new FileProblem { Path = problem.Path, Line = problem.Line ?? 0, Message = problem.Message };
    }

    /// <summary>A finding as the user API gives it.</summary>
    public static Proto.PersonalDataFinding ToProto(Domain.Practices.PersonalDataFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return new Proto.PersonalDataFinding
        {
            Kind = KindLabel(finding.Kind),
            Field = finding.Field,
            Start = finding.Start,
            Length = finding.Length,
            Excerpt = finding.Excerpt,
            Fingerprint = finding.Fingerprint,
        };
    }

    /// <summary>What a finding looks like, in words.</summary>
    public static string KindLabel(PersonalDataKind kind) => kind switch
    {
        PersonalDataKind.Email => "e-mail address",
        PersonalDataKind.Iban => "bank account number (IBAN)",
        PersonalDataKind.IdentityNumber => "ID or passport number",
        PersonalDataKind.DateOfBirth => "date of birth",
        PersonalDataKind.Phone => "phone number",
        PersonalDataKind.PersonName => "a person's name next to a case",
        _ => "personal data",
    };

    /// <summary>Refuses a file with problems: INVALID_ARGUMENT, one line per problem.</summary>
    public static void ThrowIfProblems(string what, IReadOnlyList<DocumentProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (problems.Count > 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"The {what} has {problems.Count} problem{(problems.Count == 1 ? string.Empty : "s")}:\n" + string.Join("\n", problems.Select(p => "- " + p))));
        }
    }

    /// <summary>
    /// Refuses a file with findings the author has not confirmed: FAILED_PRECONDITION, one line per finding with its
    /// fingerprint; returns the confirmed findings for the audit.
    /// </summary>
    public static IReadOnlyList<Domain.Practices.PersonalDataFinding> RequireConfirmed(IReadOnlyList<Domain.Practices.PersonalDataFinding> findings, IEnumerable<string> confirmed)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var unconfirmed = PersonalDataGuard.Unconfirmed(findings, confirmed);
        if (unconfirmed.Count > 0)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"{unconfirmed.Count} passage{(unconfirmed.Count == 1 ? " looks" : "s look")} like personal data. Edit the text, or confirm each that is not personal data by its fingerprint:\n"
                + string.Join("\n", unconfirmed.Select(f => $"- {f.Field}: {KindLabel(f.Kind)} in \"{f.Excerpt}\" (fingerprint {f.Fingerprint})"))));
        }

        return findings;
    }

    /// <summary>The audit record of confirmed findings, or none.</summary>
    public static IEnumerable<AuditItem> Confirmations(string actor, string documentId, IReadOnlyList<Domain.Practices.PersonalDataFinding> confirmed) =>
        confirmed.Count == 0
            ? []
            : [new AuditItem(actor, "document.personal-data-confirmed", documentId, "confirmed",
                new { findings = confirmed.Select(f => new { kind = f.Kind.ToString(), field = f.Field, fingerprint = f.Fingerprint }).ToList() })];

    /// <summary>The free text of a question the guard reads.</summary>
    public static IReadOnlyList<(string Field, string Text)> FreeText(NetworkQuestion question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var texts = new List<(string, string)> { ("title", question.Title), ("background", question.Background) };
        for (var i = 0; i < question.Items.Count; i++)
        {
            texts.Add(($"items[{i}].text", question.Items[i].Text));
            if (question.Items[i].Instruction is { Length: > 0 } instruction)
            {
                texts.Add(($"items[{i}].instruction", instruction));
            }
        }

        return texts;
    }

    /// <summary>The free text of an answer the guard reads.</summary>
    public static IReadOnlyList<(string Field, string Text)> FreeText(QuestionAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var texts = new List<(string, string)>();
        for (var i = 0; i < answer.Items.Count; i++)
        {
            var item = answer.Items[i];
            if (item.Value is TextValue text)
            {
                texts.Add(($"items[{i}].value", text.Text));
            }

            if (item.DeclineReason is { Length: > 0 } reason)
            {
                texts.Add(($"items[{i}].reason", reason));
            }

            if (item.Comment is { Length: > 0 } comment)
            {
                texts.Add(($"items[{i}].comment", comment));
            }
        }

        return texts;
    }
}

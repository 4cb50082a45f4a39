using System.CommandLine;
using System.Text.RegularExpressions;
using Grpc.Core;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Countries;
using NremNet.Domain.Referrals;
using NremNet.Hosting.Grpc;

namespace NremNet.Cli.Referrals;

/// <summary>
/// <c>nremnet referral new FORM</c>: reads a form file (see <see cref="ReferralFormFile"/>), checks it whole — every
/// problem listed at once, nothing sent while there is any — and saves it on the node as a DRAFT. What would stop its
/// submission under the consent recorded is shown as warnings: a draft may be saved before consent covers everything.
/// </summary>
internal sealed partial class NewReferralCommand : ReferralVerb
{
    private readonly Argument<string> _file = new("form") { Description = "The form file: .yaml, .yml or .json, or '-' for JSON on standard input (see nodes/samples/referral-form.yaml)." };

    public NewReferralCommand(CliContext context)
        : base(context, "new", "Write a draft referral from a form file (YAML or JSON; keys as the ReferralForm proto fields in snake case). Every invalid field is listed at once and nothing is saved while there is any (exit code 8).")
    {
        Arguments.Add(_file);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var file = parse.GetValue(_file)!;
        var name = file == ReferralFormFile.StandardInput ? "the form on standard input" : Path.GetFileName(file);
        var reading = ReferralFormFile.Read(file, () => Console.In);
        var profile = Profile(parse);

        // The sender is the profile's node; a profile naming no known country leaves the checks that need it to the node.
        var sender = Country.IsValidCode(profile.Node) ? profile.Node : null;
        var problems = reading.Check(sender, DateOnly.FromDateTime(Context.Time.GetUtcNow().UtcDateTime));
        var consent = reading.ConsentProblems();
        if (problems.Count > 0)
        {
            return Rejected(name, problems, consent, $"{name} has");
        }

        using var session = new ReferralSession(NodeConnection.Open(profile));
        CreateDraftResponse response;
        try
        {
            response = await session.Client.CreateDraftAsync(new CreateDraftRequest { Form = reading.Form }, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.InvalidArgument && NodeProblems(ex) is { Count: > 0 } refused)
        {
            return Rejected(name, refused, consent, $"{(sender is null ? "The node" : "Node " + sender)} refused {name}:");
        }

        if (WroteJson(response))
        {
            return ExitCodes.Ok;
        }

        var referral = response.Referral;
        var id = referral.Header.ReferralId;
        Output.Success($"Saved draft referral {id} {ReferralText.Way(referral)} on {profile.Node}: {ReferralText.Status(referral.Status)}.");
        WarnConsent(consent);
        Output.Line(consent.Count == 0
            ? $"Send it with 'nremnet referral submit {id}'."
            : $"Once the consent covers it, send it with 'nremnet referral submit {id}'.");
        return ExitCodes.Ok;
    }

    /// <summary>The field problems a node gave with INVALID_ARGUMENT: its field violations, else its "field: problem" lines.</summary>
    public static IReadOnlyList<FormProblem> NodeProblems(RpcException exception)
    {
        var violations = exception.GetFieldViolations();
        if (violations.Count > 0)
        {
            return [.. violations.Select(v => new FormProblem(v.Field, v.Description))];
        }

        return [.. exception.Status.Detail.Split('\n')
            .Select(line => ProblemLine().Match(line.Trim()))
            .Where(m => m.Success)
            .Select(m => new FormProblem(m.Groups["field"].Value, m.Groups["problem"].Value.Trim()))];
    }

    private int Rejected(string name, IReadOnlyList<FormProblem> problems, IReadOnlyList<FormProblem> consent, string lead)
    {
        if (Output.Json)
        {
            Output.WriteJson(new { saved = false, problems, consentProblems = consent });
            return ExitCodes.CheckFailed;
        }

        Output.Error($"{lead} {problems.Count} problem{(problems.Count == 1 ? string.Empty : "s")}; nothing was saved. Fix every field listed and run 'referral new' again.");
        Output.Table($"Problems in {name}", ["field", "problem"], problems.Select(p => (IReadOnlyList<string>)[p.Field, p.Problem]));
        WarnConsent(consent);
        return ExitCodes.CheckFailed;
    }

    private void WarnConsent(IReadOnlyList<FormProblem> consent)
    {
        foreach (var problem in consent)
        {
            Output.Warning($"It cannot be submitted until {problem.Field} is right: {problem.Problem}.");
        }
    }

    /// <summary>"field: problem", the field a path such as <c>safety_risks[0].level</c>; an optional "- " before it.</summary>
    [GeneratedRegex(@"^(?:- )?(?<field>[a-z_]+(?:\[\d+\])?(?:\.[a-z_]+(?:\[\d+\])?)*): (?<problem>.+)$")]
    private static partial Regex ProblemLine();
}

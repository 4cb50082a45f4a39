using System.CommandLine;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Directory.V1;

namespace NremNet.Cli.Directory;

/// <summary><c>nremnet directory remove XX --reason TEXT</c>: takes a member out for good.</summary>
internal sealed class RemoveMemberCommand : VerbCommand
{
    private readonly Argument<string> _country = new("country") { Description = "The member's country, ISO 3166-1 alpha-2 (e.g. NL)." };
    private readonly Option<string> _reason = new("--reason") { Description = "Why, for the record.", Required = true };
    private readonly SecretariatOptions _secretariat = new();

    public RemoveMemberCommand(CliContext context)
        : base(context, "remove", "Remove a member for good: it leaves the next snapshot and peers stop trusting it (secretariat only).")
    {
        Arguments.Add(_country);
        Options.Add(_reason);
        _secretariat.AddTo(this);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var country = CliValues.Country(parse.GetValue(_country));
        var reason = MemberReason.Require(parse.GetValue(_reason));
        using var connection = _secretariat.Connect(parse, Context.Time);
        var response = await connection.Client.RemoveMemberAsync(new RemoveMemberRequest { Country = country, Reason = reason }, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        MemberView.Of(response.Member).Report(Output, "was removed; peers stop trusting it with the next snapshot");
        return ExitCodes.Ok;
    }
}

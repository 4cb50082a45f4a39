using System.CommandLine;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Directory.V1;

namespace NremNet.Cli.Directory;

/// <summary><c>nremnet directory approve XX</c>: admits a pending or suspended member.</summary>
internal sealed class ApproveMemberCommand : VerbCommand
{
    private readonly Argument<string> _country = new("country") { Description = "The member's country, ISO 3166-1 alpha-2 (e.g. NL)." };
    private readonly SecretariatOptions _secretariat = new();

    public ApproveMemberCommand(CliContext context)
        : base(context, "approve", "Admit a pending or suspended member: it enters the next snapshot and peers trust it (secretariat only).")
    {
        Arguments.Add(_country);
        _secretariat.AddTo(this);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var country = CliValues.Country(parse.GetValue(_country));
        using var connection = _secretariat.Connect(parse, Context.Time);
        var response = await connection.Client.ApproveMemberAsync(new ApproveMemberRequest { Country = country }, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        MemberView.Of(response.Member).Report(Output, "was approved");
        return ExitCodes.Ok;
    }
}

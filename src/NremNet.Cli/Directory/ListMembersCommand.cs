using System.CommandLine;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Directory.V1;

namespace NremNet.Cli.Directory;

/// <summary><c>nremnet directory members</c>: every member in any status, as the secretariat sees them.</summary>
internal sealed class ListMembersCommand : VerbCommand
{
    private readonly SecretariatOptions _secretariat = new();

    public ListMembersCommand(CliContext context)
        : base(context, "members", "List every member of the directory in any status (secretariat only).")
    {
        _secretariat.AddTo(this);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        using var connection = _secretariat.Connect(parse, Context.Time);
        var response = await connection.Client.ListMembersAsync(new ListMembersRequest(), NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        var members = response.Members.Select(MemberView.Of).ToList();
        if (Output.Json)
        {
            Output.WriteJson(new { directory = connection.Address.ToString(), members });
            return ExitCodes.Ok;
        }

        if (members.Count == 0)
        {
            Output.Line($"The directory at {connection.Address} has no members yet: nodes appear here once they register.");
            return ExitCodes.Ok;
        }

        Output.Table($"Members of {connection.Address}", MemberView.Headers, members.Select(m => m.Row()));
        var pending = members.Where(m => m.Status == "pending").Select(m => m.Country).ToList();
        if (pending.Count > 0)
        {
            Output.Line($"Pending: {string.Join(", ", pending)}. Admit with 'nremnet directory approve {pending[0]}'.");
        }

        return ExitCodes.Ok;
    }
}

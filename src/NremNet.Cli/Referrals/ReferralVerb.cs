using System.CommandLine;
using System.Text.Json;
using Google.Protobuf;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;

namespace NremNet.Cli.Referrals;

/// <summary>What every referral verb shares: the profile it runs as (<see cref="ReferralProfile"/>), referral ids, and <c>--json</c> as the proto message.</summary>
internal abstract class ReferralVerb(CliContext context, string name, string description) : VerbCommand(context, name, description)
{
    /// <summary>The proto3 JSON mapping with every field written, so scripts find each field even when it is zero or empty.</summary>
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    /// <summary>An <c>ID</c> argument: the full referral id, or its end as <c>referral list</c> shows it.</summary>
    protected static Argument<string> IdArgument() => new("id") { Description = "The referral id, or its last characters as 'referral list' shows them." };

    /// <summary>The profile to act as (see <see cref="ReferralProfile"/>).</summary>
    protected Profile Profile(ParseResult parse) =>
        ReferralProfile.Choose(Context.Profiles(), parse.GetValue(Context.ProfileOption), parse.GetValue(Context.NodeOption));

    /// <summary>A connection to the node as <see cref="Profile"/>, with the referral client.</summary>
    protected ReferralSession Open(ParseResult parse) => new(NodeConnection.Open(Profile(parse)));

    /// <summary>With <c>--json</c>, writes the response for scripts as the proto message (proto3 JSON mapping) and says so; else does nothing.</summary>
    protected bool WroteJson(IMessage response)
    {
        if (!Output.Json)
        {
            return false;
        }

        using var document = JsonDocument.Parse(Formatter.Format(response));
        Output.WriteJson(document.RootElement.Clone());
        return true;
    }
}

/// <summary>One command's connection to the node's referral service.</summary>
internal sealed class ReferralSession(NodeConnection connection) : IDisposable
{
    public ReferralService.ReferralServiceClient Client { get; } = new(connection.Invoker);

    /// <summary>The profile it runs as.</summary>
    public Profile Profile => connection.Profile;

    /// <summary>
    /// The full id of the referral <paramref name="text"/> names: a full id as given; else the one referral whose id
    /// ends with it (ids are UUIDv7, whose first digits are a timestamp and whose last are random, so tables show the end).
    /// </summary>
    public async Task<string> IdAsync(string text, CancellationToken cancellationToken)
    {
        var id = text.Trim().TrimStart('…');
        if (Guid.TryParse(id, out _))
        {
            return id.ToLowerInvariant();
        }

        if (id.Length < ReferralIds.MinimumSuffix || !id.All(c => char.IsAsciiHexDigit(c) || c == '-'))
        {
            throw new CliException(ExitCodes.Usage, $"'{text}' is not a referral id: give the full id or at least its last {ReferralIds.MinimumSuffix} characters, as 'referral list' shows them.");
        }

        var listed = await Client.ListReferralsAsync(new ListReferralsRequest { Limit = ReferralIds.MaxListed }, NodeConnection.Deadline(cancellationToken)).ConfigureAwait(false);
        var matches = listed.Referrals.Select(r => r.Header.ReferralId).Where(r => r.EndsWith(id, StringComparison.OrdinalIgnoreCase)).Distinct().ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new CliException(ExitCodes.NotFound, $"No referral id ends with '{text}' among the {listed.Referrals.Count} newest; give the full id."),
            _ => throw new CliException(ExitCodes.Usage, $"'{text}' is the end of several referral ids ({string.Join(", ", matches)}); give more characters."),
        };
    }

    public void Dispose() => connection.Dispose();
}

/// <summary>How referral ids are shortened in tables and found again from their end.</summary>
internal static class ReferralIds
{
    /// <summary>How many trailing characters tables show.</summary>
    public const int ShortLength = 8;

    /// <summary>The fewest trailing characters accepted in place of a full id.</summary>
    public const int MinimumSuffix = 6;

    /// <summary>How many of the newest referrals a shortened id is looked up among (the most ListReferrals returns).</summary>
    public const int MaxListed = 1000;

    /// <summary>The end of an id, as tables show it: "…3f9a2c1d".</summary>
    public static string Short(string id) => id.Length <= ShortLength ? id : "…" + id[^ShortLength..];
}

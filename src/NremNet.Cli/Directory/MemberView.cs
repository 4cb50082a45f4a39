using NremNet.Cli.Cli;
using NremNet.Contracts.Directory.V1;

namespace NremNet.Cli.Directory;

/// <summary>A directory member as the CLI shows it: the same words in tables and JSON.</summary>
internal sealed record MemberView(
    string Country,
    string MechanismName,
    string MechanismType,
    string Status,
    string? StatusReason,
    string PeerEndpoint,
    string CertificateThumbprint,
    IReadOnlyList<string> Services,
    string CatalogueVersion,
    DateTimeOffset? RegisteredAt,
    DateTimeOffset? UpdatedAt,
    DateTimeOffset? LastHeartbeat)
{
    public static readonly IReadOnlyList<string> Headers = ["country", "mechanism", "type", "status", "peer endpoint", "thumbprint", "last heartbeat"];

    public static MemberView Of(Member member) => new(
        member.Application.Country,
        member.Application.MechanismName,
        TypeName(member.Application.MechanismType),
        StatusName(member.Status),
        string.IsNullOrEmpty(member.StatusReason) ? null : member.StatusReason,
        member.Application.PeerEndpoint,
        member.Application.CertificateThumbprint,
        [.. member.Application.Services],
        member.Application.CatalogueVersion,
        CliValues.At(member.RegisteredAt),
        CliValues.At(member.UpdatedAt),
        CliValues.At(member.LastHeartbeat));

    public IReadOnlyList<string> Row() =>
        [Country, MechanismName, MechanismType, StatusReason is null ? Status : $"{Status} ({StatusReason})", PeerEndpoint, CliValues.ShortThumbprint(CertificateThumbprint), CliValues.Time(LastHeartbeat, "never")];

    /// <summary>The mechanism type as node configuration names it.</summary>
    public static string TypeName(MechanismType type) => type switch
    {
        Contracts.Directory.V1.MechanismType.NationalRapporteur => "NationalRapporteur",
        Contracts.Directory.V1.MechanismType.Coordinator => "Coordinator",
        Contracts.Directory.V1.MechanismType.EquivalentMechanism => "EquivalentMechanism",
        _ => "unspecified",
    };

    public static string StatusName(MemberStatus status) => status switch
    {
        MemberStatus.Pending => "pending",
        MemberStatus.Active => "active",
        MemberStatus.Suspended => "suspended",
        MemberStatus.Removed => "removed",
        _ => "unspecified",
    };

    /// <summary>Reports a member after the secretariat changed it.</summary>
    public void Report(ICliOutput output, string change)
    {
        if (output.Json)
        {
            output.WriteJson(this);
            return;
        }

        output.Success($"{Country} ({MechanismName}) {change}; it is now {Status}.");
    }
}

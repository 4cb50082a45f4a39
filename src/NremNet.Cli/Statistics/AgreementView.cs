using System.Globalization;
using NremNet.Cli.Cli;
using NremNet.Contracts.Aggregates.V1;
using NremNet.Contracts.Local.V1;
using NremNet.Node.Statistics.Exports;

namespace NremNet.Cli.Statistics;

/// <summary>What one agreement lets a peer ask for, as the CLI shows it.</summary>
internal sealed record GrantView(string Indicator, IReadOnlyList<string> Dimensions)
{
    /// <summary><c>THB_VICT_REG:SEX,EXPLOIT</c>, as <c>--grant</c> takes it.</summary>
    public override string ToString() => $"{Indicator}:{string.Join(',', Dimensions)}";
}

/// <summary>A sharing agreement as the CLI shows it, in tables and JSON alike.</summary>
internal sealed record AgreementView(
    string Country,
    IReadOnlyList<GrantView> Grants,
    string Protection,
    double EpsilonPerYear,
    double EpsilonPerQuery,
    double EpsilonSpent,
    DateOnly? ValidUntil,
    string? Reference,
    DateTimeOffset? UpdatedAt,
    string? UpdatedBy)
{
    public static readonly IReadOnlyList<string> Headers = ["country", "grants", "protection", "ε spent / budget", "valid until", "reference", "updated"];

    private const int MaxReferenceWidth = 24;

    public static AgreementView Of(Agreement agreement) => new(
        agreement.Country,
        [.. agreement.Grants.Select(g => new GrantView(g.Indicator, [.. g.Dimensions]))],
        StatisticsText.ProtectionId(agreement.Protection),
        agreement.EpsilonPerYear,
        agreement.EpsilonPerQuery,
        agreement.EpsilonSpent,
        agreement.ValidUntil is { } until ? DateOnly.FromDateTime(until.ToDateTime()) : null,
        agreement.Reference.Length == 0 ? null : agreement.Reference,
        CliValues.At(agreement.UpdatedAt),
        agreement.UpdatedBy.Length == 0 ? null : agreement.UpdatedBy);

    public IReadOnlyList<string> Row() =>
    [
        Country,
        Grants.Count == 0 ? "baseline only" : string.Join("; ", Grants.Select(g => g.ToString())),
        Protection,
        Protection == "dp"
            ? $"{StatisticsText.Epsilon(EpsilonSpent)} / {StatisticsText.Epsilon(EpsilonPerYear)} ({StatisticsText.Epsilon(EpsilonPerQuery)} per query)"
            : "—",
        ValidUntil?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—",
        Reference is null ? "—" : Reference.Length <= MaxReferenceWidth ? Reference : Reference[..(MaxReferenceWidth - 1)] + "…",
        UpdatedAt is null ? "—" : $"{UpdatedAt.Value.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} {UpdatedBy ?? "?"}",
    ];

    /// <summary>The protection <c>--protection</c> names.</summary>
    public static Protection ParseProtection(string name) => name switch
    {
        "suppression" => Contracts.Aggregates.V1.Protection.Suppression,
        "perturbation" => Contracts.Aggregates.V1.Protection.CellKeyPerturbation,
        "dp" => Contracts.Aggregates.V1.Protection.DifferentialPrivacy,
        _ => throw new Profiles.CliException(ExitCodes.Usage, $"--protection '{name}': use suppression, perturbation or dp."),
    };
}

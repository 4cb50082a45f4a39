using Google.Protobuf.Reflection;

namespace NremNet.Contracts;

/// <summary>Every service of NremNet's contracts, by the API it belongs to.</summary>
public static class ContractServices
{
    /// <summary>The directory's API (nodes and the secretariat call it).</summary>
    public static IReadOnlyList<ServiceDescriptor> Directory { get; } = [.. NremNet.Contracts.Directory.V1.DirectoryReflection.Descriptor.Services];

    /// <summary>The peer API: what members call on one another, over mutual TLS.</summary>
    public static IReadOnlyList<ServiceDescriptor> Peer { get; } =
    [
        .. Federation.V1.FederationReflection.Descriptor.Services,
        .. Aggregates.V1.AggregatesReflection.Descriptor.Services,
        .. Referrals.V1.ReferralsReflection.Descriptor.Services,
        .. Practices.V1.PracticesReflection.Descriptor.Services,
    ];

    /// <summary>The user API: what a node's own people (console, CLI) call on their node.</summary>
    public static IReadOnlyList<ServiceDescriptor> User { get; } =
    [
        .. Local.V1.LocalReflection.Descriptor.Services,
        .. Local.V1.StatisticsReflection.Descriptor.Services,
        .. Local.V1.ReferralsReflection.Descriptor.Services,
        .. Local.V1.PracticesReflection.Descriptor.Services,
    ];

    /// <summary>All of them.</summary>
    public static IReadOnlyList<ServiceDescriptor> All { get; } = [.. Directory, .. Peer, .. User];
}

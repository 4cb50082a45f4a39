using NremNet.Contracts.Directory.V1;
using NremNet.Domain.Membership;

namespace NremNet.Directory.Tests.Infrastructure;

/// <summary>Steps many tests share.</summary>
internal static class Flows
{
    /// <summary>How long a test waits for something pushed to it (a snapshot on a watch, a line of output) before it fails.</summary>
    public static readonly TimeSpan PushWait = TimeSpan.FromSeconds(30);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>
    /// Waits for something the directory should push, failing the test (rather than hanging it) when it does not come
    /// within <see cref="PushWait"/>. A safety net, not a delay: the test goes on as soon as it arrives.
    /// </summary>
    public static async Task<T> Soon<T>(Task<T> pushed)
    {
        try
        {
            return await pushed.WaitAsync(PushWait, Cancel);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Nothing arrived within {PushWait}.");
            throw;
        }
    }

    /// <summary>The country's node registers and the secretariat approves it; returns the approved member.</summary>
    public static async Task<Member> AdmitAsync(DirectoryServer server, TestNetwork network, string country)
    {
        await server.Node(country).RegisterAsync(new RegisterRequest { Application = network.Application(country) }, new(cancellationToken: Cancel));
        var approved = await server.Secretariat().ApproveMemberAsync(new ApproveMemberRequest { Country = country }, new(cancellationToken: Cancel));
        return approved.Member;
    }

    /// <summary>The current snapshot, verified against the network CA; fails the test unless it is valid.</summary>
    public static async Task<Snapshot> VerifiedSnapshotAsync(DirectoryClient client, TestNetwork network, DateTimeOffset? now = null)
    {
        var response = await client.GetSnapshotAsync(new GetSnapshotRequest(), new(cancellationToken: Cancel));
        return Verified(response.Snapshot, network, now);
    }

    /// <summary>A signed snapshot verified against the network CA; fails the test unless it is valid.</summary>
    public static Snapshot Verified(SignedSnapshot signed, TestNetwork network, DateTimeOffset? now = null)
    {
        var verdict = SnapshotSigning.Verify(signed, network.Authority, now ?? DateTimeOffset.UtcNow);
        Assert.True(verdict.Trust == SnapshotTrust.Valid, $"The snapshot does not verify: {verdict.Trust} {verdict.Problem}");
        return verdict.Snapshot!;
    }
}

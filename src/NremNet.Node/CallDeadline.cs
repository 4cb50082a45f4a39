namespace NremNet.Node;

/// <summary>Deadlines of the calls the node makes.</summary>
internal static class CallDeadline
{
    /// <summary>
    /// The deadline <paramref name="timeout"/> from now. Grpc.Net.Client turns a deadline into the <c>grpc-timeout</c> it
    /// sends by reading the system clock, so the deadline is taken from that clock too — not from the node's
    /// <see cref="TimeProvider"/>, which stands still or jumps in tests and would give a call no time, or days.
    /// </summary>
    public static DateTime After(TimeSpan timeout) => TimeProvider.System.GetUtcNow().UtcDateTime + timeout;
}

namespace NremNet.Node.Peers;

/// <summary>
/// Tells whoever waits on a peer that it is there: it answered this node's hello, or called this node's hello itself
/// (a node says hello to every member as it starts). Referral delivery uses it to stop resting a peer that is back.
/// </summary>
internal sealed class PeerPresence
{
    /// <summary>A peer answered or called; the argument is its country.</summary>
    public event Action<string>? Seen;

    /// <summary>Reports that <paramref name="country"/>'s node answered or called.</summary>
    public void Report(string country)
    {
        if (!string.IsNullOrEmpty(country))
        {
            Seen?.Invoke(country);
        }
    }
}

namespace NremNet.Node.Peers;

/// <summary>
/// Counts the attempts of gRPC calls made through a peer channel: grpc retries a call that met UNAVAILABLE itself
/// (the channel's retry policy), each attempt one HTTP/2 request through this handler. The count is kept for the calls
/// made in the flow that <see cref="Start"/>ed it (grpc runs a call's attempts in the flow that started the call).
/// </summary>
internal sealed class CallAttempts(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private static readonly AsyncLocal<Counter?> Current = new();

    /// <summary>Counts, from now on, the attempts of the calls this flow makes; read <see cref="Counter.Attempts"/> once they ended.</summary>
    public static Counter Start()
    {
        var counter = new Counter();
        Current.Value = counter;
        return counter;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Current.Value is { } counter)
        {
            Interlocked.Increment(ref counter.Sent);
        }

        return base.SendAsync(request, cancellationToken);
    }

    /// <summary>The attempts of a flow's calls.</summary>
    internal sealed class Counter
    {
        internal int Sent;

        /// <summary>Attempts made so far (each a request sent to the peer, or tried).</summary>
        public int Attempts => Volatile.Read(ref Sent);
    }
}

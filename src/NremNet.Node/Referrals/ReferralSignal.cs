namespace NremNet.Node.Referrals;

/// <summary>Wakes the delivery loop when a message is queued.</summary>
internal sealed class ReferralSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    /// <summary>Wakes the loop, if it waits; a wake-up already pending is enough.</summary>
    public void Notify()
    {
        try
        {
            if (_semaphore.CurrentCount == 0)
            {
                _semaphore.Release();
            }
        }
        catch (SemaphoreFullException)
        {
        }
    }

    /// <summary>Waits for a wake-up, at most <paramref name="timeout"/>; true when woken.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _semaphore.WaitAsync(timeout, cancellationToken);
}

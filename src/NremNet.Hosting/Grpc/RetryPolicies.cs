using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Net.Client.Configuration;
using NremNet.Contracts;

namespace NremNet.Hosting.Grpc;

/// <summary>How a channel retries an idempotent call that failed with UNAVAILABLE, within the call's deadline.</summary>
public sealed record RetryOptions
{
    /// <summary>Attempts in all, the first included (2 to 5; grpc caps it at 5).</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>Delay before the first retry; later ones grow by <see cref="BackoffMultiplier"/>, randomised by grpc.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest delay between attempts.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How much each delay grows.</summary>
    public double BackoffMultiplier { get; init; } = 2;
}

/// <summary>
/// grpc's service config for NremNet's contracts: a retry policy on every method whose proto says it may be repeated
/// (<c>idempotency_level</c> IDEMPOTENT or NO_SIDE_EFFECTS), none on the others.
/// </summary>
public static class RetryPolicies
{
    /// <summary>The methods of <paramref name="services"/> (default: every NremNet service) that may be retried.</summary>
    public static IEnumerable<MethodDescriptor> Retryable(IEnumerable<ServiceDescriptor>? services = null) =>
        (services ?? ContractServices.All).SelectMany(s => s.Methods).Where(IsRetryable);

    /// <summary>Whether the proto says a method may be repeated.</summary>
    public static bool IsRetryable(MethodDescriptor method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return method.GetOptions()?.IdempotencyLevel is MethodOptions.Types.IdempotencyLevel.Idempotent or MethodOptions.Types.IdempotencyLevel.NoSideEffects;
    }

    /// <summary>The service config: one method config with <paramref name="retry"/> naming every retryable method.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The options are outside what grpc accepts.</exception>
    public static ServiceConfig ServiceConfig(RetryOptions retry, IEnumerable<ServiceDescriptor>? services = null)
    {
        ArgumentNullException.ThrowIfNull(retry);
        ArgumentOutOfRangeException.ThrowIfLessThan(retry.MaxAttempts, 2, nameof(retry));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(retry.MaxAttempts, 5, nameof(retry));
        var config = new MethodConfig
        {
            RetryPolicy = new RetryPolicy
            {
                MaxAttempts = retry.MaxAttempts,
                InitialBackoff = retry.InitialBackoff,
                MaxBackoff = retry.MaxBackoff,
                BackoffMultiplier = retry.BackoffMultiplier,
                RetryableStatusCodes = { StatusCode.Unavailable },
            },
        };
        foreach (var method in Retryable(services))
        {
            config.Names.Add(new MethodName { Service = method.Service.FullName, Method = method.Name });
        }

        return new ServiceConfig { MethodConfigs = { config } };
    }
}

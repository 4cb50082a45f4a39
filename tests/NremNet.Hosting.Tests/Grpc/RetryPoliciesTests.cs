using Google.Protobuf.Reflection;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using NremNet.Contracts;
using NremNet.Contracts.Directory.V1;
using NremNet.Hosting.Grpc;
using NremNet.Hosting.Tests.Infrastructure;

namespace NremNet.Hosting.Tests.Grpc;

/// <summary>
/// The retry policy built from the protos' <c>idempotency_level</c>, on real channels against a real server that fails
/// with UNAVAILABLE: methods that may be repeated are retried within the deadline, the others never.
/// </summary>
public sealed class RetryPoliciesTests
{
    private static readonly RetryOptions Quick = new() { MaxAttempts = 4, InitialBackoff = TimeSpan.FromMilliseconds(5), MaxBackoff = TimeSpan.FromMilliseconds(20) };

    [Fact]
    public void Retryable_ListsExactlyTheMethodsWhoseProtoSaysTheyMayBeRepeated()
    {
        var retryable = RetryPolicies.Retryable().Select(m => m.FullName).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("nremnet.aggregates.v1.AggregateService.Query", retryable);
        Assert.Contains("nremnet.federation.v1.FederationService.Hello", retryable);
        Assert.Contains("nremnet.directory.v1.DirectoryService.ListMembers", retryable);
        Assert.Contains("nremnet.referrals.v1.ReferralService.Deliver", retryable);
        Assert.DoesNotContain("nremnet.directory.v1.DirectoryService.Register", retryable);
        Assert.DoesNotContain("nremnet.directory.v1.DirectoryService.ApproveMember", retryable);
        Assert.DoesNotContain("nremnet.local.v1.ReferralService.SubmitReferral", retryable);
        Assert.DoesNotContain("nremnet.local.v1.TokenService.CreateToken", retryable);
        foreach (var method in ContractServices.All.SelectMany(s => s.Methods))
        {
            var level = method.GetOptions()?.IdempotencyLevel ?? MethodOptions.Types.IdempotencyLevel.IdempotencyUnknown;
            Assert.True(
                retryable.Contains(method.FullName) == (level is MethodOptions.Types.IdempotencyLevel.Idempotent or MethodOptions.Types.IdempotencyLevel.NoSideEffects),
                $"{method.FullName} is {level} in its proto");
        }
    }

    [Fact]
    public void ServiceConfig_NamesEveryRetryableMethod_AndRetriesOnlyUnavailable()
    {
        var config = RetryPolicies.ServiceConfig(Quick);

        var method = Assert.Single(config.MethodConfigs);
        Assert.Equal(RetryPolicies.Retryable().Count(), method.Names.Count);
        Assert.Contains(method.Names, n => n.Service == "nremnet.federation.v1.FederationService" && n.Method == "Hello");
        Assert.DoesNotContain(method.Names, n => n.Service == "nremnet.directory.v1.DirectoryService" && n.Method == "Register");
        Assert.Equal([StatusCode.Unavailable], method.RetryPolicy!.RetryableStatusCodes);
        Assert.Equal(4, method.RetryPolicy.MaxAttempts);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    public void ServiceConfig_WithAttemptsGrpcDoesNotAccept_IsRefused(int attempts) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RetryPolicies.ServiceConfig(Quick with { MaxAttempts = attempts }));

    [Fact]
    public async Task IdempotentMethod_UnavailableTwice_SucceedsOnTheThirdAttempt()
    {
        var directory = new FlakyDirectory(failures: 2);
        await using var server = await StartAsync(directory);
        using var channel = server.CreateChannel(new NetworkChannelOptions { Retry = Quick });

        var response = await new DirectoryService.DirectoryServiceClient(channel).ListMembersAsync(new ListMembersRequest(), cancellationToken: Ct);

        Assert.Single(response.Members);
        Assert.Equal(3, directory.Attempts("ListMembers"));
    }

    [Fact]
    public async Task MethodThatIsNotIdempotent_UnavailableOnce_IsNotRetried()
    {
        var directory = new FlakyDirectory(failures: 1);
        await using var server = await StartAsync(directory);
        using var channel = server.CreateChannel(new NetworkChannelOptions { Retry = Quick });

        var ex = await Assert.ThrowsAsync<RpcException>(() => new DirectoryService.DirectoryServiceClient(channel).RegisterAsync(new RegisterRequest(), cancellationToken: Ct).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Equal(1, directory.Attempts("Register"));
    }

    [Fact]
    public async Task ChannelWithoutRetries_DoesNotRetryAnIdempotentMethod()
    {
        var directory = new FlakyDirectory(failures: 1);
        await using var server = await StartAsync(directory);
        using var channel = server.CreateChannel(new NetworkChannelOptions { Retry = null });

        var ex = await Assert.ThrowsAsync<RpcException>(() => new DirectoryService.DirectoryServiceClient(channel).ListMembersAsync(new ListMembersRequest(), cancellationToken: Ct).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Equal(1, directory.Attempts("ListMembers"));
    }

    [Fact]
    public async Task Retries_StopAtTheDeadline()
    {
        var directory = new FlakyDirectory(failures: int.MaxValue);
        await using var server = await StartAsync(directory);
        // Five attempts allowed, but each backoff is up to 10 s (grpc draws it at random below the cap): the 300 ms
        // deadline ends the call while it waits, long before the attempts run out.
        using var channel = server.CreateChannel(new NetworkChannelOptions { Retry = new RetryOptions { MaxAttempts = 5, InitialBackoff = TimeSpan.FromSeconds(10), MaxBackoff = TimeSpan.FromSeconds(10) } });

        var ex = await Assert.ThrowsAsync<RpcException>(() => new DirectoryService.DirectoryServiceClient(channel).ListMembersAsync(new ListMembersRequest(), deadline: DateTime.UtcNow.AddMilliseconds(300), cancellationToken: Ct).ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.InRange(directory.Attempts("ListMembers"), 1, 4);
    }

    [Fact]
    public async Task CallThatReceivedResponseHeaders_IsNotRetried()
    {
        var directory = new FlakyDirectory(failures: 1, sendHeadersFirst: true);
        await using var server = await StartAsync(directory);
        using var channel = server.CreateChannel(new NetworkChannelOptions { Retry = Quick });

        var ex = await Assert.ThrowsAsync<RpcException>(() => new DirectoryService.DirectoryServiceClient(channel).ListMembersAsync(new ListMembersRequest(), cancellationToken: Ct).ResponseAsync);

        // grpc commits a call once response headers arrive: a retry could repeat what the server already began.
        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Equal(1, directory.Attempts("ListMembers"));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<TestServer> StartAsync(FlakyDirectory directory) =>
        TestServer.StartAsync(map: app => app.MapGrpcService<FlakyDirectory>(), services: s => s.AddSingleton(directory));

    /// <summary>A directory whose methods fail with UNAVAILABLE a number of times before answering, counting attempts.</summary>
    private sealed class FlakyDirectory(int failures, bool sendHeadersFirst = false) : DirectoryService.DirectoryServiceBase
    {
        private readonly Dictionary<string, int> _attempts = new(StringComparer.Ordinal);

        public int Attempts(string method)
        {
            lock (_attempts)
            {
                return _attempts.GetValueOrDefault(method);
            }
        }

        public override async Task<ListMembersResponse> ListMembers(ListMembersRequest request, ServerCallContext context)
        {
            await FailWhileFlakyAsync("ListMembers", context);
            return new ListMembersResponse { Members = { new Member() } };
        }

        public override async Task<RegisterResponse> Register(RegisterRequest request, ServerCallContext context)
        {
            await FailWhileFlakyAsync("Register", context);
            return new RegisterResponse { Member = new Member() };
        }

        private async Task FailWhileFlakyAsync(string method, ServerCallContext context)
        {
            int attempt;
            lock (_attempts)
            {
                attempt = _attempts[method] = _attempts.GetValueOrDefault(method) + 1;
            }

            if (attempt <= failures)
            {
                if (sendHeadersFirst)
                {
                    await context.WriteResponseHeadersAsync(new Metadata { { "x-started", "yes" } });
                }

                throw new RpcException(new Status(StatusCode.Unavailable, "starting up"));
            }
        }
    }
}

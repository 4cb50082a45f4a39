using Google.Rpc;
using Grpc.Core;
using GrpcStatus = Grpc.Core.Status;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using NremNet.Contracts.Federation.V1;
using NremNet.Hosting.Grpc;
using NremNet.Hosting.Tests.Infrastructure;

namespace NremNet.Hosting.Tests.Grpc;

/// <summary>The rich error model: field problems travel as <c>google.rpc.BadRequest</c> details through a real call.</summary>
public sealed class RichErrorsTests
{
    [Fact]
    public async Task InvalidArgument_RoundTripsEveryFieldViolation_ThroughARealCall()
    {
        var refusal = RichErrors.InvalidArgument("hello", [("snapshot_version", "must not be 0"), ("caller", "is not a member")]);
        await using var server = await StartAsync(refusal);
        using var channel = server.CreateChannel();

        var ex = await Assert.ThrowsAsync<RpcException>(() => new FederationService.FederationServiceClient(channel).HelloAsync(new HelloRequest(), cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("hello has 2 problems: snapshot_version must not be 0; caller is not a member", ex.Status.Detail);
        Assert.Equal([("snapshot_version", "must not be 0"), ("caller", "is not a member")], ex.GetFieldViolations().Select(v => (v.Field, v.Description)));
        Assert.True(ex.Trailers.Get("grpc-status-details-bin") is { IsBinary: true });
    }

    [Fact]
    public void InvalidArgument_OneProblem_NamesItInTheMessage()
    {
        var ex = RichErrors.InvalidArgument("the query", [("end_year", "is before start_year")]);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("the query: end_year is before start_year", ex.Status.Detail);
        Assert.Equal("end_year", Assert.Single(ex.GetFieldViolations()).Field);
    }

    [Fact]
    public async Task Create_WithAnotherDetail_RoundTripsIt()
    {
        var refusal = RichErrors.Create(StatusCode.FailedPrecondition, "no agreement with SE", new PreconditionFailure { Violations = { new PreconditionFailure.Types.Violation { Type = "AGREEMENT", Subject = "SE", Description = "no sharing agreement" } } });
        await using var server = await StartAsync(refusal);
        using var channel = server.CreateChannel();

        var ex = await Assert.ThrowsAsync<RpcException>(() => new FederationService.FederationServiceClient(channel).HelloAsync(new HelloRequest(), cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Equal("SE", ex.GetRpcStatus()?.GetDetail<PreconditionFailure>()?.Violations.Single().Subject);
        Assert.Empty(ex.GetFieldViolations());
    }

    [Fact]
    public void GetFieldViolations_OfAPlainStatus_IsEmpty() =>
        Assert.Empty(new RpcException(new GrpcStatus(StatusCode.InvalidArgument, "bad")).GetFieldViolations());

    private static Task<TestServer> StartAsync(RpcException refusal) =>
        TestServer.StartAsync(map: app => app.MapGrpcService<RefusingFederation>(), services: s => s.AddSingleton(new RefusingFederation(refusal)));

    private sealed class RefusingFederation(RpcException refusal) : FederationService.FederationServiceBase
    {
        public override Task<HelloResponse> Hello(HelloRequest request, ServerCallContext context) => throw refusal;
    }
}

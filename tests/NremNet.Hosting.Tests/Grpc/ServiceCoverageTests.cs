using Grpc.Core;
using Grpc.Testing;
using NremNet.Contracts.Federation.V1;
using NremNet.Hosting.Grpc;
using NremNet.Rpc.Interop;

namespace NremNet.Hosting.Tests.Grpc;

/// <summary>The start-up check that every proto method has an implementation, on generated service bases.</summary>
public sealed class ServiceCoverageTests
{
    [Fact]
    public void EnsureImplemented_ServiceOverridingEveryMethod_Passes()
    {
        ServiceCoverage.EnsureImplemented([typeof(TestServiceImpl), typeof(CompleteFederation)]);

        Assert.Empty(ServiceCoverage.Unimplemented(typeof(TestServiceImpl)));
    }

    [Fact]
    public void EnsureImplemented_ServiceWithMissingOverrides_NamesEveryMissingMethod()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => ServiceCoverage.EnsureImplemented([typeof(CompleteFederation), typeof(PartialTestService)]));

        foreach (var missing in new[] { "UnaryCall", "CacheableUnaryCall", "StreamingOutputCall", "StreamingInputCall", "FullDuplexCall", "HalfDuplexCall", "UnimplementedCall" })
        {
            Assert.Contains($"/grpc.testing.TestService/{missing}", ex.Message, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("EmptyCall", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("FederationService", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unimplemented_ServiceWithoutAnyOverride_NamesItsMethod() =>
        Assert.Equal(["/nremnet.federation.v1.FederationService/Hello"], ServiceCoverage.Unimplemented(typeof(EmptyFederation)));

    [Fact]
    public void Unimplemented_OverrideInAnIntermediateClass_Counts() =>
        Assert.Empty(ServiceCoverage.Unimplemented(typeof(DerivedFederation)));

    [Fact]
    public void ServiceOf_FindsTheProtoServiceThroughTheGeneratedBase()
    {
        Assert.Equal("nremnet.federation.v1.FederationService", ServiceCoverage.ServiceOf(typeof(DerivedFederation))?.FullName);
        Assert.Null(ServiceCoverage.ServiceOf(typeof(string)));
    }

    [Fact]
    public void Unimplemented_TypeNotFromAGeneratedBase_IsRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => ServiceCoverage.Unimplemented(typeof(string)));
        Assert.Contains("String", ex.Message, StringComparison.Ordinal);
    }

    private sealed class PartialTestService : TestService.TestServiceBase
    {
        public override Task<Empty> EmptyCall(Empty request, ServerCallContext context) => Task.FromResult(new Empty());
    }

    private sealed class EmptyFederation : FederationService.FederationServiceBase;

    private class CompleteFederation : FederationService.FederationServiceBase
    {
        public override Task<HelloResponse> Hello(HelloRequest request, ServerCallContext context) => Task.FromResult(new HelloResponse());
    }

    private sealed class DerivedFederation : CompleteFederation;
}

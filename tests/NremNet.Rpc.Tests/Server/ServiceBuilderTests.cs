using Grpc.Testing;
using Microsoft.AspNetCore.Builder;
using NremNet.Rpc.Tests.Infrastructure;

namespace NremNet.Rpc.Tests.Server;

public sealed class ServiceBuilderTests
{
    [Fact]
    public void Build_WithMethodsLeftOut_NamesEveryOneAndHowToBindIt()
    {
        var builder = ServiceBuilder.For(TestServices.Descriptor)
            .Unary<Empty, Empty>("EmptyCall", (_, _) => Task.FromResult(new Empty()));

        var ex = Assert.Throws<InvalidOperationException>(builder.Build);

        Assert.Contains("grpc.testing.TestService", ex.Message, StringComparison.Ordinal);
        foreach (var missing in new[] { "UnaryCall", "CacheableUnaryCall", "StreamingOutputCall", "StreamingInputCall", "FullDuplexCall", "HalfDuplexCall", "UnimplementedCall" })
        {
            Assert.Contains($"'{missing}' has no handler", ex.Message, StringComparison.Ordinal);
        }

        Assert.Contains("ServerStreaming(\"StreamingOutputCall\"", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("'EmptyCall'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_WithWrongShapeOrTypes_ReportsEachMismatch()
    {
        var builder = ServiceBuilder.For(TestServices.Descriptor)
            .Unary<StreamingOutputCallRequest, StreamingOutputCallResponse>("StreamingOutputCall", (_, _) => Task.FromResult(new StreamingOutputCallResponse()))
            .Unary<Empty, SimpleResponse>("UnaryCall", (_, _) => Task.FromResult(new SimpleResponse()))
            .Unary<Empty, Empty>("NoSuchMethod", (_, _) => Task.FromResult(new Empty()));

        var ex = Assert.Throws<InvalidOperationException>(builder.Build);

        Assert.Contains("'StreamingOutputCall' is ServerStreaming in the proto but is bound as Unary", ex.Message, StringComparison.Ordinal);
        Assert.Contains("its request type is grpc.testing.SimpleRequest, not grpc.testing.Empty", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'NoSuchMethod', but the service has no such method", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_BindingAMethodTwice_IsAnError()
    {
        var builder = ServiceBuilder.For(TestServices.Descriptor)
            .Unary<Empty, Empty>("EmptyCall", (_, _) => Task.FromResult(new Empty()))
            .Unimplemented("EmptyCall", "changed my mind");
        var ex = Assert.Throws<InvalidOperationException>(builder.Build);
        Assert.Contains("'EmptyCall' is bound twice", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Startup_WithAnIncompleteService_FailsBeforeServingAndNamesTheMethod()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddNremNetRpc().AddService<IncompleteService>();
        using var app = builder.Build();

        var ex = Assert.Throws<InvalidOperationException>(() => app.UseNremNetRpc());

        Assert.Contains("'UnaryCall' has no handler", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Startup_WithTheSameServiceTwice_Fails()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddNremNetRpc().AddDefinition(Complete()).AddDefinition(Complete());
        using var app = builder.Build();

        var ex = Assert.Throws<InvalidOperationException>(() => app.UseNremNetRpc());

        Assert.Contains("/grpc.testing.TestService/EmptyCall", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Method_FromDescriptorWithWrongTypes_IsRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => Method.FromDescriptor<Empty, Empty>(TestServices.Descriptor, "UnaryCall"));
        Assert.Contains("grpc.testing.SimpleRequest", ex.Message, StringComparison.Ordinal);
    }

    private static ServiceDefinition Complete() => TestServices.Create(b => { });

    private sealed class IncompleteService : IRpcService
    {
        public ServiceDefinition BindService() => ServiceBuilder.For(TestServices.Descriptor)
            .Unary<Empty, Empty>("EmptyCall", (_, _) => Task.FromResult(new Empty()))
            .Build();
    }
}

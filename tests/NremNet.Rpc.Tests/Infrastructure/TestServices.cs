using Microsoft.Extensions.DependencyInjection;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;
using Grpc.Testing;

namespace NremNet.Rpc.Tests.Infrastructure;

/// <summary>
/// Services built per test on the <c>grpc.testing.TestService</c> contract: the test binds the methods it
/// exercises; every other method is marked unimplemented.
/// </summary>
internal static class TestServices
{
    public static readonly ServiceDescriptor Descriptor = TestReflection.Descriptor.FindTypeByName<ServiceDescriptor>("TestService");

    public static ServiceDefinition Create(Action<ServiceBuilder> bind, params string[] bound)
    {
        var builder = ServiceBuilder.For(Descriptor);
        bind(builder);
        foreach (var method in Descriptor.Methods)
        {
            if (!bound.Contains(method.Name))
            {
                builder.Unimplemented(method.Name, "not used by this test");
            }
        }

        return builder.Build();
    }

    /// <summary>Serves a definition made by a test.</summary>
    public static RpcServerBuilder AddDefinition(this RpcServerBuilder builder, ServiceDefinition definition)
    {
        builder.Services.AddSingleton<IRpcService>(new FixedService(definition));
        return builder;
    }

    private sealed class FixedService(ServiceDefinition definition) : IRpcService
    {
        public ServiceDefinition BindService() => definition;
    }
}

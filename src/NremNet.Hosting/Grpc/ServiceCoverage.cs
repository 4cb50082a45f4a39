using System.Reflection;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace NremNet.Hosting.Grpc;

/// <summary>
/// The start-up check that every method of a proto service is implemented: a generated service base answers
/// UNIMPLEMENTED for any method its implementation does not override, which would otherwise go unnoticed until a peer
/// called it. A method deliberately not offered is overridden to say so.
/// </summary>
public static class ServiceCoverage
{
    /// <summary>The proto service an implementation derives from (through its generated base), or null.</summary>
    public static ServiceDescriptor? ServiceOf(Type implementation)
    {
        ArgumentNullException.ThrowIfNull(implementation);
        for (var type = implementation; type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is not null && type.DeclaringType?.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is ServiceDescriptor descriptor)
            {
                return descriptor;
            }
        }

        return null;
    }

    /// <summary>The methods of the implementation's proto service that it leaves to the generated base.</summary>
    /// <exception cref="ArgumentException">The type does not derive from a generated service base.</exception>
    public static IReadOnlyList<string> Unimplemented(Type implementation)
    {
        var service = ServiceOf(implementation) ?? throw new ArgumentException($"{implementation.Name} does not derive from a generated gRPC service base.", nameof(implementation));
        return [.. service.Methods
            .Where(m => implementation.GetMethod(m.Name, BindingFlags.Public | BindingFlags.Instance) is not { } method
                || method.DeclaringType is null
                // The generated base carries the attribute; an implementation inherits it, so only the base's own counts.
                || method.DeclaringType.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is not null)
            .Select(m => $"/{service.FullName}/{m.Name}")];
    }

    /// <summary>Fails, naming every method left unimplemented, unless each implementation covers its whole service.</summary>
    /// <exception cref="InvalidOperationException">Some methods have no implementation; the message names them.</exception>
    public static void EnsureImplemented(IEnumerable<Type> implementations)
    {
        ArgumentNullException.ThrowIfNull(implementations);
        var missing = implementations.SelectMany(Unimplemented).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException("These gRPC methods have no implementation (override them, or override them to refuse): " + string.Join(", ", missing));
        }
    }
}

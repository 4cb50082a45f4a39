using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Http;

namespace NremNet.Node.Users;

/// <summary>
/// The two doors of the console listener, each with its own authentication scheme under the same role policies
/// (<see cref="UserApiAccess"/>): the user API's gRPC methods take a personal API token
/// (<see cref="UserTokenAuthentication"/>) and nothing else; the web console's pages and forms take a console session
/// cookie (<see cref="ConsoleSessionAuthentication"/>) and nothing else. So a token found in a script opens no page, and
/// a cookie a browser sends along calls no method.
/// </summary>
internal static class UserDoors
{
    /// <summary>Whether the request is for a gRPC method (the token's door).</summary>
    public static bool IsUserApiCall(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is not null;

    /// <summary>Whether the request is for a page or form of the web console (the cookie's door).</summary>
    public static bool IsConsolePage(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<ConsolePageMetadata>() is not null;
}

/// <summary>Endpoint metadata: a page or form of the web console, which a console session cookie may open.</summary>
internal sealed class ConsolePageMetadata
{
    private ConsolePageMetadata()
    {
    }

    /// <summary>The one instance.</summary>
    public static ConsolePageMetadata Instance { get; } = new();
}

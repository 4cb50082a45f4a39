using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using NremNet.Node.Hosting;

namespace NremNet.Node.Users;

/// <summary>Registers the node's people: accounts and tokens, how the user API authenticates and authorizes them, and its services.</summary>
internal static class UsersRegistration
{
    /// <summary>
    /// The account store, the token and console session authentication schemes, one authorization policy per group of roles
    /// (<see cref="UserApiAccess"/>), gRPC answers to refused calls, and <c>SessionService</c>, <c>UserService</c> and
    /// <c>TokenService</c> (the account rules' refusals answered by <see cref="UserRefusals"/>).
    /// </summary>
    public static IServiceCollection AddUsers(this IServiceCollection services)
    {
        services.AddSingleton<UserStore>();
        // AddAuthenticationCore, not AddAuthentication: the latter also registers ASP.NET Core's data protection, whose
        // start-up service writes an unencrypted key ring under the account's home directory, outside the node's data
        // folder. Tokens and console sessions need no data protection; the console's antiforgery tokens do, and it is
        // configured inside the data folder (Console/ConsoleRegistration.cs).
        // The console's scheme is the default for authenticating, so its pages know who is signed in even where they
        // admit anyone (the login page, the error pages); it looks at nothing but console pages (UserDoors).
        services.AddAuthenticationCore(options => options.DefaultAuthenticateScheme = ConsoleSessionAuthentication.SchemeName);
        services.AddWebEncoders();
        new AuthenticationBuilder(services)
            .AddScheme<AuthenticationSchemeOptions, UserTokenAuthentication>(UserTokenAuthentication.SchemeName, displayName: null, configureOptions: null)
            .AddScheme<AuthenticationSchemeOptions, ConsoleSessionAuthentication>(ConsoleSessionAuthentication.SchemeName, displayName: null, configureOptions: null);
        services.AddAuthorization(UserApiAccess.AddPolicies);
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, UserApiRefusals>();
        services.AddSingleton<SessionService>();
        services.AddSingleton<UserService>();
        services.AddSingleton<TokenService>();
        services.AddRefusals<SessionService, UserRefusals>();
        services.AddRefusals<UserService, UserRefusals>();
        services.AddRefusals<TokenService, UserRefusals>();
        return services;
    }
}

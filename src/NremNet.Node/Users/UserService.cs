using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using NremNet.Contracts.Local.V1;
using Proto = NremNet.Contracts.Local.V1;

namespace NremNet.Node.Users;

/// <summary><c>nremnet.local.v1.UserService</c>: local accounts, for admins.</summary>
internal sealed class UserService(UserStore users) : Proto.UserService.UserServiceBase
{
    [Authorize(Policy = UserApiAccess.Admin)]
    public override async Task<AddUserResponse> AddUser(AddUserRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (user, generated) = await users.AddAsync(context.Principal().Actor, request.Username, request.DisplayName, request.Roles.ToList(), request.Password, context.CancellationToken).ConfigureAwait(false);
        return new AddUserResponse { User = user.ToContract(), GeneratedPassword = generated ?? string.Empty };
    }

    [Authorize(Policy = UserApiAccess.Admin)]
    public override async Task<ListUsersResponse> ListUsers(ListUsersRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = new ListUsersResponse();
        response.Users.AddRange((await users.ListAsync(context.CancellationToken).ConfigureAwait(false)).Select(u => u.ToContract()));
        return response;
    }

    [Authorize(Policy = UserApiAccess.Admin)]
    public override async Task<DisableUserResponse> DisableUser(DisableUserRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var principal = context.Principal();
        if (string.Equals(request.Username, principal.Username, StringComparison.OrdinalIgnoreCase))
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, "You cannot disable your own account; ask another admin."));
        }

        var (user, revoked) = await users.DisableAsync(principal.Actor, request.Username, request.Reason, context.CancellationToken).ConfigureAwait(false);
        return new DisableUserResponse { User = user.ToContract(), RevokedTokens = revoked };
    }

    [Authorize(Policy = UserApiAccess.Admin)]
    public override async Task<EnableUserResponse> EnableUser(EnableUserRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        return new() { User = (await users.EnableAsync(context.Principal().Actor, request.Username, context.CancellationToken).ConfigureAwait(false)).ToContract() };
    }
}

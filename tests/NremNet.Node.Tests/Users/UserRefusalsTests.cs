using Grpc.Core;
using NremNet.Hosting.Grpc;
using NremNet.Node.Users;

namespace NremNet.Node.Tests.Users;

/// <summary>The one place where the account rules' refusals become gRPC statuses.</summary>
public sealed class UserRefusalsTests
{
    [Fact]
    public void ToRpcException_EveryKind_ItsStatus_TheMessageAsDetail()
    {
        (UserRefusalKind Kind, StatusCode Code)[] expected =
        [
            (UserRefusalKind.Invalid, StatusCode.InvalidArgument), (UserRefusalKind.AlreadyExists, StatusCode.AlreadyExists),
            (UserRefusalKind.NotFound, StatusCode.NotFound), (UserRefusalKind.LoginRefused, StatusCode.Unauthenticated),
        ];

        Assert.Equal(Enum.GetValues<UserRefusalKind>(), expected.Select(e => e.Kind));
        foreach (var (kind, code) in expected)
        {
            var ex = UserRefusals.ToRpcException(new UserRefusedException(kind, "There is no user named 'ana'."));
            Assert.Equal((code, "There is no user named 'ana'."), (ex.StatusCode, ex.Status.Detail));
        }
    }

    [Fact]
    public void ToRpcException_FieldProblems_InvalidArgumentWithBadRequest()
    {
        var ex = UserRefusals.ToRpcException(new UserRefusedException(UserRefusalKind.Invalid, "The new account", [("password", "is too short")]));

        Assert.Equal((StatusCode.InvalidArgument, "The new account: password is too short"), (ex.StatusCode, ex.Status.Detail));
        Assert.Equal([("password", "is too short")], ex.GetFieldViolations().Select(v => (v.Field, v.Description)));
    }
}

using Grpc.Core;
using NremNet.Domain.Referrals;
using NremNet.Hosting.Grpc;
using NremNet.Node.Referrals;

namespace NremNet.Node.Tests.Referrals;

/// <summary>The one place where the referral rules' refusals become gRPC statuses.</summary>
public sealed class ReferralRefusalsTests
{
    [Theory]
    [InlineData(ReferralRefusalKind.Invalid, StatusCode.InvalidArgument)]
    [InlineData(ReferralRefusalKind.NotFound, StatusCode.NotFound)]
    [InlineData(ReferralRefusalKind.WrongState, StatusCode.FailedPrecondition)]
    [InlineData(ReferralRefusalKind.Forbidden, StatusCode.PermissionDenied)]
    public void ToRpcException_EveryKind_ItsStatus_TheMessageAsDetail(ReferralRefusalKind kind, StatusCode code)
    {
        var ex = ReferralRefusals.ToRpcException(new ReferralRefusal(kind, "Referral 42 is CLOSED."));

        Assert.Equal((code, "Referral 42 is CLOSED."), (ex.StatusCode, ex.Status.Detail));
        Assert.Equal(code.ToString(), ReferralRefusals.AuditCode(new ReferralRefusal(kind, "why")));
        Assert.Empty(ex.GetFieldViolations());
    }

    [Fact]
    public void ToRpcException_FormProblems_InvalidArgumentWithEveryFieldAsBadRequest()
    {
        var refusal = ReferralRefusal.InvalidForm("The referral form", [new FormProblem("receiver_country", "required"), new FormProblem("consent.given", "the person has not consented")]);

        var ex = ReferralRefusals.ToRpcException(refusal);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("The referral form has 2 problems: receiver_country required; consent.given the person has not consented", ex.Status.Detail);
        Assert.Equal([("receiver_country", "required"), ("consent.given", "the person has not consented")], ex.GetFieldViolations().Select(v => (v.Field, v.Description)));
    }
}

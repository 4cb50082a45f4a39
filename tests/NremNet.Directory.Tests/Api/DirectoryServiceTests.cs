using Grpc.Core;
using NremNet.Directory.Api;
using NremNet.Directory.Members;
using NremNet.Hosting.Grpc;

namespace NremNet.Directory.Tests.Api;

/// <summary>The service on its own: complete, and one mapping from the rules' refusals to status codes.</summary>
public sealed class DirectoryServiceTests
{
    [Fact]
    public void DirectoryService_OverridesEveryMethodOfItsProtoService()
    {
        Assert.Equal("nremnet.directory.v1.DirectoryService", ServiceCoverage.ServiceOf(typeof(DirectoryService))?.FullName);
        Assert.Empty(ServiceCoverage.Unimplemented(typeof(DirectoryService)));
    }

    [Theory]
    [InlineData(nameof(MemberRefusalKind.NotFound), StatusCode.NotFound)]
    [InlineData(nameof(MemberRefusalKind.WrongStatus), StatusCode.FailedPrecondition)]
    public void Refusal_OfTheMembershipRules_KeepsItsMessageUnderItsStatusCode(string kind, StatusCode expected)
    {
        // The kind by name: the test's public signature cannot take the directory's internal enum.
        var refusal = DirectoryService.Refusal(new MemberRefusedException(Enum.Parse<MemberRefusalKind>(kind), "NL is already ACTIVE."));

        Assert.Equal(expected, refusal.StatusCode);
        Assert.Equal("NL is already ACTIVE.", refusal.Status.Detail);
    }

    [Fact]
    public void Refusal_EveryKindHasAStatusCode()
    {
        Assert.All(Enum.GetValues<MemberRefusalKind>(), kind => Assert.NotEqual(StatusCode.OK, DirectoryService.Refusal(new MemberRefusedException(kind, "refused")).StatusCode));
    }
}

using Grpc.Core;
using NremNet.Hosting.Grpc;
using NremNet.Node.Statistics;

namespace NremNet.Node.Tests.Statistics;

/// <summary>The one place where the statistics rules' refusals become gRPC statuses.</summary>
public sealed class StatisticsRefusalsTests
{
    [Fact]
    public void ToRpcException_EveryKind_ItsStatus_TheMessageAsDetail()
    {
        (StatisticsRefusalKind Kind, StatusCode Code)[] expected =
        [
            (StatisticsRefusalKind.Invalid, StatusCode.InvalidArgument), (StatisticsRefusalKind.OtherCatalogue, StatusCode.FailedPrecondition),
            (StatisticsRefusalKind.BudgetSpent, StatusCode.ResourceExhausted),
        ];

        Assert.Equal(Enum.GetValues<StatisticsRefusalKind>(), expected.Select(e => e.Kind));
        foreach (var (kind, code) in expected)
        {
            var ex = StatisticsRefusals.ToRpcException(new StatisticsRefusedException(kind, "SE has spent 1 of its 1 epsilon for 2026."));
            Assert.Equal((code, "SE has spent 1 of its 1 epsilon for 2026."), (ex.StatusCode, ex.Status.Detail));
        }
    }

    [Fact]
    public void ToRpcException_FieldProblems_InvalidArgumentWithBadRequest()
    {
        var ex = StatisticsRefusals.ToRpcException(new StatisticsRefusedException(StatisticsRefusalKind.Invalid, "The query", [("indicator", "is required"), ("breakdown", "has too many dimensions")]));

        Assert.Equal((StatusCode.InvalidArgument, "The query has 2 problems: indicator is required; breakdown has too many dimensions"), (ex.StatusCode, ex.Status.Detail));
        Assert.Equal(["indicator", "breakdown"], ex.GetFieldViolations().Select(v => v.Field));
    }
}

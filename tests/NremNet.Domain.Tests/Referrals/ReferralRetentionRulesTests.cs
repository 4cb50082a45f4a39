using NremNet.Contracts.Referrals.V1;
using NremNet.Domain.Referrals;

namespace NremNet.Domain.Tests.Referrals;

public class ReferralRetentionRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 9, 30, 0, TimeSpan.Zero);
    private static readonly TimeSpan Period = TimeSpan.FromDays(180);

    [Fact]
    public void End_TheEndOfTheRetentionDay_Utc()
    {
        Assert.Equal(new DateTimeOffset(2028, 3, 16, 0, 0, 0, TimeSpan.Zero), ReferralRetentionRules.End(new ReferralHeader { RetentionUntil = "2028-03-15" }));
    }

    [Theory]
    [InlineData("")]
    [InlineData("someday")]
    public void End_NoDate_None(string retentionUntil)
    {
        Assert.Null(ReferralRetentionRules.End(new ReferralHeader { RetentionUntil = retentionUntil }));
    }

    [Theory]
    [InlineData(ReferralStatus.Submitted)]
    [InlineData(ReferralStatus.Active)]
    public void Dates_NotFinal_PurgedAtTheRetentionEnd(ReferralStatus status)
    {
        var end = Now.AddYears(2);

        Assert.Equal(((DateTimeOffset?)null, (DateTimeOffset?)end), ReferralRetentionRules.Dates(status, null, Now, end, Period));
        Assert.Equal(((DateTimeOffset?)null, (DateTimeOffset?)null), ReferralRetentionRules.Dates(status, null, Now, null, Period));
    }

    [Theory]
    [InlineData(ReferralStatus.Closed)]
    [InlineData(ReferralStatus.Declined)]
    [InlineData(ReferralStatus.Withdrawn)]
    public void Dates_JustFinal_FinalNow_PurgedAPeriodLater(ReferralStatus status)
    {
        Assert.Equal(((DateTimeOffset?)Now, (DateTimeOffset?)(Now + Period)), ReferralRetentionRules.Dates(status, null, Now, Now.AddYears(2), Period));
        Assert.Equal(((DateTimeOffset?)Now, (DateTimeOffset?)(Now + Period)), ReferralRetentionRules.Dates(status, null, Now, null, Period));
    }

    [Fact]
    public void Dates_FinalBefore_KeepsWhenItBecameFinal()
    {
        var since = Now.AddDays(-10);

        Assert.Equal(((DateTimeOffset?)since, (DateTimeOffset?)(since + Period)), ReferralRetentionRules.Dates(ReferralStatus.Closed, since, Now, null, Period));
    }

    [Fact]
    public void Dates_RetentionEndsBeforeThePeriod_PurgedAtTheRetentionEnd()
    {
        var end = Now.AddDays(30);

        Assert.Equal(((DateTimeOffset?)Now, (DateTimeOffset?)end), ReferralRetentionRules.Dates(ReferralStatus.Closed, null, Now, end, Period));
    }
}

using Grpc.Core;
using NremNet.Contracts.Local.V1;
using NremNet.Hosting.Grpc;
using NremNet.Node.Practices.Search;

namespace NremNet.Node.Tests.Practices.Search;

/// <summary>A search request with unknown codes or out-of-range numbers is refused, every problem named at once.</summary>
public sealed class SearchRequestCheckTests(SearchCorpusFixture corpus) : IClassFixture<SearchCorpusFixture>
{
    [Fact]
    public async Task Search_UnknownCodes_InvalidArgumentNamingEachValue()
    {
        var request = new SearchPracticesRequest
        {
            Text = "labour",
            Language = "xx",
            Countries = { "NL", "ZZ" },
            Themes = { "rescue" },
            Exploitation = { "LAB", "UNK" },
            TargetGroups = { "aliens" },
            Grades = { "BEST" },
            Languages = { "english" },
            Years = { 1850 },
            Order = (SearchOrder)7,
            Limit = 500,
            Offset = -1,
        };

        var refusal = await Assert.ThrowsAsync<RpcException>(() => corpus.Database.SearchAsync(request, TestContext.Current.CancellationToken));

        Assert.Equal(StatusCode.InvalidArgument, refusal.StatusCode);
        var problems = refusal.GetFieldViolations().ToDictionary(v => v.Field, v => v.Description);
        Assert.Equal(
            ["language", "countries[1]", "themes[0]", "exploitation[1]", "target_groups[0]", "grades[0]", "languages[0]", "years[0]", "order", "limit", "offset"],
            problems.Keys);
        Assert.Contains("'xx'", problems["language"], StringComparison.Ordinal);
        Assert.Contains("'ZZ' is not an ISO 3166-1 alpha-2 country code", problems["countries[1]"], StringComparison.Ordinal);
        Assert.Contains("'rescue' is not a theme; one of prevention, protection", problems["themes[0]"], StringComparison.Ordinal);
        Assert.Contains("'UNK'", problems["exploitation[1]"], StringComparison.Ordinal);
        Assert.Contains("'aliens'", problems["target_groups[0]"], StringComparison.Ordinal);
        Assert.Contains("'BEST' is not an evidence grade; one of EMERGING, PROMISING, EVALUATED", problems["grades[0]"], StringComparison.Ordinal);
        Assert.Contains("'english'", problems["languages[0]"], StringComparison.Ordinal);
        Assert.Contains("'1850' is not a year from 1990 to 2100", problems["years[0]"], StringComparison.Ordinal);
        Assert.Contains("500", problems["limit"], StringComparison.Ordinal);
        Assert.Contains("'ZZ'", refusal.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_Defaults()
    {
        var plan = SearchRequestCheck.Check(new SearchPracticesRequest { Text = "  forced labour  " }, "nl");

        Assert.Equal("forced labour", plan.Text);
        Assert.Equal("nl", plan.Language);
        Assert.Equal(SearchRequestCheck.DefaultLimit, plan.Limit);
        Assert.Equal(0, plan.Offset);
        Assert.Empty(plan.Filters);
        Assert.False(plan.IncludeWithdrawn);
    }

    [Fact]
    public void Check_TooLongText_Refused()
    {
        var refusal = Assert.Throws<RpcException>(() => SearchRequestCheck.Check(new SearchPracticesRequest { Text = new string('a', 1_001) }, "en"));

        Assert.Equal("text", Assert.Single(refusal.GetFieldViolations()).Field);
    }
}

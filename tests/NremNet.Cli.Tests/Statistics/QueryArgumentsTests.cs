using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Cli.Statistics;
using NremNet.Cli.Tests.Infrastructure;

namespace NremNet.Cli.Tests.Statistics;

public sealed class QueryArgumentsTests(ITestOutputHelper log) : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("2019-2024", 2019, 2024)]
    [InlineData("2022", 2022, 2022)]
    [InlineData(" 2019 - 2024 ", 2019, 2024)]
    [InlineData("2019–2024", 2019, 2024)]
    [InlineData("2020-2020", 2020, 2020)]
    public void Years_RangeOrSingleYear_AreRead(string text, int first, int last) =>
        Assert.Equal((first, last), QueryArguments.Years(text));

    [Theory]
    [InlineData("2024-2019", "first year comes after the last")]
    [InlineData("19-24", "not a year or a range")]
    [InlineData("1999", "not a year or a range")]
    [InlineData("2019-", "not a year or a range")]
    [InlineData("", "not a year or a range")]
    public void Years_Malformed_IsAUsageErrorSayingWhatToWrite(string text, string expected)
    {
        var error = Assert.Throws<CliException>(() => QueryArguments.Years(text));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("--years", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Breakdown_WithTimePeriod_LeavesItOutOfTheQuery_AndKeepsItsPlaceInTheRows()
    {
        var (breakdown, rows) = QueryArguments.Breakdown(["exploit,TIME_PERIOD", "sex"]);

        Assert.Equal(["EXPLOIT", "SEX"], breakdown);
        Assert.Equal(["EXPLOIT", "TIME_PERIOD", "SEX"], rows);
    }

    [Fact]
    public void Breakdown_WithoutTimePeriod_PutsYearsFirst()
    {
        var (breakdown, rows) = QueryArguments.Breakdown(["EXPLOIT"]);

        Assert.Equal(["EXPLOIT"], breakdown);
        Assert.Equal(["TIME_PERIOD", "EXPLOIT"], rows);
    }

    [Fact]
    public void Breakdown_None_MeansYearlyTotals()
    {
        var (breakdown, rows) = QueryArguments.Breakdown(null);

        Assert.Empty(breakdown);
        Assert.Equal(["TIME_PERIOD"], rows);
    }

    [Fact]
    public void Breakdown_ADimensionTwice_IsAUsageError() =>
        Assert.Equal(ExitCodes.Usage, Assert.Throws<CliException>(() => QueryArguments.Breakdown(["SEX,sex"])).ExitCode);

    [Fact]
    public void Filters_ValidOnes_AreReadUpperCase()
    {
        var filters = QueryArguments.Filters(["exploit=sex, lab,_T", "SEX=F"], ["SEX", "EXPLOIT"]);

        Assert.Equal(2, filters.Count);
        Assert.Equal("EXPLOIT", filters[0].Dimension);
        Assert.Equal(["SEX", "LAB", "_T"], filters[0].Codes);
        Assert.Equal(["F"], filters[1].Codes);
    }

    [Fact]
    public void Filters_Bad_NameEveryProblemAtOnce()
    {
        var error = Assert.Throws<CliException>(() => QueryArguments.Filters(["EXPLOIT", "SEX=", "AGE=Y_LT18", "TIME_PERIOD=2020", "EXPLOIT=SEX", "EXPLOIT=LAB"], ["EXPLOIT", "SEX"]));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        log.WriteLine(error.Message);
        Assert.Contains("'EXPLOIT' is not DIMENSION=CODE[,CODE...]", error.Message, StringComparison.Ordinal);
        Assert.Contains("'SEX=' is not DIMENSION=CODE", error.Message, StringComparison.Ordinal);
        Assert.Contains("AGE is not in --by", error.Message, StringComparison.Ordinal);
        Assert.Contains("choose the years with --years", error.Message, StringComparison.Ordinal);
        Assert.Contains("EXPLOIT is filtered twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Countries_CommasOrRepeats_UpperCaseEachOnce_InTheOrderGiven() =>
        Assert.Equal(["NL", "SE", "FI", "BG"], QueryArguments.Countries(["nl,SE", "fi", "BG,NL"]));

    [Fact]
    public void Countries_Unknown_IsAUsageErrorNamingThem()
    {
        var error = Assert.Throws<CliException>(() => QueryArguments.Countries(["NL,QQ,Sweden"]));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Contains("'QQ'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Sweden'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10s", 10_000)]
    [InlineData("1500ms", 1_500)]
    [InlineData("2m", 120_000)]
    [InlineData("2.5", 2_500)]
    public void Duration_Units_AreRead(string text, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), QueryArguments.Duration(text, "--deadline", TimeSpan.FromMinutes(5)));

    [Theory]
    [InlineData("0s")]
    [InlineData("10 minutes")]
    [InlineData("6m")]
    public void Duration_BadOrOutOfRange_IsAUsageError(string text) =>
        Assert.Equal(ExitCodes.Usage, Assert.Throws<CliException>(() => QueryArguments.Duration(text, "--deadline", TimeSpan.FromMinutes(5))).ExitCode);

    [Fact]
    public async Task Query_BadFilter_FailsWithAUsageErrorBeforeAnyProfileIsNeeded()
    {
        var cli = new CliRunner(_folder.Combine("profiles.json"), log);

        var run = await cli.RunAsync("query", "--indicator", "THB_VICT_REG", "--by", "TIME_PERIOD,EXPLOIT", "--countries", "NL,SE", "--years", "2019-2024", "--filter", "EXPLOIT:SEX");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        var error = Assert.Single(run.Output.Errors);
        Assert.Contains("--filter: 'EXPLOIT:SEX' is not DIMENSION=CODE[,CODE...], e.g. EXPLOIT=SEX,LAB", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_UnknownFormat_IsRejectedByTheParser()
    {
        var cli = new CliRunner(_folder.Combine("profiles.json"), log);

        var run = await cli.RunAsync("query", "--indicator", "THB_VICT_REG", "--countries", "NL", "--years", "2022", "--format", "xml");

        Assert.NotEqual(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("xml", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_NoProfileSaved_SaysHowToGetOne()
    {
        var cli = new CliRunner(_folder.Combine("profiles.json"), log);

        var run = await cli.RunAsync("query", "--indicator", "THB_VICT_REG", "--countries", "NL", "--years", "2022");

        Assert.Equal(ExitCodes.Unauthenticated, run.ExitCode);
        Assert.Contains("nremnet login", run.ErrorText, StringComparison.Ordinal);
    }
}

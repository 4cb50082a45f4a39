using NremNet.Domain.Statistics;
using NremNet.Domain.Statistics.Data;

namespace NremNet.Domain.Tests.Statistics.Data;

public class PublishedStatisticsFileTests
{
    private const string Header = "INDICATOR,TIME_PERIOD,SEX,AGE,EXPLOIT,OBS_VALUE,OBS_STATUS";
    private const string ValidRow = "THB_VICT_REG,2020,F,_T,_T,12,A";

    private static readonly PublishedStatisticsFileOptions Options = new() { CurrentYear = 2024 };

    private static Task<PublishedStatisticsFileResult> ReadAsync(string text, PublishedStatisticsFileOptions? options = null) =>
        PublishedStatisticsFile.ReadAsync(DataFiles.Utf8(text), options ?? Options, bytesRead: null, TestContext.Current.CancellationToken);

    private static Task<PublishedStatisticsFileResult> ReadRowsAsync(params string[] rows) => ReadAsync(Header + "\n" + string.Join('\n', rows) + "\n");

    [Fact]
    public async Task ReadAsync_ValidRows_GiveTheValues()
    {
        var result = await ReadRowsAsync(
            "THB_VICT_REG,2020,_T,_T,_T,40,A",
            ValidRow,
            "thb_vict_reg,2020,f,y_lt18,,3,e",
            "THB_VICT_REG,2021,M,_T,LAB,5,",
            "THB_VICT_REG,2021,_T,Y_GE18,_T,,O",
            "THB_SUSP,2021,_T,_T,SEX,,q",
            "THB_SUSP,2021,X,_T,_T,0,P");

        Assert.Empty(result.Problems);
        Assert.Equal(7, result.Rows);
        Assert.Equal(
            [
                "THB_VICT_REG|2020||40|Normal",
                "THB_VICT_REG|2020|SEX=F|12|Normal",
                "THB_VICT_REG|2020|SEX=F;AGE=Y_LT18|3|Estimated",
                "THB_VICT_REG|2021|SEX=M;EXPLOIT=LAB|5|Normal",
                "THB_VICT_REG|2021|AGE=Y_GE18||Missing",
                "THB_SUSP|2021|EXPLOIT=SEX||Withheld",
                "THB_SUSP|2021|SEX=X|0|Provisional",
            ],
            result.Values.Select(DataFiles.Describe));
    }

    [Fact]
    public async Task ReadAsync_ColumnsInAnyOrder_AbsentDimensionsAreTotals()
    {
        var result = await ReadAsync("# Synthetic\nobs_status,obs_value,COUNTERPART_AREA,indicator,time_period\r\nA,7,de,THB_TRM_OUT,2023\r\nA,9,_T,THB_TRM_OUT,2023\r\n");

        Assert.Empty(result.Problems);
        Assert.True(result.Synthetic);
        Assert.Equal(["THB_TRM_OUT|2023|COUNTERPART_AREA=DE|7|Normal", "THB_TRM_OUT|2023||9|Normal"], result.Values.Select(DataFiles.Describe));
    }

    [Theory]
    [InlineData("THB_VICTIMS,2020,F,_T,_T,12,A", "INDICATOR", "'THB_VICTIMS' is not an indicator of catalogue 2024.1; expected one of THB_VICT_REG")]
    [InlineData(",2020,F,_T,_T,12,A", "INDICATOR", "empty; expected one of THB_VICT_REG")]
    [InlineData("THB_VICT_REG,1999,F,_T,_T,12,A", "TIME_PERIOD", "1999 is out of range; expected a year from 2000 to 2024")]
    [InlineData("THB_VICT_REG,2025,F,_T,_T,12,A", "TIME_PERIOD", "2025 is out of range")]
    [InlineData("THB_VICT_REG,FY20,F,_T,_T,12,A", "TIME_PERIOD", "'FY20' is not a year")]
    [InlineData("THB_VICT_REG,2020,W,_T,_T,12,A", "SEX", "'W' is not a code of SEX; expected one of F, M, X, UNK, or _T for the total")]
    [InlineData("THB_VICT_REG,2020,F,Y_18_24,_T,12,A", "AGE", "'Y_18_24' is not a code of AGE")]
    [InlineData("THB_SUSP,2020,_T,Y_LT18,_T,12,A", "AGE", "THB_SUSP is not broken down by AGE, so the code must be _T, not Y_LT18; its dimensions are SEX, CITIZEN_GRP, EXPLOIT")]
    [InlineData("THB_VICT_REG,2020,F,Y_LT18,SEX,12,A", "", "the row is broken down by 3 dimensions (SEX, AGE, EXPLOIT); at most 2 may be other than _T")]
    [InlineData("THB_VICT_REG,2020,F,_T,_T,12,X", "OBS_STATUS", "'X' is not an observation status; expected A (normal), E (estimated), P (provisional) with a value, or O (missing), Q (withheld)")]
    [InlineData("THB_VICT_REG,2020,F,_T,_T,-3,A", "OBS_VALUE", "'-3' is not a count; expected a whole number 0 or more")]
    [InlineData("THB_VICT_REG,2020,F,_T,_T,12.5,E", "OBS_VALUE", "'12.5' is not a count")]
    [InlineData("THB_VICT_REG,2020,F,_T,_T,\"1,200\",A", "OBS_VALUE", "'1,200' is not a count")]
    [InlineData("THB_VICT_REG,2020,F,_T,_T,,A", "OBS_VALUE", "empty, but OBS_STATUS A needs a value")]
    [InlineData("THB_VICT_REG,2020,F,_T,_T,,P", "OBS_VALUE", "empty, but OBS_STATUS P needs a value")]
    [InlineData("THB_VICT_REG,2020,F,_T,_T,0,O", "OBS_VALUE", "'0' is given, but OBS_STATUS O means the value is missing; leave OBS_VALUE empty (an unknown value is never 0)")]
    [InlineData("THB_VICT_REG,2020,F,_T,_T,3,Q", "OBS_VALUE", "'3' is given, but OBS_STATUS Q means the value is withheld")]
    [InlineData("THB_VICT_REG,2020,F,_T,_T,,", "OBS_VALUE", "empty, and OBS_STATUS is empty too")]
    [InlineData("THB_VICT_REG,2020,_T,_T,_T,40,A", "", "THB_VICT_REG 2020 the total is already given on line 2; give each cell once")]
    [InlineData("THB_VICT_REG,2020,F,_T,_T,13,E", "", "THB_VICT_REG 2020 SEX=F is already given on line 3; give each cell once")]
    public async Task ReadAsync_BadValue_IsAProblemOfItsLineAndColumn(string row, string column, string message)
    {
        var result = await ReadRowsAsync("THB_VICT_REG,2020,_T,_T,_T,40,A", ValidRow, row);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(4, problem.Line);
        Assert.Equal(column, problem.Column);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
        Assert.Equal(2, result.Values.Count);
        Assert.Equal(3, result.Rows);
    }

    [Fact]
    public async Task ReadAsync_CounterpartAreaNotACountry_IsAProblem()
    {
        var result = await ReadAsync("INDICATOR,TIME_PERIOD,COUNTERPART_AREA,OBS_VALUE,OBS_STATUS\nTHB_TRM_IN,2022,XX,4,A\n");

        Assert.Equal(new DataProblem(2, "COUNTERPART_AREA", "'XX' is not a code of COUNTERPART_AREA; expected an ISO 3166-1 alpha-2 country code, or _T for the total"), Assert.Single(result.Problems));
    }

    [Fact]
    public async Task ReadAsync_MissingAndUnknownColumns_AreNamedOnTheHeaderLine()
    {
        var result = await ReadAsync("# comment\nINDICATOR,TIME_PERIOD,REF_AREA,SEX,OBS_VALUE\nTHB_VICT_REG,2020,NL,F,12\n");

        Assert.Equal(2, result.Problems.Count);
        Assert.Equal((2L, "REF_AREA"), (result.Problems[0].Line, result.Problems[0].Column));
        Assert.StartsWith("unknown column 'REF_AREA'; expected the columns INDICATOR,TIME_PERIOD,OBS_VALUE,OBS_STATUS and optionally SEX, AGE", result.Problems[0].Message, StringComparison.Ordinal);
        Assert.Equal((2L, "OBS_STATUS"), (result.Problems[1].Line, result.Problems[1].Column));
        Assert.StartsWith("required column 'OBS_STATUS' is missing from the header", result.Problems[1].Message, StringComparison.Ordinal);
        Assert.Empty(result.Values);
        Assert.Equal(1, result.Rows);
    }

    [Fact]
    public async Task ReadAsync_WrongNumberOfValues_IsAProblemOfTheRow()
    {
        var result = await ReadRowsAsync(ValidRow + ",extra");

        Assert.Equal(new DataProblem(2, string.Empty, "the row has 8 values but the header has 7 columns; put a value that contains a comma in double quotes"), Assert.Single(result.Problems));
    }

    [Fact]
    public async Task ReadAsync_EmptyFile_IsAProblem()
    {
        var result = await ReadAsync(string.Empty);

        Assert.Equal(1, Assert.Single(result.Problems).Line);
        Assert.Equal(1, result.ProblemCount);
    }

    [Fact]
    public async Task ReadAsync_ManyProblems_KeepsTheFirstAndCountsAll()
    {
        var rows = Enumerable.Range(0, 30).Select(i => $"THB_VICT_REG,{2000 + (i % 20)},F,_T,_T,-1,A").ToArray();

        var result = await PublishedStatisticsFile.ReadAsync(DataFiles.Utf8(Header + "\n" + string.Join('\n', rows)), Options with { MaxProblems = 5 }, null, TestContext.Current.CancellationToken);

        Assert.Equal(5, result.Problems.Count);
        Assert.Equal(30, result.ProblemCount);
        Assert.Equal(30, result.Rows);
    }

    [Fact]
    public void Header_Dimensions_AreInCatalogueOrderBetweenTheFixedColumns()
    {
        Assert.Equal(["INDICATOR", "TIME_PERIOD", "SEX", "AGE", "EXPLOIT", "OBS_VALUE", "OBS_STATUS"], PublishedStatisticsFile.Header(["EXPLOIT", "SEX", "AGE", "SEX"]));
    }
}

using NremNet.Domain.Statistics;
using NremNet.Domain.Statistics.Data;

namespace NremNet.Domain.Tests.Statistics.Data;

public class CaseRecordFileTests
{
    private static readonly CaseRecordFileOptions Options = new() { Country = "NL", CurrentYear = 2024 };

    private static Task<CaseRecordFileResult> ReadAsync(string text, CaseRecordFileOptions? options = null) =>
        CaseRecordFile.ReadAsync(DataFiles.Utf8(text), options ?? Options, bytesRead: null, TestContext.Current.CancellationToken);

    private static Task<CaseRecordFileResult> ReadRowsAsync(params string[] rows) =>
        ReadAsync(DataFiles.CaseHeader + "\n" + string.Join('\n', rows) + "\n");

    [Fact]
    public async Task ReadAsync_ValidRow_GivesTheRecord()
    {
        var result = await ReadRowsAsync(DataFiles.ValidCaseRow);

        Assert.Empty(result.Problems);
        Assert.Equal(0, result.ProblemCount);
        Assert.Equal(1, result.Rows);
        Assert.False(result.Synthetic);
        var record = Assert.Single(result.Records);
        Assert.Equal("R-1|2020|IDENT|F|25|NG|SEX;LAB|True|False|NG|", DataFiles.Describe(record));
    }

    [Fact]
    public async Task ReadAsync_LenientValues_AreReadAsTheirCodes()
    {
        var result = await ReadRowsAsync(
            "a.b_c:d-1, 2021 ,presumed,,UNK,ng,lab;sex,TRUE,1,in:de;OUT:be;out:at",
            "id2,2022,IDENT,x,,xx,,No,false,",
            "id3,2023,IDENT,M,0,,UNK,0,,");

        Assert.Empty(result.Problems);
        Assert.Equal(
            [
                "a.b_c:d-1|2021|PRESUMED|UNK||NG|SEX;LAB|True|True|AT;BE|DE",
                "id2|2022|IDENT|X||XX|UNK|False|False||",
                "id3|2023|IDENT|M|0||UNK|False|False||",
            ],
            result.Records.Select(DataFiles.Describe));
        Assert.Same(result.Records[1].Exploitation, result.Records[2].Exploitation);
    }

    [Theory]
    [InlineData("record_id", "", "empty; every record needs an id")]
    [InlineData("record_id", "a b", "'a b' contains ' '")]
    [InlineData("record_id", "R/1", "'R/1' contains '/'")]
    [InlineData("record_id", "ÅSA", "contains 'Å'")]
    [InlineData("year_identified", "", "empty; expected a year from 2000 to 2024")]
    [InlineData("year_identified", "1999", "1999 is out of range; expected a year from 2000 to 2024")]
    [InlineData("year_identified", "2025", "2025 is out of range")]
    [InlineData("year_identified", "20x0", "'20x0' is not a year")]
    [InlineData("identification_status", "", "empty; expected IDENT (formally identified) or PRESUMED")]
    [InlineData("identification_status", "CONFIRMED", "'CONFIRMED' is not an identification status; expected IDENT")]
    [InlineData("sex", "W", "'W' is not a sex code; expected F, M, X (other) or UNK")]
    [InlineData("age", "121", "'121' is not an age; expected a whole number of years from 0 to 120")]
    [InlineData("age", "-1", "'-1' is not an age")]
    [InlineData("age", "12.5", "'12.5' is not an age")]
    [InlineData("citizenship", "ZZ", "'ZZ' is not an ISO 3166-1 alpha-2 country code; expected a code such as NL or NG, XX for stateless")]
    [InlineData("citizenship", "NLD", "'NLD' is not an ISO 3166-1 alpha-2")]
    [InlineData("exploitation", "SLAVERY", "'SLAVERY' is not a form of exploitation; expected codes from SEX, LAB, CRIM, BEG, MAR, ORG, OTH, UNK")]
    [InlineData("exploitation", "SEX;;LAB", "'SEX;;LAB' has an empty form")]
    [InlineData("exploitation", "SEX;LAB;sex", "SEX is given twice in 'SEX;LAB;sex'")]
    [InlineData("exploitation", "UNK;LAB", "'UNK;LAB' combines UNK with known forms")]
    [InlineData("assistance", "maybe", "'maybe' is not yes or no; expected yes, no, true, false, 1 or 0")]
    [InlineData("residence_permit", "2", "'2' is not yes or no")]
    [InlineData("referrals", "DE", "'DE' is not a referral; expected out:CC (referred to) or in:CC (referred from)")]
    [InlineData("referrals", "sideways:DE", "'sideways:DE' is not a referral")]
    [InlineData("referrals", "out:DE;", "'out:DE;' has an empty referral")]
    [InlineData("referrals", "out:ZZ", "'out:ZZ': 'ZZ' is not an ISO 3166-1 alpha-2 country code")]
    [InlineData("referrals", "in:XX", "'in:XX': XX is not a country a person can be referred to or from")]
    [InlineData("referrals", "out:nl", "'out:nl' names NL, the node's own country")]
    [InlineData("referrals", "out:DE;in:BE;out:de", "'out:de' is given twice")]
    [InlineData("referrals", "out:DE;out:BE;out:FR;out:IT;out:ES", "names more than 3 countries referred to (out:)")]
    [InlineData("referrals", "in:DE;in:BE;in:FR;in:IT", "names more than 3 countries referred from (in:)")]
    public async Task ReadAsync_BadValue_IsAProblemOfItsLineAndColumn(string column, string value, string message)
    {
        var result = await ReadRowsAsync(DataFiles.ValidCaseRow.Replace("R-1", "R-0", StringComparison.Ordinal), DataFiles.CaseRow(column, value));

        var problem = Assert.Single(result.Problems);
        Assert.Equal(3, problem.Line);
        Assert.Equal(column, problem.Column);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
        Assert.Equal(1, result.ProblemCount);
        Assert.Equal(2, result.Rows);
        Assert.Equal("R-0", Assert.Single(result.Records).RecordId);
    }

    [Fact]
    public async Task ReadAsync_LongRecordId_IsAProblem()
    {
        var result = await ReadRowsAsync(DataFiles.CaseRow("record_id", new string('a', 65), id: new string('a', 65)));

        var problem = Assert.Single(result.Problems);
        Assert.Equal("record_id", problem.Column);
        Assert.Contains("has 65 characters; an id has at most 64", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_DuplicateRecordId_NamesTheFirstLine()
    {
        var result = await ReadAsync("# comment\n" + DataFiles.CaseHeader + "\nA,2020,IDENT,F,,,,,,\nB,2020,IDENT,F,,,,,,\n\nA,2021,IDENT,M,,,,,,\n");

        var problem = Assert.Single(result.Problems);
        Assert.Equal(new DataProblem(6, "record_id", "'A' is already the id of the record on line 3; each record needs its own id"), problem);
        Assert.Equal(["A", "B"], result.Records.Select(r => r.RecordId));
    }

    [Fact]
    public async Task ReadAsync_SeveralBadValuesInARow_ReportsEachAndGivesNoRecord()
    {
        var result = await ReadRowsAsync("R-1,1990,IDENT,W,200,NG,SEX,yes,no,");

        Assert.Equal(["year_identified", "sex", "age"], result.Problems.Select(p => p.Column));
        Assert.All(result.Problems, p => Assert.Equal(2, p.Line));
        Assert.Empty(result.Records);
    }

    [Fact]
    public async Task ReadAsync_ProblemAfterQuotedLineBreak_PointsAtThePhysicalLine()
    {
        var result = await ReadRowsAsync("\"R-1\",2020,IDENT,F,25,NG,\"SEX;\nSLAVERY\",maybe,no,");

        var problems = result.Problems.OrderBy(p => p.Column, StringComparer.Ordinal).ToList();
        Assert.Equal(2, problems.Count);
        Assert.Equal(new DataProblem(3, "assistance", "'maybe' is not yes or no; expected yes, no, true, false, 1 or 0 (empty means no)"), problems[0]);
        Assert.Equal(2, problems[1].Line);
        Assert.Equal("exploitation", problems[1].Column);
    }

    [Fact]
    public async Task ReadAsync_WrongNumberOfValues_IsAProblemOfTheRow()
    {
        var result = await ReadRowsAsync(DataFiles.ValidCaseRow, "R-2,2020,IDENT,F,25,NG,SEX,LAB,yes,no,", "R-3,2020");

        Assert.Equal(
            [
                new DataProblem(3, string.Empty, "the row has 11 values but the header has 10 columns; put a value that contains a comma in double quotes"),
                new DataProblem(4, string.Empty, "the row has 2 values but the header has 10 columns; put a value that contains a comma in double quotes"),
            ],
            result.Problems);
        Assert.Equal(3, result.Rows);
        Assert.Single(result.Records);
    }

    [Fact]
    public async Task ReadAsync_UnterminatedQuote_IsAProblemNotAnException()
    {
        var result = await ReadRowsAsync(DataFiles.ValidCaseRow, "R-2,2020,IDENT,F,25,NG,\"SEX,yes,no,", "R-3,2020,IDENT,F,25,NG,SEX,yes,no,");

        var problem = Assert.Single(result.Problems);
        Assert.Equal(3, problem.Line);
        Assert.Equal("exploitation", problem.Column);
        Assert.Contains("never closed", problem.Message, StringComparison.Ordinal);
        Assert.Equal(2, result.Rows);
    }

    [Fact]
    public async Task ReadAsync_HeaderInAnyOrderAndCase_IsRead()
    {
        var result = await ReadAsync("REFERRALS,Residence_Permit,assistance,exploitation,citizenship,age,sex,identification_status,year_identified,record_id\r\nin:DE,yes,no,LAB,UA,30,M,IDENT,2019,X1\r\n");

        Assert.Empty(result.Problems);
        Assert.Equal("X1|2019|IDENT|M|30|UA|LAB|False|True||DE", DataFiles.Describe(Assert.Single(result.Records)));
    }

    [Fact]
    public async Task ReadAsync_MissingAndUnknownColumns_AreNamedOnTheHeaderLine()
    {
        var result = await ReadAsync("# synthetic\nrecord_id,year_identified,identification_status,sex,age,citizenship,exploitation,assistance,nationality,residence_permit\nR-1,2020,IDENT,F,25,NG,SEX,yes,NG,no\n");

        Assert.Equal(
            [
                new DataProblem(2, "nationality", "unknown column 'nationality'; expected the columns " + DataFiles.CaseHeader),
                new DataProblem(2, "referrals", "required column 'referrals' is missing from the header; expected the columns " + DataFiles.CaseHeader),
            ],
            result.Problems);
        Assert.Empty(result.Records);
        Assert.Equal(1, result.Rows);
        Assert.True(result.Synthetic);
    }

    [Fact]
    public async Task ReadAsync_ColumnTwice_IsAProblem()
    {
        var result = await ReadAsync(DataFiles.CaseHeader + ",SEX\n" + DataFiles.ValidCaseRow + ",M\n");

        var problem = Assert.Single(result.Problems);
        Assert.Equal(new DataProblem(1, "sex", "column 'sex' appears twice in the header; name each column once"), problem);
    }

    [Theory]
    [InlineData("", 1)]
    [InlineData("# only a comment\n\n", 3)]
    public async Task ReadAsync_NoHeader_IsAProblemWhereTheHeaderShouldBe(string text, long line)
    {
        var result = await ReadAsync(text);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(line, problem.Line);
        Assert.Contains("the file has no header", problem.Message, StringComparison.Ordinal);
        Assert.Equal(0, result.Rows);
    }

    [Theory]
    [InlineData("# synthetic data generated by nremnet, seed 42\n", true)]
    [InlineData("#SYNTHETIC\n", true)]
    [InlineData("# Synthetic records\n# second comment\n", true)]
    [InlineData("# real data, 2024 export\n", false)]
    [InlineData("", false)]
    public async Task ReadAsync_SyntheticComment_MarksTheFile(string comments, bool synthetic)
    {
        var result = await ReadAsync(comments + DataFiles.CaseHeader + "\n" + DataFiles.ValidCaseRow + "\n");

        Assert.Empty(result.Problems);
        Assert.Equal(synthetic, result.Synthetic);
    }

    [Fact]
    public async Task ReadAsync_ByteOrderMarkAndCrLf_AreRead()
    {
        var text = DataFiles.CaseHeader + "\r\n" + DataFiles.ValidCaseRow + "\r\n";

        var result = await CaseRecordFile.ReadAsync(DataFiles.Utf8(text, byteOrderMark: true), Options, null, TestContext.Current.CancellationToken);

        Assert.Empty(result.Problems);
        Assert.Single(result.Records);
    }

    [Fact]
    public async Task ReadAsync_ManyProblems_KeepsTheFirstAndCountsAll()
    {
        var rows = Enumerable.Range(1, 50).Select(i => DataFiles.CaseRow("sex", "W", id: $"R-{i}")).ToArray();

        var result = await CaseRecordFile.ReadAsync(
            DataFiles.Utf8(DataFiles.CaseHeader + "\n" + string.Join('\n', rows)),
            Options with { MaxProblems = 10 },
            null,
            TestContext.Current.CancellationToken);

        Assert.Equal(10, result.Problems.Count);
        Assert.Equal(50, result.ProblemCount);
        Assert.Equal(50, result.Rows);
        Assert.Equal(Enumerable.Range(2, 10).Select(i => (long)i), result.Problems.Select(p => p.Line));
    }

    [Fact]
    public async Task ReadAsync_Progress_ReportsTheBytesRead()
    {
        var progress = new RecordingProgress();
        var stream = DataFiles.Utf8(DataFiles.CaseHeader + "\n" + DataFiles.ValidCaseRow + "\n");

        await CaseRecordFile.ReadAsync(stream, Options, progress, TestContext.Current.CancellationToken);

        Assert.Equal(stream.Length, progress.Reports[^1]);
    }

    [Theory]
    [InlineData("ZZ", 2024, 1000)]
    [InlineData("NL", 1999, 1000)]
    [InlineData("NL", 2024, -1)]
    public async Task ReadAsync_InvalidOptions_Throw(string country, int currentYear, int maxProblems)
    {
        var options = new CaseRecordFileOptions { Country = country, CurrentYear = currentYear, MaxProblems = maxProblems };

        await Assert.ThrowsAsync<ArgumentException>(() => CaseRecordFile.ReadAsync(DataFiles.Utf8(DataFiles.CaseHeader), options, null, TestContext.Current.CancellationToken));
    }
}

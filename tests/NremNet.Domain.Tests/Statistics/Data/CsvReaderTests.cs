using System.Text;
using NremNet.Domain.Statistics.Data;

namespace NremNet.Domain.Tests.Statistics.Data;

public class CsvReaderTests
{
    private sealed record Row(long Line, string[] Fields, long[] FieldLines, string? Problem, long ProblemLine);

    private static async Task<(List<Row> Rows, CsvReader Reader)> ReadAllAsync(Stream stream)
    {
        var reader = new CsvReader(stream, bytesRead: null);
        var rows = new List<Row>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            var fields = new string[reader.FieldCount];
            var lines = new long[reader.FieldCount];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = reader[i].ToString();
                lines[i] = reader.LineOf(i);
            }

            rows.Add(new Row(reader.Line, fields, lines, reader.Problem, reader.ProblemLine));
        }

        return (rows, reader);
    }

    private static Task<(List<Row> Rows, CsvReader Reader)> ReadAllAsync(string text) => ReadAllAsync(DataFiles.Utf8(text));

    [Fact]
    public async Task ReadAsync_QuotedFields_UnescapesQuotesAndKeepsCommas()
    {
        var (rows, _) = await ReadAllAsync("a,b,c\n\"x,y\",\"he said \"\"hi\"\"\",\"\"\n");

        Assert.Equal(2, rows.Count);
        Assert.Equal(["x,y", "he said \"hi\"", ""], rows[1].Fields);
        Assert.Null(rows[1].Problem);
    }

    [Fact]
    public async Task ReadAsync_LineBreakInsideQuotes_IsPartOfTheValueAndCountsAsALine()
    {
        var (rows, _) = await ReadAllAsync("h1,h2\r\n\"first\r\nsecond\",x\r\nlast,row\r\n");

        Assert.Equal("first\r\nsecond", rows[1].Fields[0]);
        Assert.Equal(2, rows[1].Line);
        Assert.Equal([2L, 3L], rows[1].FieldLines);
        Assert.Equal(4, rows[2].Line);
    }

    [Fact]
    public async Task ReadAsync_ByteOrderMark_IsSkipped()
    {
        var (rows, _) = await ReadAllAsync(DataFiles.Utf8("a,b\n1,2\n", byteOrderMark: true));

        Assert.Equal(["a", "b"], rows[0].Fields);
        Assert.Equal(1, rows[0].Line);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public async Task ReadAsync_AnyLineEnd_GivesTheSameRowsAndLines(string end)
    {
        var (rows, _) = await ReadAllAsync($"a,b{end}1,2{end}{end}3,4");

        Assert.Equal(3, rows.Count);
        Assert.Equal(["3", "4"], rows[2].Fields);
        Assert.Equal([1L, 2L, 4L], rows.Select(r => r.Line));
    }

    [Fact]
    public async Task ReadAsync_CommentsBeforeHeader_AreKeptAndCountAsLines()
    {
        var (rows, reader) = await ReadAllAsync("# synthetic data\n#second\n\nh1,h2\n#not a comment,x\n");

        Assert.Equal([" synthetic data", "second"], reader.Comments);
        Assert.Equal(4, rows[0].Line);
        Assert.Equal(["#not a comment", "x"], rows[1].Fields);
        Assert.Equal(5, rows[1].Line);
    }

    [Fact]
    public async Task ReadAsync_EmptyLastField_IsAField()
    {
        var (rows, _) = await ReadAllAsync("a,b\n1,\n");

        Assert.Equal(["1", ""], rows[1].Fields);
    }

    [Fact]
    public async Task ReadAsync_UnterminatedQuote_IsAProblemOnTheLineItOpens()
    {
        var (rows, _) = await ReadAllAsync("a,b\n1,2\n3,\"open\n4,5\n");

        Assert.Equal(3, rows.Count);
        Assert.Equal(3, rows[2].Line);
        Assert.Equal(3, rows[2].ProblemLine);
        Assert.Contains("never closed", rows[2].Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_TextAfterClosingQuote_IsAProblem()
    {
        var (rows, _) = await ReadAllAsync("a,b\n\"x\"y,2\n");

        Assert.Contains("text after a closing quote", rows[1].Problem, StringComparison.Ordinal);
        Assert.Equal(2, rows[1].ProblemLine);
    }

    [Fact]
    public async Task ReadAsync_OneByteAtATime_ReadsTheSameAsAtOnce()
    {
        const string text = "# c\r\nnom,ville\r\n\"Zoë\",\"Malmö\r\nSkåne\"\r\nÅsa,\"a \"\"b\"\"\"\r\nlast,é";
        var whole = await ReadAllAsync(text);

        var trickled = await ReadAllAsync(new TrickleStream([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)], chunk: 1));

        Assert.Equal(whole.Rows.Select(r => (r.Line, string.Join('|', r.Fields))), trickled.Rows.Select(r => (r.Line, string.Join('|', r.Fields))));
        Assert.Equal(["nom", "ville"], trickled.Rows[0].Fields);
        Assert.Equal(["Zoë", "Malmö\r\nSkåne"], trickled.Rows[1].Fields);
        Assert.Equal(5, trickled.Rows[2].Line);
        Assert.Equal(["last", "é"], trickled.Rows[3].Fields);
    }

    [Fact]
    public async Task ReadAsync_RowLongerThanTheLimit_IsAProblemAndNotHeld()
    {
        var (rows, _) = await ReadAllAsync("a,b\n1," + new string('x', CsvReader.MaxRowLength) + "\n3,4\n");

        Assert.Equal(3, rows.Count);
        Assert.Contains("longer than", rows[1].Problem, StringComparison.Ordinal);
        Assert.Equal(2, rows[1].ProblemLine);
        Assert.True(rows[1].Fields.Sum(f => f.Length) <= CsvReader.MaxRowLength);
        Assert.Equal(["3", "4"], rows[2].Fields);
    }

    [Fact]
    public async Task ReadAsync_QuoteLeftOpenInALargeFile_SaysItIsNeverClosed()
    {
        var (rows, _) = await ReadAllAsync("a,b\n1,\"open\n" + string.Concat(Enumerable.Repeat("5,6\n", 300_000)));

        Assert.Equal(2, rows.Count);
        Assert.Contains("never closed", rows[1].Problem, StringComparison.Ordinal);
        Assert.Equal(2, rows[1].ProblemLine);
    }

    [Fact]
    public async Task ReadAsync_Progress_ReportsEveryByte()
    {
        var progress = new RecordingProgress();
        var bytes = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("abc,def\n", 20_000)));
        var reader = new CsvReader(new MemoryStream(bytes), progress);

        var rows = 0;
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            rows++;
        }

        Assert.Equal(20_000, rows);
        Assert.True(progress.Reports.Count > 1);
        Assert.Equal(bytes.Length, progress.Reports[^1]);
        Assert.Equal(progress.Reports.Order(), progress.Reports);
    }

    [Fact]
    public async Task ReadAsync_Cancelled_Throws()
    {
        var reader = new CsvReader(DataFiles.Utf8("a,b\n"), bytesRead: null);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await reader.ReadAsync(new CancellationToken(canceled: true)));
    }
}

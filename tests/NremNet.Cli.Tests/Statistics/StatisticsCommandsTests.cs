using System.Text.Json;
using NremNet.Cli.Cli;
using NremNet.Cli.Tests.Infrastructure;
using NremNet.Domain.Statistics;

namespace NremNet.Cli.Tests.Statistics;

/// <summary>The statistics verbs against a real node NL (no directory: other countries are not members).</summary>
public sealed class StatisticsCommandsTests(ITestOutputHelper log) : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private TestNode _node = null!;

    private CliRunner Cli => _node.Cli;

    public async ValueTask InitializeAsync() => _node = await TestNode.StartAsync(_folder, log);

    public async ValueTask DisposeAsync()
    {
        await _node.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task ImportSummaryQuery_SyntheticCases_AreImportedOnce_SummarisedAndComparedAcrossCountries()
    {
        var file = _folder.Combine("nl-cases.csv");
        await Cli.SucceedAsync("data", "generate", "--country", "NL", "--years", "2022-2024", "--records", "300", "--out", file);

        var imported = await Cli.SucceedAsync("data", "import", file, "--kind", "cases");
        Assert.Contains(imported.Output.Successes, s => s.Contains("Imported nl-cases.csv into NL: 300 rows, 300 changed, 0 unchanged; years recomputed: 2022–2024", StringComparison.Ordinal));
        Assert.Contains(imported.Output.Warnings, w => w.Contains("SYNTHETIC", StringComparison.Ordinal));
        Assert.Contains("validating", imported.Console, StringComparison.Ordinal);

        var again = await Cli.SucceedAsync("--json", "data", "import", file, "--kind", "cases");
        Assert.True(again.Json.GetProperty("imported").GetBoolean());
        Assert.Equal(0, again.Json.GetProperty("changed").GetInt32());
        Assert.Equal(300, again.Json.GetProperty("unchanged").GetInt32());

        var summary = await Cli.SucceedAsync("--json", "data", "summary");
        Assert.Equal("NL", summary.Json.GetProperty("country").GetString());
        Assert.Equal(300, summary.Json.GetProperty("caseRecords").GetInt64());
        Assert.True(summary.Json.GetProperty("synthetic").GetBoolean());
        var victims = summary.Json.GetProperty("years").EnumerateArray().Where(y => y.GetProperty("indicator").GetString() == "THB_VICT_REG").ToList();
        Assert.Equal([2022, 2023, 2024], victims.Select(y => y.GetProperty("year").GetInt32()));
        Assert.Equal(300, victims.Sum(y => y.GetProperty("total").GetInt64()));
        var people = await Cli.SucceedAsync("data", "summary");
        Assert.Equal("case records", people.Table("Figures held by NL").Cell("THB_VICT_REG", "source"));

        // No flags: the current profile is NL's admin, so the query runs as NL's rapporteur.
        var output = _folder.Combine("query.json");
        var query = await Cli.SucceedAsync("query", "--indicator", "THB_VICT_REG", "--by", "TIME_PERIOD,EXPLOIT", "--countries", "NL,SE", "--years", "2022-2024", "--format", "json", "--out", output);
        Assert.Contains(query.Output.Warnings, w => w.Contains("SYNTHETIC DATA", StringComparison.Ordinal));
        Assert.Contains("NL  ", query.Console, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(output, TestContext.Current.CancellationToken));
        var countries = document.RootElement.GetProperty("countries").EnumerateArray().ToList();
        Assert.Equal(["NL", "SE"], countries.Select(c => c.GetProperty("country").GetString()));
        Assert.Contains(countries[0].GetProperty("status").GetString(), new[] { "ok", "partly_withheld" });
        Assert.True(countries[0].GetProperty("synthetic").GetBoolean());
        var totals = countries[0].GetProperty("cells").EnumerateArray()
            .Where(c => c.GetProperty("key").GetProperty("EXPLOIT").GetString() == "_T")
            .ToList();
        Assert.Equal(["2022", "2023", "2024"], totals.Select(c => c.GetProperty("key").GetProperty("TIME_PERIOD").GetString()));
        Assert.Equal("denied", countries[1].GetProperty("status").GetString());
        Assert.Contains("not an active member", countries[1].GetProperty("reason").GetString(), StringComparison.Ordinal);

        // The same query as a workbook and as SDMX-CSV: the node's exports, written by the command line.
        var workbook = _folder.Combine("query.xlsx");
        await Cli.SucceedAsync("query", "--indicator", "THB_VICT_REG", "--by", "TIME_PERIOD,EXPLOIT", "--countries", "NL,SE", "--years", "2022-2024", "--format", "xlsx", "--out", workbook);
        using (var spreadsheet = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(workbook, isEditable: false))
        {
            Assert.Equal(["Table", "Data", "Notes"], spreadsheet.WorkbookPart!.Workbook.Descendants<DocumentFormat.OpenXml.Spreadsheet.Sheet>().Select(s => s.Name!.Value));
        }

        var sdmxCsv = _folder.Combine("query.sdmx.csv");
        await Cli.SucceedAsync("query", "--indicator", "THB_VICT_REG", "--by", "EXPLOIT", "--countries", "NL", "--years", "2024", "--format", "sdmx-csv", "--out", sdmxCsv);
        var lines = await File.ReadAllLinesAsync(sdmxCsv, TestContext.Current.CancellationToken);
        Assert.Equal("STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,INDICATOR,TIME_PERIOD,EXPLOIT,OBS_VALUE,OBS_STATUS,CONF_STATUS,NOISY,SYNTHETIC", lines[0]);
        Assert.Equal(1 + 1 + StatisticsCatalogue.Exploitation.Codes.Count, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.EndsWith(",true", l, StringComparison.Ordinal));

        var table = await Cli.SucceedAsync("query", "--indicator", "THB_VICT_REG", "--by", "EXPLOIT", "--countries", "NL,SE", "--years", "2022-2024");
        Assert.Contains("SYNTHETIC DATA", table.Console, StringComparison.Ordinal);
        Assert.Contains("Sexual exploitation", table.Console, StringComparison.Ordinal);
        Assert.Contains("SE  denied", table.Console, StringComparison.Ordinal);
        _node.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Query_Xlsx_WithoutOut_IsAUsageError_BeforeAnythingIsAsked()
    {
        var run = await Cli.RunAsync("query", "--indicator", "THB_VICT_REG", "--countries", "NL", "--years", "2024", "--format", "xlsx");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--out", run.ErrorText, StringComparison.Ordinal);
        _node.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Query_AsAnAdmin_IsRefused_AndAnInvalidQueryShowsTheNodesFieldProblems()
    {
        var refused = await Cli.RunAsync("query", "--profile", "NL-admin", "--indicator", "THB_VICT_REG", "--countries", "NL", "--years", "2022");
        Assert.Equal(ExitCodes.PermissionDenied, refused.ExitCode);

        var invalid = await Cli.RunAsync("query", "--indicator", "THB_NOPE", "--by", "SEX", "--countries", "NL", "--years", "2022");
        Assert.Equal(ExitCodes.Usage, invalid.ExitCode);
        Assert.Contains("- indicator: 'THB_NOPE' is not an indicator", invalid.ErrorText, StringComparison.Ordinal);
        _node.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Import_FileWithBadRows_ListsEveryProblem_StoresNothing_AndExitsCheckFailed()
    {
        var file = _folder.Combine("bad.csv");
        await File.WriteAllTextAsync(
            file,
            "record_id,year_identified,identification_status,sex,age,citizenship,exploitation,assistance,residence_permit,referrals\n" +
            "r1,2023,IDENT,F,25,NL,SEX,yes,no,\n" +
            "r2,1890,IDENT,F,25,NL,SEX,yes,no,\n" +
            "r3,2023,MAYBE,Q,25,NL,SEX,yes,no,\n",
            TestContext.Current.CancellationToken);

        var run = await Cli.RunAsync("data", "import", file, "--kind", "cases");

        Assert.Equal(ExitCodes.CheckFailed, run.ExitCode);
        Assert.Contains(run.Output.Errors, e => e.Contains("bad.csv was rejected", StringComparison.Ordinal) && e.Contains("nothing was stored", StringComparison.Ordinal));
        var problems = run.Table("Problems in bad.csv");
        Assert.Contains(problems.Rows, r => r[0] == "3" && r[1] == "year_identified");
        Assert.Contains(problems.Rows, r => r[0] == "4" && r[1] == "identification_status");
        Assert.Contains(problems.Rows, r => r[0] == "4" && r[1] == "sex");

        var json = await Cli.RunAsync("--json", "data", "import", file, "--kind", "cases");
        Assert.Equal(ExitCodes.CheckFailed, json.ExitCode);
        Assert.False(json.Json.GetProperty("imported").GetBoolean());
        Assert.Equal(json.Json.GetProperty("problemCount").GetInt32(), json.Json.GetProperty("problems").GetArrayLength());

        var summary = await Cli.SucceedAsync("--json", "data", "summary");
        Assert.Equal(0, summary.Json.GetProperty("caseRecords").GetInt64());
        _node.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Agreements_SetListRemove_ShowGrantsProtectionAndBudget()
    {
        var set = await Cli.SucceedAsync(
            "--json", "agreement", "set", "--country", "se", "--grant", "THB_VICT_REG:SEX,EXPLOIT", "--grant", "THB_PROS:*",
            "--protection", "dp", "--epsilon-per-year", "5", "--epsilon-per-query", "0.5", "--valid-until", "2099-12-31", "--reference", "MoU 2025/7");
        var agreement = set.Json.GetProperty("agreement");
        Assert.Equal("SE", agreement.GetProperty("country").GetString());
        Assert.Equal("dp", agreement.GetProperty("protection").GetString());
        Assert.Equal("2099-12-31", agreement.GetProperty("validUntil").GetString());

        var listed = await Cli.SucceedAsync("--json", "agreement", "list");
        var only = Assert.Single(listed.Json.GetProperty("agreements").EnumerateArray());
        Assert.Equal(
            ["THB_VICT_REG:SEX,EXPLOIT", "THB_PROS:*"],
            only.GetProperty("grants").EnumerateArray().Select(g => $"{g.GetProperty("indicator").GetString()}:{string.Join(',', g.GetProperty("dimensions").EnumerateArray().Select(d => d.GetString()))}"));
        Assert.Equal(5, only.GetProperty("epsilonPerYear").GetDouble());
        Assert.Equal("MoU 2025/7", only.GetProperty("reference").GetString());
        Assert.Equal("admin", only.GetProperty("updatedBy").GetString()?.Replace("user:", string.Empty, StringComparison.Ordinal));
        Assert.False(string.IsNullOrEmpty(listed.Json.GetProperty("baseline").GetString()));
        Assert.True(listed.Json.GetProperty("epsilonCap").GetDouble() > 0);

        var table = await Cli.SucceedAsync("agreement", "list");
        Assert.Equal("dp", table.Table("Agreements of NL").Cell("SE", "protection"));
        Assert.Equal("2099-12-31", table.Table("Agreements of NL").Cell("SE", "valid until"));
        Assert.StartsWith("0 / 5 (0.5 per query)", table.Table("Agreements of NL").Cell("SE", "ε spent / budget"), StringComparison.Ordinal);
        Assert.Contains(table.Output.Lines, l => l.StartsWith("Baseline: ", StringComparison.Ordinal));

        var removed = await Cli.SucceedAsync("agreement", "remove", "--country", "SE");
        Assert.Contains(removed.Output.Successes, s => s.Contains("Removed the agreement of NL with SE", StringComparison.Ordinal));
        var again = await Cli.SucceedAsync("agreement", "remove", "--country", "SE");
        Assert.Contains(again.Output.Warnings, w => w.Contains("no agreement with SE", StringComparison.Ordinal));
        Assert.Empty((await Cli.SucceedAsync("--json", "agreement", "list")).Json.GetProperty("agreements").EnumerateArray());
        _node.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task AgreementSet_BadValues_AreUsageErrors_LocallyOrFromTheNode()
    {
        var grant = await Cli.RunAsync("agreement", "set", "--country", "SE", "--grant", "THB_VICT_REG");
        Assert.Equal(ExitCodes.Usage, grant.ExitCode);
        Assert.Contains("'THB_VICT_REG' is not INDICATOR:DIM", grant.ErrorText, StringComparison.Ordinal);

        var epsilon = await Cli.RunAsync("agreement", "set", "--country", "SE", "--grant", "THB_PROS:*", "--protection", "dp");
        Assert.Equal(ExitCodes.Usage, epsilon.ExitCode);
        Assert.Contains("--epsilon-per-year", epsilon.ErrorText, StringComparison.Ordinal);

        var unknown = await Cli.RunAsync("agreement", "set", "--country", "SE", "--grant", "THB_VICT_REG:COLOUR");
        Assert.Equal(ExitCodes.Usage, unknown.ExitCode);
        Assert.Contains("- grants: 'COLOUR' is not a dimension", unknown.ErrorText, StringComparison.Ordinal);
        _node.AssertNoUnexpectedErrors();
    }
}

using NremNet.Cli.Cli;
using NremNet.Cli.Tests.Infrastructure;
using NremNet.Domain.Statistics.Data;

namespace NremNet.Cli.Tests.Statistics;

public sealed class GenerateDataCommandTests(ITestOutputHelper log) : IDisposable
{
    private readonly TempFolder _folder = new();

    private CliRunner Cli => new(_folder.Combine("profiles.json"), log);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Generate_Cases_WritesAFileTheCaseRecordReaderTakesWithoutProblems()
    {
        var file = _folder.Combine("nl-cases.csv");

        var run = await Cli.SucceedAsync("data", "generate", "--country", "nl", "--years", "2020-2023", "--records", "400", "--out", file);

        Assert.Contains(run.Output.Warnings, w => w.Contains("SYNTHETIC", StringComparison.Ordinal));
        await using var stream = File.OpenRead(file);
        var read = await CaseRecordFile.ReadAsync(stream, new CaseRecordFileOptions { Country = "NL", CurrentYear = 2024 }, null, TestContext.Current.CancellationToken);
        Assert.Empty(read.Problems);
        Assert.Equal(0, read.ProblemCount);
        Assert.Equal(400, read.Rows);
        Assert.True(read.Synthetic);
        Assert.All(read.Records, r => Assert.InRange(r.YearIdentified, 2020, 2023));
    }

    [Fact]
    public async Task Generate_CountryWithoutCaseRecords_WritesPublishedStatisticsByDefault()
    {
        var file = _folder.Combine("ng.csv");

        var run = await Cli.SucceedAsync("--json", "data", "generate", "--country", "NG", "--years", "2020-2024", "--out", file);

        Assert.Equal("statistics", run.Json.GetProperty("kind").GetString());
        Assert.True(run.Json.GetProperty("synthetic").GetBoolean());
        await using var stream = File.OpenRead(file);
        var read = await PublishedStatisticsFile.ReadAsync(stream, new PublishedStatisticsFileOptions { CurrentYear = 2025 }, null, TestContext.Current.CancellationToken);
        Assert.Equal(0, read.ProblemCount);
        Assert.True(read.Synthetic);
        Assert.NotEmpty(read.Values);
    }

    [Fact]
    public async Task Generate_ExistingFile_IsKeptUnlessForced()
    {
        var file = _folder.Combine("nl.csv");
        await File.WriteAllTextAsync(file, "keep me", TestContext.Current.CancellationToken);

        var refused = await Cli.RunAsync("data", "generate", "--country", "NL", "--years", "2023", "--records", "10", "--out", file);

        Assert.Equal(ExitCodes.Conflict, refused.ExitCode);
        Assert.Contains("--force", refused.ErrorText, StringComparison.Ordinal);
        Assert.Equal("keep me", await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
        await Cli.SucceedAsync("data", "generate", "--country", "NL", "--years", "2023", "--records", "10", "--out", file, "--force");
        Assert.StartsWith("# synthetic", await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_CasesForACountryThatOnlyPublishesTables_IsAUsageError()
    {
        var run = await Cli.RunAsync("data", "generate", "--country", "NG", "--kind", "cases", "--out", _folder.Combine("ng.csv"));

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--kind statistics", run.ErrorText, StringComparison.Ordinal);
    }
}

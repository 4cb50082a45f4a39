using System.CommandLine;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Domain.Statistics.Data;

namespace NremNet.Cli.Statistics;

/// <summary>
/// <c>nremnet data generate --country NL --out FILE</c>: writes a SYNTHETIC data file — case records or published
/// statistics shaped like a country's real ones, but invented — for demonstrations and tests. Local: no node needed.
/// The same country, years and size always give the same file.
/// </summary>
internal sealed class GenerateDataCommand : VerbCommand
{
    private readonly Option<string> _country = new("--country") { Description = "The country whose synthetic data to write, ISO 3166-1 alpha-2, e.g. NL.", Required = true };
    private readonly Option<string?> _years = new("--years", "-y") { Description = "A year or a range of years, e.g. 2015-2024 (default: the ten years before this one)." };
    private readonly Option<string> _kind = DataKinds.Option(required: false);
    private readonly Option<int?> _records = new("--records", "-n") { Description = "Case records in all, spread over the years (default: the country profile's yearly numbers); cases only." };
    private readonly Option<string> _out = new("--out", "-o") { Description = "The CSV file to write.", Required = true };
    private readonly Option<bool> _force = new("--force") { Description = "Replace the file if it exists." };

    public GenerateDataCommand(CliContext context)
        : base(context, "generate", "Write a SYNTHETIC data file of a country (invented case records or published statistics, for demonstrations and tests); no node needed.")
    {
        Options.Add(_country);
        Options.Add(_years);
        Options.Add(_kind);
        Options.Add(_records);
        Options.Add(_out);
        Options.Add(_force);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var country = CliValues.Country(parse.GetValue(_country), "--country");
        var thisYear = Context.Time.GetUtcNow().Year;
        var (first, last) = parse.GetValue(_years) is { } years ? QueryArguments.Years(years) : (thisYear - 10, thisYear - 1);
        var kind = parse.GetValue(_kind) ?? (SyntheticData.HoldsCaseRecords(country) ? DataKinds.Cases : DataKinds.Statistics);
        var records = parse.GetValue(_records);
        if (kind == DataKinds.Cases && !SyntheticData.HoldsCaseRecords(country))
        {
            throw new CliException(ExitCodes.Usage, $"{country}'s synthetic node publishes statistics only and holds no case records; use --kind {DataKinds.Statistics}.");
        }

        if (records is not null && kind != DataKinds.Cases)
        {
            throw new CliException(ExitCodes.Usage, "--records counts case records; it goes with --kind cases only.");
        }

        if (records is < 0 or > 10_000_000)
        {
            throw new CliException(ExitCodes.Usage, $"--records is {records}; give 0 to 10000000.");
        }

        var path = Path.GetFullPath(parse.GetValue(_out)!);
        if (File.Exists(path) && !parse.GetValue(_force))
        {
            throw new CliException(ExitCodes.Conflict, $"{path} exists; pass --force to replace it.");
        }

        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            if (kind == DataKinds.Cases)
            {
                await SyntheticData.WriteCasesAsync(stream, country, first, last, records, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await SyntheticData.WriteStatisticsAsync(stream, country, first, last, cancellationToken).ConfigureAwait(false);
            }
        }

        var size = new FileInfo(path).Length;
        var span = first == last ? FormattableString.Invariant($"{first}") : FormattableString.Invariant($"{first}–{last}");
        if (Output.Json)
        {
            Output.WriteJson(new { file = path, country, kind, firstYear = first, lastYear = last, records, bytes = size, synthetic = true });
            return ExitCodes.Ok;
        }

        Output.Warning($"SYNTHETIC DATA: {Path.GetFileName(path)} holds invented {(kind == DataKinds.Cases ? "case records" : "published statistics")} of {country}, for demonstrations and tests only — never real cases.");
        Output.Success($"Wrote {path} ({ImportProgress.Bytes(size)}, {span}). Import it with 'nremnet data import {Path.GetFileName(path)} --kind {kind}'.");
        return ExitCodes.Ok;
    }
}

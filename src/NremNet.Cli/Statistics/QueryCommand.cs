using System.CommandLine;
using System.Text;
using Grpc.Core;
using NremNet.Cli.Cli;
using NremNet.Cli.Profiles;
using NremNet.Contracts.Local.V1;
using NremNet.Node.Statistics.Exports;

namespace NremNet.Cli.Statistics;

/// <summary>
/// <c>nremnet query --indicator THB_VICT_REG --by TIME_PERIOD,EXPLOIT --countries NL,SE,FI,BG --years 2019-2024</c>:
/// puts one catalogue query to several countries through the rapporteur's node and shows their protected figures side
/// by side. Each country's failure (denied, unreachable, too slow, no data) is reported and the command still exits 0;
/// only a failure of the call itself (login, role, an invalid query) exits non-zero.
/// </summary>
internal sealed class QueryCommand : VerbCommand
{
    /// <summary>The formats <c>--format</c> accepts.</summary>
    public static readonly IReadOnlyList<string> Formats = ["table", "csv", "json", "sdmx-json", "sdmx-csv", "xlsx"];

    private static readonly TimeSpan MaxDeadline = TimeSpan.FromMinutes(5);

    private readonly Option<string> _indicator = new("--indicator", "-i") { Description = "The indicator, e.g. THB_VICT_REG (see the catalogue).", Required = true };
    private readonly Option<string[]> _by = new("--by") { Description = "Dimensions to break down by, comma-separated, e.g. TIME_PERIOD,EXPLOIT (figures are always per year; TIME_PERIOD only sets where years go among the rows).", AllowMultipleArgumentsPerToken = false };
    private readonly Option<string[]> _countries = new("--countries", "-c") { Description = "Countries to ask, ISO 3166-1 alpha-2, comma-separated, e.g. NL,SE,FI,BG.", Required = true };
    private readonly Option<string> _years = new("--years", "-y") { Description = "A year or a range of years, e.g. 2019-2024 or 2022.", Required = true };
    private readonly Option<string[]> _filters = new("--filter") { Description = "Codes to keep of a breakdown dimension, e.g. EXPLOIT=SEX,LAB (repeat for another dimension; _T is the total)." };
    private readonly Option<string?> _deadline = new("--deadline") { Description = "How long to wait for each country, e.g. 10s or 1500ms (default: the node's)." };
    private readonly Option<bool> _refresh = new("--refresh") { Description = "Ask every country again, even when the node holds a fresh answer." };
    private readonly Option<string?> _format = new("--format", "-f") { Description = "table (default), csv (SDMX-style long format), json, sdmx-json (an SDMX-JSON data message), sdmx-csv (SDMX-CSV 2.0) or xlsx (an Excel workbook; needs --out). --json means --format json." };
    private readonly Option<string?> _out = new("--out", "-o") { Description = "Write the result to this file instead of standard output (a table as text)." };

    public QueryCommand(CliContext context)
        : base(context, "query", "Ask several countries for the same indicator and compare their protected figures side by side (rapporteur). Runs as --profile, else a rapporteur profile of --node, else the current profile when it is a rapporteur's, else the rapporteur profile of the current profile's node.")
    {
        _format.AcceptOnlyFromAmong([.. Formats]);
        Options.Add(_indicator);
        Options.Add(_by);
        Options.Add(_countries);
        Options.Add(_years);
        Options.Add(_filters);
        Options.Add(_deadline);
        Options.Add(_refresh);
        Options.Add(_format);
        Options.Add(_out);
    }

    /// <summary>The query the command line asks, or a usage error naming what is wrong.</summary>
    public QuerySpec Spec(ParseResult parse)
    {
        var indicator = parse.GetValue(_indicator)?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(indicator))
        {
            throw new CliException(ExitCodes.Usage, "--indicator is empty; name an indicator, e.g. THB_VICT_REG.");
        }

        var (breakdown, rows) = QueryArguments.Breakdown(parse.GetValue(_by));
        var (first, last) = QueryArguments.Years(parse.GetValue(_years));
        var filters = QueryArguments.Filters(parse.GetValue(_filters), breakdown);
        var countries = QueryArguments.Countries(parse.GetValue(_countries));
        return new QuerySpec(indicator, breakdown, rows, first, last, filters, countries);
    }

    /// <summary>The format asked for: <c>--format</c>, else json with <c>--json</c>, else table.</summary>
    public string Format(ParseResult parse) => parse.GetValue(_format) ?? (parse.GetValue(Context.JsonOption) ? "json" : "table");

    /// <summary>Renders the results in a text format of <see cref="Formats"/> (every one but xlsx).</summary>
    public static string Render(QueryOutcome outcome, string format) =>
        QueryExports.Find(format) is { } export ? QueryExports.RenderText(outcome, export) : QueryTableRenderer.Render(outcome);

    /// <summary>The file's bytes in a format of <see cref="Formats"/>: the export's, or the table as UTF-8 text.</summary>
    public static byte[] RenderFile(QueryOutcome outcome, string format) =>
        QueryExports.Find(format) is { } export ? QueryExports.Render(outcome, export) : new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(QueryTableRenderer.Render(outcome));

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var spec = Spec(parse);
        var format = Format(parse);
        var deadline = parse.GetValue(_deadline) is { } text ? QueryArguments.Duration(text, "--deadline", MaxDeadline) : (TimeSpan?)null;
        var file = parse.GetValue(_out);
        if (file is null && QueryExports.Find(format) is { Binary: true } binary)
        {
            throw new CliException(ExitCodes.Usage, $"--format {format} writes a binary file ({binary.Name}); name it with --out, e.g. --out results{binary.Extension}.");
        }

        var terminal = StatisticsTerminal.For(parse);

        var profile = RapporteurProfile.Choose(Context.Profiles(), parse.GetValue(Context.ProfileOption), parse.GetValue(Context.NodeOption));
        using var connection = NodeConnection.Open(profile);

        // The node waits up to the deadline for each country, all in parallel; the call itself gets a margin on top.
        var callDeadline = (deadline ?? MaxDeadline) + TimeSpan.FromSeconds(30);
        using var call = new StatisticsService.StatisticsServiceClient(connection.Invoker).FederatedQuery(
            spec.ToRequest(deadline, parse.GetValue(_refresh)),
            new CallOptions(deadline: DateTime.UtcNow + callDeadline, cancellationToken: cancellationToken));
        var arrived = await QueryProgress.CollectAsync(call.ResponseStream, spec.Countries, profile.Node, terminal, cancellationToken).ConfigureAwait(false);

        var outcome = new QueryOutcome(spec, QueryOutcome.InAskedOrder(arrived, spec.Countries), Context.Time.GetUtcNow(), profile.Node);
        if (file is null)
        {
            var document = Render(outcome, format);
            await terminal.Output.WriteAsync(document.AsMemory(), cancellationToken).ConfigureAwait(false);
            await terminal.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        var path = Path.GetFullPath(file);
        await File.WriteAllBytesAsync(path, RenderFile(outcome, format), cancellationToken).ConfigureAwait(false);
        if (outcome.Synthetic)
        {
            Output.Warning(QueryTableRenderer.SyntheticBanner(outcome));
        }

        var answered = outcome.Results.Count(StatisticsText.Answered);
        Output.Success($"Wrote the {format} of {spec.Indicator} ({answered} of {spec.Countries.Count} countries gave figures) to {path}.");
        return ExitCodes.Ok;
    }
}

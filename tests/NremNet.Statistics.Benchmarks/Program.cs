using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Data.Sqlite;
using NremNet.Contracts.Aggregates.V1;
using NremNet.Contracts.Local.V1;
using NremNet.Domain.Pki;
using NremNet.Domain.Statistics.Queries;
using NremNet.Hosting.Certificates;
using NremNet.Hosting.Grpc;

// queries --state DIR --node SE --as NL [--indicator THB_VICT_REG] [--breakdown SEX,EXPLOIT] [--years 2024,2015-2024]
//         [--calls 2000] [--federated-calls 200] [--warmup 100]
// Against a running local federation ('nremnet federation up --detach --state DIR'), calls one at a time, interleaved
// in rounds so that other load on the machine falls on every figure alike:
//  1. the peer API of node --node, as the node of country --as (mutual TLS with its certificate), for one breakdown and
//     each range of years given; with it a health check on the same channel: the transport alone;
//  2. the same cells read straight from that node's SQLite file (read-only, one open connection, a prepared SELECT
//     on stat_cells as the node runs it): the floor any answer through the peer API stands on;
//  3. a federated query over every node as the rapporteur of --as (user API, cache bypassed with refresh) for the first
//     range of years, and every other node's peer API called directly as --as: the slowest of those is what a
//     federated query that asks all in parallel cannot beat.
// Prints one JSON object on stdout (figures in milliseconds); progress on stderr. Figures only: nothing is asserted.
if (args.Length == 0 || args[0] != "queries")
{
    Console.Error.WriteLine("usage: NremNet.Statistics.Benchmarks queries --state DIR --node SE --as NL [--indicator THB_VICT_REG] [--breakdown SEX,EXPLOIT] [--years 2024,2015-2024] [--calls 2000] [--federated-calls 200] [--warmup 100]");
    return 2;
}

string Option(string name, string fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
int Number(string name, int fallback) => int.Parse(Option(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
var state = Path.GetFullPath(Option("--state", "artifacts/bench/statistics/state"));
var target = Option("--node", "SE");
var asker = Option("--as", "NL");
var calls = Number("--calls", 2000);
var federatedCalls = Number("--federated-calls", 200);
var warmup = Number("--warmup", 100);
var yearRanges = Option("--years", "2024").Split(',').Select(r => r.Split('-')).Select(r => (Start: int.Parse(r[0], CultureInfo.InvariantCulture), End: int.Parse(r[^1], CultureInfo.InvariantCulture))).ToList();
var request = new QueryRequest { Indicator = Option("--indicator", "THB_VICT_REG") };
request.Breakdown.Add(Option("--breakdown", "SEX,EXPLOIT").Split(',', StringSplitOptions.RemoveEmptyEntries));

var federation = JsonNode.Parse(File.ReadAllText(Path.Combine(state, "federation.json")))!;
var nodes = federation["nodes"]!.AsArray().Select(n => (Country: (string)n!["country"]!, PeerUrl: (string)n["peerUrl"]!)).ToList();
var pki = Path.Combine(state, "pki");
var credentials = NetworkCredentials.Load(Path.Combine(pki, asker + ".crt"), Path.Combine(pki, asker + ".key"), Path.Combine(pki, "ca.crt"), NetworkRole.Node, asker, DateTimeOffset.UtcNow);
var peerChannels = nodes.Where(n => n.Country != asker).ToDictionary(n => n.Country, n => NetworkChannel.Create(n.PeerUrl, credentials.ClientOptions()));
var result = new JsonObject
{
    ["query"] = new JsonObject
    {
        ["indicator"] = request.Indicator,
        ["breakdown"] = string.Join(" x ", request.Breakdown),
        ["years"] = Option("--years", "2024"),
    },
    ["node"] = target,
    ["as"] = asker,
    ["calls"] = calls,
    ["federatedCalls"] = federatedCalls,
};

// 1 and 2, for each shape of the query (its years): the peer API, the transport alone, the bare SQLite query.
var database = Path.Combine(state, "nodes", target, "data", "node.db");
await using var sqlite = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
await sqlite.OpenAsync();
var peer = new AggregateService.AggregateServiceClient(peerChannels[target]);
var health = new Health.HealthClient(peerChannels[target]);
var shapes = new JsonArray();
foreach (var span in yearRanges)
{
    var shape = request.Clone();
    shape.StartYear = span.Start;
    shape.EndYear = span.End;
    var label = span.Start == span.End ? $"{span.Start}" : $"{span.Start}-{span.End}";
    var answer = await peer.QueryAsync(shape, Deadline());
    var (query, problems) = StatisticsQuery.Create(shape.Indicator, shape.Breakdown, shape.StartYear, shape.EndYear, [], DateTime.UtcNow.Year);
    if (query is null)
    {
        Console.Error.WriteLine("The query is not valid: " + string.Join("; ", problems.Select(p => $"{p.Field}: {p.Message}")));
        return 2;
    }

    await using var select = sqlite.CreateCommand();
    var signatures = query.Signatures.Select((_, i) => "$s" + i.ToString(CultureInfo.InvariantCulture)).ToList();
    select.CommandText = "SELECT indicator, signature, year, cell, value, obs_status, conf_status, cell_key, from_case_records FROM stat_cells "
        + $"WHERE indicator = $indicator AND signature IN ({string.Join(", ", signatures)}) AND year BETWEEN $start AND $end";
    select.Parameters.AddWithValue("$indicator", shape.Indicator);
    for (var i = 0; i < signatures.Count; i++)
    {
        select.Parameters.AddWithValue(signatures[i], query.Signatures[i]);
    }

    select.Parameters.AddWithValue("$start", shape.StartYear);
    select.Parameters.AddWithValue("$end", shape.EndYear);
    select.Prepare();
    var bareCells = ReadCells(select).Count;
    if (bareCells != answer.Cells.Count)
    {
        Console.Error.WriteLine($"warning: the peer API answered {answer.Cells.Count} cells, the bare query read {bareCells}");
    }

    // One round: a call through the peer API, a health check on the same channel (mutual TLS and HTTP/2, no audit,
    // no database: the transport alone), the bare query; interleaved, so that other load on the machine falls on all.
    var times = await MeasureRoundsAsync($"{label}: peer API {target} as {asker}, transport, bare SQLite", warmup, calls,
        ("peer", async () => await peer.QueryAsync(shape, Deadline())),
        ("transport", async () => await health.CheckAsync(new HealthCheckRequest(), Deadline())),
        ("bare", () =>
        {
            ReadCells(select);
            return Task.CompletedTask;
        }));
    var (peerFigures, transportFigures, bareFigures) = (Figures(times["peer"]), Figures(times["transport"]), Figures(times["bare"]));
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    p50 peer {peerFigures["p50"]} ms, transport {transportFigures["p50"]} ms, bare {bareFigures["p50"]} ms"));
    shapes.Add(new JsonObject
    {
        ["years"] = label,
        ["cells"] = answer.Cells.Count,
        ["bareCells"] = bareCells,
        ["withheld"] = answer.Policy.PrimaryWithheld + answer.Policy.SecondaryWithheld,
        ["peer"] = peerFigures,
        ["transport"] = transportFigures,
        ["bare"] = bareFigures,
        ["peerToBareP50"] = Round(peerFigures["p50"]!.GetValue<double>() / bareFigures["p50"]!.GetValue<double>()),
        ["transportToBareP50"] = Round(transportFigures["p50"]!.GetValue<double>() / bareFigures["p50"]!.GetValue<double>()),
    });
}

result["shapes"] = shapes;
request.StartYear = yearRanges[0].Start;
request.EndYear = yearRanges[0].End;

// 3. A federated query over every node, and each other node's peer API on its own.
var profile = JsonNode.Parse(File.ReadAllText(Path.Combine(state, "profiles.json")))!["profiles"]!.AsArray()
    .First(p => (string?)p!["node"] == asker && p["roles"]!.AsArray().Any(r => (string?)r == "rapporteur"))!;
using var console = NetworkChannel.Create((string)profile["url"]!, new NetworkChannelOptions { TrustedServerRoots = [PemFiles.Load((string)profile["caFile"]!)] });
var statistics = new StatisticsService.StatisticsServiceClient(console);
var authorization = new Metadata { { "authorization", "Bearer " + (string)profile["token"]! } };
var federated = new FederatedQueryRequest { Query = request, Refresh = true };
federated.Countries.Add(nodes.Select(n => n.Country));
var statuses = new JsonObject();
var elapsedAtNode = nodes.ToDictionary(n => n.Country, _ => new List<double>());
foreach (var row in await FederatedAsync())
{
    statuses[row.Country] = row.Status.ToString();
}

// One round: the federated query, then every other node's peer API on its own, as the asking node calls it.
var rounds = new List<(string Name, Func<Task> Call)>
{
    ("federated", async () =>
    {
        foreach (var row in await FederatedAsync())
        {
            elapsedAtNode[row.Country].Add(row.Elapsed.ToTimeSpan().TotalMilliseconds);
        }
    }),
};
foreach (var (country, channel) in peerChannels)
{
    var client = new AggregateService.AggregateServiceClient(channel);
    rounds.Add((country, async () =>
    {
        try
        {
            await client.QueryAsync(request, Deadline());
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.PermissionDenied or StatusCode.FailedPrecondition)
        {
            // A refusal is an answer too (AR keeps to the baseline); the federated query gets the same one.
        }
    }));
}

var federatedWarmup = Math.Min(warmup, federatedCalls);
var federatedTimes = await MeasureRoundsAsync($"federated query over {nodes.Count} nodes as {asker}, single peer calls", federatedWarmup, federatedCalls, [.. rounds]);
foreach (var list in elapsedAtNode.Values)
{
    // The node's own figures of the warm-up rounds are left out, as the rounds' own are.
    list.RemoveRange(0, Math.Min(list.Count, federatedWarmup));
}

var federatedFigures = Figures(federatedTimes["federated"]);
var single = new JsonObject();
foreach (var country in peerChannels.Keys)
{
    var figures = Figures(federatedTimes[country]);
    figures["status"] = statuses[country]?.GetValue<string>();
    figures["p50AsSeenByNode"] = Percentile(elapsedAtNode[country], 0.50);
    single[country] = figures;
}

Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    p50 federated {federatedFigures["p50"]} ms; single peer calls {string.Join(", ", single.Select(s => $"{s.Key} {s.Value!["p50"]}"))} ms"));

var ownElapsed = elapsedAtNode[asker];
var slowest = single.OrderByDescending(s => s.Value!["p50"]!.GetValue<double>()).First();
result["federated"] = federatedFigures;
result["federatedStatuses"] = statuses;
result["ownCountryP50AsSeenByNode"] = Percentile(ownElapsed, 0.50);
result["singlePeerCalls"] = single;
result["slowestPeer"] = slowest.Key;
result["slowestPeerP50"] = slowest.Value!["p50"]!.GetValue<double>();
result["sumOfSinglePeerP50"] = Round(single.Sum(s => s.Value!["p50"]!.GetValue<double>()));
result["federatedToSlowestP50"] = Round(federatedFigures["p50"]!.GetValue<double>() / slowest.Value!["p50"]!.GetValue<double>());
Console.WriteLine(result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
foreach (var channel in peerChannels.Values)
{
    channel.Dispose();
}

return 0;

async Task<List<FederatedQueryResponse>> FederatedAsync()
{
    using var call = statistics.FederatedQuery(federated, new CallOptions(headers: authorization, deadline: DateTime.UtcNow.AddSeconds(30)));
    var rows = new List<FederatedQueryResponse>();
    await foreach (var row in call.ResponseStream.ReadAllAsync())
    {
        rows.Add(row);
    }

    return rows;
}

static CallOptions Deadline() => new(deadline: DateTime.UtcNow.AddSeconds(30));

static List<object?[]> ReadCells(SqliteCommand select)
{
    var rows = new List<object?[]>();
    using var reader = select.ExecuteReader();
    while (reader.Read())
    {
        var row = new object?[reader.FieldCount];
        reader.GetValues(row!);
        rows.Add(row);
    }

    return rows;
}

static async Task<Dictionary<string, List<double>>> MeasureRoundsAsync(string label, int warmup, int rounds, params (string Name, Func<Task> Call)[] actions)
{
    for (var i = 0; i < warmup; i++)
    {
        foreach (var (_, call) in actions)
        {
            await call();
        }
    }

    var times = actions.ToDictionary(a => a.Name, _ => new List<double>(rounds));
    var started = Stopwatch.GetTimestamp();
    var reported = started;
    for (var i = 0; i < rounds; i++)
    {
        foreach (var (name, call) in actions)
        {
            var before = Stopwatch.GetTimestamp();
            await call();
            times[name].Add(Stopwatch.GetElapsedTime(before).TotalMilliseconds);
        }

        if (Stopwatch.GetElapsedTime(reported) > TimeSpan.FromSeconds(5))
        {
            Console.Error.WriteLine($"    {label}: {i + 1}/{rounds}");
            reported = Stopwatch.GetTimestamp();
        }
    }

    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {label}: {rounds} rounds in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s"));
    return times;
}

static JsonObject Figures(List<double> times) => new()
{
    ["p50"] = Percentile(times, 0.50),
    ["p99"] = Percentile(times, 0.99),
    ["mean"] = Round(times.Count == 0 ? 0 : times.Average()),
    ["calls"] = times.Count,
};

// Nearest rank.
static double Percentile(List<double> values, double p)
{
    if (values.Count == 0)
    {
        return 0;
    }

    var sorted = values.Order().ToList();
    return Round(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)]);
}

static double Round(double value) => Math.Round(value, 4);

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grpc.Core;
using NremNet.Contracts.Local.V1;
using NremNet.Practices.Benchmarks;
using NremNet.Search.Queries;
using NremNet.Search.Vocabulary;

// run --state DIR [--count 50000] [--concurrency 3] [--fresh FI] [--search-node SE] [--searchable 200] [--queries 500]
//     [--kills 5] [--seed 1] [--timeout 3600] [--out FILE] [--pid-file FILE]
// Run by run.sh against the local sample federation (issue 13 item 10). The seven nodes' rapporteurs publish --count
// SYNTHETIC practices (each node its seventh, --concurrency calls at a time per node), generated from --seed:
//   A. the --fresh node publishes its share while every node runs; the others replicate it;
//   B. the --fresh node is stopped; the six others publish their shares at once — publish rate, and seconds until
//      the six hold everything; meanwhile --kills times a random node of the six is killed with SIGKILL at a random
//      moment and started again (a publication whose answer was lost is looked up by its title in the owner's
//      node.db, so nothing is published twice);
//   C. the --fresh node, down for the whole publication of the six, is started again: seconds until it holds
//      everything;
//   D. convergence: every node's count and a SHA-256 over its documents' ids, versions, states and digests (read
//      from each node.db) must be equal; index size on disk per node;
//   E. publish-to-searchable: --searchable single practices, one at a time from rotating nodes, each with a nonsense
//      marker word in its title; per practice the seconds until a search for the marker on every other node returns
//      it (each node polled every 20 ms);
//   F. search latency on --search-node: --queries searches of 1 to 3 words from the generated corpus (the node's
//      language and English) through the user API and the bare FTS5 statement of the node's search on the same
//      tables (read-only connection to its node.db), p50/p99 and the ratio.
// Every publication's answer is checked to be version 1 of a new practice: a later version means the node gave two
// concurrent publications the same id and stored one over the other (counted, and the practices counted by their
// distinct ids from then on).
// Figures only: no time is asserted; the exit code says whether everything was published, each as a practice of its
// own, and every node converged.
// search --state DIR [--search-node SE] [--queries 500] [--seed 1] [--out FILE]
// Phase F alone, on a federation that a run left in --state and that is up again (run.sh with PHASES=search): the
// same queries from the same seed, after the machine settles.
if (args.Length == 0 || args[0] is not ("run" or "search"))
{
    Console.Error.WriteLine("usage: NremNet.Practices.Benchmarks run --state DIR [--count 50000] [--concurrency 3] [--fresh FI] [--search-node SE] [--searchable 200] [--queries 500] [--kills 5] [--seed 1] [--timeout 3600] [--out FILE] [--pid-file FILE]");
    Console.Error.WriteLine("       NremNet.Practices.Benchmarks search --state DIR [--search-node SE] [--queries 500] [--seed 1] [--out FILE]");
    return 2;
}

string Option(string name, string? fallback = null) =>
    Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback ?? throw new ArgumentException($"{name} is required.");
int Number(string name, int fallback) => int.Parse(Option(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

var state = Path.GetFullPath(Option("--state"));
var count = Number("--count", 50_000);
var concurrency = Number("--concurrency", 3);
var freshCountry = Option("--fresh", "FI");
var searchCountry = Option("--search-node", "SE");
var searchableCount = Number("--searchable", 200);
var queryCount = Number("--queries", 500);
var kills = Number("--kills", 5);
var seed = Number("--seed", 1);
var timeout = TimeSpan.FromSeconds(Number("--timeout", 3600));
var outFile = Path.GetFullPath(Option("--out", Path.Combine(state, "..", "result.json")));
var pidFile = Option("--pid-file", string.Empty);
var chaos = new Random(seed);
var practices = new SyntheticPractices(seed);

var federation = JsonNode.Parse(File.ReadAllText(Path.Combine(state, "federation.json")))!;
var profiles = JsonNode.Parse(File.ReadAllText(Path.Combine(state, "profiles.json")))!["profiles"]!.AsArray();
var countries = federation["nodes"]!.AsArray().Select(n => (string)n!["country"]!).ToArray();
var nodes = countries.ToDictionary(c => c, c => BenchNode.Open(state, federation, profiles, c), StringComparer.Ordinal);
if (!nodes.ContainsKey(freshCountry) || !nodes.ContainsKey(searchCountry))
{
    Console.Error.WriteLine($"--fresh {freshCountry} and --search-node {searchCountry} must be nodes of the federation ({string.Join(", ", countries)}).");
    return 2;
}

if (args[0] == "search")
{
    var held = NodeFiles.ContentHash(nodes[searchCountry].Database).Practices;
    Say($"Search latency alone on {searchCountry}, which holds {held} SYNTHETIC practices; {Environment.ProcessorCount} cores");
    await SettleAsync();
    var searchLoads = new JsonObject { ["before_f"] = LoadAverage() };
    var alone = await SearchLatencyAsync();
    searchLoads["end"] = LoadAverage();
    var searchResult = new JsonObject
    {
        ["benchmark"] = "practice library search latency (issue 13 item 10, phase F alone)",
        ["synthetic"] = true,
        ["machine"] = new JsonObject { ["cores"] = Environment.ProcessorCount, ["load_average"] = searchLoads },
        ["parameters"] = new JsonObject { ["search_node"] = searchCountry, ["queries"] = queryCount, ["seed"] = seed },
        ["practices_on_node"] = held,
        ["search_latency_ms"] = alone.Json(searchCountry),
    };
    Directory.CreateDirectory(Path.GetDirectoryName(outFile)!);
    File.WriteAllText(outFile, searchResult.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    Console.WriteLine();
    Console.WriteLine($"Practice library search on {searchCountry}: {held} SYNTHETIC practices ({Environment.ProcessorCount} cores; load average {searchLoads["before_f"]} before, {searchLoads["end"]} at the end)");
    Console.WriteLine($"{"",-62}{"measured",16}{"target",12}");
    alone.Print(searchCountry);
    Console.WriteLine($"Figures in {outFile}");
    return 0;
}

var fresh = nodes[freshCountry];
var others = countries.Where(c => c != freshCountry).Select(c => nodes[c]).ToArray();
var shares = countries.Select((c, i) => (c, count / countries.Length + (i < count % countries.Length ? 1 : 0))).ToDictionary(x => x.c, x => x.Item2, StringComparer.Ordinal);
var loads = new JsonObject { ["start"] = LoadAverage() };
Say($"{count} SYNTHETIC practices over {countries.Length} nodes ({string.Join(", ", shares.Select(s => $"{s.Key} {s.Value}"))}), {concurrency} concurrent publications per node, seed {seed}; "
    + $"{Environment.ProcessorCount} cores, load average {LoadAverage():F2}");

// ---------------------------------------------------------------------------------------------------------------------
// 0. What the nodes hold before: the sample practices 'federation up' loaded, replicated everywhere.
// ---------------------------------------------------------------------------------------------------------------------
Say("Waiting until every node holds the same practices before the benchmark (sample practices of 'federation up', if any)");
await Task.WhenAll(nodes.Values.Select(async n =>
{
    try
    {
        await n.Client.SyncNowAsync(new SyncNowRequest(), n.Call(60));
    }
    catch (RpcException ex)
    {
        Console.Error.WriteLine($"  SyncNow on {n.Country}: {ex.StatusCode}: {ex.Status.Detail}");
    }
}));
var baseline = await BaselineAsync();
Say($"Every node holds {baseline} practices before the benchmark");

// ---------------------------------------------------------------------------------------------------------------------
// A. The fresh node's share, published while every node runs.
// ---------------------------------------------------------------------------------------------------------------------
var published = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
var publishFailures = new ConcurrentQueue<string>();
var publishLatencies = new ConcurrentBag<double>();
int lostAnswersFound = 0, republished = 0, overwrites = 0;

Say($"A. {freshCountry} publishes its {shares[freshCountry]} practices while every node runs");
var phaseA = Stopwatch.StartNew();
var phaseAPublish = await PublishAllAsync([fresh], phaseA);
var expectedA = baseline + Distinct();
var phaseAReplicated = await WaitHoldAsync(nodes.Values.ToArray(), expectedA, phaseA, $"A: every node holds {expectedA}", () => $"published {published.Count}");
loads["after_a"] = LoadAverage();

// ---------------------------------------------------------------------------------------------------------------------
// B. The fresh node stopped; the six others publish theirs at once, through SIGKILLs.
// ---------------------------------------------------------------------------------------------------------------------
Say($"B. Stopping {freshCountry} (process {fresh.ProcessId}) for the whole publication of the six others");
await fresh.StopAsync();
var killLog = new List<string>();
using var stopChaos = new CancellationTokenSource();
var publishedBeforeB = published.Count;
var shareB = others.Sum(n => shares[n.Country]);
Say($"B. {string.Join(", ", others.Select(n => n.Country))} publish {shareB} practices at once ({concurrency} concurrent each){(kills > 0 ? $"; {kills} times a node of the six will be killed with SIGKILL at a random moment of the publication" : "")}");
var phaseB = Stopwatch.StartNew();
var chaosTask = ChaosAsync(phaseB, stopChaos.Token);
var phaseBPublish = await PublishAllAsync(others, phaseB);
var publishedB = published.Count - publishedBeforeB;
if (overwrites > 0)
{
    Say($"{overwrites} publications were answered with a version above 1: the node gave a new practice the id of another and stored it as that one's next version; "
        + $"{published.Count - Distinct()} practices are lost that way. Counting with the {Distinct()} distinct ids");
}

var expected = baseline + Distinct();
Say($"B. Published {publishedB} in {phaseBPublish:F1} s ({publishedB / phaseBPublish:F0} practices/s), {publishFailures.Count} failed; waiting until the six hold {expected}");
var phaseBReplicated = await WaitHoldAsync(others, expected, phaseB, $"B: the six hold {expected}", () => $"kills {killLog.Count}/{kills}");
loads["after_b"] = LoadAverage();

// ---------------------------------------------------------------------------------------------------------------------
// C. The node that was down for the whole publication comes back.
// ---------------------------------------------------------------------------------------------------------------------
var missing = expected - expectedA;
Say($"C. Starting {freshCountry} again: a node that was down for the whole publication of {missing} practices (log {fresh.Log})");
var phaseC = Stopwatch.StartNew();
fresh.Start();
WritePids();
var freshServing = await fresh.WaitServingAsync(TimeSpan.FromMinutes(5));
var freshReplicated = await WaitHoldAsync([fresh], expected, phaseC, $"C: {freshCountry} holds {expected}", () => $"kills {killLog.Count}/{kills}");
await stopChaos.CancelAsync();
await chaosTask;
var killsDuringC = killLog.Count(k => k.Contains("(phase C)", StringComparison.Ordinal));
loads["after_c"] = LoadAverage();

// ---------------------------------------------------------------------------------------------------------------------
// D. Convergence and index size.
// ---------------------------------------------------------------------------------------------------------------------
Say($"D. Convergence: every node must hold {expected} practices with equal content hashes");
var allHold = await WaitHoldAsync([.. nodes.Values], expected, Stopwatch.StartNew(), $"D: every node holds {expected}", () => "");
var hashes = await ConvergedHashesAsync();
var converged = hashes.Values.Select(h => (h.Documents, h.Hash)).Distinct().Count() == 1 && hashes.Values.All(h => h.Practices == expected);
foreach (var (country, h) in hashes)
{
    Console.Error.WriteLine($"  {country}: {h.Documents} documents, {h.Practices} practices, sha256 {h.Hash[..16]}…");
}

var repeated = NodeFiles.RepeatedTitles(nodes[searchCountry].Database, "synthetic)");
Say($"D. converged: {(converged ? "yes" : "no")}; practices published twice: {repeated.Count}");
Say("D. Index size on disk (node.db and its -wal; dbstat for the search tables' share)");
var sizes = countries.ToDictionary(c => c, c => NodeFiles.Size(nodes[c].Database), StringComparer.Ordinal);
foreach (var (country, size) in sizes)
{
    Console.Error.WriteLine($"  {country}: {Mb(size.FileBytes + size.WalBytes)} on disk ({Mb(size.FileBytes)} + wal {Mb(size.WalBytes)}), {Mb(size.DatabaseBytes)} of pages; "
        + $"{(size.FromPages ? "pages (dbstat)" : "bytes in rows (no dbstat)")}: FTS5 tables {Mb(size.Parts["fts"])}, other search tables {Mb(size.Parts["search_other"])}, signed versions {Mb(size.Parts["documents"])}");
}

// ---------------------------------------------------------------------------------------------------------------------
// E. Publish-to-searchable on every other node.
// ---------------------------------------------------------------------------------------------------------------------
Say($"E. Publish-to-searchable: {searchableCount} practices one at a time from rotating nodes, each searched for on the six others every 20 ms");
loads["before_e"] = LoadAverage();
var markerRandom = new Random(seed + 17);
var searchable = new List<double>();
var searchableFirst = new List<double>();
var publishCall = new List<double>();
var notSearchable = new List<string>();
var searchesMade = 0L;
var lastLine = Stopwatch.StartNew();
for (var i = 0; i < searchableCount; i++)
{
    var owner = nodes[countries[i % countries.Length]];
    var marker = SyntheticPractices.NonsenseWord(markerRandom, 10);
    var (_, file) = practices.Marked(owner.Country, i, marker);
    var language = SyntheticPractices.OwnLanguage(owner.Country);
    var clock = Stopwatch.StartNew();
    var documentId = (await owner.Client.PublishPracticeAsync(new PublishPracticeRequest { File = file }, owner.Call(60))).Version.DocumentId;
    publishCall.Add(clock.Elapsed.TotalSeconds);
    var seen = await Task.WhenAll(nodes.Values.Where(n => n != owner).Select(n => FoundAsync(n, marker, language, documentId, clock)));
    if (seen.Any(s => s is null))
    {
        notSearchable.Add($"{documentId} ('{marker}') not found within 60 s on {string.Join(", ", nodes.Values.Where(n => n != owner).Where((_, k) => seen[k] is null).Select(n => n.Country))}");
    }
    else
    {
        searchable.Add(seen.Max(s => s!.Value));
        searchableFirst.Add(seen.Min(s => s!.Value));
    }

    if (lastLine.Elapsed.TotalSeconds >= 5)
    {
        lastLine.Restart();
        Console.Error.WriteLine($"  {i + 1}/{searchableCount}: p50 {Percentile(searchable, 50):F2} s, max {(searchable.Count == 0 ? 0 : searchable.Max()):F2} s, {searchesMade} searches made{(notSearchable.Count > 0 ? $", {notSearchable.Count} not found" : "")}");
    }
}

foreach (var line in notSearchable.Take(5))
{
    Console.Error.WriteLine("  " + line);
}

// ---------------------------------------------------------------------------------------------------------------------
// F. Search latency: user API against the bare FTS5 statement, on one node.
// ---------------------------------------------------------------------------------------------------------------------
await SettleAsync();
loads["before_f"] = LoadAverage();
var latency = await SearchLatencyAsync();
loads["end"] = LoadAverage();
var rss = countries.ToDictionary(c => c, c => nodes[c].RssMb(), StringComparer.Ordinal);

// ---------------------------------------------------------------------------------------------------------------------
// Figures.
// ---------------------------------------------------------------------------------------------------------------------
var publishFailuresCount = publishFailures.Count;
var allPublished = published.Count == count;
var phaseAShare = shares[freshCountry];
var totalOnDisk = sizes.Values.Select(s => s.FileBytes + s.WalBytes).ToArray();
var searchSize = sizes[searchCountry];
var result = new JsonObject
{
    ["benchmark"] = "practice library (issue 13 item 10)",
    ["synthetic"] = true,
    ["machine"] = new JsonObject { ["cores"] = Environment.ProcessorCount, ["load_average"] = loads },
    ["parameters"] = new JsonObject
    {
        ["count"] = count,
        ["concurrency_per_node"] = concurrency,
        ["fresh_node"] = freshCountry,
        ["search_node"] = searchCountry,
        ["searchable"] = searchableCount,
        ["queries"] = queryCount,
        ["kills"] = kills,
        ["seed"] = seed,
        ["shares"] = new JsonObject([.. shares.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)s.Value))]),
    },
    ["baseline_practices"] = baseline,
    ["published"] = published.Count,
    ["publish_failures"] = publishFailuresCount,
    ["publish_failure_examples"] = new JsonArray([.. publishFailures.Take(5).Select(f => JsonValue.Create(f))]),
    ["distinct_practices_published"] = Distinct(),
    ["publications_stored_as_a_new_version_of_another"] = overwrites,
    ["lost_answers_found_stored"] = lostAnswersFound,
    ["republished_after_kill"] = republished,
    ["publish_call_ms"] = new JsonObject { ["p50"] = Round(Percentile(publishLatencies, 50) * 1000), ["p99"] = Round(Percentile(publishLatencies, 99) * 1000) },
    ["phase_a"] = new JsonObject
    {
        ["publisher"] = freshCountry,
        ["published"] = phaseAShare,
        ["publish_seconds"] = Round(phaseAPublish),
        ["practices_per_second"] = Round(phaseAShare / phaseAPublish),
        ["every_node_holds_after_seconds"] = Round(phaseAReplicated),
    },
    ["phase_b"] = new JsonObject
    {
        ["publishers"] = new JsonArray([.. others.Select(n => JsonValue.Create(n.Country))]),
        ["published"] = publishedB,
        ["publish_seconds"] = Round(phaseBPublish),
        ["practices_per_second"] = Round(publishedB / phaseBPublish),
        ["six_hold_everything_after_seconds"] = Round(phaseBReplicated),
        ["after_last_publication_seconds"] = phaseBReplicated is { } b ? Round(b - phaseBPublish) : null,
    },
    ["fresh_node"] = new JsonObject
    {
        ["country"] = freshCountry,
        ["what"] = "a node that was down for the whole publication of the six others (stopped before it, started after the six held everything)",
        ["practices_to_replicate"] = missing,
        ["serving_after_seconds"] = Round(freshServing),
        ["holds_everything_after_seconds"] = Round(freshReplicated),
        ["practices_per_second"] = freshReplicated is { } f ? Round(missing / f) : null,
        ["kills_during_its_catch_up"] = killsDuringC,
    },
    ["kills"] = new JsonArray([.. killLog.Select(k => JsonValue.Create(k))]),
    ["converged"] = converged,
    ["every_node_holds_expected"] = allHold is not null,
    ["expected_practices"] = expected,
    ["nodes"] = new JsonObject([.. countries.Select(c => KeyValuePair.Create(c, (JsonNode?)new JsonObject
    {
        ["documents"] = hashes[c].Documents,
        ["practices"] = hashes[c].Practices,
        ["content_sha256"] = hashes[c].Hash,
        ["node_db_bytes"] = sizes[c].FileBytes,
        ["wal_bytes"] = sizes[c].WalBytes,
        ["database_bytes"] = sizes[c].DatabaseBytes,
        ["bytes_per_practice"] = hashes[c].Practices == 0 ? null : Math.Round((double)(sizes[c].FileBytes + sizes[c].WalBytes) / hashes[c].Practices),
        ["parts_bytes"] = new JsonObject([.. sizes[c].Parts.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))]),
        ["parts_measured_as"] = sizes[c].FromPages ? "pages (dbstat)" : "bytes in rows (no dbstat in this SQLite)",
        ["rss_mb"] = Math.Round(rss[c], 1),
    }))]),
    ["practices_published_twice"] = repeated.Count,
    ["publish_to_searchable_seconds"] = new JsonObject
    {
        ["measured"] = searchable.Count,
        ["not_found_within_60_s"] = notSearchable.Count,
        ["on_every_other_node"] = Stats(searchable),
        ["on_the_first_other_node"] = Stats(searchableFirst),
        ["publish_call"] = Stats(publishCall),
        ["searches_made"] = searchesMade,
        ["target_p50"] = 2.0,
    },
    ["search_latency_ms"] = latency.Json(searchCountry),
};
Directory.CreateDirectory(Path.GetDirectoryName(outFile)!);
File.WriteAllText(outFile, result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

string Met(bool met) => met ? "met" : "NOT MET";
Console.WriteLine();
Console.WriteLine($"Practice library: {published.Count} SYNTHETIC practices published on {countries.Length} nodes ({Environment.ProcessorCount} cores; load average {loads["start"]} at start, {loads["end"]} at the end; other work on the machine shows there)");
Console.WriteLine($"{"",-62}{"measured",16}{"target",12}");
Console.WriteLine($"{"A. " + freshCountry + " publishes " + phaseAShare + " (" + concurrency + " concurrent)",-62}{phaseAShare / phaseAPublish,12:F0} /s{"",12}   {phaseAPublish:F1} s");
Console.WriteLine($"{"   every node holds them after",-62}{Seconds(phaseAReplicated),16}");
Console.WriteLine($"{"B. six nodes publish " + publishedB + " (" + concurrency + " concurrent each)",-62}{publishedB / phaseBPublish,12:F0} /s{"",12}   {phaseBPublish:F1} s, {publishFailuresCount} failed{(killLog.Count > 0 ? ", through the kills below" : "")}");
Console.WriteLine($"{"   publish call p50 / p99",-62}{Percentile(publishLatencies, 50) * 1000,13:F0} ms   {Percentile(publishLatencies, 99) * 1000:F0} ms");
Console.WriteLine($"{"   the six hold everything after (from the first publication)",-62}{Seconds(phaseBReplicated),16}{"",12}   {(phaseBReplicated is { } rb ? $"{rb - phaseBPublish:F1} s after the last" : "not reached")}");
Console.WriteLine($"{"C. " + freshCountry + ", down for the whole publication, holds all after",-62}{Seconds(freshReplicated),16}{"",12}   {missing} practices to take{(freshReplicated is { } fr ? $", {missing / fr:F0}/s" : "")}; serving after {Seconds(freshServing)}{(killsDuringC > 0 ? $"; {killsDuringC} kills of its peers during it" : "")}");
if (killLog.Count > 0 || kills > 0)
{
    Console.WriteLine($"{"   nodes killed (SIGKILL) and started again",-62}{killLog.Count + " of " + kills,16}   ({string.Join("; ", killLog)})");
    Console.WriteLine($"{"   publications whose answer was lost: stored / sent again",-62}{lostAnswersFound + " / " + republished,16}");
}

Console.WriteLine($"{"   publications stored as a version of another (same id)",-62}{overwrites,16}{0,12}   {Met(overwrites == 0)}{(overwrites > 0 ? $": {published.Count - Distinct()} practices lost; concurrent PublishPractice calls on one node got the same id" : "")}");
Console.WriteLine($"{"D. converged (count and content hash equal on all nodes)",-62}{(converged ? "yes" : "no"),16}{"yes",12}   {Met(converged)}; {hashes.Values.First().Practices} practices each, {hashes.Values.Select(h => h.Hash).Distinct().Count()} distinct hash(es)");
Console.WriteLine($"{"   practices published twice",-62}{repeated.Count,16}{0,12}   {Met(repeated.Count == 0)}");
Console.WriteLine($"{"   node.db + wal per node (min – max)",-62}{Mb(totalOnDisk.Min()) + " – " + Mb(totalOnDisk.Max()),16}");
Console.WriteLine($"{"   bytes per practice on " + searchCountry + " (whole node.db)",-62}{(searchSize.FileBytes + searchSize.WalBytes) / Math.Max(1, hashes[searchCountry].Practices),16:N0}");
var parts = searchSize.Parts;
Console.WriteLine($"{"   " + searchCountry + ": FTS5 / other search tables / signed versions",-62}{Mb(parts["fts"]) + " / " + Mb(parts["search_other"]) + " / " + Mb(parts["documents"]),16}   "
    + $"({(double)parts["fts"] / searchSize.DatabaseBytes:P0} / {(double)parts["search_other"] / searchSize.DatabaseBytes:P0} / {(double)parts["documents"] / searchSize.DatabaseBytes:P0} of the database; "
    + $"{(searchSize.FromPages ? "their pages, from dbstat" : "the bytes their rows hold, as this SQLite has no dbstat")}; FTS5 {parts["fts"] / Math.Max(1, hashes[searchCountry].Practices):N0} bytes per practice)");

Console.WriteLine($"{"E. publish-to-searchable on every other node p50",-62}{Seconds(Percentile(searchable, 50)),16}{"≤ 2 s",12}   {Met(searchable.Count > 0 && Percentile(searchable, 50) <= 2)}");
Console.WriteLine($"{"   p99 / max",-62}{Seconds(Percentile(searchable, 99)) + " / " + Seconds(searchable.Count == 0 ? null : searchable.Max()),16}{"",12}   {searchable.Count} measured, {notSearchable.Count} not found within 60 s; first other node p50 {Seconds(Percentile(searchableFirst, 50))}; publish call p50 {Seconds(Percentile(publishCall, 50))}");
latency.Print(searchCountry);
Console.WriteLine($"Figures in {outFile}");
return allPublished && overwrites == 0 && converged && publishFailuresCount == 0 && repeated.Count == 0 ? 0 : 1;

// ---------------------------------------------------------------------------------------------------------------------

// F. Search latency: user API against the bare FTS5 statement, on one node (also the whole of the 'search' verb).
async Task<SearchLatency> SearchLatencyAsync()
{
    var searchNode = nodes[searchCountry];
    var searchLanguage = SyntheticPractices.OwnLanguage(searchCountry);
    Say($"F. Search latency on {searchCountry}: {queryCount} queries of 1 to 3 words ({searchLanguage} and en) through SearchPractices and the bare FTS5 statement on its node.db (read only)");
    var queryRandom = new Random(seed + 29);
    var apiMs = new List<double>();
    var bareMs = new List<double>();
    var bareAllMs = new List<double>();
    var bareSameMs = new List<double>();
    var apiHits = new List<int>();
    var corrected = 0;
    var skipped = 0;
    using (var bare = NodeFiles.Open(searchNode.Database))
    {
        const int warmUp = 20;
        for (var q = 0; q < queryCount + warmUp; q++)
        {
            var language = queryRandom.Next(2) == 0 ? searchLanguage : "en";
            var text = practices.Query(queryRandom, language);
            var expression = SearchQuery.Parse(text, language) is var parsed && !parsed.IsEmpty ? parsed.MatchExpression(QueryMatch.AllWords) : null;
            if (expression is null)
            {
                skipped++;
                continue;
            }

            // Alternate which goes first, so neither always finds the pages the other just read.
            double api = 0, bareTime = 0, bareAll = 0, bareSame = 0;
            var apiTotal = 0;
            var apiCorrected = false;
            for (var turn = 0; turn < 2; turn++)
            {
                if ((turn == 0) == (q % 2 == 0))
                {
                    var clock = Stopwatch.StartNew();
                    var response = await searchNode.Client.SearchPracticesAsync(new SearchPracticesRequest { Text = text, Language = language }, searchNode.Call(30));
                    api = clock.Elapsed.TotalMilliseconds;
                    apiTotal = response.Total;
                    apiCorrected = response.Corrected;
                }
                else
                {
                    var clock = Stopwatch.StartNew();
                    BareMatch(bare, parsed.Language, expression, 20);
                    bareTime = clock.Elapsed.TotalMilliseconds;
                    clock.Restart();
                    AllMatches(bare, parsed.Language, expression);
                    bareAll = clock.Elapsed.TotalMilliseconds;

                    // The same statement on every table the search reads: the query's language by its words, and every
                    // other language the concept vocabulary covers by the concepts the query names.
                    clock.Restart();
                    if (parsed.ConceptMatchExpression(QueryMatch.AllWords) is { } concepts)
                    {
                        foreach (var other in ConceptVocabulary.Default.Languages.Where(l => l != parsed.Language))
                        {
                            BareMatch(bare, other, concepts, 20);
                        }
                    }

                    bareSame = bareTime + clock.Elapsed.TotalMilliseconds;
                }
            }

            if (q >= warmUp)
            {
                apiMs.Add(api);
                bareMs.Add(bareTime);
                bareAllMs.Add(bareAll);
                bareSameMs.Add(bareSame);
                apiHits.Add(apiTotal);
                corrected += apiCorrected ? 1 : 0;
            }
        }
    }

    return new SearchLatency(apiMs, bareMs, bareAllMs, bareSameMs, apiHits, corrected, skipped);
}

// Before F: the machine settles after E's polling (the 1-minute load average under cores + 1, at most 3 minutes), so
// F times the searches rather than the aftermath of the phase before.
async Task SettleAsync()
{
    var settle = Stopwatch.StartNew();
    while (LoadAverage() > Environment.ProcessorCount + 1 && settle.Elapsed < TimeSpan.FromMinutes(3))
    {
        await Task.Delay(TimeSpan.FromSeconds(5));
    }

    Say($"Settled for {settle.Elapsed.TotalSeconds:F0} s before F; load average {LoadAverage():F2}");
}

// The number of distinct practices published (two publications given the same id are one practice).
int Distinct() => published.Values.Distinct(StringComparer.Ordinal).Count();

// Every node's shares, 'concurrency' calls at a time per node; the seconds until the last answer.
async Task<double> PublishAllAsync(BenchNode[] publishers, Stopwatch phase)
{
    var start = phase.Elapsed;
    var target = published.Count + publishers.Sum(n => shares[n.Country]);
    using var stopProgress = new CancellationTokenSource();
    var progress = ProgressAsync(phase, () => $"published {published.Count}/{target} ({(published.Count - (target - publishers.Sum(n => shares[n.Country]))) / Math.Max(0.001, (phase.Elapsed - start).TotalSeconds):F0}/s){(publishFailures.IsEmpty ? "" : $", {publishFailures.Count} failed")}", stopProgress.Token);
    await Task.WhenAll(publishers.Select(node =>
    {
        var next = -1;
        return Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < shares[node.Country])
            {
                await PublishOneAsync(node, index);
            }
        })));
    }));
    await stopProgress.CancelAsync();
    await progress;
    return (phase.Elapsed - start).TotalSeconds;
}

// One practice. A call that fails because its node went down may have been stored before the answer was lost: once
// the node serves again, the owner's node.db says whether it was, so it is published again only when it was not.
async Task PublishOneAsync(BenchNode node, int index)
{
    var (title, file) = practices.Practice(node.Country, index);
    for (var attempt = 1; ; attempt++)
    {
        await UpAsync(node);
        var generation = node.Generation;
        try
        {
            var clock = Stopwatch.StartNew();
            var response = await node.Client.PublishPracticeAsync(new PublishPracticeRequest { File = file }, node.Call(120));
            publishLatencies.Add(clock.Elapsed.TotalSeconds);
            published[title] = response.Version.DocumentId;
            if (response.Version.Version != 1)
            {
                // A new practice came back as a later version of another: two publications were given the same id.
                Interlocked.Increment(ref overwrites);
            }

            return;
        }
        catch (RpcException ex) when (attempt < 10 && ex.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.DeadlineExceeded or StatusCode.Cancelled or StatusCode.Unknown)
        {
            if (generation == node.Generation && !node.Down)
            {
                // Not (yet) known to be killed: the call may still be running on the node; give it time to finish.
                await Task.Delay(TimeSpan.FromSeconds(10));
            }

            await UpAsync(node);
            if (NodeFiles.DocumentsTitled(node.Database, node.Country, title) is [var stored, ..])
            {
                Interlocked.Increment(ref lostAnswersFound);
                published[title] = stored;
                return;
            }

            Interlocked.Increment(ref republished);
        }
        catch (RpcException ex)
        {
            publishFailures.Enqueue($"{node.Country} #{index}: {ex.StatusCode}: {ex.Status.Detail}");
            return;
        }
    }
}

// Until the node is up and answers.
async Task UpAsync(BenchNode node)
{
    var clock = Stopwatch.StartNew();
    while (node.Down || await node.StatusAsync(5) is null)
    {
        if (clock.Elapsed > TimeSpan.FromMinutes(5))
        {
            throw new InvalidOperationException($"{node.Country} has not answered for 5 minutes; see {node.Log}.");
        }

        await Task.Delay(250);
    }
}

// Kills a random node of the six at random moments of the publication (its length estimated from its first 20 s),
// 3 s apart at least; kills not done when the publication ends happen during the replication after it.
async Task ChaosAsync(Stopwatch phase, CancellationToken stop)
{
    if (kills == 0)
    {
        return;
    }

    try
    {
        await Task.Delay(TimeSpan.FromSeconds(20), stop);
        var done = published.Count - publishedBeforeB;
        var remaining = done > 0 ? (shareB - done) / (done / phase.Elapsed.TotalSeconds) : 60;
        var moments = Enumerable.Range(0, kills).Select(_ => phase.Elapsed.TotalSeconds + chaos.NextDouble() * Math.Max(10, remaining)).Order().ToArray();
        var previous = 0.0;
        foreach (var planned in moments)
        {
            var moment = Math.Max(planned, previous + 3);
            if (moment > phase.Elapsed.TotalSeconds)
            {
                await Task.Delay(TimeSpan.FromSeconds(moment - phase.Elapsed.TotalSeconds), stop);
            }

            var running = others.Where(n => !n.Down).ToArray();
            var victim = running[chaos.Next(running.Length)];
            var pause = TimeSpan.FromMilliseconds(200 + chaos.Next(1300));
            var lagging = await LaggingAsync();
            await victim.KillAsync();
            var when = fresh.Down ? published.Count - publishedBeforeB < shareB ? "phase B, publishing" : "phase B, replicating" : "phase C";
            lock (killLog)
            {
                killLog.Add(string.Create(CultureInfo.InvariantCulture, $"{victim.Country} at {phase.Elapsed.TotalSeconds:F1} s ({when}), down {pause.TotalSeconds:F1} s, {lagging}"));
            }

            Say($"Killed {killLog[^1]}");
            await Task.Delay(pause, CancellationToken.None);
            victim.Start();
            WritePids();
            previous = phase.Elapsed.TotalSeconds;
        }
    }
    catch (OperationCanceledException)
    {
    }
}

// Which nodes are behind the others at this moment, for the kill log.
async Task<string> LaggingAsync()
{
    var counts = await Task.WhenAll(nodes.Values.Select(async n => (n.Country, Status: await n.StatusAsync(2))));
    var known = counts.Where(c => c.Status is not null).ToArray();
    if (known.Length == 0)
    {
        return "no node answered";
    }

    var most = known.Max(c => c.Status!.Practices);
    var behind = known.Where(c => c.Status!.Practices < most).Select(c => $"{c.Country} {most - c.Status!.Practices}").ToArray();
    return behind.Length == 0 ? "no node behind" : "behind: " + string.Join(", ", behind);
}

// Polls the nodes' replication status until each holds at least 'expected' practices; the phase's seconds then, or null at the timeout.
async Task<double?> WaitHoldAsync(BenchNode[] watched, long expectedCount, Stopwatch phase, string label, Func<string> extra)
{
    var lastPrint = TimeSpan.Zero;
    var limit = phase.Elapsed + timeout;
    while (phase.Elapsed < limit)
    {
        var statuses = await Task.WhenAll(nodes.Values.Select(async n => (Node: n, Status: await n.StatusAsync(5))));
        foreach (var node in nodes.Values.Where(n => n.ExitedOnItsOwn))
        {
            throw new InvalidOperationException($"{node.Country} exited on its own; see {node.Log}.");
        }

        var done = watched.All(w => statuses.First(s => s.Node == w).Status is { } st && st.Practices >= expectedCount);
        if (done || phase.Elapsed - lastPrint >= TimeSpan.FromSeconds(5))
        {
            lastPrint = phase.Elapsed;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {phase.Elapsed.TotalSeconds,7:F1} s  {string.Join("  ", statuses.Select(s => $"{s.Node.Country} {(s.Status is { } st ? st.Practices.ToString(CultureInfo.InvariantCulture) : s.Node.Down ? "down" : "-")}"))}  {extra()}  load {LoadAverage():F1}"));
        }

        if (done)
        {
            var over = watched.Select(w => statuses.First(s => s.Node == w).Status!.Practices).Where(p => p > expectedCount).ToArray();
            if (over.Length > 0)
            {
                Console.Error.WriteLine($"  ({label}: some nodes hold more than expected: {string.Join(", ", over)})");
            }

            return phase.Elapsed.TotalSeconds;
        }

        await Task.Delay(1000);
    }

    Console.Error.WriteLine($"  {label}: not reached within {timeout.TotalSeconds:F0} s");
    return null;
}

// Every node's count, equal on two looks 3 s apart (up to 3 minutes); else the highest.
async Task<long> BaselineAsync()
{
    long? previous = null;
    var clock = Stopwatch.StartNew();
    while (clock.Elapsed < TimeSpan.FromMinutes(3))
    {
        var statuses = await Task.WhenAll(nodes.Values.Select(n => n.StatusAsync(10)));
        if (statuses.All(s => s is not null))
        {
            var counts = statuses.Select(s => s!.Practices).Distinct().ToArray();
            Console.Error.WriteLine($"  {string.Join("  ", nodes.Values.Zip(statuses, (n, s) => $"{n.Country} {s!.Practices}"))}");
            if (counts.Length == 1 && previous == counts[0])
            {
                return counts[0];
            }

            previous = counts.Length == 1 ? counts[0] : null;
        }

        await Task.Delay(3000);
    }

    var highest = (await Task.WhenAll(nodes.Values.Select(n => n.StatusAsync(10)))).Max(s => s?.Practices ?? 0);
    Console.Error.WriteLine($"  the nodes did not agree within 3 minutes; counting from the highest, {highest}");
    return highest;
}

// Each node's content hash; looked at again (up to 2 minutes) while they differ, as a node may be storing a last version.
async Task<Dictionary<string, (long Documents, long Practices, string Hash)>> ConvergedHashesAsync()
{
    var clock = Stopwatch.StartNew();
    while (true)
    {
        var found = countries.ToDictionary(c => c, c => NodeFiles.ContentHash(nodes[c].Database), StringComparer.Ordinal);
        if (found.Values.Select(h => h.Hash).Distinct().Count() == 1 || clock.Elapsed > TimeSpan.FromMinutes(2))
        {
            return found;
        }

        await Task.Delay(5000);
    }
}

// Seconds from the publication until a search for the marker on 'node' returns the document; null after 60 s.
async Task<double?> FoundAsync(BenchNode node, string marker, string language, string documentId, Stopwatch since)
{
    var request = new SearchPracticesRequest { Text = marker, Language = language, Limit = 5 };
    while (since.Elapsed < TimeSpan.FromSeconds(60))
    {
        try
        {
            var response = await node.Client.SearchPracticesAsync(request, node.Call(10));
            Interlocked.Increment(ref searchesMade);
            if (response.Hits.Any(h => h.Practice.Version.DocumentId == documentId))
            {
                return since.Elapsed.TotalSeconds;
            }
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.DeadlineExceeded or StatusCode.Unavailable)
        {
        }

        await Task.Delay(20);
    }

    return null;
}

// The statement of the node's bare match: the language's table known, then the ids by BM25; the number of ids.
static int BareMatch(Microsoft.Data.Sqlite.SqliteConnection connection, string language, string expression, int limit)
{
    using (var known = connection.CreateCommand())
    {
        known.CommandText = "SELECT 1 FROM practice_search_languages WHERE language = $language";
        known.Parameters.AddWithValue("$language", language);
        if (known.ExecuteScalar() is null)
        {
            return 0;
        }
    }

    using var select = connection.CreateCommand();
    select.CommandText = string.Format(CultureInfo.InvariantCulture, NodeFiles.BareMatchSql, "practice_fts_" + language);
    select.Parameters.AddWithValue("$match", expression);
    select.Parameters.AddWithValue("$limit", limit);
    using var reader = select.ExecuteReader();
    var ids = new List<string>(limit);
    while (reader.Read())
    {
        ids.Add(reader.GetString(0));
    }

    return ids.Count;
}

// Every hit of the expression with its BM25 rank, as the node's search reads them before it filters, counts facets
// and cuts the page; not the benchmark's reference, shown beside it.
static int AllMatches(Microsoft.Data.Sqlite.SqliteConnection connection, string language, string expression)
{
    var fts = "practice_fts_" + language;
    using var select = connection.CreateCommand();
    select.CommandText = $"SELECT rowid, bm25({fts}, 10.0, 4.0, 1.0, 3.0, 2.0) FROM {fts} WHERE {fts} MATCH $match";
    select.Parameters.AddWithValue("$match", expression);
    using var reader = select.ExecuteReader();
    var rows = 0;
    while (reader.Read())
    {
        _ = reader.GetInt64(0) + reader.GetDouble(1);
        rows++;
    }

    return rows;
}

void WritePids()
{
    if (pidFile.Length > 0)
    {
        File.WriteAllLines(pidFile, [.. nodes.Values.Where(n => n.StartedHere).Select(n => n.ProcessId.ToString(CultureInfo.InvariantCulture))]);
    }
}

static async Task ProgressAsync(Stopwatch phase, Func<string> line, CancellationToken cancellationToken)
{
    using var timer = new PeriodicTimer(TimeSpan.FromSeconds(3));
    try
    {
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {phase.Elapsed.TotalSeconds,7:F1} s  {line()}  load {LoadAverage():F1}"));
        }
    }
    catch (OperationCanceledException)
    {
    }
}

static double Percentile(IReadOnlyCollection<double> values, int percent) => Figures.Percentile(values, percent);

static JsonObject Stats(List<double> values) => Figures.Stats(values);

static string Seconds(double? value) => value is { } v ? v.ToString("F2", CultureInfo.InvariantCulture) + " s" : "-";

static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("F1", CultureInfo.InvariantCulture) + " MB";

static double? Round(double? value) => value is { } v ? Math.Round(v, 2) : null;

static void Say(string line) => Console.Error.WriteLine($"\u001b[1m==> {line}\u001b[0m");

static double LoadAverage() => double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

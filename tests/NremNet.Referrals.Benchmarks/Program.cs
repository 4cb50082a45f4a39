using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Data.Sqlite;
using NremNet.Contracts.Local.V1;
using NremNet.Contracts.Referrals.V1;
using NremNet.Hosting.Certificates;
using NremNet.Hosting.Grpc;
using UserApi = NremNet.Contracts.Local.V1;

// drain --state DIR --cli PATH [--sender NL] [--receiver SE] [--count 10000] [--concurrency 16] [--timeout 900]
//       [--target 500] [--out FILE] [--pid-file FILE] [--kills 0] [--seed 1]
// Run by run.sh against a local federation whose receiving node it has stopped. As the sender's referral officer,
// creates and submits --count SYNTHETIC referrals to the receiver while it is down; then starts the receiver again
// (the same command line 'federation up' uses) and measures, from that moment, the seconds until the sender's outbox
// and the receiver's outbox are empty and the sender sees every referral ACKNOWLEDGED. Then it counts what arrived
// (lost, duplicates) from the receiver's API and both nodes' SQLite files (read only), and reads both processes' RSS.
// With --kills N, N times during the drain one of the two nodes (drawn with --seed) is killed with SIGKILL at a random
// moment and started again after a random pause: the figures then say whether anything was lost or applied twice
// through the kills (the drain time includes the outages; CPU is not reported).
// Figures only: the exit code says whether nothing was lost or applied twice, never whether a time was met.
if (args.Length == 0 || args[0] != "drain")
{
    Console.Error.WriteLine("usage: NremNet.Referrals.Benchmarks drain --state DIR --cli PATH [--sender NL] [--receiver SE] [--count 10000] [--concurrency 16] [--timeout 900] [--target 500] [--out FILE] [--pid-file FILE] [--kills 0] [--seed 1]");
    return 2;
}

string Option(string name, string? fallback = null) =>
    Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback ?? throw new ArgumentException($"{name} is required.");
int Number(string name, int fallback) => int.Parse(Option(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

var state = Path.GetFullPath(Option("--state"));
var cli = Path.GetFullPath(Option("--cli"));
var senderCountry = Option("--sender", "NL");
var receiverCountry = Option("--receiver", "SE");
var count = Number("--count", 10_000);
var concurrency = Number("--concurrency", 16);
var timeout = TimeSpan.FromSeconds(Number("--timeout", 900));
var target = Number("--target", 500);
var outFile = Path.GetFullPath(Option("--out", Path.Combine(state, "..", "result.json")));
var pidFile = Option("--pid-file", string.Empty);
var kills = Number("--kills", 0);
var chaos = new Random(Number("--seed", 1));

var federation = JsonNode.Parse(File.ReadAllText(Path.Combine(state, "federation.json")))!;
var profiles = JsonNode.Parse(File.ReadAllText(Path.Combine(state, "profiles.json")))!["profiles"]!.AsArray();
JsonNode NodeEntry(string country) =>
    federation["nodes"]!.AsArray().FirstOrDefault(n => (string?)n!["country"] == country)
    ?? throw new InvalidOperationException($"{country} is not a node of the federation in {state}.");

using var sender = Officer.FromProfiles(profiles, senderCountry);
using var receiver = Officer.FromProfiles(profiles, receiverCountry);
var senderProcessId = (int?)NodeEntry(senderCountry)["processId"] ?? throw new InvalidOperationException($"federation.json names no process for {senderCountry}; is the federation up?");
var receiverConfig = (string)NodeEntry(receiverCountry)["configFile"]!;
var senderConfig = (string)NodeEntry(senderCountry)["configFile"]!;
Process? senderProcess = null;
var receiverUrl = new Uri((string)NodeEntry(receiverCountry)["consoleUrl"]!);
if (Listening(receiverUrl))
{
    Console.Error.WriteLine($"{receiverCountry} still answers at {receiverUrl}; run.sh stops it before the benchmark.");
    return 2;
}

// ---------------------------------------------------------------------------------------------------------------------
// 1. Submit while the receiver is down.
// ---------------------------------------------------------------------------------------------------------------------
Say($"Submitting {count} SYNTHETIC referrals {senderCountry} → {receiverCountry} while {receiverCountry} is down ({concurrency} concurrent create + submit)");
var submitted = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
var submitFailures = new ConcurrentQueue<string>();
var next = -1;
var submitClock = Stopwatch.StartNew();
using (var stopProgress = new CancellationTokenSource())
{
    var progress = ProgressAsync(() => $"submitted {submitted.Count}/{count} ({submitted.Count / submitClock.Elapsed.TotalSeconds:F0}/s){(submitFailures.IsEmpty ? string.Empty : $", {submitFailures.Count} failed")}", stopProgress.Token);
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
    {
        int index;
        while ((index = Interlocked.Increment(ref next)) < count)
        {
            try
            {
                submitted[await SubmitOneAsync(index)] = index;
            }
            catch (RpcException ex)
            {
                submitFailures.Enqueue($"#{index}: {ex.StatusCode}: {ex.Status.Detail}");
            }
        }
    })));
    await stopProgress.CancelAsync();
    await progress;
}

submitClock.Stop();
var submitSeconds = submitClock.Elapsed.TotalSeconds;
var submittedCount = submitted.Count;
Say($"Submitted {submittedCount} in {submitSeconds:F1} s ({submittedCount / submitSeconds:F0} referrals/s), {submitFailures.Count} failed");
foreach (var failure in submitFailures.Take(5))
{
    Console.Error.WriteLine("  " + failure);
}

var waiting = await sender.Client.ListOutboxAsync(new ListOutboxRequest { PeerCountry = receiverCountry }, sender.Call());
var waitingSubmitted = await CountAsync(sender, ReferralDirection.Outgoing, receiverCountry, ReferralStatus.Submitted);
Say($"{senderCountry}'s outbox holds {waiting.Total} messages for {receiverCountry} (first {waiting.Entries.Count}: {Kinds(waiting.Entries)}; circuit {waiting.Entries.FirstOrDefault()?.Circuit ?? "-"}, "
    + $"most attempts {(waiting.Entries.Count == 0 ? 0 : waiting.Entries.Max(e => e.Attempts))}); {waitingSubmitted} referrals SUBMITTED");

// ---------------------------------------------------------------------------------------------------------------------
// 2. Start the receiver again and measure the drain.
// ---------------------------------------------------------------------------------------------------------------------
var receiverLog = Path.Combine(state, "logs", $"node-{receiverCountry}.log");
Say($"Starting {receiverCountry} again (nremnet node run --config {receiverConfig}; log {receiverLog})");
var senderCpuBefore = CpuSeconds(senderProcessId);
var loadBefore = LoadAverage();
var drainClock = Stopwatch.StartNew();
var receiverProcess = StartNode(cli, receiverConfig, receiverLog);
WritePids();
var killLog = new List<string>();
var nextKill = TimeSpan.FromSeconds(1 + chaos.NextDouble() * 2);

var samples = new List<Sample>();
double? servingAfter = null, firstDeliveryAfter = null, drainSeconds = null, senderCpu = null, receiverCpu = null;
var peakRss = new Dictionary<int, double>();
var lastPrinted = TimeSpan.FromSeconds(-1);
using (var ticker = new PeriodicTimer(TimeSpan.FromMilliseconds(500)))
{
    while (drainClock.Elapsed < timeout)
    {
        if (kills > killLog.Count && drainClock.Elapsed >= nextKill)
        {
            // SIGKILL at a random moment: no shutdown, nothing flushed; then a random pause before the node starts again.
            var victimIsSender = chaos.Next(2) == 0;
            var victim = victimIsSender ? senderProcess ?? Process.GetProcessById(senderProcessId) : receiverProcess;
            victim.Kill();
            await victim.WaitForExitAsync();
            var pause = TimeSpan.FromMilliseconds(200 + chaos.Next(1300));
            killLog.Add(string.Create(CultureInfo.InvariantCulture, $"{(victimIsSender ? senderCountry : receiverCountry)} at {drainClock.Elapsed.TotalSeconds:F1} s (down {pause.TotalSeconds:F1} s)"));
            Say($"Killed {killLog[^1]}");
            await Task.Delay(pause);
            if (victimIsSender)
            {
                senderProcess = StartNode(cli, senderConfig, Path.Combine(state, "logs", $"node-{senderCountry}.log"));
                senderProcessId = senderProcess.Id;
            }
            else
            {
                receiverProcess = StartNode(cli, receiverConfig, receiverLog);
            }

            WritePids();
            nextKill = drainClock.Elapsed + TimeSpan.FromSeconds(1 + chaos.NextDouble() * 3);
        }

        if (receiverProcess.HasExited || senderProcess is { HasExited: true })
        {
            Console.Error.WriteLine($"A node exited on its own; see the logs in {Path.Combine(state, "logs")}.");
            return 1;
        }

        var at = drainClock.Elapsed.TotalSeconds;
        int senderOutbox, acknowledged;
        try
        {
            senderOutbox = (await sender.Client.ListOutboxAsync(new ListOutboxRequest { PeerCountry = receiverCountry }, sender.Call(5))).Total;
            acknowledged = await CountAsync(sender, ReferralDirection.Outgoing, receiverCountry, ReferralStatus.Acknowledged, 5);
        }
        catch (RpcException ex) when (killLog.Count > 0 && ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal)
        {
            // The sender was killed and is starting again.
            await ticker.WaitForNextTickAsync();
            continue;
        }

        int? receiverOutbox = null, held = null;
        try
        {
            receiverOutbox = (await receiver.Client.ListOutboxAsync(new ListOutboxRequest { PeerCountry = senderCountry }, receiver.Call(5))).Total;
            held = await CountAsync(receiver, ReferralDirection.Incoming, senderCountry, null, 5);
            servingAfter ??= at;
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal)
        {
            // Still starting.
        }

        if (senderOutbox < waiting.Total)
        {
            firstDeliveryAfter ??= at;
        }

        var sample = new Sample(Math.Round(at, 2), senderOutbox, receiverOutbox, held, acknowledged, Rss(senderProcessId).Current, Rss(receiverProcess.Id).Current);
        samples.Add(sample);
        if (senderOutbox == 0 && receiverOutbox == 0 && acknowledged == submittedCount && killLog.Count >= kills)
        {
            drainSeconds = at;
            if (kills == 0)
            {
                senderCpu = CpuSeconds(senderProcessId) - senderCpuBefore;
                receiverCpu = CpuSeconds(receiverProcess.Id);
            }

            Print(sample);
            break;
        }

        if (drainClock.Elapsed - lastPrinted >= TimeSpan.FromSeconds(1))
        {
            lastPrinted = drainClock.Elapsed;
            Print(sample);
        }

        await ticker.WaitForNextTickAsync();
    }
}

var loadAfter = LoadAverage();
var drained = drainSeconds is not null;
var perSecond = drained ? submittedCount / drainSeconds!.Value : 0;
// Without the wait for the sender's next probe of the returned receiver (its back-off), for comparison.
var afterFirstDelivery = drained && firstDeliveryAfter is { } first && drainSeconds > first ? submittedCount / (drainSeconds.Value - first) : 0;
Say(drained
    ? $"Drained {submittedCount} referrals {drainSeconds:F1} s after starting {receiverCountry}: {perSecond:F0} referrals/s"
    : $"Not drained within {timeout.TotalSeconds:F0} s");

// ---------------------------------------------------------------------------------------------------------------------
// 3. What arrived: lost and duplicates, from the API and from both SQLite files (read only).
// ---------------------------------------------------------------------------------------------------------------------
var receiverTotal = await CountAsync(receiver, ReferralDirection.Incoming, senderCountry, null);
var senderAcknowledged = await CountAsync(sender, ReferralDirection.Outgoing, receiverCountry, ReferralStatus.Acknowledged);
var receiverDb = NodeDatabase(state, receiverCountry);
var senderDb = NodeDatabase(state, senderCountry);
var receiverIds = Strings(receiverDb, "SELECT referral_id FROM referrals WHERE direction = 2 AND peer_country = $value", senderCountry);
var heldIds = receiverIds.ToHashSet(StringComparer.Ordinal);
var lost = submitted.Keys.Count(id => !heldIds.Contains(id));
var extraRows = receiverIds.Count - heldIds.Count + heldIds.Count(id => !submitted.ContainsKey(id));
// A message applied twice would leave two 'referral.received' audit records with outcome 'ok' and its message id.
const string AppliedTwice = """
    SELECT COALESCE(SUM(n - 1), 0) FROM (
      SELECT COUNT(*) AS n FROM audit_log WHERE action = 'referral.received' AND outcome = 'ok' AND actor = $value GROUP BY json_extract(details, '$.messageId'))
    """;
var receivedTwice = Scalar(receiverDb, AppliedTwice, "peer:" + senderCountry);
var acknowledgedTwice = Scalar(senderDb, AppliedTwice, "peer:" + receiverCountry);
var receivedRecords = Scalar(receiverDb, "SELECT COUNT(*) FROM audit_log WHERE action = 'referral.received' AND outcome = 'ok' AND actor = $value", "peer:" + senderCountry);
// A re-delivery the other side answered with a 'duplicate' receipt changed nothing there; counted apart, from the
// sender's 'referral.delivered' records (the receiver also records the duplicate it was given, where it audits them).
const string Redelivered = "SELECT COUNT(*) FROM audit_log WHERE action = 'referral.delivered' AND json_extract(details, '$.peer') = $value AND json_extract(details, '$.outcome') = 'duplicate'";
var submissionsRedelivered = Scalar(senderDb, Redelivered, receiverCountry);
var acknowledgementsRedelivered = Scalar(receiverDb, Redelivered, senderCountry);
const string MostAttempts = "SELECT COALESCE(MAX(json_extract(details, '$.attempts')), 0) FROM audit_log WHERE action = 'referral.delivered' AND json_extract(details, '$.peer') = $value";
var submissionAttempts = Scalar(senderDb, MostAttempts, receiverCountry);
// Submissions the receiver was handed: applied, answered as duplicates, or refused.
var peerCalls = Scalar(receiverDb, "SELECT COUNT(*) FROM audit_log WHERE action = 'referral.received' AND actor = $value AND json_extract(details, '$.kind') = 'submission'", "peer:" + senderCountry)
    + Scalar(receiverDb, "SELECT COUNT(*) FROM audit_log WHERE action IN ('referral.refused', 'peer.refused') AND actor = $value AND (target LIKE '%ReferralService/Deliver' OR target LIKE '%ReferralService/Exchange')", "peer:" + senderCountry);
var refusals = Scalar(receiverDb, "SELECT COUNT(*) FROM audit_log WHERE action IN ('referral.refused', 'peer.refused') AND actor = $value", "peer:" + senderCountry);
var duplicates = extraRows + receivedTwice + acknowledgedTwice;
var notAcknowledged = submittedCount - senderAcknowledged;

// ---------------------------------------------------------------------------------------------------------------------
// 4. Memory, then the report.
// ---------------------------------------------------------------------------------------------------------------------
var senderRss = Rss(senderProcessId);
var receiverRss = Rss(receiverProcess.Id);

var result = new JsonObject
{
    ["synthetic"] = true,
    ["sender"] = senderCountry,
    ["receiver"] = receiverCountry,
    ["count"] = count,
    ["concurrency"] = concurrency,
    ["processor_count"] = Environment.ProcessorCount,
    ["submit"] = new JsonObject
    {
        ["submitted"] = submittedCount,
        ["failures"] = submitFailures.Count,
        ["seconds"] = Math.Round(submitSeconds, 2),
        ["referrals_per_second"] = Math.Round(submittedCount / submitSeconds, 1),
        ["outbox_while_down"] = waiting.Total,
        ["submitted_status_while_down"] = waitingSubmitted,
    },
    ["kills"] = new JsonArray([.. killLog.Select(k => JsonValue.Create(k))]),
    ["drain"] = new JsonObject
    {
        ["drained"] = drained,
        ["seconds"] = drainSeconds is { } s ? Math.Round(s, 2) : null,
        ["referrals_per_second"] = Math.Round(perSecond, 1),
        ["target_referrals_per_second"] = target,
        ["target_met"] = killLog.Count == 0 ? drained && perSecond >= target : null,
        ["receiver_serving_after_seconds"] = servingAfter is { } v ? Math.Round(v, 2) : null,
        ["first_delivery_after_seconds"] = firstDeliveryAfter is { } f ? Math.Round(f, 2) : null,
        ["referrals_per_second_after_first_delivery"] = Math.Round(afterFirstDelivery, 1),
        ["most_attempts_of_a_submission"] = submissionAttempts,
        ["submissions_handed_to_receiver"] = peerCalls,
        ["refused_on_receiver"] = refusals,
        ["cpu_seconds"] = new JsonObject { [senderCountry] = Round(senderCpu), [receiverCountry + "_since_start"] = Round(receiverCpu) },
        ["cpu_ms_per_referral"] = drained && senderCpu is { } cpuSender && receiverCpu is { } cpuReceiver ? Math.Round((cpuSender + cpuReceiver) * 1000 / submittedCount, 2) : null,
        ["load_average_before_after"] = new JsonArray(loadBefore, loadAfter),
    },
    ["receiver_holds"] = receiverTotal,
    ["sender_acknowledged"] = senderAcknowledged,
    ["lost"] = lost,
    ["not_acknowledged"] = notAcknowledged,
    ["duplicates"] = duplicates,
    ["duplicate_detail"] = new JsonObject
    {
        ["extra_rows_on_receiver"] = extraRows,
        ["submissions_applied_twice"] = receivedTwice,
        ["acknowledgements_applied_twice"] = acknowledgedTwice,
        ["received_audit_records"] = receivedRecords,
    },
    ["redeliveries_answered_duplicate"] = new JsonObject
    {
        ["submissions"] = submissionsRedelivered,
        ["acknowledgements"] = acknowledgementsRedelivered,
    },
    ["rss_mb"] = new JsonObject
    {
        [senderCountry] = new JsonObject { ["after_drain"] = Math.Round(senderRss.Current, 1), ["peak"] = Math.Round(senderRss.Peak, 1) },
        [receiverCountry] = new JsonObject { ["after_drain"] = Math.Round(receiverRss.Current, 1), ["peak"] = Math.Round(receiverRss.Peak, 1) },
    },
    ["samples"] = new JsonArray([.. samples.Select(x => JsonSerializer.SerializeToNode(x, JsonSerializerOptions.Web))]),
};
Directory.CreateDirectory(Path.GetDirectoryName(outFile)!);
File.WriteAllText(outFile, result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

string Met(bool met) => met ? "met" : "NOT MET";
Console.WriteLine();
Console.WriteLine($"Referral drain, {submittedCount} SYNTHETIC referrals {senderCountry} → {receiverCountry} submitted while {receiverCountry} was down ({Environment.ProcessorCount} cores)");
Console.WriteLine($"{"",-44}{"measured",18}{"target",14}");
Console.WriteLine($"{"submit (create + submit, " + concurrency + " concurrent)",-44}{submittedCount / submitSeconds,14:F0} /s{"",14}   {submitSeconds:F1} s, {submitFailures.Count} failed");
Console.WriteLine($"{receiverCountry + " serving after start",-44}{Seconds(servingAfter),18}");
Console.WriteLine($"{"first submission delivered after start",-44}{Seconds(firstDeliveryAfter),18}");
Console.WriteLine($"{"drain (start → outboxes empty, all ACK'd)",-44}{Seconds(drainSeconds),18}");
Console.WriteLine(killLog.Count == 0
    ? $"{"drained",-44}{perSecond,14:F0} /s{"≥ " + target + " /s",14}   {Met(drained && perSecond >= target)}"
    : $"{"drained (through the kills below)",-44}{perSecond,14:F0} /s{"-",14}   (the target is for a drain without kills)");
Console.WriteLine($"{"  counted from the first delivery",-44}{afterFirstDelivery,14:F0} /s");
if (killLog.Count > 0)
{
    Console.WriteLine($"{"nodes killed (SIGKILL) during the drain",-44}{killLog.Count,18}   ({string.Join("; ", killLog)})");
}

if (senderCpu is not null)
{
    Console.WriteLine($"{"CPU " + senderCountry + " + " + receiverCountry + " during the drain",-44}{Seconds(senderCpu + receiverCpu),18}   ({Seconds(senderCpu)} + {Seconds(receiverCpu)}, {(drained ? (senderCpu + receiverCpu) * 1000 / submittedCount : 0):F2} ms per referral; load average {loadBefore} → {loadAfter})");
}
Console.WriteLine($"{"duplicates",-44}{duplicates,18}{0,14}   {Met(duplicates == 0)}");
Console.WriteLine($"{"lost",-44}{lost,18}{0,14}   {Met(lost == 0)}");
Console.WriteLine($"{"not acknowledged on " + senderCountry,-44}{notAcknowledged,18}");
Console.WriteLine($"{"re-deliveries answered 'duplicate'",-44}{submissionsRedelivered + acknowledgementsRedelivered,18}   ({submissionsRedelivered} submissions, {acknowledgementsRedelivered} acknowledgements)");
Console.WriteLine($"{"submissions " + receiverCountry + " was handed / refused",-44}{peerCalls + " / " + refusals,18}   (most attempts of one submission: {submissionAttempts})");
Console.WriteLine($"{"RSS " + senderCountry + " after drain / peak",-44}{senderRss.Current.ToString("F0", CultureInfo.InvariantCulture) + " / " + senderRss.Peak.ToString("F0", CultureInfo.InvariantCulture) + " MB",18}");
Console.WriteLine($"{"RSS " + receiverCountry + " after drain / peak",-44}{receiverRss.Current.ToString("F0", CultureInfo.InvariantCulture) + " / " + receiverRss.Peak.ToString("F0", CultureInfo.InvariantCulture) + " MB",18}");
Console.WriteLine($"Figures in {outFile}");
return drained && duplicates == 0 && lost == 0 ? 0 : 1;

// ---------------------------------------------------------------------------------------------------------------------

void WritePids()
{
    if (pidFile.Length > 0)
    {
        File.WriteAllLines(pidFile, [.. new[] { receiverProcess.Id, senderProcess?.Id ?? 0 }.Where(id => id > 0).Select(id => id.ToString(CultureInfo.InvariantCulture))]);
    }
}

async Task<string> SubmitOneAsync(int index)
{
    var form = Synthetic.Form(senderCountry, receiverCountry, index);
    string? referralId = null;
    for (var attempt = 1; ; attempt++)
    {
        try
        {
            referralId ??= (await sender.Client.CreateDraftAsync(new CreateDraftRequest { Form = form }, sender.Call())).Referral.Header.ReferralId;
            await sender.Client.SubmitReferralAsync(new SubmitReferralRequest { ReferralId = referralId }, sender.Call());
            return referralId;
        }
        catch (RpcException ex) when (attempt < 3 && ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            // Retried below; a draft made by a call whose answer was lost stays a draft and is never sent.
        }
        catch (RpcException ex) when (attempt > 1 && referralId is not null && ex.StatusCode == StatusCode.FailedPrecondition)
        {
            // The earlier submit went through although its answer was lost.
            var status = (await sender.Client.GetReferralAsync(new GetReferralRequest { ReferralId = referralId }, sender.Call())).Referral.Status;
            if (status != ReferralStatus.Draft)
            {
                return referralId;
            }

            throw;
        }
    }
}

static async Task<int> CountAsync(Officer officer, ReferralDirection direction, string peer, ReferralStatus? status, int seconds = 30)
{
    var request = new ListReferralsRequest { Direction = direction, PeerCountry = peer, Limit = 1 };
    if (status is { } s)
    {
        request.Statuses.Add(s);
    }

    return (await officer.Client.ListReferralsAsync(request, officer.Call(seconds))).Total;
}

static async Task ProgressAsync(Func<string> line, CancellationToken cancellationToken)
{
    using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
    try
    {
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            Console.Error.WriteLine("  " + line());
        }
    }
    catch (OperationCanceledException)
    {
    }
}

void Print(Sample s) => Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"  {s.Seconds,6:F1} s  {senderCountry} outbox {s.SenderOutbox,6}  {receiverCountry} outbox {(s.ReceiverOutbox?.ToString(CultureInfo.InvariantCulture) ?? "down"),6}  {receiverCountry} holds {(s.ReceiverHolds?.ToString(CultureInfo.InvariantCulture) ?? "-"),6}  {senderCountry} sees ACKNOWLEDGED {s.Acknowledged,6}  RSS {senderCountry} {s.SenderRssMb:F0} MB, {receiverCountry} {s.ReceiverRssMb:F0} MB"));

static string Seconds(double? value) => value is { } v ? v.ToString("F1", CultureInfo.InvariantCulture) + " s" : "-";

static string Kinds(IEnumerable<OutboxEntry> entries) =>
    string.Join(", ", entries.GroupBy(e => e.Kind).Select(g => $"{g.Count()} {g.Key}"));

static void Say(string line) => Console.Error.WriteLine($"\u001b[1m==> {line}\u001b[0m");

static bool Listening(Uri url)
{
    try
    {
        using var client = new TcpClient();
        return client.ConnectAsync(url.Host, url.Port).Wait(TimeSpan.FromSeconds(1));
    }
    catch (AggregateException ex) when (ex.InnerException is SocketException)
    {
        return false;
    }
}

// The same command line and environment 'federation up' gives a node; the node appends its output to its log.
static Process StartNode(string cli, string config, string log)
{
    var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
    info.ArgumentList.Add("-c");
    info.ArgumentList.Add("exec \"$0\" \"$@\" >> \"$NREMNET_CHILD_LOG\" 2>&1");
    foreach (var argument in new[] { cli, "node", "run", "--config", config })
    {
        info.ArgumentList.Add(argument);
    }

    info.Environment["NREMNET_CHILD_LOG"] = log;
    info.Environment["DOTNET_gcServer"] = "0";
    return Process.Start(info) ?? throw new InvalidOperationException($"Could not start {cli}.");
}

// VmRSS and VmHWM (the peak over the process's life) in MB.
static (double Current, double Peak) Rss(int processId)
{
    double current = 0, peak = 0;
    foreach (var line in File.ReadLines($"/proc/{processId}/status"))
    {
        if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
        {
            current = Kilobytes(line) / 1024.0;
        }
        else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
        {
            peak = Kilobytes(line) / 1024.0;
        }
    }

    return (current, peak);

    static long Kilobytes(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}

// utime + stime of a process, in seconds (clock ticks of 1/100 s).
static double CpuSeconds(int processId)
{
    var stat = File.ReadAllText($"/proc/{processId}/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
}

static double LoadAverage() => double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

static double? Round(double? value) => value is { } v ? Math.Round(v, 2) : null;

static string NodeDatabase(string state, string country) =>
    new SqliteConnectionStringBuilder { DataSource = Path.Combine(state, "nodes", country, "data", "node.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();

static List<string> Strings(string connectionString, string sql, string peer)
{
    using var connection = new SqliteConnection(connectionString);
    connection.Open();
    using var command = connection.CreateCommand();
    command.CommandText = sql;
    command.Parameters.AddWithValue("$value", peer);
    using var reader = command.ExecuteReader();
    var values = new List<string>();
    while (reader.Read())
    {
        values.Add(reader.GetString(0));
    }

    return values;
}

static long Scalar(string connectionString, string sql, string actor)
{
    using var connection = new SqliteConnection(connectionString);
    connection.Open();
    using var command = connection.CreateCommand();
    command.CommandText = sql;
    command.Parameters.AddWithValue("$value", actor);
    return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
}

/// <summary>One look at both nodes during the drain.</summary>
internal sealed record Sample(double Seconds, int SenderOutbox, int? ReceiverOutbox, int? ReceiverHolds, int Acknowledged, double SenderRssMb, double ReceiverRssMb);

/// <summary>A referral officer's connection to a node's user API, from the profile 'federation up' saved.</summary>
internal sealed class Officer : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly string _token;

    private Officer(string url, string token, string caFile)
    {
        _token = token;
        _channel = NetworkChannel.Create(url, new NetworkChannelOptions { TrustedServerRoots = [PemFiles.Load(caFile)] });
        Client = new UserApi.ReferralService.ReferralServiceClient(_channel);
    }

    public UserApi.ReferralService.ReferralServiceClient Client { get; }

    public static Officer FromProfiles(JsonArray profiles, string country)
    {
        var profile = profiles.FirstOrDefault(p => (string?)p!["node"] == country && p!["roles"]!.AsArray().Any(r => (string?)r == "referral_officer"))
            ?? throw new InvalidOperationException($"No saved profile of a referral officer of {country}; did 'federation up' make the demo accounts?");
        return new Officer((string)profile["url"]!, (string)profile["token"]!, (string)profile["caFile"]!);
    }

    public CallOptions Call(int seconds = 60) =>
        new(new Metadata { { "authorization", "Bearer " + _token } }, DateTime.UtcNow.AddSeconds(seconds));

    public void Dispose() => _channel.Dispose();
}

/// <summary>SYNTHETIC referral forms, the shape of the node tests' fixture: nothing here describes a real person.</summary>
internal static class Synthetic
{
    public static ReferralForm Form(string sender, string receiver, int index)
    {
        var today = DateTime.UtcNow;
        var form = new ReferralForm
        {
            ReceiverCountry = receiver,
            Phase = Phase.FirstAssistance,
            Purpose = Purpose.Assistance,
            Urgency = Urgency.Urgent,
            SendingOrganisation = new Organisation { Name = $"Synthetic NGO {sender}", Unit = "TRM desk", Email = "trm@sender.nremnet.example" },
            ReceivingOrganisation = new Organisation { Name = $"Synthetic shelter {receiver}", Email = "trm@receiver.nremnet.example" },
            PersonReference = $"{sender}-SYN-BENCH-{index:D5}",
            PersonalData = new PersonalData { GivenName = "Synthetic", FamilyName = "Person", Sex = "F", Citizenship = "RO", DateOfBirth = "1999-04", Contact = "via the sending NGO (synthetic)" },
            Consent = new Consent { Given = true, Date = today.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ExplainedInLanguage = "ro", WithdrawalExplained = true },
            LegalBasis = "GDPR art. 6(1)(e), 9(2)(g) (synthetic benchmark)",
            RetentionUntil = today.AddYears(2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        form.PersonalData.Languages.Add("ro");
        form.Needs.Add("shelter and medical care (synthetic)");
        form.SafetyRisks.Add(new SafetyRisk { Description = "exploiter may look for her (synthetic)", Level = RiskLevel.High });
        form.Consent.DataScope.AddRange([DataCategory.Identity, DataCategory.DateOfBirth, DataCategory.Contact, DataCategory.Languages]);
        form.Consent.RecipientCountries.Add(receiver);
        form.Attachments.Add(new Attachment { Name = "assessment.txt", MediaType = "text/plain", Content = ByteString.CopyFrom(Encoding.UTF8.GetBytes("Synthetic assessment (benchmark)")) });
        return form;
    }
}

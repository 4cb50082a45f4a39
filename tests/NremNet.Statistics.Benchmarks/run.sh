#!/usr/bin/env bash
# Benchmark of aggregate statistics (issue 4 §10) against the seven sample nodes of 'nremnet federation up', real
# processes and real TLS. Figures and ratios only; nothing here asserts a time.
#  - import: RECORDS synthetic case records (2015-2024) into node NODE with 'nremnet data import': wall clock, records
#    per second, the node's RSS (peak while importing, and after); then the same file again (must change nothing);
#  - a two-dimension breakdown (THB_VICT_REG by SEX x EXPLOIT) through NODE's peer API as node AS: p50/p99, against the
#    bare SQLite query on the same pre-aggregated store (target: p50 ratio at most 1.5), for one year and for ten;
#  - a federated query over all sample nodes as AS's rapporteur, against the slowest single peer call (target: p50
#    ratio at most 1.3).
# Results in artifacts/bench/statistics/result.json.
#
#   bash tests/NremNet.Statistics.Benchmarks/run.sh
#   RECORDS=100000 CALLS=500 FEDERATED_CALLS=50 bash tests/NremNet.Statistics.Benchmarks/run.sh   # a quick trial
#   PORT_OFFSET=100 bash tests/NremNet.Statistics.Benchmarks/run.sh   # while another federation uses ports 7400-8407
set -euo pipefail

RECORDS=${RECORDS:-1000000}
NODE=${NODE:-SE}                 # a sample node that holds case records (NL, SE or FI)
AS=${AS:-NL}                     # the country asking
CALLS=${CALLS:-2000}             # peer API and bare calls per shape of query
FEDERATED_CALLS=${FEDERATED_CALLS:-200}
YEARS=${YEARS:-2024,2015-2024}   # the shapes of the breakdown query; the federated query uses the first
PORT_OFFSET=${PORT_OFFSET:-0}    # shifts every port of the federation, when another one holds the default ports

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/artifacts/bench/statistics"
state="$out/state"
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
now() { date +%s.%N; }
load() { cut -d' ' -f1 /proc/loadavg; }
cd "$root"

say "Building (Release)"
dotnet build src/NremNet.Cli -c Release --nologo -v quiet >&2
dotnet build "$here/NremNet.Statistics.Benchmarks.csproj" -c Release --nologo -v quiet >&2
cli="$root/src/NremNet.Cli/bin/Release/net10.0/nremnet"
bench="$here/bin/Release/net10.0/NremNet.Statistics.Benchmarks"

down() { "$cli" federation down --state "$state" >/dev/null 2>&1 || true; }
trap down EXIT
down
rm -rf "$state" "$out/nodes"
mkdir -p "$out"
export NREMNET_PROFILES="$state/profiles.json"
up_args=()
if (( PORT_OFFSET != 0 )); then
  # The sample nodes as they are, on other ports.
  python3 - "$root/nodes" "$out/nodes" "$PORT_OFFSET" <<'PY'
import glob, json, os, sys
source, target, offset = sys.argv[1], sys.argv[2], int(sys.argv[3])
for path in glob.glob(os.path.join(source, "*", "node.json")):
    node = json.load(open(path))
    node["peerPort"] += offset
    node["consolePort"] += offset
    folder = os.path.join(target, os.path.basename(os.path.dirname(path)))
    os.makedirs(folder, exist_ok=True)
    json.dump(node, open(os.path.join(folder, "node.json"), "w"), indent=2)
PY
  up_args=(--nodes "$out/nodes" --directory-port $((7400 + PORT_OFFSET)))
fi
load_start=$(load)

say "federation up (fresh state: PKI, demo accounts, sample data, demo agreements)"
"$cli" federation up --detach --json --state "$state" "${up_args[@]}" > "$out/up.json" 2> >(tee "$out/up.log" | sed 's/^/    /' >&2)
pid=$(python3 -c "import json,sys; print(next(n['processId'] for n in json.load(open(sys.argv[1]))['nodes'] if n['country'] == sys.argv[2]))" "$state/federation.json" "$NODE")
rss() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status"; }
rss_idle=$(rss)

say "Generating $RECORDS SYNTHETIC case records of $NODE (2015-2024)"
"$cli" data generate --country "$NODE" --kind cases --years 2015-2024 --records "$RECORDS" --out "$out/cases.csv" --force --json > "$out/generate.json"

# Samples the node's RSS every 0.2 s into a file (one MB figure a line), and says how far along it is every 10 s.
sample_rss() { # file
  local ticks=0
  : > "$1"
  while kill -0 "$pid" 2>/dev/null; do
    rss >> "$1" && echo >> "$1"
    if (( ++ticks % 50 == 0 )); then printf '    %3d s, node %s RSS %s MB\n' $((ticks / 5)) "$NODE" "$(rss)" >&2; fi
    sleep 0.2
  done
}

since() { awk -v now="$(now)" -v start="$1" 'BEGIN { printf "%.1f", now - start }'; }

import() { # label -> prints "seconds peak_rss_mb"; writes $out/import-<label>.json, .phases and rss-<label>.log
  local start sampler
  sample_rss "$out/rss-$1.log" & sampler=$!
  start=$(now)
  # The CLI names each phase of the node on stderr as it starts; each line gets its time since the start.
  "$cli" data import "$out/cases.csv" --kind cases --node "$NODE" --json > "$out/import-$1.json" \
    2> >(while IFS= read -r line; do printf '  %7s s  %s\n' "$(since "$start")" "$line"; done | tee "$out/import-$1.phases" >&2)
  local seconds
  seconds=$(since "$start")
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  echo "$seconds $(sort -n "$out/rss-$1.log" | tail -1)"
}

say "Importing $RECORDS records into $NODE ('nremnet data import')"
read -r import_seconds import_peak < <(import first)
rss_after=$(rss)
imported() { python3 -c "import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))['imported'] else 1)" "$1" || { echo "the import was rejected: see $1" >&2; exit 1; }; }
imported "$out/import-first.json"
say "imported in ${import_seconds} s; node RSS peak ${import_peak} MB, after ${rss_after} MB"

say "Importing the same file again (must change nothing)"
read -r again_seconds again_peak < <(import again)
rss_after_again=$(rss)
imported "$out/import-again.json"
"$cli" data summary --node "$NODE" --json > "$out/summary.json"

say "Queries: peer API vs bare SQLite (${CALLS} rounds per shape), federated vs single peer calls (${FEDERATED_CALLS} rounds)"
"$bench" queries --state "$state" --node "$NODE" --as "$AS" --years "$YEARS" --calls "$CALLS" --federated-calls "$FEDERATED_CALLS" > "$out/queries.json"
load_end=$(load)
down

python3 - "$out" "$RECORDS" "$import_seconds" "$import_peak" "$rss_idle" "$rss_after" "$again_seconds" "$again_peak" "$rss_after_again" "$load_start" "$load_end" <<'PY'
import json, os, sys
out = sys.argv[1]
records = int(sys.argv[2])
import_s, import_peak, rss_idle, rss_after, again_s, again_peak, rss_again = map(float, sys.argv[3:10])
load_start, load_end = sys.argv[10:12]
first = json.load(open(f"{out}/import-first.json"))
again = json.load(open(f"{out}/import-again.json"))
summary = json.load(open(f"{out}/summary.json"))
q = json.load(open(f"{out}/queries.json"))
def met(ratio, target): return "met" if ratio <= target else "not met"
stored = summary.get("caseRecords", summary.get("case_records"))
result = {
    "machine": {"cpus": os.cpu_count(), "load_average_start": float(load_start), "load_average_end": float(load_end)},
    "import": {
        "records": records, "rows": first["rows"], "changed": first["changed"], "unchanged": first["unchanged"],
        "case_records_stored": stored, "seconds": round(import_s, 1), "records_per_second": round(first["rows"] / import_s),
        "node_rss_mb": {"idle_before": rss_idle, "peak": import_peak, "after": rss_after},
        "again": {"seconds": round(again_s, 1), "changed": again["changed"], "unchanged": again["unchanged"], "node_rss_peak_mb": again_peak, "node_rss_after_mb": rss_again},
    },
    "peer_vs_bare": [
        {**s, "target_ratio": 1.5, "target": met(s["peerToBareP50"], 1.5)} for s in q["shapes"]
    ],
    "federated_vs_slowest_peer": {
        "query": q["query"], "federated_ms": q["federated"], "statuses": q["federatedStatuses"],
        "single_peer_calls_ms": q["singlePeerCalls"], "slowest_peer": q["slowestPeer"], "slowest_peer_p50_ms": q["slowestPeerP50"],
        "sum_of_single_peer_p50_ms": q["sumOfSinglePeerP50"], "ratio_p50": q["federatedToSlowestP50"], "target_ratio": 1.3,
        "target": met(q["federatedToSlowestP50"], 1.3),
    },
}
json.dump(result, open(f"{out}/result.json", "w"), indent=2)

qd = q["query"]
print()
print(f"Aggregate statistics benchmark — {os.cpu_count()} CPUs, load average {load_start} at the start, {load_end} at the end")
print()
print(f"import of {records:,} SYNTHETIC case records into {q['node']} (nremnet data import)")
print(f"  {import_s:8.1f} s   {first['rows'] / import_s:,.0f} records/s   changed {first['changed']:,}, unchanged {first['unchanged']:,}; the node holds {stored:,} case records")
print(f"  node RSS: {rss_idle:.0f} MB before, {import_peak:.0f} MB peak, {rss_after:.0f} MB after")
print(f"  the same file again: {again_s:.1f} s, changed {again['changed']:,} (peak {again_peak:.0f} MB, after {rss_again:.0f} MB)")
print()
print(f"{qd['indicator']} by {qd['breakdown']} through {q['node']}'s peer API as {q['as']}, against the bare SQLite query on its store")
print(f"  {'years':<11}{'cells':>6}{'peer p50':>11}{'p99':>9}{'bare p50':>11}{'p99':>9}{'transport p50':>15}{'peer/bare':>11}   target ≤ 1.5×")
for s in q["shapes"]:
    print(f"  {s['years']:<11}{s['cells']:>6}{s['peer']['p50']:>9.3f}ms{s['peer']['p99']:>7.2f}ms{s['bare']['p50']:>9.3f}ms{s['bare']['p99']:>7.2f}ms"
          f"{s['transport']['p50']:>13.3f}ms{s['peerToBareP50']:>10.1f}×   {met(s['peerToBareP50'], 1.5)}")
print(f"  (transport: a health check on the same mutual-TLS channel, no audit and no database)")
print()
print(f"federated query over {len(q['federatedStatuses'])} nodes as {q['as']}'s rapporteur (refresh), years {qd['years'].split(',')[0]}, against single peer calls")
print(f"  federated      p50 {q['federated']['p50']:7.2f} ms   p99 {q['federated']['p99']:7.2f} ms")
for country, s in q["singlePeerCalls"].items():
    print(f"  {country} alone       p50 {s['p50']:7.2f} ms   p99 {s['p99']:7.2f} ms   ({s['status']}; {s['p50AsSeenByNode']:.2f} ms as {q['as']} saw it within the federated query)")
print(f"  slowest single peer call: {q['slowestPeer']} {q['slowestPeerP50']:.2f} ms; all single calls one after another: {q['sumOfSinglePeerP50']:.2f} ms")
print(f"  federated/slowest p50: {q['federatedToSlowestP50']:.1f}×   target ≤ 1.3×   {met(q['federatedToSlowestP50'], 1.3)}")
PY
say "Details in $out (result.json, queries.json, import-*.json and .phases, logs in state/logs)"

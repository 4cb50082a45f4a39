#!/usr/bin/env bash
# Benchmark of 'nremnet federation up' with the seven sample nodes: seconds until every
# process serves (fresh state, and resumed), RSS of each idle node and of the directory,
# and directory snapshot fetches per second. Figures only; nothing here asserts a time.
# Targets from the issue: all serving within 10 s; an idle node at most 120 MB RSS.
# Sample data: SAMPLE_YEARS (default 2024) of SYNTHETIC data per node; protecting case records costs seconds per year
# (figures in tests/NremNet.Disclosure.Benchmarks), so SAMPLE_YEARS=2015-2024 measures that import too.
#
#   bash tests/NremNet.Federation.Benchmarks/run.sh
#   IDLE_SECONDS=120 FETCH_SECONDS=20 bash tests/NremNet.Federation.Benchmarks/run.sh
set -euo pipefail

IDLE_SECONDS=${IDLE_SECONDS:-60}
FETCH_SECONDS=${FETCH_SECONDS:-10}
CONFIGURATION=${CONFIGURATION:-Debug}   # what 'dotnet run --project src/NremNet.Cli' runs

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/artifacts/bench/federation"
state="$out/state"
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
cd "$root"

say "Building ($CONFIGURATION)"
dotnet build src/NremNet.Cli -c "$CONFIGURATION" --nologo -v quiet >&2
dotnet build "$here/NremNet.Federation.Benchmarks.csproj" -c Release --nologo -v quiet >&2
cli="$root/src/NremNet.Cli/bin/$CONFIGURATION/net10.0/nremnet"
load="$here/bin/Release/net10.0/NremNet.Federation.Benchmarks"

down() { "$cli" federation down --state "$state" >/dev/null 2>&1 || true; }
trap down EXIT
down
rm -rf "$state"
mkdir -p "$out"

up() { # label -> prints the JSON of 'federation up'
  local start end
  start=$(date +%s.%N)
  "$cli" federation up --detach --json --sample-years "${SAMPLE_YEARS:-2024}" --state "$state" > "$out/up-$1.json" 2> "$out/up-$1.log"
  end=$(date +%s.%N)
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d['secondsUntilServing'], d['secondsUntilAllSeeEachOther'], round($end-$start,1))" "$out/up-$1.json"
}

say "federation up, fresh state (makes the PKI, 21 demo accounts, profiles)"
read -r fresh_serving fresh_converged fresh_wall < <(up fresh)
say "fresh: serving after ${fresh_serving} s, all see each other after ${fresh_converged} s (${fresh_wall} s wall clock)"

say "Idle for ${IDLE_SECONDS} s, then reading RSS"
sleep "$IDLE_SECONDS"
rss_report=$(python3 - "$state/federation.json" <<'PY'
import json, sys
state = json.load(open(sys.argv[1]))
def rss(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
rows = [("directory", rss(state["directoryProcessId"]))] + [(n["country"], rss(n["processId"])) for n in state["nodes"]]
print(json.dumps(rows))
PY
)

say "Directory snapshot fetches (${FETCH_SECONDS} s, 16 concurrent, mutual TLS as node NL)"
fetch_line=$("$load" snapshots --directory https://127.0.0.1:7400 --pki "$state/pki" --seconds "$FETCH_SECONDS" --concurrency 16)

down
say "federation up, resumed state"
read -r resumed_serving resumed_converged resumed_wall < <(up resumed)
down

python3 - "$rss_report" "$fetch_line" "$fresh_serving" "$fresh_converged" "$resumed_serving" "$resumed_converged" "$out/summary.json" "$IDLE_SECONDS" <<'PY'
import json, sys
rss = json.loads(sys.argv[1])
fetch = dict(kv.split("=") for kv in sys.argv[2].split())
fresh_s, fresh_c, resumed_s, resumed_c = map(float, sys.argv[3:7])
nodes = [r for r in rss if r[0] != "directory"]
summary = {
    "fresh": {"seconds_until_serving": fresh_s, "seconds_until_all_see_each_other": fresh_c},
    "resumed": {"seconds_until_serving": resumed_s, "seconds_until_all_see_each_other": resumed_c},
    "idle_seconds": int(sys.argv[8]),
    "rss_mb": {name: round(value, 1) for name, value in rss},
    "snapshot_fetches_per_second": int(fetch["fetches_per_second"]),
    "snapshot_fetch_failures": int(fetch["failures"]),
}
json.dump(summary, open(sys.argv[7], "w"), indent=2)
print()
print(f"{'':24}{'serving':>10}{'all see each other':>22}")
print(f"{'fresh state':24}{fresh_s:>9.1f}s{fresh_c:>21.1f}s")
print(f"{'resumed state':24}{resumed_s:>9.1f}s{resumed_c:>21.1f}s      (target: all serving within 10 s)")
print()
print(f"RSS after {sys.argv[8]} s idle (MB): " + ", ".join(f"{name} {value:.1f}" for name, value in rss))
print(f"largest idle node: {max(v for _, v in nodes):.1f} MB, mean {sum(v for _, v in nodes)/len(nodes):.1f} MB      (target: at most 120 MB)")
print(f"directory snapshot fetches: {fetch['fetches_per_second']}/s ({fetch['fetches']} in {fetch['seconds']} s, {fetch['failures']} failures)")
PY
say "Details in $out"

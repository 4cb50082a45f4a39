#!/usr/bin/env bash
# Benchmark of the practice library (issue 13 item 10): the seven sample nodes come up; their rapporteurs publish
# COUNT SYNTHETIC practices (each node a seventh). FI publishes its share first; then FI is stopped and the six others
# publish theirs at once, while KILLS random nodes of the six are killed with SIGKILL and started again; then FI, down
# for the whole publication of the six, comes back. Figures: publish rate, seconds until every node holds everything,
# seconds for the node that was down to take it all, convergence (count and content hash equal on every node, read
# from each node.db), index size on disk, publish-to-searchable on every other node (p50/p99/max; target p50 ≤ 2 s),
# search latency through the user API against the bare FTS5 statement on the same tables — the query's own language
# table and every other language table the search reads by concept (target ≤ 1.5×); beside it, against the own table alone.
# Figures only; nothing here asserts a time. The exit code says whether everything was published and converged.
#
#   bash tests/NremNet.Practices.Benchmarks/run.sh
#   COUNT=700 KILLS=1 SEARCHABLE=20 QUERIES=100 bash tests/NremNet.Practices.Benchmarks/run.sh   # a quick look
#   PORT_OFFSET=300 bash tests/NremNet.Practices.Benchmarks/run.sh    # ports 7700/7701.../8701... when 7400... are taken
#   CONCURRENCY=4 SEED=7 bash tests/NremNet.Practices.Benchmarks/run.sh
#   PHASES=search bash tests/NremNet.Practices.Benchmarks/run.sh     # F alone, on the federation the last run left (same PORT_OFFSET)
set -euo pipefail

COUNT=${COUNT:-50000}            # practices published in all, a seventh per node
CONCURRENCY=${CONCURRENCY:-3}    # concurrent publications per node
KILLS=${KILLS:-5}                # nodes killed with SIGKILL (and started again) at random moments of the publication and replication
SEED=${SEED:-1}                  # the practices' texts, which node is killed and when, the markers and the queries
SEARCHABLE=${SEARCHABLE:-200}    # practices published one at a time for publish-to-searchable
QUERIES=${QUERIES:-500}          # searches timed through the user API and the bare FTS5 statement
FRESH=${FRESH:-FI}               # the node that is down for the publication of the others
SEARCH_NODE=${SEARCH_NODE:-SE}   # the node whose search is timed
TIMEOUT=${TIMEOUT:-3600}         # seconds each replication phase may take before the benchmark gives up
PORT_OFFSET=${PORT_OFFSET:-0}    # added to the directory's and every node's ports
PHASES=${PHASES:-all}            # all; or search: phase F alone (figures in search.json), on the state the last run left

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/artifacts/bench/practices"
state="$out/state"
pid_file="$out/restarted.pids"
source "$root/tests/tools/bench-federation.sh"
cd "$root"

say "Building (Release)"
dotnet build src/NremNet.Cli -c Release --nologo -v quiet >&2
dotnet build "$here/NremNet.Practices.Benchmarks.csproj" -c Release --nologo -v quiet >&2
cli="$root/src/NremNet.Cli/bin/Release/net10.0/nremnet"
bench="$here/bin/Release/net10.0/NremNet.Practices.Benchmarks"

if [[ "$PHASES" == search ]]; then
  federation_up keep
  "$bench" search --state "$state" --search-node "$SEARCH_NODE" --queries "$QUERIES" --seed "$SEED" --out "$out/search.json"
  exit
elif [[ "$PHASES" != all ]]; then
  echo "PHASES must be all or search, not '$PHASES'." >&2
  exit 2
fi

federation_up

set +e
"$bench" run --state "$state" --count "$COUNT" --concurrency "$CONCURRENCY" --kills "$KILLS" --seed "$SEED" \
  --searchable "$SEARCHABLE" --queries "$QUERIES" --fresh "$FRESH" --search-node "$SEARCH_NODE" --timeout "$TIMEOUT" \
  --out "$out/result.json" --pid-file "$pid_file"
status=$?
set -e
say "Details in $out (result.json; node logs in state/logs)"
exit $status

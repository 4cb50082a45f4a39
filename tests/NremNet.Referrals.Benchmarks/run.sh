#!/usr/bin/env bash
# Benchmark of referral delivery after an outage (issue 5 §9): the seven sample nodes come up; SE is stopped; NL's
# referral officer submits 10,000 SYNTHETIC referrals to SE; SE is started again and the benchmark measures the
# seconds until NL's outbox and SE's outbox are empty and NL sees every referral ACKNOWLEDGED, referrals/s, duplicates
# (must be 0), lost (must be 0) and the RSS of both nodes. Figures only; nothing here asserts a time.
# Target from the issue: at least 500 referrals/s drained on this machine.
#
#   bash tests/NremNet.Referrals.Benchmarks/run.sh
#   COUNT=2000 CONCURRENCY=16 bash tests/NremNet.Referrals.Benchmarks/run.sh
#   PORT_OFFSET=300 bash tests/NremNet.Referrals.Benchmarks/run.sh    # ports 7700/7701.../8701... when 7400... are taken
#   KILLS=8 SEED=7 bash tests/NremNet.Referrals.Benchmarks/run.sh     # kill -9 NL or SE 8 times at random moments of the drain
set -euo pipefail

COUNT=${COUNT:-10000}
CONCURRENCY=${CONCURRENCY:-16}
TIMEOUT=${TIMEOUT:-900}          # seconds the drain may take before the benchmark gives up
PORT_OFFSET=${PORT_OFFSET:-0}    # added to the directory's and every node's ports
KILLS=${KILLS:-0}                # nodes killed with SIGKILL (and started again) at random moments of the drain
SEED=${SEED:-1}                  # which node, when, and for how long

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/artifacts/bench/referrals"
state="$out/state"
pid_file="$out/receiver.pid"
source "$root/tests/tools/bench-federation.sh"
cd "$root"

say "Building (Release)"
dotnet build src/NremNet.Cli -c Release --nologo -v quiet >&2
dotnet build "$here/NremNet.Referrals.Benchmarks.csproj" -c Release --nologo -v quiet >&2
cli="$root/src/NremNet.Cli/bin/Release/net10.0/nremnet"
bench="$here/bin/Release/net10.0/NremNet.Referrals.Benchmarks"

federation_up

receiver_pid=$(python3 -c "import json,sys; print(next(n['processId'] for n in json.load(open(sys.argv[1]))['nodes'] if n['country'] == 'SE'))" "$state/federation.json")
say "Stopping SE (process $receiver_pid; 'nremnet federation' has no verb for one node)"
stop_pid "$receiver_pid"

set +e
"$bench" drain --state "$state" --cli "$cli" --sender NL --receiver SE --count "$COUNT" --concurrency "$CONCURRENCY" \
  --timeout "$TIMEOUT" --target 500 --out "$out/result.json" --pid-file "$pid_file" --kills "$KILLS" --seed "$SEED"
status=$?
set -e
say "Details in $out (result.json; node logs in state/logs)"
exit $status

#!/usr/bin/env bash
# Benchmark: NremNet's gRPC server (Grpc.AspNetCore configured as NremNet's hosts
# are: AddNremNetGrpc, UseGrpcTls h2c endpoint, NremNet logging and telemetry)
# against a C++ gRPC reference server (Debian's libgrpc++-dev, callback API), both
# serving echo.proto on 127.0.0.1, driven by h2load with identical parameters in
# alternating rounds. Prints unary requests/s for each, the ratio NremNet/C++,
# p50/p99 latency, the servers' RSS after the run, and NremNet's client
# (Grpc.Net.Client through NetworkChannel) calls/s against both servers.
# TELEMETRY=off runs the server without OpenTelemetry, HOSTING_DIAGNOSTICS=on with
# ASP.NET Core's request diagnostics, to see what each costs.
# Figures only: nothing here asserts a time.
#
#   bash tests/NremNet.Rpc.Benchmarks/run.sh
#   ROUNDS=7 REQUESTS=300000 CLIENTS=16 STREAMS=32 bash tests/NremNet.Rpc.Benchmarks/run.sh
set -euo pipefail

ROUNDS=${ROUNDS:-5}            # alternating h2load rounds per server
REQUESTS=${REQUESTS:-200000}   # requests per round
WARMUP=${WARMUP:-100000}       # requests per server before measuring
CLIENTS=${CLIENTS:-16}         # h2load -c: connections
STREAMS=${STREAMS:-32}         # h2load -m: concurrent streams per connection
PAYLOAD=${PAYLOAD:-32}         # bytes echoed per call
CLIENT_SECONDS=${CLIENT_SECONDS:-10}
CLIENT_CONCURRENCY=${CLIENT_CONCURRENCY:-64}

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/artifacts/bench/rpc"
mkdir -p "$out"
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

bash "$root/tests/install-deps.sh" || { echo "Missing tools: run 'bash tests/install-deps.sh' as root first." >&2; exit 1; }

say "Building the C++ reference server (libgrpc++ $(pkg-config --modversion grpc++))"
protoc -I "$here" --cpp_out="$out" --grpc_out="$out" --plugin=protoc-gen-grpc="$(command -v grpc_cpp_plugin)" "$here/echo.proto"
g++ -O2 -std=c++17 -o "$out/echo_server" "$here/cpp/echo_server.cc" "$out/echo.pb.cc" "$out/echo.grpc.pb.cc" -I"$out" \
  $(pkg-config --cflags --libs grpc++ protobuf) -lpthread

say "Building the NremNet server (Release)"
# DOTNET_BUILD_ARGS: extra arguments, e.g. -p:BuildProjectReferences=false when the libraries are built already.
dotnet build "$here/NremNet.Rpc.Benchmarks.csproj" -c Release --nologo -v quiet ${DOTNET_BUILD_ARGS:-} >&2
ours_dll="$here/bin/Release/net10.0/NremNet.Rpc.Benchmarks.dll"

# One framed EchoRequest: compressed flag 0, big-endian length, then field 1 (bytes) of PAYLOAD zeros.
python3 - "$out/request.bin" "$PAYLOAD" <<'PY'
import struct, sys
payload = bytes(int(sys.argv[2]))
def varint(n):
    out = b""
    while True:
        b = n & 0x7F; n >>= 7
        out += bytes([b | (0x80 if n else 0)])
        if not n: return out
message = b"\x0a" + varint(len(payload)) + payload
open(sys.argv[1], "wb").write(b"\x00" + struct.pack(">I", len(message)) + message)
PY

cleanup() { for f in "$out"/*.pid; do if [ -f "$f" ]; then kill "$(cat "$f")" 2>/dev/null || true; rm -f "$f"; fi; done; }
trap cleanup EXIT
cleanup

start_server() { # name, command... ; prints the port
  local name=$1; shift
  "$@" > "$out/$name.log" 2>&1 &
  echo $! > "$out/$name.pid"
  local port
  for _ in $(seq 1 100); do
    port=$(grep -Eo 'listening on 127\.0\.0\.1:[0-9]+' "$out/$name.log" | grep -Eo '[0-9]+$' || true)
    if [ -n "$port" ]; then
      echo "$port"
      return 0
    fi
    sleep 0.1
  done
  echo "$name did not start:" >&2; cat "$out/$name.log" >&2; return 1
}

cpp_port=$(start_server cpp "$out/echo_server" 0)
ours_port=$(start_server nremnet dotnet "$ours_dll" server --port 0)
cpp_pid=$(cat "$out/cpp.pid"); ours_pid=$(cat "$out/nremnet.pid")
say "C++ on port $cpp_port (pid $cpp_pid), NremNet on port $ours_port (pid $ours_pid)"

path=/nremnet.bench.v1.EchoService/Echo
h2() { # port, requests, logfile
  h2load -n "$2" -c "$CLIENTS" -m "$STREAMS" -t 1 \
    -H 'content-type: application/grpc' -H 'te: trailers' \
    -d "$out/request.bin" ${3:+--log-file="$3"} "http://127.0.0.1:$1$path"
}

say "Checking that both servers answer with grpc-status 0"
for port in "$cpp_port" "$ours_port"; do
  dotnet "$ours_dll" client --target "http://127.0.0.1:$port" --seconds 1 --concurrency 4 --payload "$PAYLOAD" >/dev/null \
    || { echo "The server on port $port did not answer the echo correctly." >&2; exit 1; }
done

say "Warming up ($WARMUP requests each)"
h2 "$cpp_port" "$WARMUP" "" > /dev/null
h2 "$ours_port" "$WARMUP" "" > /dev/null

results="$out/rounds.tsv"
: > "$results"
for round in $(seq 1 "$ROUNDS"); do
  for server in cpp nremnet; do
    port=$cpp_port; [ $server = nremnet ] && port=$ours_port
    line=$(h2 "$port" "$REQUESTS" "" | tee "$out/$server-$round.h2load" | grep -E '^finished in')
    rps=$(sed -E 's/.* ([0-9.]+) req\/s.*/\1/' <<<"$line")
    failed=$(grep -E '^requests:' "$out/$server-$round.h2load" | sed -E 's/.* ([0-9]+) failed.*/\1/')
    printf '%s\t%s\t%s\t%s\n' "$server" "$round" "$rps" "$failed" >> "$results"
    say "round $round $server: $rps req/s ($failed failed)"
  done
done

# Latency comes from separate rounds: logging every request slows h2load, so those rounds are not used for req/s.
for server in cpp nremnet; do
  port=$cpp_port; [ $server = nremnet ] && port=$ours_port
  h2 "$port" "$((REQUESTS / 2))" "$out/$server.latency" > "$out/$server-latency.h2load"
done

rss() { awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }
cpp_rss=$(rss "$cpp_pid"); ours_rss=$(rss "$ours_pid")

say "NremNet client against each server ($CLIENT_SECONDS s, $CLIENT_CONCURRENCY concurrent calls)"
client_cpp=$(dotnet "$ours_dll" client --target "http://127.0.0.1:$cpp_port" --seconds "$CLIENT_SECONDS" --concurrency "$CLIENT_CONCURRENCY" --payload "$PAYLOAD" | sed -E 's/.*calls_per_second=([0-9]+).*/\1/')
client_ours=$(dotnet "$ours_dll" client --target "http://127.0.0.1:$ours_port" --seconds "$CLIENT_SECONDS" --concurrency "$CLIENT_CONCURRENCY" --payload "$PAYLOAD" | sed -E 's/.*calls_per_second=([0-9]+).*/\1/')

python3 - "$results" "$cpp_rss" "$ours_rss" "$client_cpp" "$client_ours" "$out/summary.json" "$out" <<'PY'
import json, statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
def latencies(paths):
    values = []
    for p in paths:
        for line in open(p):
            parts = line.split()
            if len(parts) >= 3 and parts[1].isdigit():
                values.append(int(parts[2]))
    values.sort()
    pick = lambda q: values[min(len(values) - 1, int(q * len(values)))] / 1000.0
    return pick(0.50), pick(0.99)
summary = {}
for server in ("cpp", "nremnet"):
    mine = [r for r in rows if r[0] == server]
    rates = [float(r[2]) for r in mine]
    p50, p99 = latencies([f"{sys.argv[7]}/{server}.latency"])
    summary[server] = {"rounds": rates, "median_rps": statistics.median(rates), "failed": sum(int(r[3]) for r in mine), "p50_ms": p50, "p99_ms": p99}
ratio = summary["nremnet"]["median_rps"] / summary["cpp"]["median_rps"]
summary.update({"ratio_nremnet_over_cpp": ratio, "rss_mb": {"cpp": float(sys.argv[2]), "nremnet": float(sys.argv[3])},
                "client_calls_per_second": {"against_cpp": int(sys.argv[4]), "against_nremnet": int(sys.argv[5])}})
json.dump(summary, open(sys.argv[6], "w"), indent=2)
print()
print(f"{'server':<14}{'median req/s':>14}{'p50 ms':>10}{'p99 ms':>10}{'RSS MB':>10}   rounds (req/s)")
for name, key in (("C++ gRPC", "cpp"), ("NremNet", "nremnet")):
    s = summary[key]
    print(f"{name:<14}{s['median_rps']:>14,.0f}{s['p50_ms']:>10.2f}{s['p99_ms']:>10.2f}{summary['rss_mb'][key]:>10.1f}   " + ", ".join(f"{r:,.0f}" for r in s["rounds"]))
print(f"\nratio NremNet / C++ (median unary req/s): {ratio:.2f}x   (target >= 1.10x)")
print(f"NremNet client: {summary['client_calls_per_second']['against_cpp']:,} calls/s against C++, {summary['client_calls_per_second']['against_nremnet']:,} calls/s against NremNet")
if summary["cpp"]["failed"] or summary["nremnet"]["failed"]:
    print("WARNING: some requests failed; see the h2load output under artifacts/bench/rpc")
PY
say "Details in $out"

# Shared by the benchmarks that run the sample federation (sourced, not run): stopping a node, cleaning up the nodes
# a benchmark started again and the federation, and the sample federation up on moved ports.
# The sourcing script sets: root (repository), out (its artifacts folder), state (out/state), pid_file (the
# processes it started again, one id per line), cli (the nremnet executable), PORT_OFFSET.

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

stop_pid() { # pid: SIGTERM, then SIGKILL after 15 s
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

federation_cleanup() {
  # The nodes the benchmark started again are not in federation.json: stop them by their ids, if they are still those nodes.
  if [[ -f "$pid_file" ]]; then
    local pid
    while read -r pid; do
      if tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -- "node run --config $state/"; then
        stop_pid "$pid"
      fi
    done < "$pid_file"
    rm -f "$pid_file"
  fi
  [[ -f "$state/federation.json" ]] && "$cli" federation down --state "$state" >/dev/null 2>&1 || true
}

federation_up() { # [keep] the seven sample nodes and a directory, fresh (or, with keep, the federation $state holds), detached; figures in $out/up.json, log in $out/up.log
  trap federation_cleanup EXIT
  federation_cleanup
  if [[ "${1:-}" != keep ]]; then
    rm -rf "$state"
  elif [[ ! -f "$state/federation.json" ]]; then
    echo "No federation in $state to start again: run the whole benchmark first." >&2
    exit 2
  fi
  mkdir -p "$out"
  local nodes="$root/nodes"
  if [[ "$PORT_OFFSET" != 0 ]]; then
    # Copies of the sample nodes with every port moved; every other field (language, demo users, ...) kept as it is.
    nodes="$out/nodes"
    rm -rf "$nodes"
    python3 - "$root/nodes" "$nodes" "$PORT_OFFSET" <<'PY'
import json, os, sys
source, target, offset = sys.argv[1], sys.argv[2], int(sys.argv[3])
for country in sorted(os.listdir(source)):
    path = os.path.join(source, country, "node.json")
    if os.path.isfile(path):
        node = json.load(open(path))
        node["peerPort"] += offset
        node["consolePort"] += offset
        os.makedirs(os.path.join(target, country))
        json.dump(node, open(os.path.join(target, country, "node.json"), "w"), indent=2, ensure_ascii=False)
PY
  fi

  say "federation up ($([[ "${1:-}" == keep ]] && echo "the state" || echo "fresh state") in $state; load average $(cut -d' ' -f1-3 /proc/loadavg))"
  "$cli" federation up --detach --json --sample-years 2024 --state "$state" --nodes "$nodes" --directory-port $((7400 + PORT_OFFSET)) > "$out/up.json" 2> "$out/up.log"
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(f\"  all serving after {d['secondsUntilServing']} s, all see each other after {d['secondsUntilAllSeeEachOther']} s\")" "$out/up.json" >&2
}

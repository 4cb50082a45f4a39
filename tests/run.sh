#!/usr/bin/env bash
# Runs every NremNet test. Installs what the tests need when it is missing:
# Debian packages (Python grpcio, C++ gRPC, protoc plugins, h2load, Node.js) and
# the npm packages under tests/. Ends with one line: "N passed, N failed".
#
#   bash tests/run.sh                 # everything
#   bash tests/run.sh --filter Name   # extra arguments go to 'dotnet test'
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
results="$root/artifacts/test-results"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

install_debian_packages() {
  local missing=()
  [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import grpc, google.protobuf' 2>/dev/null || missing+=(python3 python3-grpcio python3-grpc-tools)
  command -v protoc >/dev/null && [ -x /usr/bin/grpc_python_plugin ] || missing+=(protobuf-compiler protobuf-compiler-grpc)
  [ -f /usr/include/grpcpp/grpcpp.h ] || missing+=(libgrpc++-dev)
  command -v h2load >/dev/null || missing+=(nghttp2-client)
  command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
  [ ${#missing[@]} -eq 0 ] && return 0

  say "Installing Debian packages: ${missing[*]}"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then sudo="sudo"; else
      echo "These packages are needed and this user cannot install them: ${missing[*]}" >&2
      echo "Install them as root: apt-get install ${missing[*]}" >&2
      return 1
    fi
  fi
  $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

install_npm_packages() {
  local dir
  for dir in tests/tools tests/interop/node; do
    if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
      say "Installing npm packages in $dir"
      (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2) || return 1
    fi
  done
}

count_results() {
  # Sums the counters of every TRX file: passed, and failed (errors and timeouts count as failed).
  /usr/bin/env python3 - "$results" <<'PY' 2>/dev/null || awk 'BEGIN{print "0 0"}'
import glob, sys, xml.etree.ElementTree as ET
passed = failed = 0
for path in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    counters = ET.parse(path).getroot().find(".//{*}Counters")
    if counters is None:
        continue
    a = counters.attrib
    passed += int(a.get("passed", 0))
    failed += int(a.get("failed", 0)) + int(a.get("error", 0)) + int(a.get("timeout", 0)) + int(a.get("aborted", 0))
print(passed, failed)
PY
}

setup_ok=1
install_debian_packages || setup_ok=0
install_npm_packages || setup_ok=0
if [ $setup_ok -eq 0 ]; then
  say "Setup failed; tests that need the missing tools will fail with a message saying how to install them."
fi

rm -rf "$results"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
say "Building"
if ! dotnet build NremNet.sln -c Release --nologo -v quiet >&2; then
  say "The build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

say "Running the tests"
dotnet test NremNet.sln -c Release --no-build --nologo \
  --logger "trx" --logger "console;verbosity=normal" \
  --results-directory "$results" \
  --blame-hang-timeout 10m "$@" >&2
status=$?

read -r passed failed < <(count_results)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # A test host crashed or hung before it could report a failure.
  failed=1
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

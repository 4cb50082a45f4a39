#!/usr/bin/env bash
# Runs every NremNet test. First installs what the tests need when it is missing
# (tests/install-deps.sh: Debian and npm packages). Ends with one line:
# "N passed, N failed".
#
#   bash tests/run.sh                 # everything
#   bash tests/run.sh --filter Name   # extra arguments go to 'dotnet test'
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
results="$root/artifacts/test-results"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

count_results() {
  # Sums the <Counters> of every TRX file: passed, and failed (errors, timeouts and aborts count as failed).
  local passed=0 failed=0 line n
  while IFS= read -r line; do
    n=$(grep -o ' passed="[0-9]*"' <<<"$line" | tr -dc 0-9); passed=$((passed + ${n:-0}))
    for key in failed error timeout aborted; do
      n=$(grep -o " $key=\"[0-9]*\"" <<<"$line" | tr -dc 0-9); failed=$((failed + ${n:-0}))
    done
  done < <(find "$results" -name '*.trx' -exec grep -ho '<Counters [^>]*>' {} + 2>/dev/null)
  echo "$passed $failed"
}

if ! bash "$root/tests/install-deps.sh"; then
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
list_failures() {
  # Names every failed test (from the TRX files), so a red run says what to look at.
  find "$results" -name '*.trx' -exec grep -ho '<UnitTestResult [^>]*outcome="\(Failed\|Error\|Timeout\|Aborted\)"[^>]*>' {} + 2>/dev/null |
    grep -o 'testName="[^"]*"' | sed 's/^testName="\(.*\)"$/  failed: \1/' | sed 's/&quot;/"/g; s/&amp;/\&/g' | sort -u
}
if [ "$failed" -ne 0 ]; then
  say "Failed tests:"
  list_failures >&2
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # A test host crashed or hung before it could report a failure.
  failed=1
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

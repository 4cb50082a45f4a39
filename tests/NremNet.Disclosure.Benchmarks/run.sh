#!/usr/bin/env bash
# Benchmark of disclosure control (issue 11 §8, "cost, measured"): what protecting a node's statistics costs, before
# issue 11 (commit BEFORE, default 6762291: two-way tables audited one at a time by linear programming) and after it
# (the working tree: the whole release set audited jointly on the records' joint table, in whole numbers, with
# OR-Tools). Figures and ratios only; nothing here asserts a time.
#
# For the same inputs in both (each sample node's synthetic data as 'nremnet federation up' loads it — case records
# where the country holds them, with the published tables they do not cover, published tables only otherwise — and
# RECORDS synthetic records of the NL profile over 2015-2024), per year: cells, withheld C and D (and, after, the
# small cells relabelled D), the share of cells withheld (information loss) and protection seconds; per import: the sum
# over the years, and the wall time with the years protected side by side (Parallel.ForAsync, as the node does).
#
# The "before" code comes from a temporary git worktree of BEFORE (removed on exit); the benchmark is built twice,
# once against each tree's src/NremNet.Domain (-p:DisclosureSource selects the other tree, with its own package
# versions), into separate artifact folders. Results in artifacts/bench/disclosure/result.json.
#
#   bash tests/NremNet.Disclosure.Benchmarks/run.sh                    # everything: a long run (an hour or more)
#   COUNTRIES=SE RECORDS=0 YEARS=2024 bash tests/NremNet.Disclosure.Benchmarks/run.sh   # a quick trial (a minute)
set -euo pipefail

COUNTRIES=${COUNTRIES:-NL,SE,FI,BG,NG,NP,AR}   # sample nodes whose synthetic years are protected
RECORDS=${RECORDS:-1000000}                   # the large import (NL profile, 2015-2024); 0 skips it
YEARS=${YEARS:-2015-2024}                     # the years protected, e.g. 2024 or 2015,2020-2024
PARALLEL=${PARALLEL:-1}                       # 0 skips protecting the years side by side (halves the time)
BEFORE=${BEFORE:-6762291}                     # the commit measured as "before"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/artifacts/bench/disclosure"
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
cd "$root"
mkdir -p "$out"

tmp="$(mktemp -d)"
cleanup() {
  git -C "$root" worktree remove --force "$tmp/tree" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

say "Worktree of $BEFORE (the code before issue 11) in $tmp/tree"
git -C "$root" worktree add --detach "$tmp/tree" "$BEFORE" >/dev/null 2>&1
before_label="commit $(git -C "$root" rev-parse --short "$BEFORE")"
after_label="working tree at $(git -C "$root" rev-parse --short HEAD)"
if [[ -n "$(git -C "$root" status --porcelain -- src)" ]]; then after_label+=" with uncommitted changes in src"; fi

# Separate artifact folders: neither build writes into the other's, nor into src/*/bin and obj.
say "Building after (working tree) and before ($BEFORE), Release"
project="$here/NremNet.Disclosure.Benchmarks.csproj"
dotnet build "$project" -c Release --nologo -v quiet --artifacts-path "$out/build/after" >&2
dotnet build "$project" -c Release --nologo -v quiet --artifacts-path "$tmp/build/before" -p:DisclosureSource="$tmp/tree/src" >&2
bench() { dotnet "$1/bin/NremNet.Disclosure.Benchmarks/release/NremNet.Disclosure.Benchmarks.dll" "${@:2}"; }
parallel=$([[ "$PARALLEL" == 0 ]] && echo false || echo true)
measure=(measure --countries "$COUNTRIES" --records "$RECORDS" --years "$YEARS" --parallel "$parallel")

start=$(date +%s)
say "Before: $before_label"
bench "$tmp/build/before" "${measure[@]}" --label "$before_label" --out "$out/before.json"
say "After: $after_label"
bench "$out/build/after" "${measure[@]}" --label "$after_label" --out "$out/after.json"

echo
bench "$out/build/after" compare --before "$out/before.json" --after "$out/after.json" --out "$out/result.json" | tee "$out/result.txt"
say "Measured in $(( $(date +%s) - start )) s; details in $out (result.json, result.txt, before.json, after.json)"

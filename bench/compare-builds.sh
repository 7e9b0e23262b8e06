#!/usr/bin/env bash
# Compares this checkout's relay with an earlier commit's, on the same machine in the same period:
# runs of the two alternate, so a host that grows slower or faster during the comparison affects both.
# Both relays are driven by this checkout's load generator (hotline bench --relay-build).
# Usage: bench/compare-builds.sh REF RATE REPS OUT_DIR [extra hotline bench options...]
# Example: bench/compare-builds.sh 926ab64 2000 2 bench/results/compare-2000
# Each run writes OUT_DIR/{before,after}-N.json; the table at the end reads them.
set -euo pipefail
if [ $# -lt 4 ]; then sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 2; fi
ref=$1 rate=$2 reps=$3 out=$(realpath -m "$4")
shift 4
top=$(git rev-parse --show-toplevel)
cd "$top"
npx tsc -p tsconfig.build.json   # this checkout as it is now, not a stale build
tree=$(mktemp -d /tmp/hotline-before-XXXXXX)
trap 'git worktree remove --force "$tree" >/dev/null 2>&1 || rm -rf "$tree"' EXIT
git worktree add --detach "$tree" "$ref" >/dev/null
# The earlier commit builds with this checkout's installed packages (same lock file for the relay).
ln -s "$top/node_modules" "$tree/node_modules"
(cd "$tree" && npx tsc -p tsconfig.build.json)
mkdir -p "$out"
for n in $(seq "$reps"); do
  for side in before after; do
    build=()
    [ "$side" = before ] && build=(--relay-build "$tree/dist")
    echo "run $n, $side ($([ "$side" = before ] && echo "$ref" || git rev-parse --short HEAD))" >&2
    node dist/cli/main.js bench --pairs 10 --rate "$rate" --duration 10s --warmup 2s "${build[@]}" "$@" --json "$out/$side-$n.json" >/dev/null
  done
done
node --input-type=module - "$out" "$reps" <<'JS'
import { readFileSync } from 'node:fs';
const [dir, reps] = process.argv.slice(2);
const rows = [];
for (let n = 1; n <= Number(reps); n++) for (const side of ['before', 'after']) {
  const report = JSON.parse(readFileSync(`${dir}/${side}-${n}.json`, 'utf8'));
  const r = report.relay;
  const q = r.latency.receipt.count > 0 ? r.latency.receipt : r.latency.delivered;
  const checks = 2 * report.calibration.verifyJoseCpuUs;
  rows.push({
    run: `${side} ${n}`,
    'p50 ms': q.p50,
    'p99 ms': q.p99,
    'relay µs/round trip': r.relay.cpuPerRoundTripUs,
    'two jose checks µs': Math.round(checks),
    ratio: Math.round((r.relay.cpuPerRoundTripUs / checks) * 100) / 100,
    'mean batch': r.store?.meanBatch ?? '-',
  });
}
console.table(rows);
JS

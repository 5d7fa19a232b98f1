#!/usr/bin/env bash
# direct.sh makes the direct-call results file that results/README.md's
# targets tables read beside the main file: instructions/op (no timed
# passes) of the reference benchmarks, each strategy's BenchmarkDirect and
# perf benchmarks, and timandy/routine called directly, each made with
# "benchreport run -pkg DIR -count 0 -exact" and concatenated.
#
# usage: results/direct.sh OUTFILE
set -euo pipefail

if [[ $# -ne 1 || $1 == -* ]]; then
	echo "usage: results/direct.sh OUTFILE" >&2
	exit 2
fi
out=$1
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp" "$out.partial"' EXIT

n=0
run() { # DIR BENCH-REGEXP
	n=$((n + 1))
	go run ./cmd/benchreport run -pkg "$1" -count 0 -exact -bench "$2" -o "$tmp/$n.txt" >/dev/null
}
run harness '^BenchmarkReference$'
run strategies/mapid '^Benchmark(Direct|Perf)$'
run strategies/shardedmap '^Benchmark(Direct|Perf|PerfDirect)$'
run strategies/ctxvalue '^Benchmark(Direct|Perf|PerfDirect)$'
run strategies/gls '^Benchmark(Direct|PerfDirect)$'
run peers/routinestore '^BenchmarkPerfRaw$'

# Written whole or not at all, like benchreport run's own files.
for i in $(seq "$n"); do cat "$tmp/$i.txt"; done >"$out.partial"
mv "$out.partial" "$out"

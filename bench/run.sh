#!/usr/bin/env bash
# Benchmarks this module's client against the official aws-sdk-go-v2
# client, a minimal hand-written client (floor) and the bare HTTP exchange
# (transport), then summarises. See README.md for the method.
#
#   ./run.sh                      # 6 rounds of -benchtime 1.5s (about 3.5 min on 2 cores)
#   ROUNDS=10 BENCHTIME=2s ./run.sh
#
# Writes results/ (raw.txt, benchstat.txt, ratios.md, connections.md,
# sizes.md, env.md, summary.md) and refreshes the results section of
# README.md (UPDATE_README=0 to skip).
set -euo pipefail
cd "$(dirname "$0")"
export GOWORK=off # this module is not in go.work: see README

ROUNDS=${ROUNDS:-6}
BENCHTIME=${BENCHTIME:-1.5s}
UPDATE_README=${UPDATE_README:-1}
BENCHSTAT=golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
CLIENTS=(ours official floor transport)
ARN=arn:aws:devicefarm:us-west-2:123456789012:testgrid-project:8b5c1b1e-0a9d-4a57-9f2c-2d1f3f0e6a11
OUT=results

start=$(date +%s)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$OUT"

echo "== build test binary"
go test -c -o "$tmp/bench.test" .

echo "== environment"
{
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//;s/ *$//') ($(nproc) cores)"
	echo "- Go: $(go env GOVERSION) $(go env GOOS)/$(go env GOARCH)"
	echo "- method: $ROUNDS rounds × $BENCHTIME per benchmark, client order rotated each round"
} | tee "$OUT/env.md"

echo "== benchmarks: $ROUNDS rounds, -benchtime $BENCHTIME"
raw="$OUT/raw.txt"
: >"$raw"
n=${#CLIENTS[@]}
for ((r = 0; r < ROUNDS; r++)); do
	order=()
	for ((i = 0; i < n; i++)); do order+=("${CLIENTS[(i + r) % n]}"); done
	echo "-- round $((r + 1))/$ROUNDS: ${order[*]}"
	for c in "${order[@]}"; do
		"$tmp/bench.test" -test.run '^$' -test.bench "^BenchmarkList\$/^scenario=/^client=$c\$" \
			-test.benchtime "$BENCHTIME" -test.count 1 | grep -v -e '^PASS$' -e '^ok ' >>"$raw"
	done
done

echo "== benchstat"
go run "$BENCHSTAT" -col "/client@(ours official floor transport)" "$raw" | tee "$OUT/benchstat.txt"

echo "== ratios"
go run ./cmd/ratios "$raw" | tee "$OUT/ratios.md"

echo "== connection reuse: 200 sequential calls per client and scenario"
"$tmp/bench.test" -test.run '^TestConnectionReuse$' -test.count 1 -connreport "$OUT/connections.md" >/dev/null
cat "$OUT/connections.md"

echo "== binary sizes (go build -trimpath -ldflags='-s -w')"
{
	echo "| program | bytes | MB (10⁶) | MiB | modules (main + deps) |"
	echo "|---|---:|---:|---:|---:|"
	for p in ours official; do
		go build -trimpath -ldflags='-s -w' -o "$tmp/$p" "./minimal/$p"
		bytes=$(stat -c %s "$tmp/$p")
		mods=$(($(go version -m "$tmp/$p" | awk '$1 == "dep"' | wc -l) + 1))
		awk -v p="$p" -v b="$bytes" -v m="$mods" \
			'BEGIN { printf "| minimal/%s | %d | %.2f | %.2f | %d |\n", p, b, b / 1e6, b / 1048576, m }'
	done
	echo
	echo "Modules linked into minimal/ours:"
	echo
	go version -m "$tmp/ours" | awk '$1 == "mod" || $1 == "dep" { printf "- %s %s\n", $2, $3 }'
} | tee "$OUT/sizes.md"

echo "== smoke run of the minimal programs against the fake server"
coproc SERVER { DEVICEFARM_BENCH_FAKESERVER=serve "$tmp/bench.test"; }
read -r url <&"${SERVER[0]}"
for p in ours official; do
	if out=$(AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY \
		AWS_REGION=us-west-2 AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
		DEVICEFARM_ENDPOINT="$url" AWS_ENDPOINT_URL_DEVICE_FARM="$url" "$tmp/$p" "$ARN"); then
		echo "minimal/$p listed $(grep -c . <<<"$out") sessions"
	else
		echo "minimal/$p FAILED"
	fi
done
eval "exec ${SERVER[1]}>&-" # closing its stdin stops the server
wait "$SERVER_PID" || true

elapsed=$(($(date +%s) - start))
{
	cat "$OUT/env.md"
	echo "- run.sh took ${elapsed}s"
	echo
	echo "### Ratios"
	echo
	cat "$OUT/ratios.md"
	echo
	echo "### Connection reuse"
	echo
	cat "$OUT/connections.md"
	echo
	echo "### Binary size"
	echo
	cat "$OUT/sizes.md"
	echo
	echo "### benchstat"
	echo
	echo '```'
	cat "$OUT/benchstat.txt"
	echo '```'
} >"$OUT/summary.md"

if [ "$UPDATE_README" = 1 ]; then
	awk -v f="$OUT/summary.md" '
		/<!-- results:start -->/ { print; while ((getline l < f) > 0) print l; skip = 1; next }
		/<!-- results:end -->/ { skip = 0 }
		!skip' README.md >"$tmp/README.md"
	cp "$tmp/README.md" README.md
fi
echo "== done in ${elapsed}s; results in $OUT/"

#!/bin/sh
# Records TestLoopbackE1381 (an analyser and a LIS talking E1381 over
# 127.0.0.1) into testdata/e1381-loopback.pcap. Needs tcpdump and the right
# to capture on the loopback interface (root or CAP_NET_RAW).
set -eu
cd "$(dirname "$0")/.."
port=41394
out=testdata/e1381-loopback.pcap
tcpdump -i lo -U -s 0 -w "$out.tmp" "tcp port $port" 2>/dev/null &
pid=$!
sleep 1
go test -count=1 -run 'TestLoopbackE1381$' -astm.port=$port .
sleep 1
kill "$pid"
wait "$pid" || true
mv "$out.tmp" "$out"
tcpdump -nr "$out" 2>/dev/null | wc -l | xargs echo "packets:"

#!/bin/sh
# Records TestLoopbackPOCT1A (a point-of-care device and a data manager
# exchanging POCT1-A2 XML over TCP on 127.0.0.1) into
# testdata/poct1a-loopback.pcap. Needs tcpdump and the right to capture on
# the loopback interface.
set -eu
cd "$(dirname "$0")/.."
port=41395
out=testdata/poct1a-loopback.pcap
tcpdump -i lo -U -s 0 -w "$out.tmp" "tcp port $port" 2>/dev/null &
pid=$!
sleep 1
go test -count=1 -run 'TestLoopbackPOCT1A$' -poct.port=$port .
sleep 1
kill "$pid"
wait "$pid" || true
mv "$out.tmp" "$out"
tcpdump -nr "$out" 2>/dev/null | wc -l | xargs echo "packets:"

#!/bin/sh
# Records TestLoopbackDataExport (a simulated IntelliVue monitor and a
# client talking Data Export over UDP on 127.0.0.1, on the protocol's own
# ports 24105 and 24005) into testdata/intellivue-loopback.pcap. Needs
# tcpdump and the right to capture on the loopback interface.
set -eu
cd "$(dirname "$0")/.."
out=testdata/intellivue-loopback.pcap
tcpdump -i lo -U -s 0 -w "$out.tmp" 'udp port 24105 or udp port 24005' 2>/dev/null &
pid=$!
sleep 1
go test -count=1 -run 'TestLoopbackDataExport$' -ivue.port=24105 -ivue.ciport=24005 .
sleep 1
kill "$pid"
wait "$pid" || true
mv "$out.tmp" "$out"
tcpdump -nr "$out" 2>/dev/null | wc -l | xargs echo "packets:"

#!/usr/bin/env bash
# Times medscan and tshark on the same bulk DICOM C-STORE capture and
# prints the ratio. tshark decodes every PDU (-d tcp.port==104,dicom) and
# prints its type; medscan decodes every PDU and DIMSE command and prints
# JSON Lines. Usage: bench/tshark-vs-medtap.sh [associations]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200}
command -v tshark >/dev/null || { echo "tshark not installed (apt-get install tshark)"; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go run ./bench/cmd/gencapture -o "$dir/cstore.pcap" -n "$n"
go build -o "$dir/medscan" ./examples/medscan
bytes=$(stat -c %s "$dir/cstore.pcap")

now() { date +%s.%N; }
t0=$(now)
"$dir/medscan" -json -no-progress "$dir/cstore.pcap" > "$dir/medscan.jsonl"
t1=$(now)
tshark -n -r "$dir/cstore.pcap" -d tcp.port==104,dicom -Y dicom -T fields -e dicom.pdu.type > "$dir/tshark.txt" 2>/dev/null
t2=$(now)

awk -v m="$(echo "$t1 - $t0" | bc)" -v s="$(echo "$t2 - $t1" | bc)" -v b="$bytes" \
    -v ev="$(wc -l < "$dir/medscan.jsonl")" -v pdus="$(wc -l < "$dir/tshark.txt")" 'BEGIN {
  printf "capture: %.1f MB\n", b/1e6
  printf "medscan -json: %.3f s (%.0f MB/s, %d JSON lines)\n", m, b/1e6/m, ev
  printf "tshark dicom:  %.3f s (%.0f MB/s, %d lines)\n", s, b/1e6/s, pdus
  printf "medscan is %.1fx faster than tshark\n", s/m
}'

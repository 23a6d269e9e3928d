#!/usr/bin/env bash
# Records dicom-brute.pcap: nmap's dicom-brute script guessing the called
# AE title of an Orthanc that checks it (DicomCheckCalledAet), on the
# loopback interface. The script first tries dcmtk's default ANY-SCP, then
# the titles of the word list below, five at a time, until Orthanc accepts
# one (PACS, the last). The detect tests expect dicom.ae-bruteforce from it.
#
#   sudo detect/testdata/record-dicom-brute.sh
#
# Runs as root (tcpdump on lo) with: tcpdump nmap orthanc iproute2. Port
# 4242 must be free; nothing else is touched.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
PORT=4242 # a port of the script's portrule (104, 2345, 2761, 2762, 4242, 11112)
say() { echo "record-dicom-brute: $*" >&2; }
die() { say "$*"; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root (tcpdump on lo)"
for c in tcpdump ss nmap /usr/sbin/Orthanc; do
	command -v "$c" >/dev/null || die "missing $c"
done
if ss -Hltn "( sport = :$PORT )" | grep -q .; then die "port $PORT is already in use"; fi

work=$(mktemp -d /tmp/dicom-brute.XXXXXX)
pids=()
tcpdump_pid=
cleanup() {
	local rc=$?
	if [ -n "$tcpdump_pid" ]; then kill -INT "$tcpdump_pid" 2>/dev/null || true; fi
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	if [ $rc -ne 0 ]; then tail -n 20 "$work"/*.log >&2 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

cat >"$work/orthanc.json" <<JSON
{
  "Name" : "MEDTAP-BRUTE-TEST",
  "StorageDirectory" : "OrthancStorage",
  "IndexDirectory" : "OrthancStorage",
  "Plugins" : [ ],
  "HttpServerEnabled" : false,
  "DicomServerEnabled" : true,
  "DicomAet" : "PACS",
  "DicomPort" : $PORT,
  "DicomCheckCalledAet" : true,
  "DicomAlwaysAllowEcho" : true,
  "DicomAssociationCloseDelay" : 0,
  "SaveJobs" : false,
  "MallocArenaMax" : 2
}
JSON
printf '%s\n' ARCHIVE DCM4CHEE ORTHANC STORESCP DICOM SERVER PACS_SCP AE_TITLE RADIOLOGY IMAGING PACS >"$work/aets.txt"

(cd "$work" && exec /usr/sbin/Orthanc orthanc.json >orthanc.log 2>&1) &
pids+=($!)
for _ in $(seq 150); do
	ss -Hltn "( sport = :$PORT )" | grep -q . && break
	sleep 0.1
done
ss -Hltn "( sport = :$PORT )" | grep -q . || die "Orthanc does not listen on $PORT"

tcpdump -i lo -n -s 0 -B 65536 -U --immediate-mode -w "$work/dicom-brute.pcap" "tcp and host 127.0.0.1 and port $PORT" 2>"$work/tcpdump.log" &
tcpdump_pid=$!
for _ in $(seq 100); do
	grep -q "listening on" "$work/tcpdump.log" && break
	sleep 0.1
done
sleep 0.2
nmap -n -Pn -sT -p $PORT --script dicom-brute --script-args "passdb=$work/aets.txt,brute.firstonly=true" 127.0.0.1 >"$work/nmap.log" 2>&1
grep -q "PACS - Valid credentials" "$work/nmap.log" || die "dicom-brute did not find PACS"
sleep 0.5
kill -INT "$tcpdump_pid"
wait "$tcpdump_pid" || true
tcpdump_pid=
grep -q "^0 packets dropped by kernel" "$work/tcpdump.log" || die "tcpdump dropped packets"
cp "$work/dicom-brute.pcap" "$here/dicom-brute.pcap"
say "dicom-brute.pcap: $(stat -c %s "$here/dicom-brute.pcap") bytes"
cat "$work/nmap.log" >&2

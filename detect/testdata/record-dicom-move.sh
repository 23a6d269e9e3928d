#!/usr/bin/env bash
# Records dicom-move.pcap: a C-MOVE of a study to an AE title Orthanc does
# not know (EXFIL), which Orthanc refuses, on the loopback interface. The
# fake CT of examples/medscan/testdata/dicom is stored into Orthanc before
# the capture. The detect tests expect dicom.move-unknown-destination
# (status 0xA801) from it.
#
#   sudo detect/testdata/record-dicom-move.sh
#
# Runs as root (tcpdump on lo) with: tcpdump dcmtk orthanc iproute2. Port
# 11192 must be free; nothing else is touched.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
PORT=11192
say() { echo "record-dicom-move: $*" >&2; }
die() { say "$*"; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root (tcpdump on lo)"
for c in tcpdump ss dump2dcm storescu movescu /usr/sbin/Orthanc; do
	command -v "$c" >/dev/null || die "missing $c"
done
if ss -Hltn "( sport = :$PORT )" | grep -q .; then die "port $PORT is already in use"; fi

work=$(mktemp -d /tmp/dicom-move.XXXXXX)
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
  "Name" : "MEDTAP-MOVE-TEST",
  "StorageDirectory" : "OrthancStorage",
  "IndexDirectory" : "OrthancStorage",
  "Plugins" : [ ],
  "HttpServerEnabled" : false,
  "DicomServerEnabled" : true,
  "DicomAet" : "PACS",
  "DicomPort" : $PORT,
  "DicomCheckCalledAet" : true,
  "DicomAlwaysAllowStore" : true,
  "DicomAlwaysAllowMove" : true,
  "DicomAssociationCloseDelay" : 0,
  "DicomModalities" : { "viewer" : [ "VIEWER", "127.0.0.1", 11193 ] },
  "SaveJobs" : false,
  "MallocArenaMax" : 2
}
JSON
(cd "$work" && dump2dcm +te -g "$root/examples/medscan/testdata/dicom/ct_doe_1.dump" ct.dcm)
(cd "$work" && exec /usr/sbin/Orthanc orthanc.json >orthanc.log 2>&1) &
pids+=($!)
for _ in $(seq 150); do
	ss -Hltn "( sport = :$PORT )" | grep -q . && break
	sleep 0.1
done
ss -Hltn "( sport = :$PORT )" | grep -q . || die "Orthanc does not listen on $PORT"
storescu -aet CT_SCANNER -aec PACS 127.0.0.1 $PORT "$work/ct.dcm"

tcpdump -i lo -n -s 0 -B 65536 -U --immediate-mode -w "$work/dicom-move.pcap" "tcp and host 127.0.0.1 and port $PORT" 2>"$work/tcpdump.log" &
tcpdump_pid=$!
for _ in $(seq 100); do
	grep -q "listening on" "$work/tcpdump.log" && break
	sleep 0.1
done
sleep 0.2
movescu -aet RADWS -aec PACS -aem EXFIL -S -k QueryRetrieveLevel=STUDY -k StudyInstanceUID=2.25.29112026.1 127.0.0.1 $PORT >"$work/movescu.log" 2>&1 || true
sleep 0.5
kill -INT "$tcpdump_pid"
wait "$tcpdump_pid" || true
tcpdump_pid=
grep -q "^0 packets dropped by kernel" "$work/tcpdump.log" || die "tcpdump dropped packets"
cp "$work/dicom-move.pcap" "$here/dicom-move.pcap"
say "dicom-move.pcap: $(stat -c %s "$here/dicom-move.pcap") bytes"

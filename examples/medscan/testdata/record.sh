#!/bin/bash
# record.sh: records sample.pcapng, the capture embedded in medscan: a small,
# fake hospital day on 127.0.0.1, captured with tcpdump on lo.
#
#   sudo examples/medscan/testdata/record.sh [OUTPUT.pcapng]
#
# Runs as root (tcpdump on lo) on Debian 12 or later with these packages:
#   tcpdump tshark wireshark-common (editcap, capinfos) dcmtk orthanc nmap
#   python3 python3-hl7 iproute2 (ss)
# apt-get install tcpdump tshark dcmtk orthanc nmap python3-hl7 iproute2
#
# All traffic stays on 127.0.0.1. The servers are our own instances on ports
# nothing else should use (the script stops if one is taken). A system Orthanc
# service on 4242/8042 is neither used nor touched. The capture is filtered to
# these ports:
#   11112  DICOM: Orthanc as the PACS, AE title PACS, with called AE title check
#   11114  DICOM: storescp as the reading-room viewer, AE title VIEWER
#          (destination of the C-MOVE; Orthanc connects to it)
#   2575   HL7 v2 over MLLP: hl7_server.py, ACKs every message with AA
#   5000   ASTM E1381/E1394: astm.py, the LIS, and an analyzer client
#
# The day, in order:
#   HL7  ADT^A01 + ADT^A08 (one connection), ORM^O01 (another)  hl7_client.py
#   DICOM C-ECHO CT_SCANNER -> PACS
#   DICOM C-STORE CT_SCANNER -> PACS, 2 CT images, implicit VR LE only (-xi),
#         all storage SOP classes proposed (a large A-ASSOCIATE-RQ)
#   DICOM C-STORE MR_SCANNER -> PACS, 1 MR image, explicit VR LE (-xe -R)
#   DICOM C-STORE CT_SCANNER -> PACS, 1 CT image, explicit VR LE (-xe -R)
#   ASTM  analyzer -> LIS: ENQ, H P O R R R C(2 frames) L, one NAK + retransmit, EOT
#   HL7  ORU^R01 lab + ORU^R01 radiology report (one connection)  mllp_send
#   DICOM C-FIND RADWS -> PACS, study level, PatientID=MRN100234
#   DICOM C-MOVE RADWS -> PACS, study to VIEWER (PACS -> VIEWER C-STOREs on 11114)
#   suspicious:
#   DICOM C-FIND FINDSCU -> PACS, patient level, PatientName=* (harvests the list)
#   DICOM A-ASSOCIATE-RJ: echoscu (US_CART3) calling an unknown AE title WRONG_AE
#   DICOM A-ABORT: echoscu --abort instead of a release
#   nmap -sT --script dicom-ping (called AE ANY-SCP, rejected by the PACS)
#
# The DICOM objects are made by dump2dcm from the text dumps in dicom/; HL7
# messages are in hl7_client.py and hl7/results.hl7; patients are fake. UIDs,
# HL7 timestamps and control IDs are fixed; packet times, TCP ports and
# sequence numbers and the ACK timestamps (MSH-7) differ from run to run.
#
# Check the result with:
#   tshark -r sample.pcapng -d tcp.port==11112,dicom -d tcp.port==11114,dicom \
#       -d tcp.port==2575,hl7 -q -z io,phs
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/sample.pcapng}
case $out in /*) ;; *) out=$PWD/$out ;; esac

PY=/usr/bin/python3
HOST=127.0.0.1
PACS_PORT=11112
VIEWER_PORT=11114
HL7_PORT=2575
ASTM_PORT=5000
PORTS="$PACS_PORT $VIEWER_PORT $HL7_PORT $ASTM_PORT"

say() { printf '%s record.sh: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { say "error: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (tcpdump captures on lo)"
for c in tcpdump editcap capinfos ss dump2dcm echoscu storescu findscu movescu storescp nmap mllp_send /usr/sbin/Orthanc $PY; do
	command -v "$c" >/dev/null || die "missing $c (see the package list at the top)"
done
$PY -c 'import hl7.mllp' 2>/dev/null || die "missing python3-hl7"
for p in $PORTS; do
	if ss -Hltn "( sport = :$p )" | grep -q .; then die "port $p is already in use"; fi
done

work=$(mktemp -d /tmp/medscan-record.XXXXXX)
pids=()
tcpdump_pid=
cleanup() {
	local rc=$?
	if [ -n "$tcpdump_pid" ]; then kill -INT "$tcpdump_pid" 2>/dev/null || true; fi
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	if [ $rc -ne 0 ]; then
		say "failed; logs:"
		tail -n 20 "$work"/*.log >&2 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

# wait_listen PORT: waits (without connecting, so nothing shows in the capture)
# until something listens on PORT.
wait_listen() {
	for _ in $(seq 100); do
		if ss -Hltn "( sport = :$1 )" | grep -q .; then return 0; fi
		sleep 0.1
	done
	die "nothing listens on port $1"
}
pause() { sleep "${1:-0.5}"; }

say "making DICOM files from dicom/*.dump"
mkdir -p "$work/dcm" "$work/viewer"
# 128x128 16-bit MR pixels (a bright disc with a dark ring), read by dump2dcm
# from "=mr_pixels.raw" relative to the working directory.
$PY - "$work/dcm/mr_pixels.raw" <<'EOF'
import struct, sys
px = []
for y in range(128):
    for x in range(128):
        r2 = (x - 64) ** 2 + (y - 60) ** 2
        px.append(0 if r2 > 55 ** 2 else 300 if r2 > 50 ** 2 else 900 + (x * 7 + y * 3) % 200)
open(sys.argv[1], "wb").write(struct.pack("<%dH" % len(px), *px))
EOF
for d in "$here"/dicom/*.dump; do
	(cd "$work/dcm" && dump2dcm +te -g "$d" "$(basename "${d%.dump}").dcm")
done

say "starting Orthanc (PACS) on $PACS_PORT, storescp (VIEWER) on $VIEWER_PORT, MLLP on $HL7_PORT, ASTM on $ASTM_PORT"
cp "$here/orthanc.json" "$work/orthanc.json"
(cd "$work" && exec /usr/sbin/Orthanc orthanc.json >orthanc.log 2>&1) &
pids+=($!)
storescp --aetitle VIEWER --output-directory "$work/viewer" "$VIEWER_PORT" >"$work/storescp.log" 2>&1 &
pids+=($!)
$PY "$here/hl7_server.py" "$HL7_PORT" >"$work/hl7_server.log" 2>&1 &
pids+=($!)
$PY "$here/astm.py" server "$ASTM_PORT" >"$work/astm_server.log" 2>&1 &
pids+=($!)
for p in $PORTS; do wait_listen "$p"; done

filter="tcp and host $HOST and ("
sep=
for p in $PORTS; do filter="$filter${sep}port $p"; sep=" or "; done
filter="$filter)"
say "starting tcpdump on lo: $filter"
tcpdump -i lo -n -s 0 -U --time-stamp-precision=nano -w "$work/raw.pcap" "$filter" 2>"$work/tcpdump.log" &
tcpdump_pid=$!
for _ in $(seq 100); do
	grep -q "listening on" "$work/tcpdump.log" && break
	sleep 0.1
done
grep -q "listening on" "$work/tcpdump.log" || die "tcpdump did not start"
pause 1

say "HL7: ADT^A01, ADT^A08, ORM^O01"
$PY "$here/hl7_client.py" "$HL7_PORT"
pause

say "DICOM: C-ECHO and C-STOREs from the modalities"
echoscu -aet CT_SCANNER -aec PACS "$HOST" "$PACS_PORT"
pause
storescu -aet CT_SCANNER -aec PACS -xi "$HOST" "$PACS_PORT" "$work/dcm/ct_doe_1.dcm" "$work/dcm/ct_doe_2.dcm"
pause
storescu -aet MR_SCANNER -aec PACS -xe -R "$HOST" "$PACS_PORT" "$work/dcm/mr_mustermann.dcm"
pause
storescu -aet CT_SCANNER -aec PACS -xe -R "$HOST" "$PACS_PORT" "$work/dcm/ct_rossi.dcm"
pause

say "ASTM: analyzer results to the LIS"
$PY "$here/astm.py" client "$ASTM_PORT"
pause

say "HL7: ORU^R01 results (mllp_send)"
mllp_send --loose -f "$here/hl7/results.hl7" -p "$HL7_PORT" "$HOST" >/dev/null
pause

say "DICOM: workstation C-FIND and C-MOVE to VIEWER"
findscu -aet RADWS -aec PACS -S -k QueryRetrieveLevel=STUDY -k PatientID=MRN100234 \
	-k PatientName -k StudyDate -k StudyInstanceUID -k AccessionNumber -k StudyDescription \
	-k ModalitiesInStudy "$HOST" "$PACS_PORT" >"$work/findscu-study.log" 2>&1
pause
movescu -aet RADWS -aec PACS -aem VIEWER -S -k QueryRetrieveLevel=STUDY \
	-k StudyInstanceUID=2.25.29112026.1 "$HOST" "$PACS_PORT"
pause 1
n=$(find "$work/viewer" -type f | wc -l)
[ "$n" = 2 ] || die "VIEWER received $n objects from the C-MOVE, want 2"

say "suspicious: wildcard patient-level C-FIND"
findscu -aet FINDSCU -aec PACS -P -k QueryRetrieveLevel=PATIENT -k 'PatientName=*' \
	-k PatientID -k PatientBirthDate -k PatientSex "$HOST" "$PACS_PORT" >"$work/findscu-patients.log" 2>&1
pause
say "suspicious: association to an unknown called AE title (rejected)"
if echoscu -aet US_CART3 -aec WRONG_AE "$HOST" "$PACS_PORT" 2>"$work/echoscu-wrong.log"; then
	die "the PACS accepted the called AE title WRONG_AE"
fi
grep -q "Called AE Title Not Recognized" "$work/echoscu-wrong.log" || die "no rejection for WRONG_AE"
pause
say "suspicious: A-ABORT"
echoscu -aet RADWS -aec PACS --abort "$HOST" "$PACS_PORT"
pause
say "suspicious: nmap dicom-ping"
nmap -n -Pn -sT -p "$PACS_PORT" --script dicom-ping "$HOST" >"$work/nmap.log" 2>&1
grep -q "DICOM Service Provider discovered" "$work/nmap.log" || die "dicom-ping found nothing"
pause 1

say "stopping tcpdump"
kill -INT "$tcpdump_pid"
wait "$tcpdump_pid" || true
tcpdump_pid=
editcap -F pcapng "$work/raw.pcap" "$work/sample.pcapng"
mv "$work/sample.pcapng" "$out"
capinfos -c -s -u "$out" >&2
say "wrote $out"

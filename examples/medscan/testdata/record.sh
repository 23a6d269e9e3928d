#!/bin/bash
# record.sh: records sample.pcapng, the capture embedded in medscan: a small,
# fake hospital day on 127.0.0.1, captured with tcpdump on lo, with the
# addresses rewritten so that every device has its own (see "Addresses").
#
#   sudo examples/medscan/testdata/record.sh [OUTPUT.pcapng]
#
# Runs as root (tcpdump on lo) on Debian 12 or later with these packages:
#   tcpdump tshark wireshark-common (mergecap, capinfos) dcmtk orthanc nmap
#   python3 python3-hl7 iproute2 (ss), and Go on root's PATH to build the
#   address rewriter examples/medscan/internal/remap from this repository
#   (sudo env PATH="$PATH" ... if sudo resets it).
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
# Addresses. The peers really talk over 127.0.0.1; each step below is
# captured on its own (one tcpdump per step) and its addresses are then
# rewritten by examples/medscan/internal/remap, the way capture anonymisers
# do: the endpoint on a server port gets that server's address, the other end
# the address of the device the step plays. Ports, sequence numbers, payloads
# and timestamps are kept; MACs become 02:00:<the four bytes of the IP>
# (locally administered) and the IPv4/TCP checksums are recomputed. The steps
# are then merged in time order with mergecap. The plan:
#   10.20.1.10  PACS (Orthanc), DICOM on 11112; the client of the C-MOVE's
#               C-STORE association to the viewer keeps this address
#   10.20.1.20  reading-room viewer (storescp), DICOM on 11114
#   10.20.2.10  HL7 interface engine (hl7_server.py), MLLP on 2575
#   10.20.2.21  registration/ADT system (REG_ADT): ADT^A01, ADT^A08
#   10.20.2.22  order entry (CPOE): ORM^O01
#   10.20.2.23  RIS: ORU^R01 radiology report
#   10.20.3.10  LIS (astm.py server), ASTM on 5000; also sends the lab
#               ORU^R01 to the interface engine
#   10.20.3.41  chemistry analyser (cobas c311, astm.py client)
#   10.20.5.21  CT scanner (CT_SCANNER)
#   10.20.5.22  MR scanner (MR_SCANNER)
#   10.20.5.43  ultrasound cart (US_CART3) with a wrong called AE title
#   10.20.6.31  radiology workstation (RADWS): C-FIND, C-MOVE, A-ABORT
#   10.99.0.66  unknown host on an unexpected subnet: the wildcard C-FIND
#               sweep (FINDSCU) and the nmap dicom-ping
#
# The day, in order (each line one capture step, one device):
#   HL7  ADT^A01 + ADT^A08 (one connection)                   hl7_client.py adt
#   HL7  ORM^O01 (another connection)                         hl7_client.py orm
#   DICOM C-ECHO CT_SCANNER -> PACS
#   DICOM C-STORE CT_SCANNER -> PACS, 2 CT images, implicit VR LE only (-xi),
#         all storage SOP classes proposed (a large A-ASSOCIATE-RQ)
#   DICOM C-STORE MR_SCANNER -> PACS, 1 MR image, explicit VR LE (-xe -R)
#   DICOM C-STORE CT_SCANNER -> PACS, 1 CT image, explicit VR LE (-xe -R)
#   ASTM  analyzer -> LIS: ENQ, H P O R R R C(2 frames) L, one NAK + retransmit, EOT
#   HL7  ORU^R01 lab result from the LIS                        mllp_send
#   HL7  ORU^R01 radiology report from the RIS                 mllp_send
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
#   tshark -r sample.pcapng -q -z conv,tcp
# The script itself checks that tshark finds no bad checksums and no TCP
# analysis problems in it.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
out=${1:-$here/sample.pcapng}
case $out in /*) ;; *) out=$PWD/$out ;; esac

PY=/usr/bin/python3
HOST=127.0.0.1
PACS_PORT=11112
VIEWER_PORT=11114
HL7_PORT=2575
ASTM_PORT=5000
PORTS="$PACS_PORT $VIEWER_PORT $HL7_PORT $ASTM_PORT"

# The address plan (see the top). SERVERS maps each server port to the
# address of the server on it; the client addresses are given per step.
PACS_IP=10.20.1.10
VIEWER_IP=10.20.1.20
HL7_ENGINE_IP=10.20.2.10
ADT_IP=10.20.2.21
CPOE_IP=10.20.2.22
RIS_IP=10.20.2.23
LIS_IP=10.20.3.10
ANALYSER_IP=10.20.3.41
CT_IP=10.20.5.21
MR_IP=10.20.5.22
US_CART_IP=10.20.5.43
RADWS_IP=10.20.6.31
ROGUE_IP=10.99.0.66
SERVERS=(-server "$PACS_PORT=$PACS_IP" -server "$VIEWER_PORT=$VIEWER_IP"
	-server "$HL7_PORT=$HL7_ENGINE_IP" -server "$ASTM_PORT=$LIS_IP")

say() { printf '%s record.sh: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { say "error: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (tcpdump captures on lo)"
for c in go tcpdump tshark mergecap capinfos ss dump2dcm echoscu storescu findscu movescu storescp nmap mllp_send /usr/sbin/Orthanc $PY; do
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

say "building the address rewriter"
(cd "$root" && go build -o "$work/remap" ./examples/medscan/internal/remap)

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
say "capturing each step on lo: $filter"

# begin NAME starts a tcpdump for the next step; end CLIENT_IP [REMAP_ARGS]
# stops it and rewrites the step's capture: servers get their addresses from
# SERVERS, the clients CLIENT_IP unless REMAP_ARGS say otherwise.
nstep=0
cur=
begin() {
	nstep=$((nstep + 1))
	cur=$(printf '%s/step%02d-%s' "$work" "$nstep" "$1")
	# --immediate-mode: without it the kernel hands packets over in blocks,
	# and the last block is lost when tcpdump stops. In immediate mode the
	# ring has one slot of snapshot-length (256 KiB) per packet, so -B makes
	# it large enough (64 MiB, 256 slots) not to drop the 64 KiB segments of
	# lo when the machine is busy.
	tcpdump -i lo -n -s 0 -B 65536 -U --immediate-mode --time-stamp-precision=nano -w "$cur.pcap" "$filter" 2>"$cur.tcpdump.log" &
	tcpdump_pid=$!
	for _ in $(seq 100); do
		grep -q "listening on" "$cur.tcpdump.log" && break
		sleep 0.1
	done
	grep -q "listening on" "$cur.tcpdump.log" || die "tcpdump did not start"
	sleep 0.2
}
end() {
	local client=$1
	shift
	sleep 0.3 # the last ACKs
	kill -INT "$tcpdump_pid"
	wait "$tcpdump_pid" || true
	tcpdump_pid=
	grep -q "^0 packets dropped by kernel" "$cur.tcpdump.log" || die "tcpdump dropped packets: $(cat "$cur.tcpdump.log")"
	local n
	n=$(capinfos -c -M "$cur.pcap" | awk '/^Number of packets:/ { print $NF }')
	[ "${n:-0}" -gt 0 ] || die "nothing captured in step $cur"
	"$work/remap" "${SERVERS[@]}" -client "$client" "$@" "$cur.pcap" "$cur.remapped.pcap" 2>>"$work/remap.log" ||
		die "remap $cur.pcap: $(tail -n 1 "$work/remap.log")"
}

say "HL7: ADT^A01, ADT^A08 from the ADT system"
begin hl7-adt
$PY "$here/hl7_client.py" "$HL7_PORT" adt
end "$ADT_IP"
pause
say "HL7: ORM^O01 from order entry"
begin hl7-orm
$PY "$here/hl7_client.py" "$HL7_PORT" orm
end "$CPOE_IP"
pause

say "DICOM: C-ECHO and C-STOREs from the modalities"
begin ct-echo
echoscu -aet CT_SCANNER -aec PACS "$HOST" "$PACS_PORT"
end "$CT_IP"
pause
begin ct-store-xi
storescu -aet CT_SCANNER -aec PACS -xi "$HOST" "$PACS_PORT" "$work/dcm/ct_doe_1.dcm" "$work/dcm/ct_doe_2.dcm"
end "$CT_IP"
pause
begin mr-store
storescu -aet MR_SCANNER -aec PACS -xe -R "$HOST" "$PACS_PORT" "$work/dcm/mr_mustermann.dcm"
end "$MR_IP"
pause
begin ct-store-xe
storescu -aet CT_SCANNER -aec PACS -xe -R "$HOST" "$PACS_PORT" "$work/dcm/ct_rossi.dcm"
end "$CT_IP"
pause

say "ASTM: analyzer results to the LIS"
begin astm
$PY "$here/astm.py" client "$ASTM_PORT"
end "$ANALYSER_IP"
pause

say "HL7: ORU^R01 results from the LIS and the RIS (mllp_send)"
# results.hl7 holds the LIS's lab result, then the RIS's report.
awk '/^MSH\|/ { n++ } { print > (dir "/results-" n ".hl7") }' dir="$work" "$here/hl7/results.hl7"
grep -q '^MSH|^~\\&|LIS|' "$work/results-1.hl7" && grep -q '^MSH|^~\\&|RIS|' "$work/results-2.hl7" ||
	die "results.hl7 is not the LIS's message followed by the RIS's"
begin hl7-oru-lab
mllp_send --loose -f "$work/results-1.hl7" -p "$HL7_PORT" "$HOST" >/dev/null
end "$LIS_IP"
pause
begin hl7-oru-rad
mllp_send --loose -f "$work/results-2.hl7" -p "$HL7_PORT" "$HOST" >/dev/null
end "$RIS_IP"
pause

say "DICOM: workstation C-FIND and C-MOVE to VIEWER"
begin radws-find
findscu -aet RADWS -aec PACS -S -k QueryRetrieveLevel=STUDY -k PatientID=MRN100234 \
	-k PatientName -k StudyDate -k StudyInstanceUID -k AccessionNumber -k StudyDescription \
	-k ModalitiesInStudy "$HOST" "$PACS_PORT" >"$work/findscu-study.log" 2>&1
end "$RADWS_IP"
pause
# The PACS opens its own association to the viewer: it is the client there.
begin radws-move
movescu -aet RADWS -aec PACS -aem VIEWER -S -k QueryRetrieveLevel=STUDY \
	-k StudyInstanceUID=2.25.29112026.1 "$HOST" "$PACS_PORT"
pause 1
end "$RADWS_IP" -client "$VIEWER_PORT=$PACS_IP"
n=$(find "$work/viewer" -type f | wc -l)
[ "$n" = 2 ] || die "VIEWER received $n objects from the C-MOVE, want 2"

say "suspicious: wildcard patient-level C-FIND"
begin sweep-find
findscu -aet FINDSCU -aec PACS -P -k QueryRetrieveLevel=PATIENT -k 'PatientName=*' \
	-k PatientID -k PatientBirthDate -k PatientSex "$HOST" "$PACS_PORT" >"$work/findscu-patients.log" 2>&1
end "$ROGUE_IP"
pause
say "suspicious: association to an unknown called AE title (rejected)"
begin us-wrong-ae
if echoscu -aet US_CART3 -aec WRONG_AE "$HOST" "$PACS_PORT" 2>"$work/echoscu-wrong.log"; then
	die "the PACS accepted the called AE title WRONG_AE"
fi
end "$US_CART_IP"
grep -q "Called AE Title Not Recognized" "$work/echoscu-wrong.log" || die "no rejection for WRONG_AE"
pause
say "suspicious: A-ABORT"
begin radws-abort
echoscu -aet RADWS -aec PACS --abort "$HOST" "$PACS_PORT"
end "$RADWS_IP"
pause
say "suspicious: nmap dicom-ping"
begin nmap
nmap -n -Pn -sT -p "$PACS_PORT" --script dicom-ping "$HOST" >"$work/nmap.log" 2>&1
end "$ROGUE_IP"
grep -q "DICOM Service Provider discovered" "$work/nmap.log" || die "dicom-ping found nothing"

say "merging the $nstep steps"
mergecap -F pcapng -w "$work/sample.pcapng" "$work"/step*.remapped.pcap
bad=$(tshark -n -r "$work/sample.pcapng" -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE \
	-Y 'ip.checksum.status==2 or tcp.checksum.status==2 or tcp.analysis.flags' 2>/dev/null)
[ -z "$bad" ] || die "tshark finds bad checksums or TCP problems:
$bad"
mv "$work/sample.pcapng" "$out"
capinfos -c -s -u "$out" >&2
say "wrote $out"

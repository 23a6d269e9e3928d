#!/bin/bash
# record.sh: records the real-peer captures of package dicom/ul's tests on
# 127.0.0.1 with tcpdump on lo, one capture per scenario:
#
#   store.pcap   storescu -> storescp (AE STORESCP, port 11140): an MR image
#                (61 KB of pixels) proposed implicit VR only (-xi, storescu
#                converts), then a PET and the MR image explicit VR (-xe),
#                the explicit VR association with 4 KB PDUs (--max-send-pdu)
#                so its datasets span many PDVs and PDUs
#   abort.pcap   echoscu --abort -> storescp: C-ECHO then A-ABORT
#   identity.pcap storescu --user admin --password secret -> storescp: user
#                identity (username and password, in clear text) and a CT
#   tls.pcap     echoscu +tls -> storescp +tls on 2762 (DICOM over TLS, a
#                throwaway self-signed certificate made by openssl)
#   nmap.pcap    nmap --script dicom-ping -> storescp
#   orthanc.pcap against Orthanc (AE ORTHANC, port 11141, called AE checked):
#                echoscu with an unknown called AE (A-ASSOCIATE-RJ), C-FIND at
#                patient level PatientName=* and at study level, C-MOVE of
#                the study to STORESCP (Orthanc opens a C-STORE association
#                to storescp on 11140, captured too), C-GET of the study by
#                getscu (the C-STOREs come back on the same association)
#
#   sudo dicom/ul/testdata/record.sh
#
# Runs as root (tcpdump on lo) with: tcpdump dcmtk orthanc nmap iproute2 openssl.
# The MR and PET files are dicom/testdata/3.dcm and 1.dcm; the CT stored into
# Orthanc is made by dump2dcm from examples/medscan/testdata/dicom/ct_doe_1.dump
# (a fake patient). Ports 11140-11142 must be free; nothing else is touched.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
STORE_PORT=11140
ORTHANC_PORT=11141
GET_PORT=11142
TLS_PORT=2762

say() { printf '%s record.sh: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { say "error: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (tcpdump captures on lo)"
for c in tcpdump ss openssl dump2dcm echoscu storescu findscu movescu getscu storescp nmap /usr/sbin/Orthanc; do
	command -v "$c" >/dev/null || die "missing $c"
done
for p in $STORE_PORT $ORTHANC_PORT $GET_PORT $TLS_PORT; do
	if ss -Hltn "( sport = :$p )" | grep -q .; then die "port $p is already in use"; fi
done

work=$(mktemp -d /tmp/ul-record.XXXXXX)
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

wait_listen() {
	for _ in $(seq 150); do
		if ss -Hltn "( sport = :$1 )" | grep -q .; then return 0; fi
		sleep 0.1
	done
	die "nothing listens on port $1"
}

begin() {
	cur="$1"
	tcpdump -i lo -n -s 0 -B 65536 -U --immediate-mode -w "$work/$cur.pcap" \
		"tcp and host 127.0.0.1 and (port $STORE_PORT or port $ORTHANC_PORT or port $GET_PORT or port $TLS_PORT)" 2>"$work/$cur.tcpdump.log" &
	tcpdump_pid=$!
	for _ in $(seq 100); do
		grep -q "listening on" "$work/$cur.tcpdump.log" && break
		sleep 0.1
	done
	sleep 0.2
}
end() {
	sleep 0.5
	kill -INT "$tcpdump_pid"
	wait "$tcpdump_pid" || true
	tcpdump_pid=
	grep -q "^0 packets dropped by kernel" "$work/$cur.tcpdump.log" || die "tcpdump dropped packets"
	cp "$work/$cur.pcap" "$here/$cur.pcap"
	say "$cur.pcap: $(stat -c %s "$here/$cur.pcap") bytes"
}

mkdir -p "$work/scp" "$work/get"
(cd "$work" && dump2dcm +te -g "$root/examples/medscan/testdata/dicom/ct_doe_1.dump" ct.dcm)
cp "$here/orthanc.json" "$work/orthanc.json"
storescp --aetitle STORESCP +xa --output-directory "$work/scp" $STORE_PORT >"$work/storescp.log" 2>&1 &
pids+=($!)
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=pacs.example.org" \
	-keyout "$work/key.pem" -out "$work/cert.pem" 2>"$work/openssl.log"
storescp --aetitle TLSSCP +tls "$work/key.pem" "$work/cert.pem" -ic --ignore $TLS_PORT >"$work/storescp-tls.log" 2>&1 &
pids+=($!)
(cd "$work" && exec /usr/sbin/Orthanc orthanc.json >orthanc.log 2>&1) &
pids+=($!)
wait_listen $STORE_PORT
wait_listen $TLS_PORT
wait_listen $ORTHANC_PORT

begin store
storescu -aet MODALITY -aec STORESCP -xi --max-pdu 4096 127.0.0.1 $STORE_PORT "$root/dicom/testdata/3.dcm"
storescu -aet MODALITY -aec STORESCP -xe --max-pdu 4096 --max-send-pdu 4096 127.0.0.1 $STORE_PORT "$root/dicom/testdata/1.dcm" "$root/dicom/testdata/3.dcm"
end

begin abort
echoscu -aet ECHOSCU -aec STORESCP --abort 127.0.0.1 $STORE_PORT
end

begin identity
storescu -aet CT_SCANNER -aec STORESCP --user admin --password secret 127.0.0.1 $STORE_PORT "$work/ct.dcm"
end

begin tls
echoscu -aet TLSSCU -aec TLSSCP +tls "$work/key.pem" "$work/cert.pem" -ic 127.0.0.1 $TLS_PORT
end

begin nmap
nmap -n -Pn -sT -p $STORE_PORT --script +dicom-ping 127.0.0.1 >"$work/nmap.log" 2>&1
grep -q "DICOM" "$work/nmap.log" || die "dicom-ping found nothing"
end

# The CT goes into Orthanc before the capture.
storescu -aet CT_SCANNER -aec ORTHANC 127.0.0.1 $ORTHANC_PORT "$work/ct.dcm"
sleep 1

begin orthanc
echoscu -aet US_CART -aec WRONG_AE 127.0.0.1 $ORTHANC_PORT 2>"$work/reject.log" && die "echoscu with a wrong called AE was accepted"
findscu -aet FINDSCU -aec ORTHANC -P -k QueryRetrieveLevel=PATIENT -k "PatientName=*" -k PatientID 127.0.0.1 $ORTHANC_PORT 2>"$work/find1.log"
findscu -aet RADWS -aec ORTHANC -S -k QueryRetrieveLevel=STUDY -k PatientID=MRN100234 -k StudyInstanceUID -k StudyDate 127.0.0.1 $ORTHANC_PORT 2>"$work/find2.log"
movescu -aet RADWS -aec ORTHANC -aem STORESCP -S -k QueryRetrieveLevel=STUDY -k StudyInstanceUID=2.25.29112026.1 127.0.0.1 $ORTHANC_PORT 2>"$work/move.log"
getscu -aet GETSCU -aec ORTHANC -S -k QueryRetrieveLevel=STUDY -k StudyInstanceUID=2.25.29112026.1 -od "$work/get" 127.0.0.1 $ORTHANC_PORT 2>"$work/get.log"
end
ls "$work/get" | grep -q . || die "getscu retrieved nothing"
say done

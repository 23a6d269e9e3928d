#!/usr/bin/env bash
# Records dicom-exe.pcap: dcmtk's storescu storing to storescp, on the
# loopback interface, the fake CT of examples/medscan/testdata/dicom with a
# private element (0009,1010) OB whose value starts with a harmless
# MS-DOS/PE header (an "MZ" stub whose e_lfanew points at "PE\0\0", no
# code), as a DICOM object that smuggles an executable would; then the
# same CT without it. The detect tests expect one
# dicom.executable-content from it.
#
#   sudo detect/testdata/record-dicom-exe.sh
#
# Runs as root (tcpdump on lo) with: tcpdump dcmtk iproute2. Port 11191
# must be free; nothing else is touched.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
PORT=11191
say() { echo "record-dicom-exe: $*" >&2; }
die() { say "$*"; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root (tcpdump on lo)"
for c in tcpdump ss dump2dcm storescu storescp; do
	command -v "$c" >/dev/null || die "missing $c"
done
if ss -Hltn "( sport = :$PORT )" | grep -q .; then die "port $PORT is already in use"; fi

work=$(mktemp -d /tmp/dicom-exe.XXXXXX)
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

# The stub: "MZ", zeros, e_lfanew 0x80 at 0x3c, zeros, "PE\0\0", zeros: 256 bytes.
stub=$(
	for i in $(seq 0 255); do
		case $i in
		0) printf '4d' ;; 1) printf '5a' ;; 60) printf '80' ;;
		128) printf '50' ;; 129) printf '45' ;;
		*) printf '00' ;;
		esac
		if [ "$i" -lt 255 ]; then printf '\\'; fi
	done
)
src="$root/examples/medscan/testdata/dicom/ct_doe_1.dump"
# The private block goes after group 0008, in tag order.
STUB=$stub awk '/^\(0010,0010\)/ { print "(0009,0010) LO [MEDTAP TEST]"; print "(0009,1010) OB " ENVIRON["STUB"] } { print }' "$src" >"$work/exe.dump"
(cd "$work" && dump2dcm +te -g exe.dump exe.dcm && dump2dcm +te -g "$src" plain.dcm)
mkdir -p "$work/scp"
storescp --aetitle STORESCP --output-directory "$work/scp" $PORT >"$work/storescp.log" 2>&1 &
pids+=($!)
for _ in $(seq 150); do
	ss -Hltn "( sport = :$PORT )" | grep -q . && break
	sleep 0.1
done
ss -Hltn "( sport = :$PORT )" | grep -q . || die "storescp does not listen on $PORT"

tcpdump -i lo -n -s 0 -B 65536 -U --immediate-mode -w "$work/dicom-exe.pcap" "tcp and host 127.0.0.1 and port $PORT" 2>"$work/tcpdump.log" &
tcpdump_pid=$!
for _ in $(seq 100); do
	grep -q "listening on" "$work/tcpdump.log" && break
	sleep 0.1
done
sleep 0.2
storescu -aet CT_SCANNER -aec STORESCP 127.0.0.1 $PORT "$work/exe.dcm"
storescu -aet CT_SCANNER -aec STORESCP 127.0.0.1 $PORT "$work/plain.dcm"
sleep 0.5
kill -INT "$tcpdump_pid"
wait "$tcpdump_pid" || true
tcpdump_pid=
grep -q "^0 packets dropped by kernel" "$work/tcpdump.log" || die "tcpdump dropped packets"
cp "$work/dicom-exe.pcap" "$here/dicom-exe.pcap"
say "dicom-exe.pcap: $(stat -c %s "$here/dicom-exe.pcap") bytes"

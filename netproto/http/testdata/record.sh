#!/bin/sh
# Records http.pcap: curl (Debian's curl) talking to Python's http.server
# (server.py) between two network namespaces, as root:
#
#	sh netproto/http/testdata/record.sh
#
# Needs iproute2, tcpdump, curl, python3 and dcmtk (dump2dcm makes the DICOM
# file). The capture holds, on port 8042 from 10.213.0.1 to 10.213.0.2:
# a GET of /; a login to /secret/ with the accepted (and vendor default)
# user orthanc and one with a wrong password (401); a HEAD; a chunked
# response; a gzip download; a PUT of a DICOM file whose preamble starts
# with "MZ" (CVE-2019-11687); a STOW-RS style POST of the same file in a
# multipart/related body sent chunked; and two requests on one keep-alive
# connection. Namespaces mthtcli and mthtsrv, bridge namespace mthtbr.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
MT_PREFIX=mtht MT_NET=10.213.0
. "$root/internal/netns/netns.sh"
tmp=$(mktemp -d)
trap 'mt_cleanup; rm -rf "$tmp"' EXIT

# A small DICOM file, then "MZ" and a DOS stub message in its preamble.
cat >"$tmp/sc.dump" <<'DUMP'
(0008,0016) UI =SecondaryCaptureImageStorage
(0008,0018) UI [1.2.826.0.1.3680043.9.7539.1.1]
(0008,0060) CS [OT]
(0010,0010) PN [Test^Preamble]
(0020,000d) UI [1.2.826.0.1.3680043.9.7539.1]
(0020,000e) UI [1.2.826.0.1.3680043.9.7539.1.2]
DUMP
dump2dcm --write-xfer-little "$tmp/sc.dump" "$tmp/sc.dcm"
python3 - "$tmp/sc.dcm" "$tmp/mz.dcm" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
stub = b"MZ\x90\x00\x03\x00\x00\x00This program cannot be run in DOS mode."
b[:len(stub)] = stub
open(sys.argv[2], "wb").write(b)
PY
{
	printf -- '--medtapBoundary\r\nContent-Type: application/dicom\r\n\r\n'
	cat "$tmp/mz.dcm"
	printf -- '\r\n--medtapBoundary--\r\n'
} >"$tmp/stow.bin"

mt_bridge
mt_peer cli 1
mt_peer srv 2
mt_capture "$tmp/http.pcap" "tcp port 8042"
mt_in srv python3 "$here/server.py" 10.213.0.2 8042 &
mt_wait_port srv 8042
url=http://10.213.0.2:8042
c() { mt_in cli curl -sS -o /dev/null --max-time 10 "$@"; }
c "$url/"
c -u orthanc:orthanc "$url/secret/studies"
c -u nurse:Wr0ngPassw0rd "$url/secret/studies"
c -I "$url/"
c "$url/chunked"
c "$url/archive.gz"
c -T "$tmp/mz.dcm" -H "Content-Type: application/dicom" "$url/instances/mz.dcm"
c -H 'Content-Type: multipart/related; type="application/dicom"; boundary=medtapBoundary' \
	-H "Transfer-Encoding: chunked" --data-binary @"$tmp/stow.bin" "$url/dicom-web/studies"
c -o /dev/null "$url/a" "$url/b"
mt_stop_capture
cp "$tmp/http.pcap" "$here/http.pcap"
tcpdump -nr "$here/http.pcap" 2>/dev/null | wc -l | xargs echo "packets:"

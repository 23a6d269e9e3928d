#!/bin/bash
# record.sh: records client-to-python.pcap, a session in which medtap's
# mllp.Client sends seven HL7 v2 messages to python3-hl7's MLLP server
# (hl7_server.py beside this script) on 127.0.0.1, captured with tcpdump on lo.
#
#   sudo flow/testdata/mllp-client/record.sh
#
# Runs as root (tcpdump on lo) on Debian 12 or later with these packages:
#   tcpdump tshark python3-hl7, and Go on root's PATH
#   (sudo env PATH="$PATH" ... if sudo resets it).
# apt-get install tcpdump tshark python3-hl7
#
# The session is flow's TestHL7ClientLiveCapture run with -record: it starts
# hl7_server.py on a free port, starts tcpdump on lo for that port, sends
# the messages of hl7ClientMessages (flow/hl7_client_test.go) with
# mllp.Client one at a time, each waiting for its ACK (AA, AE for control ID
# ERR0004, AR for REJ0005), stops tcpdump, checks that no packet was
# dropped, that medtap's passive decoder and tshark's HL7 dissector agree
# message by message on the capture, and only then writes it here. The
# ~100 KB ORU^R01 spans several TCP segments. Message bytes are fixed; ports,
# times, sequence numbers and the ACKs' MSH-7 differ from run to run.
#
# Check the result with:
#   tshark -r client-to-python.pcap -d tcp.port==PORT,hl7 -Y hl7
#   go test ./flow -run TestHL7ClientCapture -v
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
out=$here/client-to-python.pcap

say() { printf '%s record.sh: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { say "error: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (tcpdump captures on lo)"
for c in go tcpdump tshark capinfos /usr/bin/python3; do
	command -v "$c" >/dev/null || die "missing $c (see the package list at the top)"
done
/usr/bin/python3 -c 'import hl7.mllp' 2>/dev/null || die "missing python3-hl7"

say "recording mllp.Client -> hl7_server.py (python3-hl7) on lo"
(cd "$root" && go test ./flow -run '^TestHL7ClientLiveCapture$' -count=1 -record -v) >&2 ||
	die "the live session or its comparison with tshark failed"
grep -q . <(tshark -n -r "$out" -Y 'tcp.analysis.retransmission or tcp.analysis.lost_segment or tcp.analysis.out_of_order' 2>/dev/null) &&
	die "tshark finds lost, retransmitted or reordered segments in $out"
capinfos -c -s -u "$out" >&2
say "wrote $out"

#!/bin/bash
# record.sh: records the two MLLP interoperability captures beside it, each a
# session on 127.0.0.1 captured with tcpdump on lo:
#   client-to-python.pcap  medtap's mllp.Client sends seven HL7 v2 messages to
#                          python3-hl7's MLLP server (hl7_server.py)
#   python-to-server.pcap  python3-hl7's MLLP client (hl7_client.py) sends
#                          the same messages to medtap's mllp.Server
#
#   sudo flow/hl7flow/testdata/mllp-interop/record.sh
#
# Runs as root (tcpdump on lo) on Debian 12 or later with these packages:
#   tcpdump tshark python3-hl7, and Go on root's PATH
#   (sudo env PATH="$PATH" ... if sudo resets it).
# apt-get install tcpdump tshark python3-hl7
#
# Each session is one of hl7flow's live tests run with -record
# (flow/hl7flow/interop_test.go): TestHL7ClientLiveCapture and
# TestHL7ServerLiveCapture. Each starts the server on a free port, starts
# tcpdump on lo for that port, sends the messages of hl7InteropMessages one
# at a time, each waiting for its ACK (AA; AE for control ID ERR0004, AR for
# REJ0005, from either server), stops tcpdump, checks that no packet was
# dropped, that the client got the ACK codes it should, and that medtap's
# passive decoder and tshark's HL7 dissector agree message by message on the
# capture; only then is the capture written here. The ~100 KB ORU^R01 spans
# several TCP segments. Message bytes are fixed; ports, times, sequence
# numbers and the ACKs' MSH-7 differ from run to run.
#
# Check the result with:
#   tshark -r client-to-python.pcap -d tcp.port==PORT,hl7 -Y hl7
#   go test ./flow/hl7flow -run 'TestHL7(Client|Server)Capture' -v
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)

say() { printf '%s record.sh: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { say "error: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (tcpdump captures on lo)"
for c in go tcpdump tshark capinfos /usr/bin/python3; do
	command -v "$c" >/dev/null || die "missing $c (see the package list at the top)"
done
/usr/bin/python3 -c 'import hl7.mllp' 2>/dev/null || die "missing python3-hl7"

say "recording mllp.Client -> hl7_server.py and hl7_client.py -> mllp.Server on lo"
(cd "$root" && go test ./flow/hl7flow -run '^TestHL7(Client|Server)LiveCapture$' -count=1 -record -v) >&2 ||
	die "a live session or its comparison with tshark failed"
for f in client-to-python.pcap python-to-server.pcap; do
	grep -q . <(tshark -n -r "$here/$f" -Y 'tcp.analysis.retransmission or tcp.analysis.lost_segment or tcp.analysis.out_of_order' 2>/dev/null) &&
		die "tshark finds lost, retransmitted or reordered segments in $f"
	capinfos -c -s -u "$here/$f" >&2
done
say "wrote $here/client-to-python.pcap and $here/python-to-server.pcap"

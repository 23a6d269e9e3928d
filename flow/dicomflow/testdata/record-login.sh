#!/bin/sh
# Records login.pcap: dcmtk's storescu sending a DICOM file with user
# identities (--user, --password) to dcmtk's storescp, which ignores them,
# between network namespaces, as root:
#
#	sh flow/dicomflow/testdata/record-login.sh
#
# Needs iproute2, tcpdump and dcmtk. From 10.213.0.1 to 10.213.0.2 port 104:
# user orthanc with password orthanc (a vendor default), user radiographer
# with a password, user techonly without one (identity type username);
# to 10.213.0.3 port 104, whose storescp refuses every association
# (A-ASSOCIATE-RJ): user insite with password 2getin (a GE default).
# Namespaces mthtcli, mthtsrv and mthtrej, bridge namespace mthtbr.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
MT_PREFIX=mtht MT_NET=10.213.0
. "$root/internal/netns/netns.sh"
tmp=$(mktemp -d)
trap 'mt_cleanup; rm -rf "$tmp"' EXIT

cat >"$tmp/sc.dump" <<'DUMP'
(0008,0016) UI =SecondaryCaptureImageStorage
(0008,0018) UI [1.2.826.0.1.3680043.9.7539.2.1]
(0008,0060) CS [OT]
(0010,0010) PN [Test^Login]
(0020,000d) UI [1.2.826.0.1.3680043.9.7539.2]
(0020,000e) UI [1.2.826.0.1.3680043.9.7539.2.2]
DUMP
dump2dcm --write-xfer-little "$tmp/sc.dump" "$tmp/sc.dcm"
mkdir "$tmp/out"

mt_bridge
mt_peer cli 1
mt_peer srv 2
mt_peer rej 3
mt_capture "$tmp/login.pcap" "tcp port 104"
mt_in srv storescp -od "$tmp/out" 104 &
mt_in rej storescp --refuse 104 &
mt_wait_port srv 104
mt_wait_port rej 104
s() { mt_in cli storescu -aet MODALITY -aec STORESCP "$@" "$tmp/sc.dcm" || true; }
s --user orthanc --password orthanc 10.213.0.2 104
s --user radiographer --password 'Rad-Pa55word' 10.213.0.2 104
s --user techonly 10.213.0.2 104
s --user insite --password 2getin 10.213.0.3 104
mt_stop_capture
cp "$tmp/login.pcap" "$here/login.pcap"
tcpdump -nr "$here/login.pcap" 2>/dev/null | wc -l | xargs echo "packets:"

#!/bin/sh
# Records scan.pcap, the capture of the net.scan tests, between network
# namespaces on one bridge, as root:
#
#	sh detect/testdata/scan/record.sh
#
# Needs iproute2, tcpdump, nmap and dcmtk (storescp, echoscu). Peers, in
# 10.229.0.0/24 (namespaces mtdb*, bridge namespace mtdbbr):
#   .10 pacs       storescp on 104
#   .11-.22 mod*   twelve modalities, storescp on 104
#   .30 ws         a workstation
#   .66 scanner
# In order: the workstation opens 25 associations (C-ECHO) to the PACS on
# 104 and the PACS 5 to the first five modalities (normal traffic, no
# scan); then the scanner runs nmap -sS over ports 1-300 of the PACS, nmap
# -sS of port 104 across .10-.25 (a host sweep; .23-.25 do not exist), and
# nmap -sV of ports 104 and 8080 of the PACS.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
MT_PREFIX=mtdb MT_NET=10.229.0
. "$root/internal/netns/netns.sh"
tmp=$(mktemp -d)
trap 'mt_cleanup; rm -rf "$tmp"' EXIT

mt_bridge
mt_peer pacs 10
i=11
while [ $i -le 22 ]; do
	mt_peer m$i $i
	i=$((i + 1))
done
mt_peer ws 30
mt_peer scan 66
mt_in pacs storescp -aet PACS 104 &
i=11
while [ $i -le 22 ]; do
	mt_in m$i storescp -aet MOD$i 104 &
	i=$((i + 1))
done
mt_wait_port pacs 104
mt_wait_port m22 104
mt_capture "$tmp/scan.pcap" "tcp or udp"
n=0
while [ $n -lt 25 ]; do
	mt_in ws echoscu -aet WS -aec PACS $MT_NET.10 104
	n=$((n + 1))
done
i=11
while [ $i -le 15 ]; do
	mt_in pacs echoscu -aet PACS -aec MOD$i $MT_NET.$i 104
	i=$((i + 1))
done
mt_in scan nmap -n -Pn -sS -T4 --max-retries 1 -p 1-300 $MT_NET.10 >/dev/null
mt_in scan nmap -n -Pn -sS -T4 --max-retries 1 -p 104 $MT_NET.10-25 >/dev/null
mt_in scan nmap -n -Pn -sV -T4 -p 104,8080 $MT_NET.10 >/dev/null
mt_stop_capture
cp "$tmp/scan.pcap" "$here/scan.pcap"
tcpdump -nr "$here/scan.pcap" 2>/dev/null | wc -l | xargs echo "packets:"

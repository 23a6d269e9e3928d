#!/bin/bash
# record.sh records nbns.pcap, the NetBIOS name service capture of this
# directory, from real peers in network namespaces of its own:
#
#   nmbd (samba) as "MTNM-NB1" in workgroup "MTNMWG" (10.215.0.4) starting
#   up (broadcast registrations of its names, then becoming the local master
#   browser), and nmblookup from 10.215.0.5 asking for its names by
#   broadcast and by unicast, for the workgroup's master browser (<1d>), for
#   a name nobody has, and for its node status (nmblookup -S and -A: the
#   name table and the MAC, 02:00:0a:d7:00:04); then nmbd stopping
#   (name releases).
#
# Run it as root from anywhere: bash netproto/nbns/testdata/record.sh
# (OUT=dir writes the capture there instead).
# Needs (Debian): iproute2 tcpdump samba (nmbd) samba-common-bin (nmblookup)
#
# Every address is in 10.215.0.0/24, broadcasts go to 10.215.0.255; the
# bridge lives in a namespace of its own and reaches no other network. nmbd
# and nmblookup get their own smb.conf and state directories; everything is
# removed at the end.
set -euo pipefail

out=${OUT:-$(cd "$(dirname "$0")" && pwd)}
# shellcheck source=../../../internal/netns/dualstack.sh
. "$(dirname "$0")/../../../internal/netns/dualstack.sh"
host nb 4
host nc 5

# conf NAME NETBIOSNAME IP: an smb.conf with directories of its own.
conf() {
	local d="$tmp/$1"
	mkdir -p "$d/lock" "$d/state" "$d/cache" "$d/private" "$d/pid" "$d/log"
	cat >"$d/smb.conf" <<-EOF
		[global]
		workgroup = MTNMWG
		netbios name = $2
		server string = CT archive
		interfaces = $3/24
		bind interfaces only = yes
		disable netbios = no
		local master = yes
		preferred master = yes
		os level = 65
		wins support = no
		dns proxy = no
		name resolve order = bcast
		lock directory = $d/lock
		state directory = $d/state
		cache directory = $d/cache
		private dir = $d/private
		pid directory = $d/pid
		ncalrpc dir = $d/lock/ncalrpc
		log file = $d/log/%m.log
		log level = 1
	EOF
}
conf nb MTNM-NB1 10.215.0.4
conf nc MTNM-NC1 10.215.0.5

capture 'udp port 137' "$tmp/nbns.pcap"

ip netns exec mtnm-nb nmbd -F --no-process-group -s "$tmp/nb/smb.conf" >"$tmp/nmbd.log" 2>&1 &
pids+=($!)
nmbd=$!
# Registrations, then the browser election: nmbd becomes the local master
# browser and registers MTNMWG<1d> and __MSBROWSE__<01>.
for _ in $(seq 60); do
	grep -q "now a local master browser" "$tmp/nb/log/"* 2>/dev/null && break
	sleep 1
done
sleep 2

look() { ip netns exec mtnm-nc timeout 10 nmblookup -s "$tmp/nc/smb.conf" "$@" || true; }
look -B 10.215.0.255 MTNM-NB1
look -B 10.215.0.255 'MTNM-NB1#20'
look -U 10.215.0.4 --recursion 'MTNM-NB1#00'
look -M MTNMWG
look -B 10.215.0.255 'MTNMWG#1e'
look -B 10.215.0.255 MTNM-NOBODY
look -S MTNM-NB1
look -A 10.215.0.4
sleep 1
kill "$nmbd"
sleep 2
grep -h "local master\|release" "$tmp/nb/log/"* || true

stop_all
cp "$tmp/nbns.pcap" "$out/"
ls -l "$out/nbns.pcap"

#!/bin/bash
# record.sh records the mDNS and LLMNR captures of this directory from real
# peers, in network namespaces of its own:
#
#   mdns.pcap   avahi-daemon on "mtnm-ct1" (10.215.0.2, fd11:215::2) publishing
#               a _dicom._tcp service "CT Scanner" (port 104) and a _http._tcp
#               service "CT Scanner Web" (port 80), both with TXT records, its
#               HINFO and its _workstation._tcp service; avahi-daemon on
#               "mtnm-ws1" (10.215.0.3, fd11:215::3) browsing and resolving
#               them with avahi-browse and avahi-resolve; then the services
#               and the first host withdrawn (goodbye packets, TTL 0). IPv4
#               and IPv6 (224.0.0.251 and ff02::fb).
#   llmnr.pcap  llmnrd answering as "mtnm-ll1" (10.215.0.6, fd11:215::6) and
#               llmnr-query (same package) asking for it over IPv4 and IPv6
#               (A, AAAA, ANY) and for a name nobody has (no answer).
#
# Run it as root from anywhere: bash netproto/dnsmsg/testdata/record.sh
# (OUT=dir writes the captures there instead).
# Needs (Debian): iproute2 tcpdump dbus avahi-daemon avahi-utils llmnrd
#
# Every address is in 10.215.0.0/24 or fd11:215::/64 (IPv6 link-local
# addresses are not generated), plus the link-local multicast groups the
# protocols use; the bridge lives in a namespace of its own and reaches no
# other network. Each daemon gets its own configuration, D-Bus bus and
# runtime directory; everything is removed at the end.
set -euo pipefail

out=${OUT:-$(cd "$(dirname "$0")" && pwd)}
ipv6=1
# shellcheck source=../../../internal/netns/dualstack.sh
. "$(dirname "$0")/../../../internal/netns/dualstack.sh"
host ct 2
host ws 3
host ll 6
host lq 7

# avahi NAME HOSTNAME: a D-Bus bus and an avahi-daemon in mtnm-NAME, with a
# private /run/avahi-daemon and an empty static service directory.
avahi() {
	local n=$1 d="$tmp/$1"
	mkdir -p "$d/run" "$d/services"
	cat >"$d/bus.conf" <<-EOF
		<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
		 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
		<busconfig>
		  <listen>unix:path=$d/bus.sock</listen>
		  <auth>EXTERNAL</auth>
		  <policy context="default">
		    <allow user="*"/><allow own="*"/><allow send_destination="*"/><allow receive_sender="*"/>
		  </policy>
		</busconfig>
	EOF
	cat >"$d/avahi-daemon.conf" <<-EOF
		[server]
		host-name=$2
		domain-name=local
		use-ipv4=yes
		use-ipv6=yes
		allow-interfaces=mtnm-${n}0
		enable-dbus=yes
		ratelimit-interval-usec=1000000
		ratelimit-burst=1000
		[wide-area]
		enable-wide-area=no
		[publish]
		publish-hinfo=yes
		publish-workstation=yes
		publish-addresses=yes
		publish-aaaa-on-ipv4=yes
		publish-a-on-ipv6=no
		[reflector]
		enable-reflector=no
	EOF
	ip netns exec "mtnm-$n" dbus-daemon --nofork --config-file="$d/bus.conf" 2>"$d/dbus.log" &
	pids+=($!)
	for _ in $(seq 50); do [ -S "$d/bus.sock" ] && break; sleep 0.1; done
	ip netns exec "mtnm-$n" env DBUS_SYSTEM_BUS_ADDRESS="unix:path=$d/bus.sock" sh -c '
		mount --bind "$1/run" /run/avahi-daemon
		mount --bind "$1/services" /etc/avahi/services
		exec avahi-daemon -f "$1/avahi-daemon.conf" --no-drop-root --no-chroot --no-rlimits --no-proc-title
	' sh "$d" 2>"$d/avahi.log" &
	pids+=($!)
	eval "avahi_$n=\$!"
}

# on NAME CMD...: run a D-Bus client of mtnm-NAME's avahi-daemon.
on() {
	local n=$1
	shift
	ip netns exec "mtnm-$n" env DBUS_SYSTEM_BUS_ADDRESS="unix:path=$tmp/$n/bus.sock" "$@"
}

# --- mDNS ---
capture 'udp port 5353' "$tmp/mdns.pcap"
avahi ct mtnm-ct1
sleep 3 # probes and announcements of the host
on ct avahi-publish-service "CT Scanner" _dicom._tcp 104 \
	txtvers=1 aet=CT_SCANNER modality=CT "model=Somatom Go" manufacturer=Siemens \
	>"$tmp/pub-dicom.log" 2>&1 &
pids+=($!)
pub_dicom=$!
on ct avahi-publish-service "CT Scanner Web" _http._tcp 80 path=/ "ty=CT Scanner console" \
	>"$tmp/pub-http.log" 2>&1 &
pids+=($!)
pub_http=$!
sleep 4
avahi ws mtnm-ws1
sleep 4
on ws timeout 10 avahi-browse -rtp _dicom._tcp >"$tmp/browse-dicom.txt" 2>&1 || true
on ws timeout 10 avahi-browse -rtp _http._tcp >"$tmp/browse-http.txt" 2>&1 || true
on ws timeout 10 avahi-resolve -4 -n mtnm-ct1.local >"$tmp/resolve.txt" 2>&1 || true
on ws timeout 10 avahi-resolve -6 -n mtnm-ct1.local >>"$tmp/resolve.txt" 2>&1 || true
on ws timeout 10 avahi-resolve -a 10.215.0.2 >>"$tmp/resolve.txt" 2>&1 || true
kill "$pub_http" "$pub_dicom"
sleep 2
kill "$avahi_ct"
sleep 2
cat "$tmp/browse-dicom.txt" "$tmp/browse-http.txt" "$tmp/resolve.txt"

# --- LLMNR ---
capture 'udp port 5355' "$tmp/llmnr.pcap"
ip netns exec mtnm-ll llmnrd -H mtnm-ll1 -i mtnm-ll0 -6 >"$tmp/llmnrd.log" 2>&1 &
pids+=($!)
sleep 1
q() { ip netns exec mtnm-lq timeout 5 llmnr-query -I mtnm-lq0 -t 500 "$@" || true; }
q -T A -d 4660 mtnm-ll1
q -T AAAA -d 4661 mtnm-ll1
q -T ANY -d 4662 mtnm-ll1
q -6 -T AAAA -d 4663 mtnm-ll1
q -6 -T A -d 4664 mtnm-ll1
q -T A -d 4665 mtnm-nobody
sleep 1

# Stop the captures and keep them.
stop_all
cp "$tmp/mdns.pcap" "$tmp/llmnr.pcap" "$out/"
ls -l "$out/mdns.pcap" "$out/llmnr.pcap"

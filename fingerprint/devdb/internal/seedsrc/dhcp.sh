#!/bin/bash
# Prints what the DHCP clients installed here send in a DHCPDISCOVER: the
# parameter request list (option 55, as medtap's dhcp.params writes it) and
# the vendor class (option 60). The facts behind data/dhcp.db's "computed
# from" sources.
#
# Run as root:   bash fingerprint/devdb/internal/seedsrc/dhcp.sh
# Needs (Debian packages): iproute2, tcpdump, tshark, isc-dhcp-client,
# busybox, dhcpcd-base (dhcpcd is run when installed, with no configuration
# file).
#
# One network namespace (mtdsdhcp) holds a veth pair and nothing else: a
# client runs on one end with its default configuration (dhclient with
# Debian's /etc/dhcp/dhclient.conf, udhcpc with none), tcpdump listens on
# the other. No address is configured and nothing leaves the namespace; no
# server answers, so each client only sends DISCOVERs until it is stopped.
set -euo pipefail
ns=mtdsdhcp
tmp=$(mktemp -d)
cleanup() {
	set +e
	for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null; done
	sleep 0.3
	for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
	ip netns del "$ns" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
ip netns add "$ns"
ip -n "$ns" link add mtdsc type veth peer name mtdsp
ip -n "$ns" link set mtdsc up
ip -n "$ns" link set mtdsp up

n=0
run() { # name command...
	local name=$1 f
	shift
	n=$((n + 1))
	f=$tmp/$n.pcap
	ip netns exec "$ns" tcpdump -q -i mtdsp -w "$f" -c 1 'udp port 67' 2>/dev/null &
	local cap=$!
	sleep 0.5
	ip netns exec "$ns" timeout 6 "$@" >/dev/null 2>&1 &
	local cli=$!
	for _ in $(seq 50); do kill -0 "$cap" 2>/dev/null || break; sleep 0.1; done
	kill "$cap" "$cli" 2>/dev/null || true
	wait "$cap" "$cli" 2>/dev/null || true
	printf '%s\t' "$name"
	tshark -r "$f" -T fields -E separator=/t -e dhcp.option.request_list_item -e dhcp.option.vendor_class_id 2>/dev/null | head -1
}

run "$(dhclient --version 2>&1 | head -1) (Debian /etc/dhcp/dhclient.conf)" \
	dhclient -4 -d -1 -pf "$tmp/dhclient.pid" -lf "$tmp/dhclient.leases" mtdsc
run "$(busybox 2>&1 | head -1 | cut -d" " -f1-2) udhcpc" \
	busybox udhcpc -f -i mtdsc -s /bin/true -t 2 -T 1
if command -v dhcpcd >/dev/null; then
	run "$(dhcpcd --version 2>&1 | head -1)" \
		dhcpcd -4 -B -d -f /dev/null -t 3 mtdsc
fi

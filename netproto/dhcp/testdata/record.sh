#!/bin/bash
# Records real DHCPv4 and DHCPv6 exchanges between Debian's dnsmasq (the
# server) and ISC dhclient (the clients) into testdata/dhcp.pcap.
#
# Run as root from anywhere:   sudo netproto/dhcp/testdata/record.sh
# Needs the Debian packages:   dnsmasq-base isc-dhcp-client tcpdump iproute2
#
# Everything happens in network namespaces the script creates and removes
# (names and interfaces start with "mtdh"): a switch namespace holding the
# bridge mtdhbr0, a server namespace (10.211.0.1/24, fd11:211::1/64) running
# dnsmasq, and three client namespaces whose veth pairs plug into the
# bridge. Only addresses of 10.211.0.0/24, fd11:211::/64 and the link-local
# and multicast addresses of the bridge are used; nothing leaves it.
# tcpdump on the bridge captures the DHCP ports only.
#
# What the capture holds, in order:
#   c1 (02:11:00:00:00:c1) DHCPv4 with a short request list, host-name and a
#      vendor class: DISCOVER, OFFER, REQUEST, ACK, then a RELEASE; then
#      DHCPv6 with a DUID-LL: SOLICIT, ADVERTISE, REQUEST, REPLY; then a
#      restart that CONFIRMs the lease, and a RELEASE.
#   c2 (02:11:00:00:00:c2) DHCPv4 with Debian's default request list, an
#      FQDN (81) in ASCII and a client identifier; then a DHCPv6
#      INFORMATION-REQUEST (stateless) with a DUID-LLT and an FQDN (39).
#   c3 (02:11:00:00:00:c3) a stale lease of 10.211.0.7 that the server
#      refuses (REQUEST, NAK), then DISCOVER ... ACK with an FQDN in wire
#      encoding, a vendor class "MSFT 5.0" and a Windows-like request
#      list, then a RELEASE.
set -euo pipefail
cd "$(dirname "$0")"
out=$PWD/dhcp.pcap
P=mtdh
tmp=$(mktemp -d /tmp/mtdh.XXXXXX)
chmod 755 "$tmp"
pids=()
namespaces=("$P-sw" "$P-srv" "$P-c1" "$P-c2" "$P-c3")

cleanup() {
	local status=$?
	set +e
	if [ "$status" != 0 ]; then
		tail -n 20 "$tmp"/*.log >&2
	fi
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null
	done
	sleep 0.5
	for ns in "${namespaces[@]}"; do
		# Anything still running in the script's own namespaces.
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
	done
	sleep 0.5
	for ns in "${namespaces[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

nsx() { local ns=$1; shift; ip netns exec "$P-$ns" "$@"; }

# The switch: a bridge in a namespace of its own, IPv6 off so it sends
# nothing itself.
ip netns add "$P-sw"
nsx sw sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
nsx sw ip link add "${P}br0" type bridge
nsx sw ip link set "${P}br0" up

# plug NS IFACE MAC: a namespace with a veth pair into the bridge.
plug() {
	local ns=$1 ifc=$2 mac=$3
	ip netns add "$P-$ns"
	nsx "$ns" ip link set lo up
	nsx "$ns" ip link add "$ifc" address "$mac" type veth peer name "${ifc}b" netns "$P-sw"
	nsx "$ns" sysctl -qw "net.ipv6.conf.$ifc.accept_dad=0" "net.ipv6.conf.$ifc.router_solicitations=0"
	nsx sw ip link set "${ifc}b" master "${P}br0" up
	nsx "$ns" ip link set "$ifc" up
}
plug srv "${P}srv" 02:11:00:00:00:01
plug c1 "${P}c1" 02:11:00:00:00:c1
plug c2 "${P}c2" 02:11:00:00:00:c2
plug c3 "${P}c3" 02:11:00:00:00:c3
nsx srv ip addr add 10.211.0.1/24 dev "${P}srv"
nsx srv ip addr add fd11:211::1/64 dev "${P}srv" nodad

ip netns exec "$P-sw" tcpdump -i "${P}br0" -U -s 0 -w "$tmp/dhcp.pcap" \
	'udp port 67 or udp port 68 or udp port 546 or udp port 547' 2>"$tmp/tcpdump.log" &
pids+=($!)

ip netns exec "$P-srv" dnsmasq --no-daemon --no-ping --conf-file=/dev/null --port=0 --user=root --group=root \
	--interface="${P}srv" --bind-interfaces --pid-file="$tmp/dnsmasq.pid" \
	--dhcp-leasefile="$tmp/dnsmasq.leases" --dhcp-authoritative --log-dhcp \
	--log-facility="$tmp/dnsmasq.log" --domain=ward.example \
	--dhcp-range=10.211.0.100,10.211.0.149,255.255.255.0,10m \
	--dhcp-range=fd11:211::100,fd11:211::1ff,64,2m --dhcp-host=02:11:00:00:00:c2,2m \
	--dhcp-option=option:router,10.211.0.1 --dhcp-option=option:ntp-server,10.211.0.1 \
	--dhcp-option=option6:dns-server,[fd11:211::1] >"$tmp/dnsmasq.out" 2>&1 &
pids+=($!)

# The client script configures the address it is given, so that RELEASE
# goes out by unicast, and touches nothing outside the namespace.
cat >"$tmp/script" <<'SCRIPT'
#!/bin/sh
case "$reason" in
PREINIT|PREINIT6) ip link set dev "$interface" up ;;
BOUND|RENEW|REBIND|REBOOT) ip addr replace "$new_ip_address/24" dev "$interface" ;;
BOUND6|RENEW6|REBIND6|REBOOT6)
	[ -n "${new_ip6_address:-}" ] && ip -6 addr replace "$new_ip6_address/64" dev "$interface" nodad ;;
EXPIRE|FAIL|RELEASE|STOP) ip -4 addr flush dev "$interface" ;;
EXPIRE6|RELEASE6|STOP6) ip -6 addr flush dev "$interface" scope global ;;
esac
exit 0
SCRIPT
chmod 755 "$tmp/script"

cat >"$tmp/c1.conf" <<'CONF'
send host-name "c1-infusion";
send vendor-class-identifier "medtap-pump 1.0";
request subnet-mask, routers, domain-name-servers, host-name;
CONF
cat >"$tmp/c2.conf" <<'CONF'
send host-name "c2-monitor";
send dhcp-client-identifier "ward7-bed12";
send fqdn.fqdn "c2-monitor.ward.example";
send fqdn.encoded off;
send fqdn.server-update on;
request subnet-mask, broadcast-address, time-offset, routers,
	domain-name, domain-name-servers, domain-search, host-name,
	dhcp6.name-servers, dhcp6.domain-search, dhcp6.fqdn, dhcp6.sntp-servers,
	netbios-name-servers, netbios-scope, interface-mtu, ntp-servers;
CONF
cat >"$tmp/c3.conf" <<'CONF'
send host-name "C3-WORKSTATION";
send vendor-class-identifier "MSFT 5.0";
send fqdn.fqdn "c3-workstation.ward.example.";
send fqdn.encoded on;
send fqdn.server-update off;
request subnet-mask, domain-name, routers, domain-name-servers,
	netbios-name-servers, netbios-node-type, netbios-scope,
	vendor-encapsulated-options;
CONF
cat >"$tmp/c1-6.conf" <<'CONF'
option dhcp6.vendor-class-data code 16 = { integer 32, integer 16, text };
send dhcp6.vendor-class-data 40000 15 "medtap-pump 1.0";
request dhcp6.name-servers, dhcp6.domain-search;
CONF
cat >"$tmp/c2-6.conf" <<'CONF'
option dhcp6.vendor-class-data code 16 = { integer 32, integer 16, text };
send dhcp6.vendor-class-data 311 8 "MSFT 5.0";
send fqdn.fqdn "c2-monitor.ward.example.";
send fqdn.server-update on;
request dhcp6.name-servers, dhcp6.domain-search, dhcp6.fqdn, dhcp6.sntp-servers;
CONF

# wait_for FILE PATTERN SECONDS: until FILE holds PATTERN, for at most
# SECONDS.
wait_for() {
	for _ in $(seq 1 $(($3 * 5))); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.2
	done
	echo "timed out waiting for $2 in $1" >&2
	return 1
}

# dhc NS FAMILY NAME ARGS...: dhclient in the background, in the
# foreground mode (-d) so that the script can end it.
dhc() {
	local ns=$1 fam=$2 name=$3; shift 3
	ip netns exec "$P-$ns" timeout 150 dhclient "$fam" -d -v -cf "$tmp/$name.conf" -lf "$tmp/$name.leases" \
		-pf "$tmp/$name.pid" -sf "$tmp/script" "$@" "${P}$ns" >>"$tmp/$name.log" 2>&1 &
	pids+=($!)
}
# release NS FAMILY NAME ARGS...: dhclient -r, which ends the running
# client and releases its lease.
release() {
	local ns=$1 fam=$2 name=$3; shift 3
	nsx "$ns" timeout 20 dhclient "$fam" -r -v -cf "$tmp/$name.conf" -lf "$tmp/$name.leases" \
		-pf "$tmp/$name.pid" -sf "$tmp/script" "$@" "${P}$ns" >>"$tmp/$name.log" 2>&1
}

sleep 1 # dnsmasq and tcpdump start

# c1: DHCPv4, then release.
dhc c1 -4 c1
wait_for "$tmp/c1.log" "bound to" 20
release c1 -4 c1
sleep 0.5

# c1: DHCPv6 with a DUID-LL; c2: DHCPv4 with an FQDN and a client
# identifier. Both leases last two minutes, so that both clients renew
# after one (c2 by unicast from its address).
dhc c1 -6 c1-6 -D LL
wait_for "$tmp/c1-6.leases" "iaaddr" 20
dhc c2 -4 c2
wait_for "$tmp/c2.log" "bound to" 20
wait_for "$tmp/c2.log" "on ${P}c2 to 10.211.0.1 port 67" 90
wait_for "$tmp/c1-6.log" "XMT: Renew" 90
sleep 1

# c1: a restart that confirms the DHCPv6 lease, then a release.
kill "$(cat "$tmp/c1-6.pid")"
sleep 0.5
dhc c1 -6 c1-6 -D LL
wait_for "$tmp/c1-6.log" "RCV: Reply message on ${P}c1 .*" 20
sleep 1
release c1 -6 c1-6 -D LL
sleep 0.5

# c2: DHCPv6 stateless, with a DUID-LLT.
dhc c2 -6 c2-6 -S -D LLT
wait_for "$tmp/c2-6.log" "RCV: Reply" 20
sleep 0.5

# c3: a stale lease that the server NAKs, then a new lease and a release.
cat >"$tmp/c3.leases" <<'LEASE'
lease {
  interface "mtdhc3";
  fixed-address 10.211.0.7;
  option subnet-mask 255.255.255.0;
  option dhcp-lease-time 600;
  option dhcp-server-identifier 10.211.0.1;
  renew 4 2037/01/01 00:00:00;
  rebind 4 2037/01/01 00:00:00;
  expire 4 2037/01/01 00:00:00;
}
LEASE
dhc c3 -4 c3
wait_for "$tmp/c3.log" "bound to" 20
release c3 -4 c3
sleep 1

kill "${pids[0]}" # tcpdump: flush and close the capture
wait "${pids[0]}" 2>/dev/null || true
cp "$tmp/dhcp.pcap" "$out"
chmod 644 "$out"
echo "packets: $(tcpdump -nr "$out" 2>/dev/null | wc -l)"
tcpdump -nr "$out" 2>/dev/null

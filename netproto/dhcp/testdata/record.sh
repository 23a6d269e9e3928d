#!/bin/bash
# Records real DHCPv4 and DHCPv6 exchanges between Debian's dnsmasq (the
# server, and a relay) and ISC dhclient (the clients) into
# testdata/dhcp.pcap.
#
# Run as root from anywhere:   sudo netproto/dhcp/testdata/record.sh
# Needs the Debian packages:   dnsmasq-base isc-dhcp-client tcpdump iproute2
#                              wireshark-common (mergecap)
# It takes about two minutes: two clients wait for their renewal.
#
# Everything happens in network namespaces the script creates and removes
# (names and interfaces start with "mtdh"). A switch namespace holds two
# bridges: mtdhbr0, the server's link (10.211.0.0/25, fd11:211::/65; the
# server has the whole /64, where its range of addresses lies), and
# mtdhbr1, a second link (10.211.0.128/25, fd11:211:0:0:8000::/65) that a
# relay joins to the first. The server namespace runs dnsmasq as the DHCP
# server, the relay namespace dnsmasq as a DHCPv4 and DHCPv6 relay, and each
# client namespace dhclient. Only addresses of 10.211.0.0/24 and
# fd11:211::/64 and the link-local and multicast addresses of the bridges
# are used; nothing leaves them. tcpdump on both bridges captures the DHCP
# ports; mergecap merges the two captures in time order (a datagram the
# relay forwards appears once on each link).
#
# What the capture holds, in order:
#   c1 (02:11:00:00:00:c1) DHCPv4 with a short request list, host-name and a
#      vendor class: DISCOVER, OFFER, REQUEST, ACK, then a RELEASE; DHCPv6
#      with a DUID-LL and a vendor class (enterprise 40000): SOLICIT,
#      ADVERTISE, REQUEST, REPLY, a RENEW after a minute, then a restart
#      that CONFIRMs the lease, and a RELEASE.
#   c2 (02:11:00:00:00:c2) DHCPv4 with Debian's default request list, an
#      FQDN (81) in ASCII and a client identifier, renewed by unicast after
#      a minute; then a DHCPv6 INFORMATION-REQUEST (stateless) with a
#      DUID-LLT, a vendor class "MSFT 5.0" (enterprise 311) and an FQDN.
#   c3 (02:11:00:00:00:c3) a stale lease of 10.211.0.7 that the server
#      refuses (REQUEST, NAK), then DISCOVER ... ACK with an FQDN in wire
#      encoding, a vendor class "MSFT 5.0" and a Windows-like request list,
#      then a RELEASE.
#   c4 (02:11:00:00:00:c4) on the second link, through the relay: DHCPv4
#      (the relay fills giaddr) and a RELEASE routed through it, then
#      DHCPv6 in RELAY-FORW and RELAY-REPL messages, and a RELEASE.
set -euo pipefail
cd "$(dirname "$0")"
out=$PWD/dhcp.pcap
P=mtdh
tmp=$(mktemp -d /tmp/mtdh.XXXXXX)
chmod 755 "$tmp"
pids=()
namespaces=("$P-sw" "$P-srv" "$P-relay" "$P-c1" "$P-c2" "$P-c3" "$P-c4")

cleanup() {
	local status=$?
	set +e
	if [ "$status" != 0 ]; then
		tail -n 20 "$tmp"/*.log "$tmp"/*.out >&2
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

# The switch: two bridges in a namespace of their own, IPv6 off so that it
# sends nothing itself.
ip netns add "$P-sw"
nsx sw sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
for br in "${P}br0" "${P}br1"; do
	nsx sw ip link add "$br" type bridge
	nsx sw ip link set "$br" up
done

# plug NS IFACE MAC BRIDGE: a veth pair from namespace NS (created if
# needed) into BRIDGE.
plug() {
	local ns=$1 ifc=$2 mac=$3 br=$4
	if ! ip netns list | grep -qw "$P-$ns"; then
		ip netns add "$P-$ns"
		nsx "$ns" ip link set lo up
	fi
	nsx "$ns" ip link add "$ifc" address "$mac" type veth peer name "${ifc}b" netns "$P-sw"
	nsx "$ns" sysctl -qw "net.ipv6.conf.$ifc.accept_dad=0" "net.ipv6.conf.$ifc.router_solicitations=0"
	nsx sw ip link set "${ifc}b" master "$br" up
	nsx "$ns" ip link set "$ifc" up
}
plug srv "${P}srv" 02:11:00:00:00:01 "${P}br0"
plug relay "${P}r0" 02:11:00:00:00:02 "${P}br0"
plug relay "${P}r1" 02:11:00:00:00:81 "${P}br1"
plug c1 "${P}c1" 02:11:00:00:00:c1 "${P}br0"
plug c2 "${P}c2" 02:11:00:00:00:c2 "${P}br0"
plug c3 "${P}c3" 02:11:00:00:00:c3 "${P}br0"
plug c4 "${P}c4" 02:11:00:00:00:c4 "${P}br1"
nsx srv ip addr add 10.211.0.1/25 dev "${P}srv"
nsx srv ip addr add fd11:211::1/64 dev "${P}srv" nodad
nsx srv ip route add 10.211.0.128/25 via 10.211.0.2
nsx srv ip -6 route add fd11:211:0:0:8000::/65 via fd11:211::2
nsx relay ip addr add 10.211.0.2/25 dev "${P}r0"
nsx relay ip addr add fd11:211::2/65 dev "${P}r0" nodad
nsx relay ip addr add 10.211.0.129/25 dev "${P}r1"
nsx relay ip addr add fd11:211:0:0:8000::1/65 dev "${P}r1" nodad
nsx relay sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1

filter='udp port 67 or udp port 68 or udp port 546 or udp port 547'
ip netns exec "$P-sw" tcpdump -i "${P}br0" -U -s 0 -w "$tmp/br0.pcap" "$filter" 2>"$tmp/tcpdump0.log" &
pids+=($!)
ip netns exec "$P-sw" tcpdump -i "${P}br1" -U -s 0 -w "$tmp/br1.pcap" "$filter" 2>"$tmp/tcpdump1.log" &
pids+=($!)

ip netns exec "$P-srv" dnsmasq --no-daemon --no-ping --conf-file=/dev/null --port=0 --user=root --group=root \
	--interface="${P}srv" --bind-interfaces --pid-file="$tmp/dnsmasq.pid" \
	--dhcp-leasefile="$tmp/dnsmasq.leases" --dhcp-authoritative --log-dhcp \
	--log-facility="$tmp/dnsmasq.log" --domain=ward.example \
	--dhcp-range=10.211.0.100,10.211.0.120,255.255.255.128,10m \
	--dhcp-range=set:far,10.211.0.200,10.211.0.220,255.255.255.128,10m \
	--dhcp-range=fd11:211::100,fd11:211::1ff,64,2m --dhcp-host=02:11:00:00:00:c2,2m \
	--dhcp-option=option:router,10.211.0.1 --dhcp-option=tag:far,option:router,10.211.0.129 \
	--dhcp-option=option:ntp-server,10.211.0.1 \
	--dhcp-option=option6:dns-server,[fd11:211::1] >"$tmp/dnsmasq.out" 2>&1 &
pids+=($!)

ip netns exec "$P-relay" dnsmasq --no-daemon --conf-file=/dev/null --port=0 --user=root --group=root \
	--interface="${P}r0" --interface="${P}r1" --pid-file="$tmp/relay.pid" --log-dhcp \
	--log-facility="$tmp/relay.log" \
	--dhcp-relay=10.211.0.129,10.211.0.1 --dhcp-relay=fd11:211:0:0:8000::1,fd11:211::1 \
	>"$tmp/relay.out" 2>&1 &
pids+=($!)

# The client script configures the address and route it is given, so that
# RELEASE goes out by unicast, and touches nothing outside the namespace.
cat >"$tmp/script" <<'SCRIPT'
#!/bin/sh
case "$reason" in
PREINIT|PREINIT6) ip link set dev "$interface" up ;;
BOUND|RENEW|REBIND|REBOOT)
	ip addr replace "$new_ip_address/25" dev "$interface"
	[ -n "${new_routers:-}" ] && ip route replace default via "${new_routers%% *}" ;;
BOUND6|RENEW6|REBIND6|REBOOT6)
	[ -n "${new_ip6_address:-}" ] && ip -6 addr replace "$new_ip6_address/128" dev "$interface" nodad ;;
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
cat >"$tmp/c4.conf" <<'CONF'
send host-name "c4-analyser";
send vendor-class-identifier "medtap-lab 2.1";
request subnet-mask, routers, domain-name, domain-name-servers, ntp-servers;
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
cat >"$tmp/c4-6.conf" <<'CONF'
send fqdn.fqdn "c4-analyser.lab.example.";
request dhcp6.name-servers, dhcp6.fqdn;
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

# dhclient_args NS FAMILY NAME SECONDS: sets args to the command that runs
# dhclient in namespace NS with the files of NAME, for at most SECONDS.
dhclient_args() {
	args=(ip netns exec "$P-$1" timeout "$4" dhclient "$2" -v -cf "$tmp/$3.conf" -lf "$tmp/$3.leases"
		-pf "$tmp/$3.pid" -sf "$tmp/script")
}
# dhc NS FAMILY NAME ARGS...: dhclient in the background, in the
# foreground mode (-d) so that the script can end it.
dhc() {
	dhclient_args "$1" "$2" "$3" 150
	"${args[@]}" -d "${@:4}" "${P}$1" >>"$tmp/$3.log" 2>&1 &
	pids+=($!)
}
# release NS FAMILY NAME ARGS...: dhclient -r, which ends the running
# client and releases its lease.
release() {
	dhclient_args "$1" "$2" "$3" 20
	"${args[@]}" -r "${@:4}" "${P}$1" >>"$tmp/$3.log" 2>&1
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
  option subnet-mask 255.255.255.128;
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

# c4: through the relay, DHCPv4 and a release, DHCPv6 and a release.
dhc c4 -4 c4
wait_for "$tmp/c4.log" "bound to" 20
release c4 -4 c4
sleep 0.5
dhc c4 -6 c4-6 -D LL
wait_for "$tmp/c4-6.leases" "iaaddr" 20
sleep 0.5
release c4 -6 c4-6 -D LL
sleep 1

kill "${pids[0]}" "${pids[1]}" # tcpdump: flush and close the captures
wait "${pids[0]}" "${pids[1]}" 2>/dev/null || true
mergecap -F pcap -w "$tmp/dhcp.pcap" "$tmp/br0.pcap" "$tmp/br1.pcap"
cp "$tmp/dhcp.pcap" "$out"
chmod 644 "$out"
echo "packets: $(tcpdump -nr "$out" 2>/dev/null | wc -l)"
tcpdump -nr "$out" 2>/dev/null

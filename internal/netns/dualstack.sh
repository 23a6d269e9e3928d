# dualstack.sh is sourced by the record.sh scripts of netproto/dnsmsg and netproto/nbns: a bridge,
# mtnm-br0, in a namespace of its own, mtnm-sw, and hosts cabled into it,
# with addresses in 10.215.0.0/24 (and fd11:215::/64 when ipv6=1 is set
# before sourcing; IPv6 link-local addresses are not generated). The bridge
# reaches no other network. The sourcing script appends the ids of the
# processes it starts to pids; at exit they are stopped, the namespaces
# removed and the directory $tmp deleted. Needs iproute2.

tmp=$(mktemp -d /tmp/mtnm-rec.XXXXXX)
chmod 755 "$tmp"
pids=()
hosts=()

netns_cleanup() {
	set +e
	for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null; done
	sleep 0.5
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
	for n in "${hosts[@]}" sw; do ip netns del "mtnm-$n" 2>/dev/null; done
	rm -rf "$tmp"
}
trap netns_cleanup EXIT

# v6sysctl NS IF: no IPv6 link-local address on IF (ipv6=1), or no IPv6.
v6sysctl() {
	if [ "${ipv6:-0}" = 1 ]; then
		ip netns exec "$1" sysctl -qw "net.ipv6.conf.$2.addr_gen_mode=1"
	else
		ip netns exec "$1" sysctl -qw "net.ipv6.conf.$2.disable_ipv6=1"
	fi
}

ip netns add mtnm-sw
ip -n mtnm-sw link add mtnm-br0 type bridge
v6sysctl mtnm-sw mtnm-br0
ip -n mtnm-sw link set mtnm-br0 up

# host NAME INDEX: a namespace mtnm-NAME whose interface mtnm-NAME0 has the
# MAC 02:00:0a:d7:00:0INDEX and the address 10.215.0.INDEX (and
# fd11:215::INDEX), cabled into the bridge by its peer mtnm-NAME1.
host() {
	local n=$1 i=$2
	hosts+=("$n")
	ip netns add "mtnm-$n"
	ip link add "mtnm-${n}0" type veth peer name "mtnm-${n}1"
	ip link set "mtnm-${n}1" netns mtnm-sw
	ip link set "mtnm-${n}0" netns "mtnm-$n"
	ip -n mtnm-sw link set "mtnm-${n}1" master mtnm-br0 up
	v6sysctl "mtnm-$n" "mtnm-${n}0"
	ip -n "mtnm-$n" link set lo up
	ip -n "mtnm-$n" link set "mtnm-${n}0" address "02:00:0a:d7:00:0$i" up
	ip -n "mtnm-$n" addr add "10.215.0.$i/24" brd 10.215.0.255 dev "mtnm-${n}0"
	if [ "${ipv6:-0}" = 1 ]; then
		ip -n "mtnm-$n" addr add "fd11:215::$i/64" dev "mtnm-${n}0" nodad
	fi
	ip -n "mtnm-$n" route add 224.0.0.0/4 dev "mtnm-${n}0"
}

# capture FILTER FILE: tcpdump on the bridge, in the background.
capture() {
	ip netns exec mtnm-sw tcpdump -q -U -s 0 -i mtnm-br0 -w "$2" "$1" 2>>"$tmp/tcpdump.log" &
	pids+=($!)
	sleep 1
}

# stop_all: stop every process started so far (the captures are complete
# once their tcpdump has exited).
stop_all() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	sleep 1
	pids=()
}

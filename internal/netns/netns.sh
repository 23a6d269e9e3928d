# netns.sh: network namespaces for the record.sh scripts that capture real
# peers into the testdata of netproto/* packages. Source it from a record.sh
# run as root (needs iproute2 and tcpdump):
#
#	MT_PREFIX=mtht MT_NET=10.213.0 . "$root/internal/netns/netns.sh"
#	mt_bridge                   # namespace ${MT_PREFIX}br holding bridge br0
#	mt_peer cli 1               # namespace ${MT_PREFIX}cli, address $MT_NET.1/24 on the bridge
#	mt_peer srv 2
#	mt_capture out.pcap "tcp"   # tcpdump on br0 until mt_stop_capture
#	mt_in srv some-daemon &     # run a command in a namespace
#	mt_stop_capture
#
# Every name starts with MT_PREFIX (interface names stay within 15
# characters), every address is inside MT_NET.0/24, the namespaces are
# isolated from the host (nothing routes out of them), and an EXIT trap
# stops the processes left in them and deletes the namespaces.
set -eu
: "${MT_PREFIX:?set MT_PREFIX}" "${MT_NET:?set MT_NET}"
mt_br=${MT_PREFIX}br
mt_peers=""
mt_tcpdump=""

mt_cleanup() {
	set +e
	[ -n "$mt_tcpdump" ] && kill "$mt_tcpdump" 2>/dev/null && wait "$mt_tcpdump" 2>/dev/null
	for ns in $mt_peers $mt_br; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null; done
	done
	sleep 0.5
	for ns in $mt_peers $mt_br; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
		ip netns del "$ns" 2>/dev/null
	done
}
trap mt_cleanup EXIT

mt_bridge() {
	ip netns add "$mt_br"
	ip -n "$mt_br" link set lo up
	ip -n "$mt_br" link add br0 type bridge
	ip -n "$mt_br" link set br0 up
}

# mt_peer NAME N: a namespace ${MT_PREFIX}NAME with address $MT_NET.N/24 on
# a veth pair into the bridge.
mt_peer() {
	ns=$MT_PREFIX$1
	ip netns add "$ns"
	mt_peers="$mt_peers $ns"
	ip -n "$ns" link set lo up
	ip link add "${ns}0" netns "$ns" type veth peer name "${ns}b" netns "$mt_br"
	ip -n "$mt_br" link set "${ns}b" master br0 up
	ip -n "$ns" addr add "$MT_NET.$2/24" dev "${ns}0"
	ip -n "$ns" link set "${ns}0" up
}

# mt_in NAME CMD...: run CMD in namespace ${MT_PREFIX}NAME.
mt_in() {
	ns=$MT_PREFIX$1
	shift
	ip netns exec "$ns" "$@"
}

# mt_capture FILE FILTER: capture the bridge's traffic into FILE.
mt_capture() {
	ip netns exec "$mt_br" tcpdump -i br0 -U -s 0 -w "$1" "$2" 2>/dev/null &
	mt_tcpdump=$!
	sleep 1
}

mt_stop_capture() {
	sleep 1
	kill "$mt_tcpdump"
	wait "$mt_tcpdump" || true
	mt_tcpdump=""
}

# mt_wait_port NAME PORT: wait (at most 10 s) until something listens on
# TCP PORT in namespace NAME.
mt_wait_port() {
	for _ in $(seq 50); do
		if mt_in "$1" ss -ltn "sport = :$2" | grep -q LISTEN; then return 0; fi
		sleep 0.2
	done
	echo "nothing listens on port $2 in $MT_PREFIX$1" >&2
	return 1
}

#!/bin/bash
# record.sh: records handshakes.pcap, TCP handshakes of Linux stacks set up
# in many ways and the probes of nmap, for the tests that compare medtap's
# TCP signatures with p0f's.
#
#   sudo netproto/tcpsig/testdata/record.sh
#
# Runs as root on Debian 12 or later (network namespaces, raw sockets for
# nmap) with these packages: iproute2 tcpdump curl python3 nmap
#   apt-get install iproute2 tcpdump curl python3 nmap
#
# The network: a namespace mtts-sw holds a bridge, mtts-br0, on which tcpdump
# records every TCP packet; each other namespace has one veth into it and
# addresses in 10.212.0.0/24 and fd11:212::/64 only. Nothing is routed, so
# nothing leaves the bridge.
#
#   mtts-s1   10.212.0.2  fd11:212::2   HTTP server (python3 -m http.server) on
#                                       port 80, Linux defaults, TCP Fast Open
#                                       accepted without a cookie
#                                       (tcp_fastopen=0x203); port 81 closed
#   mtts-s2   10.212.0.3  fd11:212::3   HTTP server on 80, with timestamps,
#                                       SACK, window scaling and ECN off and
#                                       TTL/hop limit 128
#   mtts-c1 .. mtts-c12                 clients (.11 ... .22, fd11:212::11 ...),
#                                       one Linux setting each (see below)
#   mtts-scan 10.212.0.30 fd11:212::30  nmap
#
# Each client fetches / from both servers over IPv4 and IPv6 with curl, and
# connects once to the closed port 81 of mtts-s1 (a RST answers). The
# client settings: defaults; tcp_timestamps=0; tcp_window_scaling=0;
# tcp_sack=0; tcp_ecn=1 (ECN asked for; mtts-s1 agrees, mtts-s2 does not);
# ip_default_ttl=128 and hop limit 128; ip_no_pmtu_disc=1 (no DF); all of
# timestamps, SACK and window scaling off with TTL 255 and no IPv6 flow
# labels; TCP Fast Open without a cookie (tcp_fastopen=5, curl
# --tcp-fastopen: the requests to mtts-s1 ride in the SYN, which then has a
# payload); TTL 60 with a 1400-byte MTU;
# a small receive buffer (tcp_rmem 4096 8192 16384); tcp_timestamps=2
# (timestamps without a random offset) with TTL 100.
#
# Then mtts-scan runs, against mtts-s1: nmap -sS on ports 22, 80 and 81 and
# nmap -O (OS detection: SYNs with unusual option lists and windows, a SYN
# with ECN flags, probes with odd flag combinations) on ports 80 and 81, each
# over IPv4 and IPv6.
#
# Every wait is bounded; the namespaces (and with them the veths and the
# bridge) and the processes are removed on exit. Times, ports, sequence
# numbers and nmap's random choices differ from run to run; the kinds of
# signatures do not.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out="$here/handshakes.pcap"
P=mtts
SW=$P-sw
BR=$P-br0

say() { printf '%s record.sh: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { say "error: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (network namespaces, tcpdump, nmap -sS)"
for c in ip tcpdump curl nmap /usr/bin/python3; do
	command -v "$c" >/dev/null || die "missing $c (see the package list at the top)"
done
for ns in $(ip netns list | awk '{print $1}'); do
	case "$ns" in $P-*) die "namespace $ns exists: a previous run did not clean up (ip netns del $ns)" ;; esac
done

work=$(mktemp -d /tmp/tcpsig-record.XXXXXX)
namespaces=()
pids=()
tcpdump_pid=
cleanup() {
	local rc=$?
	if [ -n "$tcpdump_pid" ]; then kill -INT "$tcpdump_pid" 2>/dev/null || true; fi
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	for ns in "${namespaces[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
	if [ $rc -ne 0 ]; then tail -n 20 "$work"/*.log >&2 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

ip netns add $SW
namespaces+=($SW)
nsx $SW sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
nsx $SW ip link add $BR type bridge
nsx $SW ip link set $BR up
nsx $SW ip link set lo up

# host NS SUFFIX [MTU]: a namespace with a veth (eth0 inside, NS on the
# bridge) and addresses 10.212.0.SUFFIX/24 and fd11:212::SUFFIX/64.
host() {
	local ns=$1 n=$2 mtu=${3:-1500}
	ip netns add "$ns"
	namespaces+=("$ns")
	ip link add "$ns" type veth peer name "$ns-i"
	ip link set "$ns" netns $SW
	ip link set "$ns-i" netns "$ns"
	nsx $SW ip link set "$ns" master $BR mtu 1500 up
	nsx "$ns" ip link set "$ns-i" name eth0
	nsx "$ns" ip link set lo up
	nsx "$ns" ip link set eth0 mtu "$mtu" up
	nsx "$ns" ip addr add "10.212.0.$n/24" dev eth0
	nsx "$ns" ip -6 addr add "fd11:212::$n/64" dev eth0 nodad
}

# set NS KEY=VALUE...: sysctls of a namespace.
set_sysctl() {
	local ns=$1; shift
	nsx "$ns" sysctl -qw "$@"
}

host $P-s1 2
set_sysctl $P-s1 net.ipv4.tcp_fastopen=515 # 0x203: server and client, no cookie needed
host $P-s2 3
set_sysctl $P-s2 net.ipv4.tcp_timestamps=0 net.ipv4.tcp_sack=0 net.ipv4.tcp_window_scaling=0 \
	net.ipv4.tcp_ecn=0 net.ipv4.ip_default_ttl=128 net.ipv6.conf.all.hop_limit=128 net.ipv6.conf.eth0.hop_limit=128

mkdir -p "$work/www"
printf 'ok\n' >"$work/www/index.html"
for s in s1 s2; do
	# ip netns exec execs the server, so $! is the server's pid.
	ip netns exec $P-$s /usr/bin/python3 -m http.server 80 --bind :: --directory "$work/www" >"$work/$s.log" 2>&1 &
	pids+=($!)
done

clients=(
	"c1 11 1500"
	"c2 12 1500 net.ipv4.tcp_timestamps=0"
	"c3 13 1500 net.ipv4.tcp_window_scaling=0"
	"c4 14 1500 net.ipv4.tcp_sack=0"
	"c5 15 1500 net.ipv4.tcp_ecn=1"
	"c6 16 1500 net.ipv4.ip_default_ttl=128 net.ipv6.conf.all.hop_limit=128 net.ipv6.conf.eth0.hop_limit=128"
	"c7 17 1500 net.ipv4.ip_no_pmtu_disc=1"
	"c8 18 1500 net.ipv4.tcp_timestamps=0 net.ipv4.tcp_sack=0 net.ipv4.tcp_window_scaling=0 net.ipv4.ip_default_ttl=255 net.ipv6.conf.all.hop_limit=255 net.ipv6.conf.eth0.hop_limit=255 net.ipv6.auto_flowlabels=0"
	"c9 19 1500 net.ipv4.tcp_fastopen=5"
	"c10 20 1400 net.ipv4.ip_default_ttl=60 net.ipv6.conf.all.hop_limit=60 net.ipv6.conf.eth0.hop_limit=60"
	"c11 21 1500 net.ipv4.tcp_rmem=4096,8192,16384"
	"c12 22 1500 net.ipv4.tcp_timestamps=2 net.ipv4.ip_default_ttl=100 net.ipv6.conf.all.hop_limit=100 net.ipv6.conf.eth0.hop_limit=100"
)
for c in "${clients[@]}"; do
	read -r name n mtu settings <<<"$c"
	host "$P-$name" "$n" "$mtu"
	for kv in $settings; do set_sysctl "$P-$name" "${kv//,/ }"; done
done
host $P-scan 30

for s in s1 s2; do
	ok=
	for _ in $(seq 100); do
		if nsx $P-$s ss -Hltn 'sport = :80' | grep -q .; then ok=1; break; fi
		sleep 0.1
	done
	[ -n "$ok" ] || die "the HTTP server of $P-$s does not listen"
done
sleep 1 # neighbours settle

ip netns exec $SW tcpdump -i $BR -n -s 0 -U -w "$work/cap.pcap" tcp 2>"$work/tcpdump.log" &
tcpdump_pid=$!
for _ in $(seq 100); do
	grep -q "listening on" "$work/tcpdump.log" && break
	sleep 0.1
done
sleep 0.3

fetch() { # NS URL [curl options...]
	local ns=$1 url=$2; shift 2
	nsx "$ns" curl -sS -o /dev/null --max-time 5 "$@" "$url" || die "curl $url from $ns failed"
}
for c in "${clients[@]}"; do
	read -r name _ <<<"$c"
	say "client $name"
	extra=()
	[ "$name" = c9 ] && extra=(--tcp-fastopen)
	for url in http://10.212.0.2/ 'http://[fd11:212::2]/' http://10.212.0.3/ 'http://[fd11:212::3]/'; do
		fetch "$P-$name" "$url" "${extra[@]}"
	done
	nsx "$P-$name" curl -s -o /dev/null --max-time 2 http://10.212.0.2:81/ && die "port 81 of $P-s1 answers"
	sleep 0.1
done

say "nmap -sS and -O against $P-s1"
for target in 10.212.0.2 fd11:212::2; do
	six=()
	case $target in *:*) six=(-6) ;; esac
	nsx $P-scan timeout 120 nmap "${six[@]}" -n -Pn -sS -p 22,80,81 --max-retries 1 "$target" >"$work/nmap-sS$target.log" 2>&1 ||
		die "nmap -sS $target failed"
	nsx $P-scan timeout 180 nmap "${six[@]}" -n -Pn -O --max-os-tries 1 -p 80,81 "$target" >"$work/nmap-O$target.log" 2>&1 ||
		die "nmap -O $target failed"
	grep -q "80/tcp *open" "$work/nmap-O$target.log" || die "nmap -O did not find port 80 open: $(cat "$work/nmap-O$target.log")"
done
sleep 0.5

kill -INT "$tcpdump_pid"
for _ in $(seq 100); do
	kill -0 "$tcpdump_pid" 2>/dev/null || break
	sleep 0.1
done
wait "$tcpdump_pid" || true
tcpdump_pid=
grep -E "packets (captured|dropped)" "$work/tcpdump.log" >&2 || true
grep -q "^0 packets dropped by kernel" "$work/tcpdump.log" || die "tcpdump dropped packets"
size=$(stat -c %s "$work/cap.pcap")
[ "$size" -lt 200000 ] || die "the capture has $size bytes, more than 200 KB"
cp "$work/cap.pcap" "$out"
say "wrote $out ($size bytes)"

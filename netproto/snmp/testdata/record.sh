#!/bin/bash
# Records snmp.pcap: SNMP v1, v2c and v3 between Net-SNMP's tools and snmpd.
#
# Run as root from any directory:   bash netproto/snmp/testdata/record.sh
# Needs (Debian packages): snmpd, snmp, snmptrapd, tcpdump, iproute2.
#
# Two network namespaces on a bridge of their own (in a third, mtll-br, where
# tcpdump writes the capture): mtll-agent (10.216.0.20) runs snmpd with the
# configuration below (read-only communities "public" and "mtll-ward7-ro", a
# v3 user with SHA/AES, a private pid file and persistent directory, no
# AgentX), and mtll-mgr (10.216.0.21) runs the clients and snmptrapd. IPv6 is
# off and nothing leaves the namespaces; every client call has a 1 s timeout
# and no retry.
#
# What the capture holds, in order:
#   v1   get of sysDescr, sysObjectID, sysContact, sysName, sysLocation with
#        "public"; get-next; get of a missing object (noSuchName); set refused
#   v2c  the same get with the custom community; get of Counter32, Gauge32,
#        Counter64, TimeTicks and IpAddress objects; get of a missing object
#        (noSuchObject); get-next past the end (endOfMibView); walk of the
#        system group; get-bulk; set refused (an error status)
#   v1/v2c  gets with "private" and an unknown community, which snmpd ignores
#   v3   a get with an unknown user (report) and one as the SHA/AES user
#        (discovery report, then encrypted request and response)
#   traps: a v1 trap and a v2c trap to snmptrapd, a v2c inform and its response
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=$here/snmp.pcap
tmp=$(mktemp -d /tmp/mtll-snmp.XXXXXX)
pids=()

cleanup() {
	set +e
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
	for n in agent mgr br; do ip netns del "mtll-$n" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT

nsx() { local n=$1; shift; ip netns exec "mtll-$n" "$@"; }

ip netns add mtll-br
nsx br sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
nsx br ip link add mtllbr1 type bridge
nsx br ip link set mtllbr1 up
i=0
for n in agent mgr; do
	ip netns add "mtll-$n"
	nsx "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	ip link add "mtlls$i" netns "mtll-$n" type veth peer name "mtlls${i}b" netns mtll-br
	nsx "$n" ip addr add "10.216.0.2$i/24" dev "mtlls$i"
	nsx "$n" ip link set lo up
	nsx "$n" ip link set "mtlls$i" up
	nsx br ip link set "mtlls${i}b" master mtllbr1 up
	i=$((i + 1))
done
agent=10.216.0.20
mgr=10.216.0.21

mkdir -p "$tmp/agent" "$tmp/mgr"
cat >"$tmp/snmpd.conf" <<CONF
agentaddress udp:$agent:161
master off
rocommunity public 10.216.0.0/24
rocommunity mtll-ward7-ro 10.216.0.0/24
sysDescr Contoso Medical PACS gateway PG-2, Linux 5.10.0-armv7l
sysName mtll-pacs-gw
sysContact biomed@ward7.example
sysLocation Ward 7, rack B2
createUser mtllv3user SHA mtll-auth-pass1 AES mtll-priv-pass1
rouser mtllv3user priv
CONF
cat >"$tmp/snmptrapd.conf" <<CONF
snmpTrapdAddr udp:$mgr:162
disableAuthorization yes
CONF
export MIBS= MIBDIRS=/nonexistent # numeric OIDs only: no MIB files needed
export SNMPCONFPATH=$tmp/mgr

ip netns exec mtll-br tcpdump -q -U -i mtllbr1 -w "$out" udp 2>"$tmp/tcpdump.log" &
pids+=($!)
sleep 1
SNMP_PERSISTENT_DIR=$tmp/agent ip netns exec mtll-agent snmpd -f -C -c "$tmp/snmpd.conf" -p "$tmp/snmpd.pid" -Lf "$tmp/snmpd.log" &
pids+=($!)
SNMP_PERSISTENT_DIR=$tmp/mgr ip netns exec mtll-mgr snmptrapd -f -C -c "$tmp/snmptrapd.conf" -p "$tmp/snmptrapd.pid" -Lf "$tmp/snmptrapd.log" &
pids+=($!)
sleep 1

q() { local c=$1; shift; SNMP_PERSISTENT_DIR=$tmp/mgr nsx mgr "$c" -t 1 -r 0 -On "$@" >>"$tmp/clients.log" 2>&1 || true; }
sys=(.1.3.6.1.2.1.1.1.0 .1.3.6.1.2.1.1.2.0 .1.3.6.1.2.1.1.4.0 .1.3.6.1.2.1.1.5.0 .1.3.6.1.2.1.1.6.0)

q snmpget -v1 -c public $agent "${sys[@]}"
q snmpgetnext -v1 -c public $agent .1.3.6.1.2.1.1.1.0
q snmpget -v1 -c public $agent .1.3.6.1.2.1.1.99.0
q snmpset -v1 -c public $agent .1.3.6.1.2.1.1.6.0 s "moved"

q snmpget -v2c -c mtll-ward7-ro $agent "${sys[@]}"
q snmpget -v2c -c mtll-ward7-ro $agent .1.3.6.1.2.1.1.3.0 .1.3.6.1.2.1.2.2.1.10.1 .1.3.6.1.2.1.2.2.1.5.1 .1.3.6.1.2.1.31.1.1.1.6.1 .1.3.6.1.2.1.4.20.1.1.$agent
q snmpget -v2c -c mtll-ward7-ro $agent .1.3.6.1.2.1.1.99.0
q snmpgetnext -v2c -c mtll-ward7-ro $agent .1.3.6.1.9
q snmpwalk -v2c -c mtll-ward7-ro $agent .1.3.6.1.2.1.1
q snmpbulkget -v2c -c public -Cn1 -Cr4 $agent .1.3.6.1.2.1.1.3 .1.3.6.1.2.1.1
q snmpset -v2c -c public $agent .1.3.6.1.2.1.1.6.0 s "moved"

q snmpget -v1 -c private $agent .1.3.6.1.2.1.1.1.0
q snmpget -v2c -c mtll-wrong-community $agent .1.3.6.1.2.1.1.1.0

q snmpget -v3 -l noAuthNoPriv -u mtllnobody $agent .1.3.6.1.2.1.1.1.0
q snmpget -v3 -l authPriv -u mtllv3user -a SHA -A mtll-auth-pass1 -x AES -X mtll-priv-pass1 $agent .1.3.6.1.2.1.1.5.0

# Notifications go from the agent's namespace to snmptrapd.
qa() { local c=$1; shift; SNMP_PERSISTENT_DIR=$tmp/agent nsx agent "$c" -t 1 -r 0 -On "$@" >>"$tmp/clients.log" 2>&1 || true; }
qa snmptrap -v1 -c public $mgr .1.3.6.1.4.1.8072.2.3 $agent 6 17 '' .1.3.6.1.2.1.1.5.0 s mtll-pacs-gw
qa snmptrap -v2c -c mtll-ward7-ro $mgr '' .1.3.6.1.6.3.1.1.5.3 .1.3.6.1.2.1.2.2.1.1.1 i 1
qa snmpinform -v2c -c public $mgr '' .1.3.6.1.6.3.1.1.5.4 .1.3.6.1.2.1.2.2.1.1.1 i 1
sleep 1

for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
pids=()
echo "snmp: $(tcpdump -q -r "$out" 2>/dev/null | grep -c '^[0-9][0-9]:') datagrams in $out"

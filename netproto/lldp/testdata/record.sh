#!/bin/bash
# Records lldp.pcap (LLDP) and ../../cdp/testdata/cdp.pcap (CDP) from real
# lldpd peers.
#
# Run as root from any directory:   bash netproto/lldp/testdata/record.sh
# Needs (Debian packages): lldpd, tcpdump, iproute2.
#
# Three network namespaces (mtll-pump, mtll-sw, mtll-phone) each run their own
# lldpd (private control socket and pid file under a temporary directory, no
# system configuration) on a veth into a bridge that lives in a fourth
# namespace (mtll-br), where tcpdump writes the capture. Each lldpd reads its
# lldpcli commands (below) from its -O file before it sends anything, sends
# every second (tx-interval 1), and filters no protocol (-H 0). IPv6 is off
# everywhere and the only addresses are 10.216.0.11-13/24; nothing leaves the
# namespaces. The bridge forwards LLDP's group address so that the peers hear
# each other and tcpdump sees every frame.
#
# What the capture holds (about 7 s, one advertisement per peer and protocol
# and second, then each lldpd's shutdown LLDPDU with TTL 0):
#   mtll-pump   lldpd -M 3 (LLDP-MED endpoint class III) with the MED inventory
#               configured (manufacturer, model, serial number, hardware,
#               firmware and software revisions, asset id), a system name and
#               description, management address 10.216.0.11.
#   mtll-sw     lldpd -cc -M 4 (network connectivity device): LLDP and CDPv1
#               sent even without a CDP peer; router capability enabled; port id
#               by interface name; management address 10.216.0.12.
#   mtll-phone  lldpd -ccc -M 3: LLDP and CDPv2; a locally assigned chassis id;
#               an LLDP-MED voice network policy (VLAN 500, priority 5, DSCP 46);
#               management address 10.216.0.13.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=$here/lldp.pcap
cdpout=$here/../../cdp/testdata/cdp.pcap
tmp=$(mktemp -d /tmp/mtll-lldp.XXXXXX)
chmod 755 "$tmp" # lldpcli runs setuid _lldpd and must reach the sockets
peers=(pump sw phone)
pids=()

cleanup() {
	set +e
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
	for n in "${peers[@]}" br; do ip netns del "mtll-$n" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT

nsx() { local n=$1; shift; ip netns exec "mtll-$n" "$@"; }

ip netns add mtll-br
nsx br sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
nsx br ip link add mtllbr0 type bridge group_fwd_mask 0x4000
nsx br ip link set mtllbr0 up
i=0
for n in "${peers[@]}"; do
	i=$((i + 1))
	ip netns add "mtll-$n"
	nsx "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	ip link add "mtllv$i" netns "mtll-$n" type veth peer name "mtllv${i}b" netns mtll-br
	nsx "$n" ip addr add "10.216.0.1$i/24" dev "mtllv$i"
	nsx "$n" ip link set lo up
	nsx "$n" ip link set "mtllv$i" up
	nsx br ip link set "mtllv${i}b" master mtllbr0 up
done
nsx sw sysctl -qw net.ipv4.ip_forward=1

ip netns exec mtll-br tcpdump -q -U -i mtllbr0 -w "$tmp/all.pcap" 'ether proto 0x88cc or ether dst 01:00:0c:cc:cc:cc' 2>"$tmp/tcpdump.log" &
pids+=($!)
sleep 1

cat >"$tmp/pump.conf" <<'CONF'
configure system hostname mtll-infusion-pump-07
configure system description "Contoso Medical IP-300 infusion pump, firmware 2.4.1"
configure system ip management pattern 10.216.0.11
configure inventory manufacturer "Contoso Medical"
configure inventory model "IP-300 Infusion Pump"
configure inventory serial-number CM300-0042
configure inventory hardware-revision "rev C"
configure inventory firmware-revision 2.4.1
configure inventory software-revision 2.4.1-build77
configure inventory asset BIOMED-11873
CONF
cat >"$tmp/sw.conf" <<'CONF'
configure system hostname mtll-access-sw1
configure system description "Contoso Networks AS-24 access switch, OS 15.2(7)E"
configure system platform "Contoso AS-24"
configure inventory software-revision 15.2(7)E
configure system ip management pattern 10.216.0.12
configure system capabilities enabled router
configure lldp portidsubtype ifname
CONF
cat >"$tmp/phone.conf" <<'CONF'
configure system hostname mtll-ward-phone
configure system description "Contoso VoIP handset VP-9, SIP 3.1"
configure system chassisid phone-chassis-13
configure inventory software-revision VP9-3.1.0
configure system ip management pattern 10.216.0.13
configure med policy application voice vlan 500 priority voice dscp 46
CONF
for n in "${peers[@]}"; do echo "configure lldp tx-interval 1" >>"$tmp/$n.conf"; done
chmod 644 "$tmp"/*.conf

# lldpd runs lldpcli on its -O file before it sends anything.
mkdir -p /run/lldpd # lldpd's privilege-separation chroot
lldpds=()
i=0
for n in "${peers[@]}"; do
	i=$((i + 1))
	case $n in
	pump) opts=(-M 3) ;;
	sw) opts=(-cc -M 4) ;;
	phone) opts=(-ccc -M 3) ;;
	esac
	ip netns exec "mtll-$n" lldpd -d -O "$tmp/$n.conf" -u "$tmp/$n.sock" -p "$tmp/$n.pid" -H 0 -I "mtllv$i" "${opts[@]}" 2>"$tmp/lldpd-$n.log" &
	pids+=($!)
	lldpds+=($!)
done
sleep 6

# On exit each lldpd sends a shutdown LLDPDU (TTL 0), which the capture keeps.
for p in "${lldpds[@]}"; do kill "$p" 2>/dev/null || true; done
for p in "${lldpds[@]}"; do wait "$p" 2>/dev/null || true; done
sleep 1
for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
pids=()
tcpdump -q -r "$tmp/all.pcap" -w "$out" 'ether proto 0x88cc' 2>/dev/null
tcpdump -q -r "$tmp/all.pcap" -w "$cdpout" 'ether dst 01:00:0c:cc:cc:cc' 2>/dev/null
echo "lldp: $(tcpdump -q -r "$out" 2>/dev/null | grep -c '^[0-9][0-9]:') frames in $out"
echo "cdp:  $(tcpdump -q -r "$cdpout" 2>/dev/null | grep -c '^[0-9][0-9]:') frames in $cdpout"

#!/bin/bash
# record.sh: records smb.pcap, the real-peer capture of package smb's tests:
# Debian's smbclient talking to Debian's smbd, each in a network namespace of
# its own, joined by veth pairs to a bridge in a third namespace where tcpdump
# writes the capture. Addresses are from 10.214.0.0/24 only (server .2,
# client .3); namespaces and interfaces are named mtsm-*; nothing is sent
# anywhere else.
#
#   sudo netproto/smb/testdata/record.sh
#
# Needs (Debian packages): samba smbclient tcpdump iproute2 libnss-wrapper.
# smbd runs with an smb.conf written here and every state, cache, lock and
# private directory in a temporary directory; its user account (radtech) is
# in a passwd file of that directory read through nss_wrapper, and the Samba
# password (smbpasswd) in its passdb: the system's samba, users and
# /etc/samba are not touched. The server's host name is set in a UTS
# namespace of its own (pacsfs01.radiology.example) and resolved through
# nss_wrapper's hosts file, so the NTLMSSP CHALLENGE names it by DNS too.
# The server allows NTLMv1 (ntlm auth = yes) for session 7. smbd runs in a
# session of its own (setsid): when it ends it signals its whole process
# group. Namespaces, processes in them and the temporary directory are
# removed on exit. After recording, rewrite the golden files:
#
#   go test ./netproto/smb ./flow/smbflow -run TestCapture -update
#
# (the NTLMSSP blobs in ../../ntlmssp/testdata were taken from the first
# recording with tshark's smb2.security_blob field and stay as they are).
#
# The capture holds, one TCP connection each, in this order:
#   1 SMB 3.1.1 on 445, user radtech: ls, put and get of a 24 KB file (the
#     WRITE and READ data pass the decoder unbuffered)
#   2 SMB 3.1.1 on 445, user radtech, encrypted (--client-protection=encrypt):
#     ls, so that everything after the session setup is in transform headers
#   3 SMB 2.1 (-m SMB2) on 445: anonymous share list (-U% -L) through IPC$
#     and the srvsvc pipe; then smbclient lists the workgroup over SMB1 on
#     139, anonymously too
#   4 SMB1 (NT LM 0.12, -m NT1, client and server min protocol NT1) on 445,
#     user radtech: ls, put and get of the 24 KB file
#   5 SMB1 on 139 (NetBIOS session request, then SMB1), user radtech: ls
#   6 SMB 3.1.1 on 139, user radtech: ls
#   7 SMB1 on 445 without extended security (client use spnego = no) and
#     NTLMv1 (client ntlmv2 auth = no): the session setup carries the account
#     and domain names in clear, the responses in the password fields
#   8 SMB 3.1.1 on 445 with a wrong password: STATUS_LOGON_FAILURE
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
P=mtsm
SRV=10.214.0.2
CLI=10.214.0.3
HUB=$P-hub
NS_SRV=$P-srv
NS_CLI=$P-cli
WRAP=/usr/lib/x86_64-linux-gnu/libnss_wrapper.so

say() { printf '%s record.sh: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { say "error: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (network namespaces, tcpdump)"
for c in ip tcpdump smbd smbclient smbpasswd unshare timeout; do
	command -v "$c" >/dev/null || die "missing $c"
done
[ -e "$WRAP" ] || die "missing $WRAP (apt-get install libnss-wrapper)"
for ns in $HUB $NS_SRV $NS_CLI; do
	if ip netns list | grep -qw "$ns"; then die "namespace $ns exists already"; fi
done

work=$(mktemp -d /tmp/mtsm-record.XXXXXX)
chmod 755 "$work" # smbd serves the share as radtech (uid 5000)
tcpdump_pid=
cleanup() {
	local rc=$?
	if [ -n "$tcpdump_pid" ]; then kill -INT "$tcpdump_pid" 2>/dev/null || true; wait "$tcpdump_pid" 2>/dev/null || true; fi
	for ns in $NS_SRV $NS_CLI $HUB; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
	done
	sleep 0.5
	for ns in $NS_SRV $NS_CLI $HUB; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
		ip netns del "$ns" 2>/dev/null || true
	done
	if [ $rc -ne 0 ]; then tail -n 30 "$work"/*.log >&2 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

# The network: a bridge in the hub namespace, one veth pair into it from
# each peer's namespace.
ip netns add $HUB
ip netns add $NS_SRV
ip netns add $NS_CLI
ip -n $HUB link add $P-br0 type bridge
ip -n $HUB link set $P-br0 up
for side in srv cli; do
	ns=$P-$side
	ip link add $P-$side-h netns $HUB type veth peer name $P-$side-p netns "$ns"
	ip -n $HUB link set $P-$side-h master $P-br0 up
	ip -n "$ns" link set lo up
	ip -n "$ns" link set $P-$side-p up
done
ip -n $NS_SRV addr add $SRV/24 dev $P-srv-p
ip -n $NS_CLI addr add $CLI/24 dev $P-cli-p

# The server's configuration, account and share.
mkdir -p "$work"/{private,state,cache,lock,pid,rpc,bind,share,log}
chmod 777 "$work/share"
echo "radtech:x:5000:5000:Radiology technician:$work/share:/bin/false" >"$work/passwd"
echo "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin" >>"$work/passwd"
echo "root:x:0:0:root:/root:/bin/false" >>"$work/passwd"
echo "$SRV pacsfs01.radiology.example pacsfs01" >"$work/hosts"
echo "radtech:x:5000:" >"$work/group"
echo "nogroup:x:65534:" >>"$work/group"
echo "root:x:0:" >>"$work/group"
cat >"$work/smb.conf" <<CONF
[global]
	workgroup = RADIOLOGY
	netbios name = PACSFS01
	server string = PACS file share
	server role = standalone server
	interfaces = $SRV/24
	bind interfaces only = yes
	smb ports = 445 139
	disable netbios = no
	server min protocol = NT1
	server max protocol = SMB3
	ntlm auth = yes
	passdb backend = tdbsam:$work/private/passdb.tdb
	private dir = $work/private
	state directory = $work/state
	cache directory = $work/cache
	lock directory = $work/lock
	pid directory = $work/pid
	ncalrpc dir = $work/rpc
	binddns dir = $work/bind
	log file = $work/log/smbd.%m
	load printers = no
	printing = bsd
	printcap name = /dev/null
	disable spoolss = yes
	map to guest = never
[images]
	path = $work/share
	read only = no
	valid users = radtech
CONF
cat >"$work/client.conf" <<CONF
[global]
	workgroup = RADIOLOGY
	netbios name = RADWS07
	client min protocol = NT1
	private dir = $work/cprivate
	state directory = $work/cstate
	cache directory = $work/ccache
	lock directory = $work/clock
	pid directory = $work/cpid
	ncalrpc dir = $work/crpc
	log file = $work/log/smbclient
CONF
mkdir -p "$work"/{cprivate,cstate,ccache,clock,cpid,crpc}
export NSS_WRAPPER_PASSWD="$work/passwd" NSS_WRAPPER_GROUP="$work/group" NSS_WRAPPER_HOSTS="$work/hosts"
printf 'Passw0rd!\nPassw0rd!\n' | LD_PRELOAD=$WRAP smbpasswd -c "$work/smb.conf" -s -a radtech >"$work/smbpasswd.log" 2>&1
head -c 24000 /dev/urandom >"$work/ct-series.bin"

ip netns exec $NS_SRV unshare --uts sh -c "hostname pacsfs01.radiology.example; \
	LD_PRELOAD=$WRAP exec setsid smbd --foreground --no-process-group -s '$work/smb.conf' --debug-stdout" >"$work/smbd.log" 2>&1 &
for _ in $(seq 100); do
	if ip netns exec $NS_SRV ss -Hltn '( sport = :445 )' | grep -q . && ip netns exec $NS_SRV ss -Hltn '( sport = :139 )' | grep -q .; then break; fi
	sleep 0.1
done
ip netns exec $NS_SRV ss -Hltn '( sport = :445 )' | grep -q . || die "smbd does not listen on 445"

ip netns exec $HUB tcpdump -i $P-br0 -n -s 0 -U --immediate-mode -w "$work/smb.pcap" \
	"tcp and host $SRV and host $CLI" 2>"$work/tcpdump.log" &
tcpdump_pid=$!
for _ in $(seq 100); do
	grep -q "listening on" "$work/tcpdump.log" && break
	sleep 0.1
done
sleep 0.3

n=0
run() { # run DESCRIPTION smbclient-arguments...: session n, its output in client$n.log
	n=$((n + 1))
	say "session $n: $1"
	shift
	local rc=0
	(cd "$work" && timeout 30 ip netns exec $NS_CLI smbclient -s "$work/client.conf" "$@") >"$work/client$n.log" 2>&1 || rc=$?
	sleep 0.3
	return $rc
}
client() { # client DESCRIPTION smbclient-arguments...: a session that must succeed
	run "$@" || { cat "$work/client$n.log" >&2; die "session $n failed"; }
}
share=//$SRV/images
user=(-U 'radtech%Passw0rd!')
client "SMB3, put and get" $share "${user[@]}" -m SMB3 -c 'ls; put ct-series.bin; get ct-series.bin ct-back.bin; ls'
cmp "$work/ct-series.bin" "$work/ct-back.bin" || die "the file read back differs"
client "SMB3, encrypted" $share "${user[@]}" -m SMB3 --client-protection=encrypt -c 'ls'
client "SMB2.1, anonymous share list" -U% -L //$SRV -m SMB2
client "SMB1, put and get" $share "${user[@]}" -m NT1 -c 'ls; put ct-series.bin ct-nt1.bin; get ct-nt1.bin ct-back1.bin'
cmp "$work/ct-series.bin" "$work/ct-back1.bin" || die "the file read back over SMB1 differs"
client "SMB1 on 139" $share "${user[@]}" -m NT1 -p 139 -c 'ls'
client "SMB3 on 139" $share "${user[@]}" -m SMB3 -p 139 -c 'ls'
client "SMB1 without extended security" $share "${user[@]}" -m NT1 --option='client use spnego=no' --option='client ntlmv2 auth=no' -c 'ls'
if run "SMB3, wrong password" $share -U 'radtech%wrong' -m SMB3 -c 'ls'; then die "a wrong password was accepted"; fi
grep -q NT_STATUS_LOGON_FAILURE "$work/client$n.log" || die "the wrong password did not fail with a logon failure"
for i in 1 2 4 5 6 7; do
	grep -q 'blocks of size' "$work/client$i.log" || die "session $i listed nothing"
done
grep -q IPC "$work/client3.log" || die "the share list has no IPC\$"

sleep 0.5
kill -INT "$tcpdump_pid"
wait "$tcpdump_pid" || true
tcpdump_pid=
grep -q "^0 packets dropped by kernel" "$work/tcpdump.log" || die "tcpdump dropped packets"
cp "$work/smb.pcap" "$here/smb.pcap"
say "smb.pcap: $(stat -c %s "$here/smb.pcap") bytes, $n sessions"

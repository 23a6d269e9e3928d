#!/bin/sh
# Records telnet.pcap: Debian's telnet client logging in to busybox's
# telnetd and login between two network namespaces, as root:
#
#	sh netproto/telnet/testdata/record.sh
#
# Needs iproute2, tcpdump, telnet, util-linux (unshare), openssl, and the
# busybox-static package, whose busybox has telnetd (Debian's busybox has
# not): the script extracts it into a temporary directory with apt-get
# download and dpkg-deb, without installing it. telnetd runs in a mount
# namespace of its own where /etc/passwd and /etc/shadow hold its one user,
# so the host's accounts are untouched. From 10.213.0.1 to 10.213.0.2 port
# 23: one session where the GE Healthcare default insite/2getin is refused
# and nurse then logs in with her password, the user name typed one
# character per segment; a second session where nurse's password is wrong.
# Namespaces mthtcli and mthtsrv, bridge namespace mthtbr.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
MT_PREFIX=mtht MT_NET=10.213.0
. "$root/internal/netns/netns.sh"
tmp=$(mktemp -d)
trap 'mt_cleanup; rm -rf "$tmp"' EXIT
chmod 755 "$tmp"

(cd "$tmp" && apt-get download busybox-static >/dev/null 2>&1 && dpkg-deb -x busybox-static_*.deb bb)
mkdir "$tmp/bin" "$tmp/home"
ln -s "$tmp/bb/bin/busybox" "$tmp/bin/login"
hash=$(openssl passwd -6 -salt medtapsalt 'Tel-Pa55word')
cat >"$tmp/passwd" <<PW
root:x:0:0:root:/root:/bin/sh
nurse:x:1999:1999:nurse:$tmp/home:/bin/sh
PW
cat >"$tmp/shadow" <<SH
root:*:19000:0:99999:7:::
nurse:$hash:19000:0:99999:7:::
SH

mt_bridge
mt_peer cli 1
mt_peer srv 2
mt_capture "$tmp/telnet.pcap" "tcp port 23"
mt_in srv unshare -mu sh -c "hostname mthtsrv && mount --bind $tmp/passwd /etc/passwd && mount --bind $tmp/shadow /etc/shadow && exec $tmp/bb/bin/busybox telnetd -F -b 10.213.0.2:23 -l $tmp/bin/login" &
mt_wait_port srv 23
# slowly S: type S one character at a time.
slowly() { printf '%s\n' "$1" | fold -w1 | while read -r c; do printf %s "$c"; sleep 0.1; done; }
{
	sleep 1.5
	slowly insite; printf '\r'; sleep 1
	printf '2getin\r'; sleep 5
	slowly nurse; printf '\r'; sleep 1
	printf 'Tel-Pa55word\r'; sleep 2
	printf 'echo logged in\r'; sleep 0.5
	printf 'exit\r'; sleep 1
} | mt_in cli telnet 10.213.0.2 23 || true
{
	sleep 1.5
	printf 'nurse\r'; sleep 1
	printf 'Wr0ng-Pa55word\r'; sleep 5
} | mt_in cli telnet 10.213.0.2 23 || true
mt_stop_capture
cp "$tmp/telnet.pcap" "$here/telnet.pcap"
tcpdump -nr "$here/telnet.pcap" 2>/dev/null | wc -l | xargs echo "packets:"

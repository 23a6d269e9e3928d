#!/bin/sh
# Records ftp.pcap: curl (Debian's curl) logging in to Debian's vsftpd
# between two network namespaces, as root:
#
#	sh netproto/ftp/testdata/record.sh
#
# Needs iproute2, tcpdump, curl, vsftpd, util-linux (unshare) and openssl
# (to hash the password). vsftpd runs in a mount namespace of its own where
# /etc/passwd and /etc/shadow are replaced by files that hold its local user,
# so the host's accounts are untouched. The capture holds, from 10.213.0.1 to
# 10.213.0.2 port 21 (and the passive data connections): an anonymous login
# (PASS guest@) listing the anonymous root; the local user pacsftp logging
# in with its password and fetching a file; the same user with a wrong
# password (530); and the GE Healthcare default ftpclient/interfile, which
# this server refuses (530). Namespaces mthtcli and mthtsrv, bridge namespace
# mthtbr.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
MT_PREFIX=mtht MT_NET=10.213.0
. "$root/internal/netns/netns.sh"
tmp=$(mktemp -d)
trap 'mt_cleanup; rm -rf "$tmp"' EXIT
chmod 755 "$tmp"

mkdir -p "$tmp/empty" "$tmp/anon/pub" "$tmp/home/pacsftp"
echo "worklist export" >"$tmp/anon/pub/README"
echo "study 1.2.3" >"$tmp/home/pacsftp/study.txt"
chown -R 1999:1999 "$tmp/home/pacsftp"
hash=$(openssl passwd -6 -salt medtapsalt 'Ftp-Pa55word')
cat >"$tmp/passwd" <<PW
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
ftp:x:1998:1998:ftp:$tmp/anon:/usr/sbin/nologin
pacsftp:x:1999:1999:pacs:$tmp/home/pacsftp:/bin/sh
PW
cat >"$tmp/shadow" <<SH
root:*:19000:0:99999:7:::
nobody:*:19000:0:99999:7:::
ftp:*:19000:0:99999:7:::
pacsftp:$hash:19000:0:99999:7:::
SH
chmod 640 "$tmp/shadow"
cat >"$tmp/vsftpd.conf" <<CONF
listen=YES
listen_address=10.213.0.2
background=NO
anonymous_enable=YES
anon_root=$tmp/anon
no_anon_password=NO
local_enable=YES
write_enable=NO
pam_service_name=vsftpd
secure_chroot_dir=$tmp/empty
nopriv_user=nobody
ftp_username=ftp
seccomp_sandbox=NO
pasv_enable=YES
pasv_min_port=40000
pasv_max_port=40010
CONF

mt_bridge
mt_peer cli 1
mt_peer srv 2
mt_capture "$tmp/ftp.pcap" "tcp"
mt_in srv unshare -m sh -c "mount --bind $tmp/passwd /etc/passwd && mount --bind $tmp/shadow /etc/shadow && exec vsftpd $tmp/vsftpd.conf" &
mt_wait_port srv 21
url=ftp://10.213.0.2
c() { mt_in cli curl -sS -o /dev/null --max-time 10 "$@" || true; }
c -u anonymous:guest@ "$url/pub/"
c -u pacsftp:Ftp-Pa55word "$url/study.txt"
c -u pacsftp:WrongPassword1 "$url/"
c -u ftpclient:interfile "$url/"
mt_stop_capture
cp "$tmp/ftp.pcap" "$here/ftp.pcap"
tcpdump -nr "$here/ftp.pcap" 2>/dev/null | wc -l | xargs echo "packets:"

#!/bin/sh
# Records mail.pcap: curl (Debian's curl) logging in to Debian's Dovecot over
# POP3 and IMAP between two network namespaces, as root:
#
#	sh netproto/mail/testdata/record.sh
#
# Needs iproute2, tcpdump, curl, python3, dovecot-pop3d and dovecot-imapd (installed,
# not running: the script starts its own dovecot with a configuration of its
# own, users in a passwd-file and mail in a temporary directory). From
# 10.213.0.1 to 10.213.0.2: POP3 (110) with USER and PASS of nurse (Python's
# poplib), then a wrong password, then SASL PLAIN (curl); IMAP (143) with
# LOGIN of admin/confirma (imaplib; a GE Healthcare default, accepted here),
# a wrong password, and SASL PLAIN (curl). Namespaces mthtcli and mthtsrv, bridge namespace mthtbr.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
MT_PREFIX=mtht MT_NET=10.213.0
. "$root/internal/netns/netns.sh"
tmp=$(mktemp -d)
trap 'mt_cleanup; rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
mkdir -p "$tmp/run" "$tmp/state" "$tmp/mail"
chown dovecot:dovecot "$tmp/mail"
cat >"$tmp/users" <<'U'
nurse:{PLAIN}Mail-Pa55word
admin:{PLAIN}confirma
U
cat >"$tmp/dovecot.conf" <<CONF
protocols = pop3 imap
listen = 10.213.0.2
base_dir = $tmp/run
state_dir = $tmp/state
log_path = $tmp/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
passdb {
  driver = passwd-file
  args = $tmp/users
}
userdb {
  driver = static
  args = uid=dovecot gid=dovecot home=$tmp/mail/%u
}
mail_location = maildir:$tmp/mail/%u/Maildir
first_valid_uid = 1
CONF

mt_bridge
mt_peer cli 1
mt_peer srv 2
mt_capture "$tmp/mail.pcap" "tcp port 110 or tcp port 143"
mt_in srv dovecot -F -c "$tmp/dovecot.conf" &
mt_wait_port srv 110
mt_wait_port srv 143
c() { mt_in cli curl -sS -o /dev/null --max-time 10 "$@" || true; }
py() { mt_in cli python3 -c "$1" || true; }
# Python's poplib and imaplib log in with USER and PASS, and LOGIN.
py 'import poplib; p = poplib.POP3("10.213.0.2"); p.user("nurse"); p.pass_("Mail-Pa55word"); p.stat(); p.quit()'
py 'import poplib; p = poplib.POP3("10.213.0.2"); p.user("nurse"); p.pass_("Wr0ng-Pa55word")'
c -u nurse:Mail-Pa55word pop3://10.213.0.2/
py 'import imaplib; m = imaplib.IMAP4("10.213.0.2"); m.login("admin", "confirma"); m.select("INBOX"); m.logout()'
py 'import imaplib; m = imaplib.IMAP4("10.213.0.2"); m.login("admin", "Wr0ng-Pa55word")'
c -u nurse:Mail-Pa55word imap://10.213.0.2/INBOX
mt_stop_capture
cp "$tmp/mail.pcap" "$here/mail.pcap"
tcpdump -nr "$here/mail.pcap" 2>/dev/null | wc -l | xargs echo "packets:"

#!/bin/sh
# Records peers.pcap: real TLS handshakes between OpenSSL's s_server and
# OpenSSL's s_client and curl, in network namespaces of their own.
#
# Run as root from this directory:   sh record-peers.sh
# Needs (Debian packages): openssl, curl, tcpdump, iproute2.
#
# Three namespaces: mttl-br holds the bridge mttl-br0 and tcpdump, mttl-srv
# (10.217.0.1) the servers, mttl-cli (10.217.0.2) the clients; veth pairs
# connect the two ends to the bridge. Nothing else is addressed, IPv6 is
# off in all three, and the namespaces and every process started here are
# removed on exit.
#
# What the capture holds, one TCP connection each (server certificates are
# throwaway ones made here; every connection ends after the handshake or
# one HTTP request):
#   4431  TLS 1.2, RSA-2048 self-signed (C, O, CN):
#         s_client with SNI and ALPN http/1.1; curl with two ECDHE-RSA
#         suites; s_client with the RSA key exchange, no SNI, RSA sigalgs
#   4432  TLS 1.2, ECDSA P-256 self-signed:
#         s_client with groups P-384:P-256 and one suite; curl with
#         curves X25519:P-521:P-256 and --http1.1
#   4433  TLS 1.3, ECDSA P-256 self-signed, ALPN http/1.1 and dicom:
#         curl --http2; s_client with ChaCha20 only, groups X448:X25519 and
#         ALPN dicom,http/1.1; curl by address (no SNI), AES-128-GCM only
#   4434  TLS 1.2, an RSA leaf issued by a throwaway CA, sent with the CA
#         certificate; subject C, ST, O (UTF8String with non-ASCII), OU, CN:
#         curl
#   4435  TLS 1.0 and 1.1 (SECLEVEL=0), RSA self-signed with a T61String
#         CN: s_client -tls1 without SNI; s_client -tls1_1 with one suite
#   2762  TLS 1.2 (DICOM's TLS port), ECDSA P-256 self-signed with a
#         BMPString CN and a GeneralizedTime notAfter (after 2049), asking
#         for a client certificate: s_client with ALPN dicom and a
#         self-signed client certificate (sent in clear text)
#   4436  TLS 1.3 with group X25519 only: s_client offering P-256 first,
#         answered by a HelloRetryRequest
set -eu

ns="mttl-br mttl-srv mttl-cli"
srv=10.217.0.1
cli=10.217.0.2
out=$(pwd)/peers.pcap
tmp=$(mktemp -d /tmp/mttl-tls.XXXXXX)
pids=""

cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	for n in $ns; do ip netns del "$n" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

for n in $ns; do
	ip netns add "$n"
	ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	ip netns exec "$n" ip link set lo up
done
ip -n mttl-br link add mttl-br0 type bridge
ip -n mttl-br link set mttl-br0 up
for end in srv cli; do
	ip -n mttl-br link add "mttl-$end-b" type veth peer name "mttl-$end" netns "mttl-$end"
	ip -n mttl-br link set "mttl-$end-b" master mttl-br0 up
done
ip -n mttl-srv addr add $srv/24 dev mttl-srv
ip -n mttl-srv link set mttl-srv up
ip -n mttl-cli addr add $cli/24 dev mttl-cli
ip -n mttl-cli link set mttl-cli up

# Certificates.
cd "$tmp"
printf '[req]\ndistinguished_name=dn\nstring_mask=default\n[dn]\n' >mask.cnf
selfsigned() { # selfsigned NAME KEYARGS SUBJECT DAYS [req options]
	name=$1 key=$2 subj=$3 days=$4
	shift 4
	openssl req -x509 -newkey $key -nodes -keyout "$name.key" -out "$name.pem" -subj "$subj" -days "$days" "$@" 2>/dev/null
}
selfsigned rsa rsa:2048 "/C=DE/O=medtap test/CN=pacs-rsa.mttl.test" 3650
selfsigned ec "ec -pkeyopt ec_paramgen_curve:P-256" "/CN=pacs-ec.mttl.test" 30
selfsigned ca "ec -pkeyopt ec_paramgen_curve:P-384" "/O=medtap test/CN=medtap Test CA" 3650
openssl req -new -newkey rsa:2048 -nodes -keyout lis.key -out lis.csr -utf8 \
	-subj "/C=DE/ST=Berlin/O=Charité/OU=Labor/CN=lis.mttl.test" 2>/dev/null
openssl x509 -req -in lis.csr -CA ca.pem -CAkey ca.key -set_serial 4660 -days 365 -out lis.pem 2>/dev/null
selfsigned old rsa:2048 "/CN=Röntgen-Gerät 3/O=Radiologie" 30 -config mask.cnf -utf8
selfsigned dicom "ec -pkeyopt ec_paramgen_curve:P-256" "/CN=病院 PACS/O=Radiologie" 30000 -config mask.cnf -utf8
selfsigned client "ec -pkeyopt ec_paramgen_curve:P-256" "/CN=CT-Scanner 01" 30

ip netns exec mttl-br tcpdump -i mttl-br0 -U -w "$out" tcp 2>/dev/null &
tcpdump=$!
pids="$pids $tcpdump"

serve() { # serve PORT CERT NACCEPT [s_server options]
	port=$1 cert=$2 n=$3
	shift 3
	ip netns exec mttl-srv openssl s_server -accept "$srv:$port" -cert "$cert.pem" -key "$cert.key" \
		-naccept "$n" -quiet "$@" </dev/null >/dev/null 2>&1 &
	pids="$pids $!"
}
serve 4431 rsa 3 -no_tls1_3 -www
serve 4432 ec 2 -no_tls1_3 -www
serve 4433 ec 3 -alpn http/1.1,dicom -www
serve 4434 lis 1 -cert_chain ca.pem -no_tls1_3 -www
serve 4435 old 2 -cipher DEFAULT@SECLEVEL=0 -no_tls1_3 -www
serve 2762 dicom 1 -no_tls1_3 -alpn dicom -verify 1 -www
serve 4436 ec 1 -tls1_3 -groups X25519 -www

for i in 1 2 3 4 5 6 7 8 9 10; do
	[ "$(ip netns exec mttl-srv ss -Hltn | wc -l)" -ge 7 ] && break
	sleep 0.3
done
sleep 2 # tcpdump

c() { ip netns exec mttl-cli timeout 5 "$@" </dev/null >/dev/null 2>&1 || true; sleep 0.3; }
sc() { port=$1; shift; c openssl s_client -connect "$srv:$port" "$@"; }
curlk() { host=$1 port=$2; shift 2; c curl -sk --resolve "$host:$port:$srv" "$@" "https://$host:$port/" -o /dev/null; }

sc 4431 -servername pacs-rsa.mttl.test -alpn http/1.1
curlk pacs-rsa.mttl.test 4431 --tlsv1.2 --tls-max 1.2 --ciphers ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305
sc 4431 -tls1_2 -cipher AES128-SHA -noservername -sigalgs RSA+SHA256:RSA+SHA1
sc 4432 -tls1_2 -groups P-384:P-256 -cipher ECDHE-ECDSA-AES128-SHA256 -servername pacs-ec.mttl.test
curlk pacs-ec.mttl.test 4432 --curves X25519:P-521:P-256 --tls-max 1.2 --http1.1
curlk pacs-13.mttl.test 4433 --http2
sc 4433 -tls1_3 -ciphersuites TLS_CHACHA20_POLY1305_SHA256 -groups X448:X25519 -alpn dicom,http/1.1 -servername pacs-13.mttl.test
c curl -sk --tlsv1.3 --tls13-ciphers TLS_AES_128_GCM_SHA256 "https://$srv:4433/" -o /dev/null
curlk lis.mttl.test 4434 --tls-max 1.2
sc 4435 -tls1 -cipher DEFAULT@SECLEVEL=0 -noservername
sc 4435 -tls1_1 -cipher ECDHE-RSA-AES256-SHA@SECLEVEL=0 -servername old.mttl.test
sc 2762 -tls1_2 -alpn dicom -servername modality.mttl.test -cert client.pem -key client.key
sc 4436 -tls1_3 -groups P-256:X25519 -servername hrr.mttl.test

sleep 1
kill -INT "$tcpdump"
wait "$tcpdump" || true
echo "wrote $out"

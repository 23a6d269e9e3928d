#!/bin/sh
# Records the handshakes in this directory: OpenSSL's s_server on loopback,
# and OpenSSL's s_client or curl through relay.go, which writes what each
# side sent to NAME.c2s and NAME.s2c. Run from this directory; needs openssl,
# curl and go. The certificate is a throwaway self-signed P-256 one.
set -e
go build -o /tmp/tlshello-relay relay.go
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /tmp/tlshello-key.pem \
	-out /tmp/tlshello-cert.pem -subj /CN=pacs.example.org -days 30 2>/dev/null

rec() { # rec NAME "s_server args" "client command"
	openssl s_server -accept 9444 -cert /tmp/tlshello-cert.pem -key /tmp/tlshello-key.pem -naccept 1 -quiet $2 </dev/null >/dev/null 2>&1 &
	sp=$!
	sleep 0.5
	/tmp/tlshello-relay -l 127.0.0.1:9443 -r 127.0.0.1:9444 -o "$1" &
	rp=$!
	sleep 0.3
	eval "$3" </dev/null >/dev/null 2>&1 || true
	sleep 0.5
	kill $sp 2>/dev/null || true
	wait $rp
}

c="timeout 5 openssl s_client -connect 127.0.0.1:9443"
rec openssl-tls13 "-alpn dicom" "$c -servername pacs.example.org -alpn dicom,http/1.1"
rec openssl-tls12 "" "$c -servername pacs.example.org -tls1_2"
rec openssl-tls10 "-cipher DEFAULT@SECLEVEL=0" "$c -tls1 -cipher DEFAULT@SECLEVEL=0 -noservername"
rec openssl-hrr "-groups X25519" "$c -servername pacs.example.org -groups P-256:X25519"
rec curl-h2 "-alpn h2" "timeout 5 curl -sk --http2 https://pacs.example.org:9443/ --resolve pacs.example.org:9443:127.0.0.1 -o /dev/null"

#!/bin/bash
# Prints the User-Agent each HTTP client installed here sends by default:
# the facts behind data/http.db's "computed from" sources. A one-shot
# Python listener on 127.0.0.1:18643 answers each request with an empty
# 200; nothing leaves the machine.
#
# Run from anywhere:   bash fingerprint/devdb/internal/seedsrc/useragents.sh
# Needs (Debian packages): curl, wget, python3, python3-requests,
# openjdk-17-jre-headless. A client that is missing is skipped.
set -u
port=18643
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/listen.py" <<PY
import socket
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", $port))
s.listen(1)
s.settimeout(30)
c, _ = s.accept()
head = c.recv(4096).decode("latin1").split("\r\n")
print(next((l for l in head if l.lower().startswith("user-agent:")), "(no User-Agent)"))
c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n")
c.close()
PY
cat >"$tmp/U.java" <<JAVA
public class U { public static void main(String[] a) throws Exception { new java.net.URL("http://127.0.0.1:$port/").openStream().close(); } }
JAVA
url=http://127.0.0.1:$port/
one() { # name command...
	local name=$1
	shift
	command -v "$1" >/dev/null || { echo "$name: not installed"; return; }
	python3 "$tmp/listen.py" >"$tmp/out" &
	local l=$!
	for _ in $(seq 50); do ss -ltn 2>/dev/null | grep -q ":$port " && break; sleep 0.1; done
	timeout 20 "$@" >/dev/null 2>&1
	wait "$l"
	printf '%s\t%s\n' "$name" "$(cat "$tmp/out")"
}
one "$(curl --version | head -1 | cut -d' ' -f1-2)" curl -s "$url"
one "$(wget --version | head -1 | cut -d' ' -f1-3)" wget -q -O /dev/null "$url"
one "Python $(python3 -c 'import sys;print(sys.version.split()[0])') urllib" python3 -c "import urllib.request;urllib.request.urlopen('$url')"
one "requests $(python3 -c 'import requests;print(requests.__version__)' 2>/dev/null)" python3 -c "import requests;requests.get('$url')"
one "$(java -version 2>&1 | head -1)" java "$tmp/U.java"

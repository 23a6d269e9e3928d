"""The HTTP server that record.sh captures: Python's http.server with a
Basic-auth protected path, uploads (PUT, and POST of a STOW-RS style
multipart/related body, chunked or not), a chunked response and a gzip
download. It listens on the address and port given as arguments."""
import base64, gzip, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# The accepted login of /secret/. Any other is refused with 401.
USER, PASSWORD = "orthanc", "orthanc"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "MedtapTest/1.0"

    def reply(self, status, ctype, body, chunked=False):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            if self.command != "HEAD":
                for i in range(0, len(body), 700):
                    part = body[i:i + 700]
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                self.wfile.write(b"0\r\n\r\n")
            return
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length", "0")))

    def do_GET(self):
        if self.path.startswith("/secret/"):
            auth = self.headers.get("Authorization", "")
            want = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
            if auth != want:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="pacs"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.reply(200, "application/json", b'{"studies":[]}')
        elif self.path == "/chunked":
            self.reply(200, "text/plain", b"line of text\n" * 200, chunked=True)
        elif self.path == "/archive.gz":
            self.reply(200, "application/gzip", gzip.compress(b"log line\n" * 100, mtime=0))
        else:
            self.reply(200, "text/html", b"<html><body>index</body></html>\n")

    do_HEAD = do_GET

    def do_PUT(self):
        body = self.read_body()
        self.reply(201, "text/plain", b"stored %d bytes\n" % len(body))

    def do_POST(self):
        body = self.read_body()
        self.reply(200, "application/dicom+json", b'[{"stored":%d}]' % len(body), chunked=True)

    def log_message(self, *args):
        pass


ThreadingHTTPServer((sys.argv[1], int(sys.argv[2])), Handler).serve_forever()

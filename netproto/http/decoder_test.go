package http

import (
	"reflect"
	"strings"
	"testing"
)

var decodeTests = []struct {
	name     string
	in       string
	requests []string // for a response stream: the methods asked
	want     []string
}{
	{
		name: "simple GET",
		in:   "GET /index.html HTTP/1.1\r\nHost: pacs.example\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n",
		want: []string{`request@0 GET /index.html host="pacs.example" ua="curl/7.88.1" nobody`},
	},
	{
		name: "pipelined requests with bodies",
		in: "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello" +
			"POST /b HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nMZx\r\n2\r\nyz\r\n0\r\nX-Trailer: 1\r\n\r\n" +
			"GET /c HTTP/1.1\r\n\r\n",
		want: []string{
			`request@0 POST /a host="h" cl=5`,
			`request@53 POST /b host="h" chunked magic=pe`,
			`request@150 GET /c nobody`,
		},
	},
	{
		name: "response framings",
		in: "HTTP/1.1 100 Continue\r\n\r\n" +
			"HTTP/1.1 200 OK\r\nServer: Orthanc\r\nContent-Type: application/dicom\r\nContent-Length: 144\r\n\r\n" + string(dicomFile("MZ\x90\x00")) +
			"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + // answer to HEAD: no body
			"HTTP/1.1 204 No Content\r\n\r\n" +
			"HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n" +
			"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n%PDF-\r\n0\r\n\r\n" +
			"HTTP/1.0 200 OK\r\nServer: SimpleHTTP/0.6 Python/3.11.2\r\n\r\n\x7fELF until the end",
		requests: []string{"POST", "HEAD", "DELETE", "GET", "GET", "GET"},
		want: []string{
			`response@0 100 nobody`,
			`response@25 200 server="Orthanc" ct="application/dicom" cl=144 magic=dicom exec`,
			`response@259 200 cl=1000 nobody`,
			`response@300 204 nobody`,
			`response@327 304 cl=9 nobody`,
			`response@375 200 chunked magic=pdf`,
			`response@437 200 server="SimpleHTTP/0.6 Python/3.11.2" magic=elf`,
		},
	},
	{
		name: "basic auth",
		in:   "GET /secret HTTP/1.1\r\nAuthorization: Basic YWRtaW46YWRtaW4=\r\n\r\nGET /x HTTP/1.1\r\nauthorization: basic Ym9iOnMzY3JldA\r\n\r\n",
		want: []string{`request@0 GET /secret nobody basic="admin" default`, `request@63 GET /x nobody basic="bob"`},
	},
	{
		name: "STOW-RS multipart",
		in: "POST /dicom-web/studies HTTP/1.1\r\nContent-Type: multipart/related; type=\"application/dicom\"; boundary=XyZ\r\nContent-Length: 300\r\n\r\n" +
			"--XyZ\r\nContent-Type: application/dicom\r\n\r\n" + string(dicomFile("\x7fELF")) + "\r\n--XyZ--\r\n" + strings.Repeat("p", 300-197),
		want: []string{`request@0 POST /dicom-web/studies ct="multipart/related; type=\"application/dicom\"; boundary=XyZ" cl=300 magic=dicom exec`},
	},
	{
		name:     "CONNECT tunnel",
		in:       "HTTP/1.1 200 Connection established\r\n\r\n\x16\x03\x01\x02\x00junk\r\nHTTP/1.1 200 OK\r\n\r\n",
		requests: []string{"CONNECT"},
		want:     []string{`response@0 200 nobody tunnel`},
	},
	{
		name: "upgrade",
		in:   "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x05hello",
		want: []string{`response@0 101 nobody tunnel`},
	},
	{
		name: "junk then resync",
		in:   "\x00\x01binary\r\nmore junk\r\nGET / HTTP/1.1\r\n\r\n",
		want: []string{"error http: malformed request or status line at offset 0", `request@21 GET / nobody`},
	},
	{
		name: "bad header then resync",
		in:   "GET / HTTP/1.1\r\nno colon here\r\n\r\nGET /ok HTTP/1.1\r\n\r\n",
		want: []string{"error http: malformed header line at offset 16", `request@33 GET /ok nobody`},
	},
	{
		name: "bad content length",
		in:   "POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n12345POST /b HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
		// The next request is lost: its line does not start one.
		want: []string{"error http: invalid Content-Length at offset 36"},
	},
	{
		name: "bad chunk",
		in:   "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nGET /next HTTP/1.1\r\n\r\n",
		want: []string{`request@0 POST / chunked`, "error http: malformed chunk at offset 47", `request@51 GET /next nobody`},
	},
	{
		name: "truncated head",
		in:   "GET / HTTP/1.1\r\nHost: x\r\n",
		want: []string{"error http: incomplete head at offset 0"},
	},
	{
		name: "body until close cut short",
		in:   "HTTP/1.1 200 OK\r\n\r\nPK\x03\x04",
		want: []string{`response@0 200 magic=zip`},
	},
	{
		name: "request with unknown transfer coding",
		in:   "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\nGET / HTTP/1.1\r\n\r\n",
		want: []string{"error http: unknown transfer coding in a request at offset 0", `request@44 GET / nobody`},
	},
}

func TestDecoder(t *testing.T) {
	var d Decoder
	d.IsDefault = isDefaultTest
	for _, tt := range decodeTests {
		t.Run(tt.name, func(t *testing.T) {
			want := decodeAll(&d, []byte(tt.in), 0, tt.requests...)
			if !reflect.DeepEqual(want, tt.want) {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(want, "\n"), strings.Join(tt.want, "\n"))
			}
			for _, chunk := range []int{1, 2, 7, 64} {
				if got := decodeAll(&d, []byte(tt.in), chunk, tt.requests...); !reflect.DeepEqual(got, want) {
					t.Errorf("in %d-byte chunks:\n%s\nwhole:\n%s", chunk, strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
			}
		})
	}
}

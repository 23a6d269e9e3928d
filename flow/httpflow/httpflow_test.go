package httpflow

import (
	"fmt"
	"net/netip"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/loginflow"
	"github.com/medtap/medtap/internal/tsharktest"
	"github.com/medtap/medtap/netproto/http"
)

func dicomMZ() string {
	b := make([]byte, 128, 160)
	copy(b, "MZ\x90\x00")
	return string(append(b, "DICM\x02\x00\x00\x00UL\x04\x00\x1c\x00\x00\x00"...))
}

func TestEvents(t *testing.T) {
	segs := tsharktest.Conversation(false,
		"GET /secret/studies HTTP/1.1\r\nHost: pacs:8042\r\nUser-Agent: curl/7.88.1\r\nAuthorization: Basic b3J0aGFuYzpvcnRoYW5j\r\n\r\n",
		"HTTP/1.1 200 OK\r\nServer: ORTHANC\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
		"GET /secret/x HTTP/1.1\r\nAuthorization: Basic bnVyc2U6aHVudGVyMg==\r\n\r\nHEAD / HTTP/1.1\r\n\r\n",
		"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n",
		"PUT /instances HTTP/1.1\r\nContent-Type: application/dicom\r\nContent-Length: 144\r\n\r\n"+dicomMZ(),
		"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n\x7fELF\r\n0\r\n\r\n",
		"GET /"+strings.Repeat("p", 600)+" HTTP/1.1\r\nAuthorization: Basic YWRtaW46YWRtaW4=\r\n\r\n",
	)
	got := tsharktest.Lines(t, Name, segs)
	for _, pw := range []string{"hunter2", "aHVudGVyMg", "bnVyc2U6aHVudGVyMg"} {
		if strings.Contains(got, pw) {
			t.Errorf("password %q in the events", pw)
		}
	}
	tsharktest.Golden(t, "events.golden", got)
}

// pcapFile is the capture of curl and Python's http.server.
var pcapFile = filepath.Join("..", "..", "netproto", "http", "testdata", "http.pcap")

// TestCaptureAgainstTshark decodes the real-peer capture and compares every
// field of every request and response event with tshark's, and every login
// event with tshark's http.authbasic (its user part).
func TestCaptureAgainstTshark(t *testing.T) {
	rows := tsharktest.Fields(t, pcapFile, "http", "tcp.srcport", "tcp.dstport", "http.request.method", "http.host", "http.request.uri",
		"http.user_agent", "http.server", "http.response.code", "http.content_type", "http.content_length_header", "http.authbasic")
	evs := tsharktest.Run(t, pcapFile, Name)
	// tshark's messages per client port, in stream order.
	reqs, resps, logins := map[uint16][]tsharktest.Want{}, map[uint16][]tsharktest.Want{}, map[uint16][]tsharktest.Want{}
	var passwords []string
	for _, f := range rows {
		m := tsharktest.Want{}
		if f[2] != "" {
			port, _ := strconv.Atoi(f[0])
			m["method"], m["host"], m["path"], m["user_agent"], m["content_type"], m["content_length"] = f[2], f[3], f[4], f[5], f[8], f[9]
			if f[10] != "" {
				user, pw, _ := strings.Cut(f[10], ":")
				m["basic_auth_user"] = user
				if pw != user { // orthanc:orthanc, a vendor default, has its user as password
					passwords = append(passwords, pw)
				}
				logins[uint16(port)] = append(logins[uint16(port)], tsharktest.Want{"user": user})
			}
			reqs[uint16(port)] = append(reqs[uint16(port)], m)
		} else {
			port, _ := strconv.Atoi(f[1])
			m["server"], m["status"], m["content_type"], m["content_length"] = f[6], f[7], f[8], f[9]
			resps[uint16(port)] = append(resps[uint16(port)], m)
		}
	}
	if len(passwords) == 0 {
		t.Error("no password to look for")
	}
	tsharktest.NoSecrets(t, evs, passwords...)
	var c tsharktest.Counter
	c.Compare(t, evs, KindRequest, reqs)
	c.Compare(t, evs, KindResponse, resps)
	c.Compare(t, evs, loginflow.KindLogin, logins)
	if c.Events < 20 {
		t.Errorf("only %d events compared", c.Events)
	}
	c.Log(t)
}

func TestLoginOutcomes(t *testing.T) {
	tsharktest.Equal(t, "logins", tsharktest.Logins(t, pcapFile, Name), []string{
		`{"protocol":"http","user":"orthanc","success":true,"default_credential":true}`,
		`{"protocol":"http","user":"nurse","success":false}`,
	})
}

func TestCaptureBodies(t *testing.T) {
	var magic []string
	for _, ev := range tsharktest.Run(t, pcapFile, Name) {
		if i := strings.Index(ev.JSON, `"body_magic"`); i >= 0 {
			magic = append(magic, string(ev.Kind)+" "+ev.JSON[i:])
		}
	}
	want := []string{
		`response "body_magic":"gzip"}`,
		`request "body_magic":"dicom","preamble_executable":true}`,
		`request "body_magic":"dicom","preamble_executable":true}`,
	}
	if strings.Join(magic, "\n") != strings.Join(want, "\n") {
		t.Errorf("body magic:\n%s\nwant\n%s", strings.Join(magic, "\n"), strings.Join(want, "\n"))
	}
}

func TestSteadyAllocs(t *testing.T) {
	req := []byte("POST /dicom-web/studies HTTP/1.1\r\nHost: pacs\r\nUser-Agent: curl/7.88.1\r\nAuthorization: Basic YWRtaW46YWRtaW4=\r\nContent-Length: 144\r\n\r\n" + dicomMZ())
	allocs, per := tsharktest.SteadyAllocs(t, Name, netip.MustParseAddrPort("10.0.0.2:8042"), req)
	if allocs != 0 || per < 1 {
		t.Errorf("%v allocations and %d events per request, want 0 and at least 1", allocs, per)
	}
}

func TestIdentify(t *testing.T) {
	var got []string
	for _, m := range []http.Message{
		{Kind: http.KindRequest, UserAgent: []byte("curl/7.88.1")},
		{Kind: http.KindResponse, Server: []byte("ORTHANC")},
		{Kind: http.KindResponse},
	} {
		d := Message{Msg: m}
		d.Identify(KindResponse, nil, func(id flow.Identity) {
			got = append(got, fmt.Sprintf("%v %s %s", id.Source, id.Kind, id.Name))
		})
	}
	tsharktest.Equal(t, "identities", got, []string{"true vendor curl/7.88.1", "true vendor ORTHANC"})
}

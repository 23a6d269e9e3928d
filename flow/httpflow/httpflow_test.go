package httpflow

import (
	"bufio"
	"bytes"
	"flag"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/loginflow"
	"github.com/medtap/medtap/internal/flowtest"
	"github.com/medtap/medtap/internal/pkttest"
	"github.com/medtap/medtap/internal/testutil"
)

var update = flag.Bool("update", false, "rewrite the golden files")

type seg struct {
	Dir   uint8
	Seq   uint32
	Flags uint8
	Data  string
}

// conv numbers the segments of a conversation: a handshake, then each
// payload in its direction.
func conv(payloads ...string) []seg {
	s := []seg{{0, 99, flow.FlagSYN, ""}, {1, 499, flow.FlagSYN | flow.FlagACK, ""}}
	next := [2]uint32{100, 500}
	for i, p := range payloads {
		d := uint8(i & 1)
		if strings.HasPrefix(p, "<") { // a server segment out of turn
			d, p = 1, p[1:]
		} else if strings.HasPrefix(p, ">") {
			d, p = 0, p[1:]
		}
		s = append(s, seg{d, next[d], flow.FlagACK | flow.FlagPSH, p})
		next[d] += uint32(len(p))
	}
	return s
}

func dicomMZ() string {
	b := make([]byte, 128, 160)
	copy(b, "MZ\x90\x00")
	return string(append(b, "DICM\x02\x00\x00\x00UL\x04\x00\x1c\x00\x00\x00"...))
}

func TestEvents(t *testing.T) {
	segs := conv(
		"GET /secret/studies HTTP/1.1\r\nHost: pacs:8042\r\nUser-Agent: curl/7.88.1\r\nAuthorization: Basic b3J0aGFuYzpvcnRoYW5j\r\n\r\n",
		"HTTP/1.1 200 OK\r\nServer: ORTHANC\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
		"GET /secret/x HTTP/1.1\r\nAuthorization: Basic bnVyc2U6aHVudGVyMg==\r\n\r\nHEAD / HTTP/1.1\r\n\r\n",
		"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n",
		"PUT /instances HTTP/1.1\r\nContent-Type: application/dicom\r\nContent-Length: 144\r\n\r\n"+dicomMZ(),
		"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n\x7fELF\r\n0\r\n\r\n",
		"GET /"+strings.Repeat("p", 600)+" HTTP/1.1\r\nAuthorization: Basic YWRtaW46YWRtaW4=\r\n\r\n",
	)
	sink := &flowtest.JSONSink{Protocol: Name}
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{Name}}, sink)
	flowtest.Feed(t, e, segs)
	e.Flush()
	got := strings.Join(sink.Lines, "\n") + "\n"
	for _, pw := range []string{"hunter2", "aHVudGVyMg", "bnVyc2U6aHVudGVyMg"} {
		if strings.Contains(got, pw) {
			t.Errorf("password %q in the events", pw)
		}
	}
	golden(t, "events.golden", got)
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("events differ from %s (run with -update):\n%s", path, got)
	}
}

// pcapFile is the capture of curl and Python's http.server.
var pcapFile = filepath.Join("..", "..", "netproto", "http", "testdata", "http.pcap")

// event is what the test keeps of an event: its kind, client port and
// JSON.
type event struct {
	kind   flow.Kind
	client uint16
	json   string
}

func capturedEvents(t *testing.T, file string) []event {
	t.Helper()
	var evs []event
	e := flowtest.NewEngine(t, flow.Config{}, flow.SinkFunc(func(ev *flow.Event) {
		if ev.Protocol != Name {
			return
		}
		client := ev.Src.Port()
		if ev.Kind == KindResponse {
			client = ev.Dst.Port()
		}
		b := ev.Detail.AppendJSON(nil)
		evs = append(evs, event{ev.Kind, client, "{" + strings.TrimPrefix(string(b), ",") + "}"})
	}))
	flowtest.RunFile(t, e, file)
	return evs
}

// TestCaptureAgainstTshark decodes the real-peer capture and compares every
// field of every request and response event with tshark's, and every login
// event with tshark's http.authbasic (its user part).
func TestCaptureAgainstTshark(t *testing.T) {
	tshark := testutil.Tool(t, "tshark", "tshark")
	evs := capturedEvents(t, pcapFile)
	var passwords []string
	fields := []string{"tcp.srcport", "tcp.dstport", "http.request.method", "http.host", "http.request.uri", "http.user_agent",
		"http.server", "http.response.code", "http.content_type", "http.content_length_header", "http.authbasic"}
	args := []string{"-n", "-r", pcapFile, "-Y", "http", "-T", "fields", "-E", "occurrence=f"}
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	out, err := exec.Command(tshark, args...).Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	// tshark's messages per client port and kind, in stream order.
	wants := map[string][]map[string]string{}
	logins := map[uint16][]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		for len(f) < len(fields) {
			f = append(f, "")
		}
		m := map[string]string{}
		var key string
		if f[2] != "" {
			port, _ := strconv.Atoi(f[0])
			key = "request/" + f[0]
			m["method"], m["host"], m["path"], m["user_agent"], m["content_type"], m["content_length"] = f[2], f[3], f[4], f[5], f[8], f[9]
			if f[10] != "" {
				user, pw, _ := strings.Cut(f[10], ":")
				m["basic_auth_user"] = user
				if pw != user { // orthanc:orthanc, a vendor default, has its user as password
					passwords = append(passwords, pw)
				}
				logins[uint16(port)] = append(logins[uint16(port)], user)
			}
		} else {
			key = "response/" + f[1]
			m["server"], m["status"], m["content_type"], m["content_length"] = f[6], f[7], f[8], f[9]
		}
		wants[key] = append(wants[key], m)
	}
	events, compared, disagree := 0, 0, 0
	seen := map[string]int{}
	loginSeen := map[uint16]int{}
	for _, ev := range evs {
		for _, pw := range passwords {
			if strings.Contains(ev.json, pw) {
				t.Errorf("password %q in %s", pw, ev.json)
			}
		}
		if ev.kind == loginflow.KindLogin {
			var got map[string]any
			mustJSON(t, ev.json, &got)
			i := loginSeen[ev.client]
			loginSeen[ev.client]++
			events++
			compared++
			if i >= len(logins[ev.client]) || got["user"] != logins[ev.client][i] {
				disagree++
				t.Errorf("login %s: tshark has %q", ev.json, logins[ev.client])
			}
			continue
		}
		key := string(ev.kind) + "/" + strconv.Itoa(int(ev.client))
		i := seen[key]
		seen[key]++
		if i >= len(wants[key]) {
			t.Errorf("%s: event %s that tshark does not show", key, ev.json)
			continue
		}
		events++
		var got map[string]any
		mustJSON(t, ev.json, &got)
		for name, w := range wants[key][i] {
			g := ""
			if v, ok := got[name]; ok {
				g = jsonString(v)
			}
			compared++
			if g != w {
				disagree++
				t.Errorf("%s #%d %s: medtap %q, tshark %q", key, i, name, g, w)
			}
		}
	}
	for key, ms := range wants {
		if seen[key] != len(ms) {
			t.Errorf("%s: %d events, tshark %d messages", key, seen[key], len(ms))
		}
	}
	if len(passwords) == 0 {
		t.Error("no password to look for")
	}
	if events < 20 {
		t.Errorf("only %d events compared", events)
	}
	t.Logf("tshark agreement: %d events, %d fields compared, %d disagreements", events, compared, disagree)
}

func TestLoginOutcomes(t *testing.T) {
	sink := &flowtest.JSONSink{Protocol: Name}
	e := flowtest.NewEngine(t, flow.Config{}, sink)
	flowtest.RunFile(t, e, pcapFile)
	var logins []string
	for _, l := range sink.Lines {
		if strings.HasPrefix(l, string(loginflow.KindLogin)) {
			logins = append(logins, l[strings.Index(l, "{"):])
		}
	}
	want := []string{
		`{,"protocol":"http","user":"orthanc","success":true,"default_credential":true}`,
		`{,"protocol":"http","user":"nurse","success":false}`,
	}
	if strings.Join(logins, "\n") != strings.Join(want, "\n") {
		t.Errorf("logins:\n%s\nwant\n%s", strings.Join(logins, "\n"), strings.Join(want, "\n"))
	}
}

func TestCaptureBodies(t *testing.T) {
	var magic []string
	for _, ev := range capturedEvents(t, pcapFile) {
		if i := strings.Index(ev.json, `"body_magic"`); i >= 0 {
			magic = append(magic, string(ev.kind)+" "+ev.json[i:])
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
	if pkttest.RaceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	sink := &flowtest.CountSink{}
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{Name}}, sink)
	req := []byte("POST /dicom-web/studies HTTP/1.1\r\nHost: pacs\r\nUser-Agent: curl/7.88.1\r\nAuthorization: Basic YWRtaW46YWRtaW4=\r\nContent-Length: 144\r\n\r\n" + dicomMZ())
	allocs, per := flowtest.SteadyAllocs(t, e, sink, netip.MustParseAddrPort("10.0.0.1:40000"), netip.MustParseAddrPort("10.0.0.2:8042"), req, 50)
	if allocs != 0 {
		t.Errorf("a request in steady state allocates %v times, want 0", allocs)
	}
	if per < 1 {
		t.Errorf("%d events per request", per)
	}
}

// Package tsharktest holds what the tests of the adapters that check
// real-peer captures against tshark share: tshark's fields of a capture,
// events rendered as JSON objects, and golden files.
package tsharktest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/flowtest"
	"github.com/medtap/medtap/internal/pkttest"
	"github.com/medtap/medtap/internal/testutil"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// Fields runs tshark on file with a display filter and returns, per
// packet, the first occurrence of each field (tshark -T fields). It skips
// the test when tshark is not installed.
func Fields(t testing.TB, file, filter string, fields ...string) [][]string {
	t.Helper()
	return tsharkFields(t, file, filter, []string{"-E", "occurrence=f"}, fields)
}

// AllFields is Fields with every occurrence of each field, joined by
// U+001F (the unit separator).
func AllFields(t testing.TB, file, filter string, fields ...string) [][]string {
	t.Helper()
	return tsharkFields(t, file, filter, []string{"-E", "occurrence=a", "-E", "aggregator=\x1f"}, fields)
}

func tsharkFields(t testing.TB, file, filter string, opts, fields []string) [][]string {
	t.Helper()
	tshark := testutil.Tool(t, "tshark", "tshark")
	args := append([]string{"-n", "-r", file, "-Y", filter, "-T", "fields"}, opts...)
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	out, err := exec.Command(tshark, args...).Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	var rows [][]string
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		for len(f) < len(fields) {
			f = append(f, "")
		}
		rows = append(rows, f)
	}
	return rows
}

// Event is what a test keeps of an event: its kind, the port of the
// flow's client, and its Detail as a JSON object.
type Event struct {
	Kind   flow.Kind
	Client uint16
	JSON   string
	Fields map[string]any
}

// Str returns the field name as tshark would print it ("" when absent).
func (e *Event) Str(name string) string {
	switch v := e.Fields[name].(type) {
	case string:
		return v
	case float64:
		return strconv.FormatInt(int64(v), 10)
	case bool:
		return strconv.FormatBool(v)
	}
	return ""
}

// Run decodes file with every registered protocol and returns the events
// of protocol proto.
func Run(t testing.TB, file, proto string) []Event {
	t.Helper()
	var evs []Event
	e := flowtest.NewEngine(t, flow.Config{}, flow.SinkFunc(func(ev *flow.Event) {
		if ev.Protocol != proto {
			return
		}
		client := ev.Key.A.Port()
		if f := ev.Key; f.A.Port() < f.B.Port() {
			client = f.B.Port()
		}
		var b []byte
		if ev.Detail != nil {
			b = ev.Detail.AppendJSON(nil)
		}
		s := "{" + strings.TrimPrefix(string(b), ",") + "}"
		m := map[string]any{}
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			t.Fatalf("invalid JSON %s: %v", s, err)
		}
		evs = append(evs, Event{Kind: ev.Kind, Client: client, JSON: s, Fields: m})
	}))
	flowtest.RunFile(t, e, file)
	return evs
}

// NoSecrets fails t when any of the secrets appears in an event.
func NoSecrets(t testing.TB, evs []Event, secrets ...string) {
	t.Helper()
	for _, ev := range evs {
		for _, s := range secrets {
			if s != "" && strings.Contains(ev.JSON, s) {
				t.Errorf("secret %q in %s %s", s, ev.Kind, ev.JSON)
			}
		}
	}
}

// Golden compares got with testdata/name, rewriting it under -update.
func Golden(t testing.TB, name, got string) {
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

// Counter counts what a comparison with tshark looked at.
type Counter struct {
	Events, Fields, Disagree int
}

// Field compares one field and counts it.
func (c *Counter) Field(t testing.TB, what, name, got, want string) {
	t.Helper()
	c.Fields++
	if got != want {
		c.Disagree++
		t.Errorf("%s %s: medtap %q, tshark %q", what, name, got, want)
	}
}

// Log reports the counts, as quoted in reviews.
func (c *Counter) Log(t testing.TB) {
	t.Helper()
	t.Logf("tshark agreement: %d events, %d fields compared, %d disagreements", c.Events, c.Fields, c.Disagree)
}

// Want is what tshark shows of one event: its fields by name, as tshark
// prints them ("" for a field the event must not have).
type Want map[string]string

// Compare checks the events of kind against wants, per client port and in
// stream order: every event must have its want, with each field equal,
// and every want its event. It counts into c.
func (c *Counter) Compare(t testing.TB, evs []Event, kind flow.Kind, wants map[uint16][]Want) {
	t.Helper()
	seen := map[uint16]int{}
	for _, ev := range evs {
		if ev.Kind != kind {
			continue
		}
		i := seen[ev.Client]
		seen[ev.Client]++
		if i >= len(wants[ev.Client]) {
			t.Errorf("%s %s: not in tshark's output", kind, ev.JSON)
			continue
		}
		c.Events++
		for name, w := range wants[ev.Client][i] {
			c.Field(t, string(kind)+" "+ev.JSON, name, ev.Str(name), w)
		}
	}
	for p, w := range wants {
		if seen[p] != len(w) {
			t.Errorf("%s, client port %d: %d events, tshark %d", kind, p, seen[p], len(w))
		}
	}
}

// Seg is one TCP segment between pkttest.Cli and pkttest.Srv.
type Seg = pkttest.Seg

// Conversation numbers the segments of a TCP conversation: a handshake,
// then the payloads alternating between the directions, the client's first
// (or the server's, when serverFirst). A payload that starts with "<" is
// the server's and one that starts with ">" the client's, out of turn (the
// mark is dropped).
func Conversation(serverFirst bool, payloads ...string) []Seg {
	s := []Seg{{Dir: 0, Seq: 99, Flags: flow.FlagSYN}, {Dir: 1, Seq: 499, Flags: flow.FlagSYN | flow.FlagACK}}
	next := [2]uint32{100, 500}
	first := uint8(0)
	if serverFirst {
		first = 1
	}
	for i, p := range payloads {
		d := first ^ uint8(i&1)
		if strings.HasPrefix(p, "<") {
			d, p = 1, p[1:]
		} else if strings.HasPrefix(p, ">") {
			d, p = 0, p[1:]
		}
		s = append(s, Seg{Dir: d, Seq: next[d], Flags: flow.FlagACK | flow.FlagPSH, Data: p})
		next[d] += uint32(len(p))
	}
	return s
}

// Lines runs a conversation through an engine that decodes only proto and
// returns its events as flowtest.JSONSink renders them, one a line.
func Lines(t testing.TB, proto string, segs []Seg) string {
	t.Helper()
	sink := &flowtest.JSONSink{Protocol: proto}
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{proto}}, sink)
	flowtest.Feed(t, e, segs)
	e.Flush()
	return strings.Join(sink.Lines, "\n") + "\n"
}

// Logins returns the JSON of the cleartext-login events (kind
// "cleartext-login") that the protocols emit for file, in order.
func Logins(t testing.TB, file string, protos ...string) []string {
	t.Helper()
	var out []string
	for _, p := range protos {
		for _, ev := range Run(t, file, p) {
			if ev.Kind == "cleartext-login" {
				out = append(out, ev.JSON)
			}
		}
	}
	return out
}

// Equal fails t when got and want differ, showing both one a line.
func Equal(t testing.TB, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n%s\nwant\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// SteadyAllocs measures, with flowtest.SteadyAllocs, the allocations of
// one segment holding payload sent to server in an engine that decodes
// only proto, and the events per segment. It skips the test under the race
// detector.
func SteadyAllocs(t testing.TB, proto string, server netip.AddrPort, payload []byte) (allocs float64, events int) {
	t.Helper()
	if pkttest.RaceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	sink := &flowtest.CountSink{}
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{proto}}, sink)
	return flowtest.SteadyAllocs(t, e, sink, netip.MustParseAddrPort("10.0.0.1:40000"), server, payload, 50)
}

// Package udptest holds what the tests of the datagram adapters (mdnsflow,
// llmnrflow, nbnsflow) share: rendering a capture's events for golden
// files, the steady-state allocation check, the benchmark and the fuzz
// check of one datagram. Events are rendered during the callback, while
// their Detail is valid.
package udptest

import (
	"encoding/json"
	"net/netip"
	"os"
	"strings"
	"testing"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/flowtest"
	"github.com/medtap/medtap/internal/pkttest"
)

// Event is one rendered event.
type Event struct {
	Kind flow.Kind
	JSON []byte // the Detail's members
	// Line is "kind src > dst {members}" and " kind=name" for each
	// identity.
	Line string
}

func render(tb testing.TB, ev *flow.Event, addrs bool) Event {
	js := ev.Detail.AppendJSON(nil)
	if !json.Valid([]byte(`{"x":0` + string(js) + `}`)) {
		tb.Fatalf("invalid JSON: %s", js)
	}
	b := []byte(string(ev.Kind) + " ")
	if addrs {
		b = append(b, ev.Src.String()+" > "+ev.Dst.String()+" "...)
	}
	b = append(append(append(b, '{'), js...), '}')
	if id, ok := ev.Detail.(flow.Identifier); ok {
		id.Identify(ev.Kind, nil, func(i flow.Identity) {
			if len(i.Name) == 0 || !i.Source {
				tb.Fatalf("identity %+v", i)
			}
			b = append(b, " "+i.Kind+"="+string(i.Name)...)
		})
	}
	return Event{Kind: ev.Kind, JSON: js, Line: string(b)}
}

// Render runs file through an engine that decodes proto only and renders
// each of its events.
func Render(tb testing.TB, proto, file string) []Event {
	tb.Helper()
	var out []Event
	e := flowtest.NewEngine(tb, flow.Config{Protocols: []string{proto}}, flow.SinkFunc(func(ev *flow.Event) {
		if ev.Protocol == proto {
			out = append(out, render(tb, ev, true))
		}
	}))
	flowtest.RunFile(tb, e, file)
	return out
}

// Deliver sends msg from src to dst through a new engine that decodes
// proto only and renders its events, without addresses.
func Deliver(tb testing.TB, proto string, src, dst netip.AddrPort, msg []byte) []string {
	tb.Helper()
	var out []string
	e := flowtest.NewEngine(tb, flow.Config{Protocols: []string{proto}}, flow.SinkFunc(func(ev *flow.Event) {
		if ev.Protocol == proto {
			out = append(out, render(tb, ev, false).Line)
		}
	}))
	if err := e.Packet(pkttest.T0, flow.LinkRaw, pkttest.RawUDP(src, dst, msg)); err != nil {
		tb.Fatal(err)
	}
	return out
}

// Golden compares the lines of events with the file at path, and
// rewrites the file first when update is set.
func Golden(tb testing.TB, path string, events []Event, update bool) {
	tb.Helper()
	lines := make([]string, len(events))
	for i, e := range events {
		lines[i] = e.Line
	}
	got := strings.Join(lines, "\n") + "\n"
	if update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (go test -args -update writes it)", err)
	}
	wl := strings.Split(strings.TrimSuffix(string(want), "\n"), "\n")
	for i, l := range lines {
		if i >= len(wl) || wl[i] != l {
			tb.Fatalf("%s: event %d differs:\n got %s\nwant %s", path, i+1, l, wl[min(i, len(wl)-1)])
		}
	}
	if len(wl) != len(lines) {
		tb.Fatalf("%s: %d events, golden %d", path, len(lines), len(wl))
	}
}

// Datagrams returns copies of the messages proto's events carry in file,
// as payload reads them from each Detail (nil for Details without one),
// and packets that send them again from pkttest.Cli to port on
// pkttest.Srv.
func Datagrams(tb testing.TB, proto, file string, port uint16, payload func(flow.Detail) []byte) (msgs, pkts [][]byte) {
	tb.Helper()
	e := flowtest.NewEngine(tb, flow.Config{Protocols: []string{proto}}, flow.SinkFunc(func(ev *flow.Event) {
		if m := payload(ev.Detail); m != nil {
			msgs = append(msgs, append([]byte(nil), m...))
		}
	}))
	flowtest.RunFile(tb, e, file)
	dst := netip.AddrPortFrom(pkttest.Srv.Addr(), port)
	for _, m := range msgs {
		pkts = append(pkts, pkttest.RawUDP(pkttest.Cli, dst, m))
	}
	return msgs, pkts
}

// counter is a sink that renders every event of one protocol into reused
// buffers and asks for its identities, as an inventory does.
type counter struct {
	proto       string
	js, idbuf   []byte
	events, ids int
	yield       func(flow.Identity) // made once: a closure passed to an interface method escapes
}

func newCounter(proto string) *counter {
	c := &counter{proto: proto, js: make([]byte, 0, 64<<10), idbuf: make([]byte, 0, 4096)}
	c.yield = func(flow.Identity) { c.ids++ }
	return c
}

func (c *counter) Event(ev *flow.Event) {
	if ev.Protocol != c.proto {
		return
	}
	c.events++
	c.js = ev.Detail.AppendJSON(c.js[:0])
	if id, ok := ev.Detail.(flow.Identifier); ok {
		id.Identify(ev.Kind, c.idbuf[:0], c.yield)
	}
}

// SteadyAllocs sends pkts through an engine that decodes proto, once to
// warm the flow, the decoder and the buffers up, then 11 times under
// testing.AllocsPerRun, each event's JSON and identities rendered into
// reused buffers. It returns the allocations per round of pkts, and the
// events and identities counted in the measured rounds.
func SteadyAllocs(tb testing.TB, proto string, pkts [][]byte) (allocs float64, events, ids int) {
	tb.Helper()
	c := newCounter(proto)
	e := flowtest.NewEngine(tb, flow.Config{Protocols: []string{proto}}, c)
	feed := func() {
		for _, p := range pkts {
			if err := e.Packet(pkttest.T0, flow.LinkRaw, p); err != nil {
				tb.Fatal(err)
			}
		}
	}
	feed()
	c.events, c.ids = 0, 0
	allocs = testing.AllocsPerRun(10, feed)
	return allocs, c.events, c.ids
}

// Bench sends pkts, carrying size bytes of messages, through an engine
// that decodes proto, as SteadyAllocs does, b.N times, and reports the
// time per datagram too.
func Bench(b *testing.B, proto string, pkts [][]byte, size int) {
	c := newCounter(proto)
	e := flowtest.NewEngine(b, flow.Config{Protocols: []string{proto}}, c)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range pkts {
			e.Packet(pkttest.T0, flow.LinkRaw, p)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(pkts)), "ns/datagram")
}

// Check sends a datagram of arbitrary bytes to port through a new engine
// that decodes proto and fails t when an event's JSON is not valid, an
// error's offset falls outside the datagram, or an identity is empty, not
// the sender's, or longer than maxName bytes.
func Check(t *testing.T, proto string, port uint16, data []byte, maxName int) {
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{proto}}, flow.SinkFunc(func(ev *flow.Event) {
		if ev.Protocol != proto {
			return
		}
		if d, ok := ev.Detail.(*flow.DecodeErrorDetail); ok && (d.Offset < 0 || d.Offset > int64(len(data))) {
			t.Fatalf("error offset %d outside %d bytes", d.Offset, len(data))
		}
		if r := render(t, ev, false); len(r.Line) > 1<<20 {
			t.Fatalf("%d bytes of event from a datagram of %d", len(r.Line), len(data))
		}
		if id, ok := ev.Detail.(flow.Identifier); ok {
			id.Identify(ev.Kind, nil, func(i flow.Identity) {
				if len(i.Name) > maxName {
					t.Fatalf("identity %q", i.Name)
				}
			})
		}
	}))
	dst := netip.AddrPortFrom(pkttest.Srv.Addr(), port)
	if err := e.Packet(pkttest.T0, flow.LinkRaw, pkttest.RawUDP(pkttest.Cli, dst, data)); err != nil {
		t.Fatal(err)
	}
}

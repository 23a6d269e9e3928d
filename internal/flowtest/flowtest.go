// Package flowtest holds what the tests of flow's adapter packages share:
// an engine constructor that fails the test, and sinks that render events
// while their Detail is valid.
package flowtest

import (
	"net/netip"
	"testing"
	"time"

	"github.com/medtap/medtap/capture"
	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/pkttest"
)

// NewEngine is flow.NewEngine, failing tb on an error.
func NewEngine(tb testing.TB, cfg flow.Config, sink flow.Sink) *flow.Engine {
	tb.Helper()
	e, err := flow.NewEngine(cfg, sink)
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

// RunFile runs the named capture through e, failing tb on an error.
func RunFile(tb testing.TB, e *flow.Engine, name string) {
	tb.Helper()
	if err := capture.RunFile(e, name); err != nil {
		tb.Fatal(err)
	}
}

// JSONSink renders every event of one protocol as "kind src {json}" during
// the callback, while its Detail is valid.
type JSONSink struct {
	Protocol string
	Lines    []string
}

// Event implements flow.Sink.
func (s *JSONSink) Event(e *flow.Event) {
	if e.Protocol != s.Protocol {
		return
	}
	b := []byte(string(e.Kind) + " " + e.Src.String() + " {")
	if e.Detail != nil {
		b = e.Detail.AppendJSON(b)
	}
	s.Lines = append(s.Lines, string(b)+"}")
}

// CountSink counts events and renders each one's JSON into a reused
// buffer, for allocation tests.
type CountSink struct {
	Buf    []byte
	Events int
}

// Event implements flow.Sink.
func (s *CountSink) Event(e *flow.Event) {
	s.Events++
	if e.Detail != nil {
		s.Buf = e.Detail.AppendJSON(s.Buf[:0])
	}
}

// Feed hands segments between pkttest.Cli and pkttest.Srv to e (see
// pkttest.Feed).
func Feed[S pkttest.SegOf](tb testing.TB, e *flow.Engine, segs []S) {
	tb.Helper()
	pkttest.Feed(tb, func(ts time.Time, pkt []byte) error { return e.Packet(ts, flow.LinkRaw, pkt) }, segs)
}

// SteadyAllocs opens a TCP flow from client to server on e and sends the
// same payload in it runs+3 times, one segment each: two to warm the flow
// and the decoder's buffers up, then runs+1 under testing.AllocsPerRun. It
// returns the allocations per segment and the events sink counted per
// segment in the measured runs (sink is the engine's).
func SteadyAllocs(tb testing.TB, e *flow.Engine, sink *CountSink, client, server netip.AddrPort, payload []byte, runs int) (allocs float64, eventsPer int) {
	tb.Helper()
	pkts := [][]byte{pkttest.RawTCP(client, server, 99, flow.FlagSYN, nil)}
	seq := uint32(100)
	for range runs + 3 {
		pkts = append(pkts, pkttest.RawTCP(client, server, seq, flow.FlagACK|flow.FlagPSH, payload))
		seq += uint32(len(payload))
	}
	i := 0
	feedOne := func() {
		if err := e.Packet(pkttest.T0, flow.LinkRaw, pkts[i]); err != nil {
			tb.Fatal(err)
		}
		i++
	}
	feedOne() // the SYN
	feedOne()
	feedOne() // warm up: the flow and the decoder's buffers
	before := sink.Events
	allocs = testing.AllocsPerRun(runs, feedOne) // runs+1 calls
	return allocs, (sink.Events - before) / (runs + 1)
}

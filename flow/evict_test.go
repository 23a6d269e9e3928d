package flow

import (
	"fmt"
	"net/netip"
	"testing"
	"time"
)

// holdDecoder holds every byte it is given, as a decoder collecting a
// message that never ends.
type holdDecoder struct{ n int }

func (d *holdDecoder) Data(c *Context, dir Dir, data []byte) { d.n += len(data) }
func (d *holdDecoder) Gap(*Context, Dir, int)                {}
func (d *holdDecoder) Close(*Context)                        {}
func (d *holdDecoder) Buffered() int                         { return d.n }

func init() {
	Register(Protocol{Name: "test-hold", Transport: TCP, Ports: []uint16{7777},
		New: func() Decoder { return new(holdDecoder) }})
}

var holdSrv = netip.MustParseAddrPort("10.9.0.1:7777")

func holdClient(i int) netip.AddrPort {
	return netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, byte(100 + i>>16), byte(i >> 8), byte(i)}), 40000)
}

// evictionRun opens idle SYN-only flows, then flows whose decoders each
// hold 1000 bytes under a budget of 100 such flows, and returns the engine.
func evictionRun(tb testing.TB, idle, holding int) *Engine {
	e := mustEngine(tb, Config{Protocols: []string{"test-hold"}, MaxFlows: 1 << 20, MaxBufferedBytes: 100 * 1000}, nil)
	ts := t0
	for i := range idle {
		e.Packet(ts, LinkRaw, rawTCP(holdClient(i), holdSrv, 0, FlagSYN, nil))
	}
	data := make([]byte, 1000)
	for i := range holding {
		ts = ts.Add(time.Millisecond)
		c := holdClient(idle + i)
		e.Packet(ts, LinkRaw, rawTCP(c, holdSrv, 0, FlagSYN, nil))
		e.Packet(ts, LinkRaw, rawTCP(c, holdSrv, 1, FlagACK, data))
	}
	return e
}

// TestEvictionHolders checks that over the buffer budget the flows ended
// are the least recently active ones holding buffers, never the idle flows
// that hold none, and that the budget holds.
func TestEvictionHolders(t *testing.T) {
	var ended []netip.AddrPort
	e := mustEngine(t, Config{Protocols: []string{"test-hold"}, MaxBufferedBytes: 3 * 1000}, SinkFunc(func(ev *Event) {
		if ev.Kind == KindEnd {
			ended = append(ended, ev.Src)
		}
	}))
	data := make([]byte, 1000)
	ts := t0
	for i := range 10 {
		e.Packet(ts, LinkRaw, rawTCP(holdClient(100+i), holdSrv, 0, FlagSYN, nil)) // idle
	}
	open := func(i int) {
		ts = ts.Add(2 * lruGranularity)
		e.Packet(ts, LinkRaw, rawTCP(holdClient(i), holdSrv, 0, FlagSYN, nil))
		e.Packet(ts, LinkRaw, rawTCP(holdClient(i), holdSrv, 1, FlagACK, data))
	}
	for i := range 3 {
		open(i) // at the budget
	}
	// Flow 0 is active again: flow 1 becomes the least recently active
	// holder, and is ended when flow 3 takes the engine over the budget;
	// flow 2 goes for flow 4.
	ts = ts.Add(2 * lruGranularity)
	e.Packet(ts, LinkRaw, rawTCP(holdClient(0), holdSrv, 1001, FlagACK, nil))
	open(3)
	open(4)
	if len(ended) != 2 || ended[0] != holdClient(1) || ended[1] != holdClient(2) {
		t.Errorf("flows ended: %v, want clients 1 and 2", ended)
	}
	st := e.Stats()
	if st.MemoryEvictions != 2 || st.DecoderBytes > 3*1000 || st.ActiveFlows != 13 {
		t.Errorf("stats: %d memory evictions, %d decoder bytes, %d active flows", st.MemoryEvictions, st.DecoderBytes, st.ActiveFlows)
	}
}

// BenchmarkEviction measures the cost of one flow that takes the engine
// over its buffer budget, with many idle flows in the table: it must not
// grow with the number of idle flows (ns/op about the same for each size).
func BenchmarkEviction(b *testing.B) {
	for _, idle := range []int{10000, 40000} {
		b.Run(fmt.Sprint("idle-", idle), func(b *testing.B) {
			const holding = 2000
			for range b.N {
				b.StopTimer()
				e := evictionRun(b, idle, 0)
				b.StartTimer()
				data := make([]byte, 1000)
				for i := range holding {
					c := holdClient(idle + i)
					e.Packet(t0, LinkRaw, rawTCP(c, holdSrv, 0, FlagSYN, nil))
					e.Packet(t0, LinkRaw, rawTCP(c, holdSrv, 1, FlagACK, data))
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*holding), "ns/flow")
		})
	}
}

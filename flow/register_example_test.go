package flow_test

import (
	"bytes"
	"fmt"
	"log"
	"net/netip"
	"time"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/pkttest"
)

// A line-based protocol on TCP port 7070, written outside medtap: every
// line a client sends is one event.
const (
	lineName            = "example-lines"
	kindLine  flow.Kind = "line"
	maxLine             = 1024 // used when Config.MaxMessageBytes is 0
	linesPort           = 7070
)

// lineDetail is the Detail of "line" events.
type lineDetail struct{ text []byte }

func (d *lineDetail) AppendJSON(dst []byte) []byte { return flow.AppendBytes(dst, "text", d.text) }

// lineDecoder buffers a line split across packets; as a
// flow.BufferedDecoder, what it holds counts against the engine's budget.
type lineDecoder struct {
	buf    []byte
	detail lineDetail
}

func (d *lineDecoder) Data(c *flow.Context, dir flow.Dir, data []byte) {
	limit := c.MaxMessageBytes()
	if limit == 0 {
		limit = maxLine
	}
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			d.buf = append(d.buf, data...)
			if len(d.buf) > limit {
				c.DecodeErrorAt(dir, -1, fmt.Errorf("lines: line longer than %d bytes", limit))
				d.buf = d.buf[:0]
			}
			return
		}
		d.detail.text = append(d.buf, data[:i]...)
		c.Emit(dir, kindLine, &d.detail)
		d.buf, data = d.buf[:0], data[i+1:]
	}
}

func (d *lineDecoder) Gap(c *flow.Context, dir flow.Dir, n int) { d.buf = d.buf[:0] }
func (d *lineDecoder) Close(c *flow.Context)                    {}
func (d *lineDecoder) Buffered() int                            { return cap(d.buf) }

func init() {
	// In the protocol's own package, so that importing it enables it.
	flow.Register(flow.Protocol{
		Name:      lineName,
		Transport: flow.TCP,
		Ports:     []uint16{linesPort},
		New:       func() flow.Decoder { return new(lineDecoder) },
	})
}

// ExampleRegister adds a protocol to the engine from outside medtap, on the
// same footing as the built-in adapters: limits from the Context, memory
// accounting through BufferedDecoder, errors through DecodeError.
func ExampleRegister() {
	e, err := flow.NewEngine(flow.Config{Protocols: []string{lineName}}, flow.SinkFunc(func(ev *flow.Event) {
		if ev.Protocol == lineName {
			var b []byte
			fmt.Println(string(flow.AppendEventJSON(b, ev)))
		}
	}))
	if err != nil {
		log.Fatal(err)
	}
	cli := netip.MustParseAddrPort("10.0.0.1:40000")
	srv := netip.AddrPortFrom(netip.MustParseAddr("10.0.0.2"), linesPort)
	for i, p := range [][]byte{
		pkttest.RawTCP(cli, srv, 0, pkttest.SYN, nil),
		pkttest.RawTCP(srv, cli, 0, pkttest.SYN|pkttest.ACK, nil),
		pkttest.RawTCP(cli, srv, 1, pkttest.ACK, []byte("hello, wor")),
		pkttest.RawTCP(cli, srv, 11, pkttest.ACK, []byte("ld\nbye\n")),
	} {
		e.Packet(pkttest.T0.Add(time.Duration(i)*time.Millisecond), flow.LinkRaw, p)
	}
	e.Flush()
	// Output:
	// {"type":"event","ts":"2026-01-02T03:04:05.003000000Z","proto":"example-lines","kind":"line","src":"10.0.0.1:40000","dst":"10.0.0.2:7070","text":"hello, world"}
	// {"type":"event","ts":"2026-01-02T03:04:05.003000000Z","proto":"example-lines","kind":"line","src":"10.0.0.1:40000","dst":"10.0.0.2:7070","text":"bye"}
}

package flow

import (
	"errors"
	"fmt"
	"net/netip"
	"reflect"
	"strings"
	"testing"

	"github.com/medtap/medtap/internal/pkttest"
)

func TestNewEngineUnknownProtocol(t *testing.T) {
	if _, err := NewEngine(Config{Protocols: []string{"test-tcp", "no-such-protocol"}}, nil); err == nil ||
		!strings.Contains(err.Error(), `"no-such-protocol" is not registered`) || !strings.Contains(err.Error(), "test-tcp") {
		t.Fatalf("err = %v, want one naming the unknown protocol and the registered ones", err)
	}
	if _, err := NewEngine(Config{Protocols: []string{}}, nil); err != nil {
		t.Fatalf("no protocols: %v", err)
	}
}

// TestStatsAll checks that Stats.All yields every counter of Stats, once,
// in field order, with its value.
func TestStatsAll(t *testing.T) {
	var s Stats
	v := reflect.ValueOf(&s).Elem()
	var fields []string
	for i := range v.NumField() {
		if v.Field(i).Kind() == reflect.Uint64 {
			v.Field(i).SetUint(uint64(100 + i))
			fields = append(fields, fmt.Sprintf("%s=%d", v.Type().Field(i).Name, 100+i))
		}
	}
	var got []string
	for name, n := range s.All() {
		got = append(got, fmt.Sprintf("%s=%d", strings.ReplaceAll(name, "_", ""), n))
	}
	if len(got) != len(fields) {
		t.Fatalf("All yields %d counters, Stats has %d", len(got), len(fields))
	}
	for i := range got {
		if !strings.EqualFold(got[i], fields[i]) {
			t.Errorf("counter %d: All yields %s, field is %s", i, got[i], fields[i])
		}
	}
	for range s.All() {
		break // a consumer may stop early
	}
}

type offsetErr struct{ off int64 }

func (e *offsetErr) Error() string     { return "bad" }
func (e *offsetErr) ByteOffset() int64 { return e.off }

func TestErrorOffset(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want int64
	}{
		{&offsetErr{7}, 7},
		{fmt.Errorf("wrapped: %w", &offsetErr{9}), 9},
		{errors.New("plain"), -1},
		{nil, -1},
	} {
		if got := ErrorOffset(tt.err); got != tt.want {
			t.Errorf("ErrorOffset(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}

func TestAppendEventJSON(t *testing.T) {
	e := &Event{
		Time: pkttest.T0, Protocol: ProtocolFlow, Kind: KindStart,
		Src: netip.MustParseAddrPort("10.0.0.1:40000"), Dst: netip.MustParseAddrPort("[fe80::1]:104"),
		Detail: &FlowInfo{Transport: TCP, Protocol: "dicom"},
	}
	want := `{"type":"event","ts":"2026-01-02T03:04:05.000000000Z","proto":"flow","kind":"start","src":"10.0.0.1:40000","dst":"[fe80::1]:104","transport":"tcp","app":"dicom"}`
	buf := make([]byte, 0, 512)
	if got := string(AppendEventJSON(buf, e)); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if pkttest.RaceEnabled {
		return
	}
	if n := testing.AllocsPerRun(100, func() { buf = AppendEventJSON(buf[:0], e) }); n != 0 {
		t.Errorf("AppendEventJSON allocates %.1f times", n)
	}
}

// linkRecorder is a Link protocol's decoder that emits one event per frame
// with the frame's length.
type linkRecorder struct{}

type frameLen struct{ n int }

func (f *frameLen) AppendJSON(dst []byte) []byte { return AppendInt(dst, "len", int64(f.n)) }

func (linkRecorder) Data(c *Context, dir Dir, data []byte) {
	if c.Flow() != nil || c.Frame() == nil {
		panic("a link-layer frame in a flow")
	}
	if len(data) == 0 {
		c.DecodeErrorAt(dir, 0, errors.New("empty frame"))
		return
	}
	c.Emit(dir, "frame", &frameLen{len(data)})
}
func (linkRecorder) Gap(*Context, Dir, int) {}
func (linkRecorder) Close(*Context)         {}

func init() {
	Register(Protocol{Name: "test-link", Transport: Link, EtherTypes: []uint16{0x88b5, 0x2000},
		New: func() Decoder { return linkRecorder{} }})
}

func ethFrame(dst, src MAC, ethType uint16, payload []byte) []byte {
	b := append(append(append([]byte(nil), dst[:]...), src[:]...), byte(ethType>>8), byte(ethType))
	return append(b, payload...)
}

// TestLinkProtocol checks that non-IP frames reach the Link protocol of
// their EtherType (Ethernet II, and 802.3 with an LLC/SNAP header), with
// their MACs, and that other frames are counted as not IP.
func TestLinkProtocol(t *testing.T) {
	var got []string
	e := mustEngine(t, Config{Protocols: []string{"test-link", "test-tcp"}}, SinkFunc(func(ev *Event) {
		got = append(got, string(AppendEventJSON(nil, ev)))
	}))
	src := MAC{0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc}
	bcast := MAC{0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e}
	snap := append([]byte{0xAA, 0xAA, 0x03, 0x00, 0x00, 0x0C, 0x20, 0x00}, "cdp!"...)
	for _, f := range [][]byte{
		ethFrame(bcast, src, 0x88b5, []byte("hello")),
		ethFrame(bcast, src, uint16(len(snap)), snap), // 802.3, SNAP PID 0x2000
		ethFrame(bcast, src, 0x88b5, nil),
		ethFrame(bcast, src, 0x0806, []byte("arp")), // no protocol: not IP
	} {
		e.Packet(t0, LinkEthernet, f)
	}
	want := []string{
		`{"type":"event","ts":"2026-01-02T03:04:05.000000000Z","proto":"test-link","kind":"frame","src":"00:1b:21:aa:bb:cc","dst":"01:80:c2:00:00:0e","len":5}`,
		`{"type":"event","ts":"2026-01-02T03:04:05.000000000Z","proto":"test-link","kind":"frame","src":"00:1b:21:aa:bb:cc","dst":"01:80:c2:00:00:0e","len":4}`,
		`{"type":"event","ts":"2026-01-02T03:04:05.000000000Z","proto":"test-link","kind":"error","src":"00:1b:21:aa:bb:cc","dst":"01:80:c2:00:00:0e","offset":0,"error":"empty frame"}`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if st := e.Stats(); st.LinkFrames != 3 || st.NotIP != 1 || st.ProtocolErrors["test-link"] != 1 {
		t.Errorf("stats: link frames %d, not IP %d, errors %v", st.LinkFrames, st.NotIP, st.ProtocolErrors)
	}
	// Without the Link protocol, the frames are not IP.
	e = mustEngine(t, Config{Protocols: []string{"test-tcp"}}, nil)
	e.Packet(t0, LinkEthernet, ethFrame(bcast, src, 0x88b5, []byte("hello")))
	if st := e.Stats(); st.LinkFrames != 0 || st.NotIP != 1 {
		t.Errorf("without the protocol: %+v", st)
	}
}

// TestFlowMACs checks that a flow's events carry the MACs of its
// endpoints, client first.
func TestFlowMACs(t *testing.T) {
	cliMAC, srvMAC := MAC{2, 0, 0, 0, 0, 1}, MAC{2, 0, 0, 0, 0, 2}
	var starts []Event
	e := mustEngine(t, Config{Protocols: []string{"test-tcp"}}, SinkFunc(func(ev *Event) {
		if ev.Kind == KindStart || ev.Kind == KindEnd {
			starts = append(starts, *ev)
		}
	}))
	// The server's SYN+ACK is the first packet seen: the flow still knows
	// which MAC is whose.
	e.Packet(t0, LinkEthernet, ethFrame(cliMAC, srvMAC, 0x0800, rawTCP(srv, cli, 500, FlagSYN|FlagACK, nil)))
	e.Packet(t0, LinkEthernet, ethFrame(srvMAC, cliMAC, 0x0800, rawTCP(cli, srv, 1, FlagACK, []byte("TPROTO"))))
	e.Flush()
	if len(starts) != 2 {
		t.Fatalf("%d flow events", len(starts))
	}
	for _, ev := range starts {
		if ev.Src != cli || ev.SrcMAC != cliMAC || ev.DstMAC != srvMAC {
			t.Errorf("%s: src %v %v, dst mac %v", ev.Kind, ev.Src, ev.SrcMAC, ev.DstMAC)
		}
	}
}

// Stats.Add adds every counter: a field added to Stats and not to Add
// fails here.
func TestStatsAdd(t *testing.T) {
	var one Stats
	v := reflect.ValueOf(&one).Elem()
	for i := range v.NumField() {
		if f := v.Field(i); f.Kind() == reflect.Uint64 {
			f.SetUint(1)
		}
	}
	one.ProtocolErrors = map[string]uint64{"dicom": 1}
	var sum Stats
	sum.Add(&one)
	sum.Add(&one)
	s := reflect.ValueOf(sum)
	for i := range s.NumField() {
		if f := s.Field(i); f.Kind() == reflect.Uint64 && f.Uint() != 2 {
			t.Errorf("%s: %d after adding 1 twice", s.Type().Field(i).Name, f.Uint())
		}
	}
	if sum.ProtocolErrors["dicom"] != 2 {
		t.Errorf("protocol errors %v", sum.ProtocolErrors)
	}
}

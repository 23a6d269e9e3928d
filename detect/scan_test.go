package detect_test

import (
	"fmt"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/medtap/medtap/detect"
	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/netproto/tcpsig"
)

// sbSig is a signature that is not zero: a SYN or SYN+ACK was seen.
var sbSig = tcpsig.Signature{Version: 4, TTL: 64}

// sbDetectors returns the default detectors named.
func sbDetectors(names ...string) []detect.Detector {
	var ds []detect.Detector
	for _, d := range detect.Default() {
		if slices.Contains(names, d.Name()) {
			ds = append(ds, d)
		}
	}
	return ds
}

// sbFlow is one flow for synthetic events.
type sbFlow struct {
	client, server string
	transport      flow.Transport // 0: TCP
	syn            bool           // the start event carries a SYN signature
	synack         bool           // the end event carries a SYN+ACK signature
	reason         string         // "" : "fin"
	packets, bytes [2]uint64
	app            string
	dur            time.Duration
}

// events returns the start and end events of f, starting at ts.
func (f sbFlow) events(ts time.Time) []*flow.Event {
	tr := f.transport
	if tr == 0 {
		tr = flow.TCP
	}
	src, dst := ap(f.client), ap(f.server)
	key, _ := flow.MakeKey(tr, src, dst)
	start := &flow.FlowInfo{Transport: tr, Start: ts}
	if f.syn {
		start.SYN = sbSig
	}
	reason := f.reason
	if reason == "" {
		reason = "fin"
	}
	end := &flow.FlowInfo{Transport: tr, Protocol: f.app, Reason: reason, Packets: f.packets, Bytes: f.bytes, Start: ts}
	if f.synack {
		end.SYNACK = sbSig
	}
	return []*flow.Event{
		{Time: ts, Key: key, Src: src, Dst: dst, Protocol: flow.ProtocolFlow, Kind: flow.KindStart, Detail: start},
		{Time: ts.Add(f.dur), Key: key, Src: src, Dst: dst, Protocol: flow.ProtocolFlow, Kind: flow.KindEnd, Detail: end},
	}
}

// Flows of the kinds a scan makes and normal traffic makes.
func sbRefused(c, s string) sbFlow {
	return sbFlow{client: c, server: s, syn: true, reason: "rst", packets: [2]uint64{1, 1}}
}

func sbSilent(c, s string) sbFlow {
	return sbFlow{client: c, server: s, syn: true, reason: "eof", packets: [2]uint64{2, 0}}
}

func sbOpenEmpty(c, s string) sbFlow {
	return sbFlow{client: c, server: s, syn: true, synack: true, reason: "rst", packets: [2]uint64{2, 1}}
}

func sbData(c, s string, up, down uint64) sbFlow {
	return sbFlow{client: c, server: s, syn: true, synack: true, packets: [2]uint64{5, 5}, bytes: [2]uint64{up, down}}
}

func sbHostPort(prefix string, host, port int) string {
	return fmt.Sprintf("%s%d:%d", prefix, host, port)
}

func TestScan(t *testing.T) {
	type want struct {
		sev         string
		dst         string // "" for none
		ports, host string // evidence
	}
	for _, tc := range []struct {
		name  string
		flows func(emit func(sbFlow, time.Duration))
		want  []want
	}{
		{"port scan, refused", func(emit func(sbFlow, time.Duration)) {
			for p := 1; p <= 30; p++ {
				emit(sbRefused("10.0.0.66:40000", sbHostPort("10.0.0.", 10, p)), 10*time.Millisecond)
			}
		}, []want{{"medium", "10.0.0.10", "20", "1"}}},
		{"port scan, open ports", func(emit func(sbFlow, time.Duration)) {
			for p := 1; p <= 25; p++ {
				emit(sbOpenEmpty("10.0.0.66:40000", sbHostPort("10.0.0.", 10, p)), 10*time.Millisecond)
			}
		}, []want{{"medium", "10.0.0.10", "20", "1"}}},
		{"host sweep, unanswered", func(emit func(sbFlow, time.Duration)) {
			for h := 1; h <= 15; h++ {
				emit(sbSilent("10.0.0.66:40000", sbHostPort("10.0.1.", h, 445)), 100*time.Millisecond)
			}
		}, []want{{"medium", "", "1", "10"}}},
		{"ports across hosts: high", func(emit func(sbFlow, time.Duration)) {
			for h := 1; h <= 12; h++ {
				for p := 1; p <= 25; p++ {
					emit(sbRefused("10.0.0.66:40000", sbHostPort("10.0.1.", h, p)), time.Millisecond)
				}
			}
		}, []want{{"medium", "10.0.1.1", "20", "1"}, {"high", "", "", ""}}},
		{"UDP without replies", func(emit func(sbFlow, time.Duration)) {
			for p := 1; p <= 25; p++ {
				emit(sbFlow{client: "10.0.0.66:40000", server: sbHostPort("10.0.0.", 10, p), transport: flow.UDP, reason: "idle", packets: [2]uint64{1, 0}, bytes: [2]uint64{8, 0}}, time.Millisecond)
			}
		}, []want{{"medium", "10.0.0.10", "20", "1"}}},
		{"many connections to one service", func(emit func(sbFlow, time.Duration)) {
			for i := range 200 {
				emit(sbData(fmt.Sprintf("10.0.0.30:%d", 40000+i), "10.0.0.10:104", 500, 800), 10*time.Millisecond)
				emit(sbRefused(fmt.Sprintf("10.0.0.30:%d", 50000+i), "10.0.0.10:104"), 10*time.Millisecond) // and refused ones
			}
		}, nil},
		{"a PACS sending to its modalities", func(emit func(sbFlow, time.Duration)) {
			for i := range 50 {
				emit(sbData(fmt.Sprintf("10.0.0.10:%d", 40000+i), sbHostPort("10.0.2.", i%8, 104), 5e6, 900), 100*time.Millisecond)
			}
		}, nil},
		{"slow scan, past the window", func(emit func(sbFlow, time.Duration)) {
			for p := 1; p <= 40; p++ {
				emit(sbRefused("10.0.0.66:40000", sbHostPort("10.0.0.", 10, p)), 10*time.Second)
			}
		}, nil},
		{"connections seen from their middle", func(emit func(sbFlow, time.Duration)) {
			for p := 1; p <= 40; p++ {
				emit(sbFlow{client: "10.0.0.66:40000", server: sbHostPort("10.0.0.", 10, 1000+p), reason: "eof", packets: [2]uint64{2, 2}}, time.Millisecond)
			}
		}, nil},
		{"to multicast and broadcast", func(emit func(sbFlow, time.Duration)) {
			for h := 1; h <= 30; h++ {
				emit(sbFlow{client: "10.0.0.66:5353", server: fmt.Sprintf("224.0.0.%d:5353", h), transport: flow.UDP, reason: "idle", packets: [2]uint64{1, 0}, bytes: [2]uint64{40, 0}}, time.Millisecond)
				emit(sbFlow{client: "10.0.0.66:137", server: fmt.Sprintf("10.0.%d.255:137", h), transport: flow.UDP, reason: "idle", packets: [2]uint64{1, 0}, bytes: [2]uint64{40, 0}}, time.Millisecond)
			}
		}, nil},
		{"nine hosts and nineteen ports", func(emit func(sbFlow, time.Duration)) {
			for h := 1; h <= 9; h++ {
				emit(sbSilent("10.0.0.66:40000", sbHostPort("10.0.1.", h, 445)), time.Millisecond)
			}
			for p := 1; p <= 15; p++ {
				emit(sbRefused("10.0.0.67:40000", sbHostPort("10.0.0.", 10, p)), time.Millisecond)
			}
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, c := newEngine(t, detect.Config{}, sbDetectors("scan")...)
			ts := t0
			tc.flows(func(f sbFlow, gap time.Duration) {
				for _, ev := range f.events(ts) {
					e.Event(ev)
				}
				ts = ts.Add(gap)
			})
			e.Flush()
			if len(c.alerts) != len(tc.want) {
				t.Fatalf("%d alerts %+v, want %d", len(c.alerts), c.alerts, len(tc.want))
			}
			for i, w := range tc.want {
				a := c.alerts[i]
				if a.ID != "net.scan" || a.Severity.String() != w.sev || a.Technique != "T0846 Remote System Discovery" {
					t.Errorf("alert %d: %s %s %s", i, a.ID, a.Severity, a.Technique)
				}
				if w.dst == "" && a.Dst.IsValid() || w.dst != "" && a.Dst.Addr() != netip.MustParseAddr(w.dst) {
					t.Errorf("alert %d: dst %v, want %q", i, a.Dst, w.dst)
				}
				if a.Src.Addr() != netip.MustParseAddr("10.0.0.66") {
					t.Errorf("alert %d: src %v", i, a.Src)
				}
				if w.ports != "" && (a.Field("ports") != w.ports || a.Field("hosts") != w.host) {
					t.Errorf("alert %d: ports %s hosts %s, want %s %s (%s)", i, a.Field("ports"), a.Field("hosts"), w.ports, w.host, a.Summary)
				}
			}
		})
	}
}

// TestScanRejected: probes a decoder rejects count, as a service scan's.
// (The sketch estimates 19.7 for the twenty ports, two of which share a
// bit: estimates are rounded.)
func TestScanRejected(t *testing.T) {
	e, c := newEngine(t, detect.Config{}, sbDetectors("scan")...)
	for p := 1; p <= 22; p++ {
		src, dst := ap("10.0.0.66:40000"), ap(sbHostPort("10.0.0.", 10, 8000+p))
		e.Event(&flow.Event{Time: t0.Add(time.Duration(p) * time.Millisecond), Src: src, Dst: dst, Protocol: "dicom", Kind: flow.KindError,
			Detail: &flow.DecodeErrorDetail{Offset: 0}})
	}
	if len(c.alerts) != 1 || c.alerts[0].Field("rejected") != "20" {
		t.Fatalf("alerts %+v", c.alerts)
	}
}

// TestScanWindows: a scan that goes on raises once per window, the
// repeats counted.
func TestScanWindows(t *testing.T) {
	e, c := newEngine(t, detect.Config{Window: time.Hour}, sbDetectors("scan")...)
	ts := t0
	for p := 1; p <= 600; p++ { // 600 ports over 10 minutes: 10 windows
		for _, ev := range sbRefused("10.0.0.66:40000", sbHostPort("10.0.0.", 10, p)).events(ts) {
			e.Event(ev)
		}
		ts = ts.Add(time.Second)
	}
	e.Flush()
	st := e.Stats()
	if st.ByRule["net.scan"] != 10 || len(c.alerts) != 2 || c.alerts[0].Count+c.alerts[1].Count != 10 {
		t.Errorf("raised %d, alerts %+v", st.ByRule["net.scan"], c.alerts)
	}
}

func TestScanConfigure(t *testing.T) {
	for _, params := range []map[string]float64{{"min-ports": 1}, {"min-hosts": 1000}, {"window": 0}, {"max-sources": 0}} {
		_, err := detect.NewEngine(detect.Config{Rules: map[string]detect.RuleConfig{"net.scan": {Params: params}}}, nil, sbDetectors("scan"))
		if err == nil {
			t.Errorf("%v: no error", params)
		}
	}
}

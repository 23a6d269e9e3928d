package detect_test

import (
	"net/netip"
	"runtime"
	"testing"
	"time"

	"github.com/medtap/medtap/detect"
	"github.com/medtap/medtap/flow"
)

// sbFlood feeds n distinct sources (10.x.y.z, then IPv6 past 2^24), each
// opening one flow to the PACS that is refused (a probe), first while the
// engine learns, then, with learn false, after: the learned tables and
// the tables of scanners and of raised keys fill to their caps and evict.
// It reuses one event and allocates nothing itself.
func sbFlood(e *detect.Engine, n int, learn bool) {
	e.Learn(learn)
	start := &flow.FlowInfo{Transport: flow.TCP, SYN: sbSig}
	end := &flow.FlowInfo{Transport: flow.TCP, Reason: "rst", Packets: [2]uint64{1, 1}}
	ev := flow.Event{Protocol: flow.ProtocolFlow, Dst: ap("10.200.0.10:104")}
	ts := t0
	for i := range n {
		var a netip.Addr
		if i < 1<<24 {
			a = netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)})
		} else {
			a = netip.AddrFrom16([16]byte{0xfd, 12: byte(i >> 24), 13: byte(i >> 16), 14: byte(i >> 8), 15: byte(i)})
		}
		ev.Src = netip.AddrPortFrom(a, 40000)
		ev.Time = ts
		ev.Kind, ev.Detail = flow.KindStart, start
		e.Event(&ev)
		ev.Kind, ev.Detail = flow.KindEnd, end
		e.Event(&ev)
		ts = ts.Add(time.Microsecond)
	}
	e.Learn(false)
}

// sbCaps are small caps for the flood tests.
var sbCaps = map[string]detect.RuleConfig{
	"net.scan":             {Params: map[string]float64{"max-sources": 1000}},
	"baseline.new-device":  {Params: map[string]float64{"max-devices": 2000}},
	"baseline.new-peer":    {Params: map[string]float64{"max-peers": 3000}},
	"baseline.new-service": {Params: map[string]float64{"max-services": 500}},
}

// TestFloodCaps: a flood of 10^5 distinct sources (10^6 without -short)
// keeps every table within its cap, counts what was dropped, and ends a
// learned baseline's new-device alerts at low (the device set overflowed),
// 100 of them and one that counts the rest (the flood takes one second;
// it is emitted at once and with its count at the end: 102 alerts).
func TestFloodCaps(t *testing.T) {
	n := 1000000
	if testing.Short() {
		n = 100000
	}
	// Few alert keys: the engine's de-duplication evicts by a scan of its
	// keys, which costs a flood of distinct alerts more than the detectors.
	total, other := 0, 0
	e, err := detect.NewEngine(detect.Config{Rules: sbCaps, MaxAlertKeys: 16}, detect.AlertFunc(func(a *detect.Alert) {
		if a.ID == "baseline.new-device" && a.Severity == detect.Low {
			total += a.Count
		} else {
			other++
		}
	}), sbDetectors("scan", "baseline"))
	if err != nil {
		t.Fatal(err)
	}
	sbFlood(e, n, true)
	sbFlood(e, n, false)
	e.Flush()
	caps := map[string]uint64{"sources": 1000, "devices": 2000, "raised_keys": 2000, "peers": 3000, "services": 500}
	seen := 0
	for _, d := range e.Detectors() {
		cn, ok := d.(detect.Counter)
		if !ok {
			t.Fatalf("%s is no Counter", d.Name())
		}
		counts := cn.Counts()
		t.Logf("%s: %v", d.Name(), counts)
		for k, max := range caps {
			if v, ok := counts[k]; ok {
				seen++
				if v > max {
					t.Errorf("%s: %s %d over its cap %d", d.Name(), k, v, max)
				}
			}
		}
		switch d.Name() {
		case "scan":
			if counts["sources"] != 1000 || counts["sources_evicted"] != uint64(2*n-1000) {
				t.Errorf("scan: %v", counts)
			}
		case "baseline":
			// The PACS, answering every probe, stays among the devices.
			if counts["devices"] != 2000 || counts["devices_dropped"] != uint64(n-1999) || counts["raised_evicted"] != uint64(n-1999-2000) {
				t.Errorf("baseline: %v", counts)
			}
		}
	}
	if seen != len(caps) {
		t.Errorf("%d of the %d counts checked", seen, len(caps))
	}
	if st := e.Stats(); st.Emitted != 102 {
		t.Errorf("%d alerts emitted, want 102", st.Emitted)
	}
	if other > 0 {
		t.Errorf("%d alerts other than low new-device ones", other)
	}
	if total != n-1999 { // all but the last 1,999 sources learned
		t.Errorf("new-device raised %d times, want %d", total, n-1999)
	}
}

// BenchmarkFlood feeds 10^6 distinct sources to the scan and to the
// baseline detector with their default caps, learning then detecting, and
// reports the heap each holds after it (runtime.ReadMemStats after a
// collection, before the engine was made and after the flood) per entry of
// its tables at their caps: the 65,536 sources of net.scan; the 65,536
// devices, 262,144 client-server pairs and 65,536 raised keys of the
// baseline.
func BenchmarkFlood(b *testing.B) {
	const n = 1000000
	for _, name := range []string{"scan", "baseline"} {
		b.Run(name, func(b *testing.B) {
			var ms runtime.MemStats
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				runtime.GC()
				runtime.ReadMemStats(&ms)
				before := ms.HeapAlloc
				e, err := detect.NewEngine(detect.Config{}, nil, sbDetectors(name))
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				sbFlood(e, n, true)
				sbFlood(e, n, false)
				b.StopTimer()
				runtime.GC()
				runtime.ReadMemStats(&ms)
				held := float64(ms.HeapAlloc) - float64(before)
				counts := e.Detectors()[0].(detect.Counter).Counts()
				entries := counts["sources"] + counts["devices"] + counts["raised_keys"] + counts["peers"]
				if i == 0 {
					b.Log(counts)
				}
				b.ReportMetric(held/1e6, "heap-MB")
				b.ReportMetric(held/float64(entries), "B/entry")
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(4*n*(i+1)), "ns/event")
				runtime.KeepAlive(e)
				b.StartTimer()
			}
		})
	}
}

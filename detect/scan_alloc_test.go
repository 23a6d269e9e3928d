//go:build !race

package detect_test

import (
	"testing"
	"time"

	"github.com/medtap/medtap/detect"
	"github.com/medtap/medtap/dicom/ul"
)

// TestScanBaselineAllocs: in steady state (a learned network, then the
// same kinds of traffic, and a scanner already being counted) the scan
// and baseline detectors allocate nothing per event.
func TestScanBaselineAllocs(t *testing.T) {
	e, c := newEngine(t, detect.Config{}, sbDetectors("scan", "baseline")...)
	learned := sbLearnNormal(new(sbFeed).at(t0))
	e.Learn(true)
	for _, ev := range learned.evs {
		e.Event(ev)
	}
	e.Learn(false)

	// One minute of normal traffic, a scanner's probes and a new device,
	// replayed with time moving on.
	f := new(sbFeed).at(learned.ts.Add(time.Minute))
	f.conn(sbWS+":40000", sbPACS+":104", "dicom", 2000, 3e5)
	f.assoc(sbWS+":40000", sbPACS+":104", "WS1", "PACS")
	f.dimse(sbWS+":40000", sbPACS+":104", ul.CFindRQ)
	f.hl7(sbLIS+":41000", sbRIS+":2575", "LAB", "HOSP")
	f.conn(sbNewIP+":40000", sbPACS+":104", "dicom", 100, 100)
	for p := 1; p <= 30; p++ {
		f.flow(sbRefused("10.1.0.66:40000", sbHostPort("10.1.0.", 10, p)))
	}
	base := make([]time.Time, len(f.evs))
	for i, ev := range f.evs {
		base[i] = ev.Time
	}
	round := 0
	feed := func() {
		shift := time.Duration(round) * 10 * time.Second
		round++
		for i, ev := range f.evs {
			ev.Time = base[i].Add(shift)
			e.Event(ev)
		}
	}
	for range 20 { // warm up: the alerts of the first windows
		feed()
	}
	if n := testing.AllocsPerRun(200, feed); n != 0 {
		t.Errorf("%v allocations per round of %d events", n, len(f.evs))
	}
	if len(c.alerts) == 0 {
		t.Error("nothing raised: the round is not what it means to be")
	}
}

// BenchmarkScanBaselineEvents measures the two detectors on ten minutes
// of the normal traffic of the baseline tests, learned, then replayed with
// time moving on ("normal", 9 events in 10 flow starts and ends), and with
// a scanner probing 30 ports a minute besides ("probes").
func BenchmarkScanBaselineEvents(b *testing.B) {
	for _, probes := range []bool{false, true} {
		name := "normal"
		if probes {
			name = "probes"
		}
		b.Run(name, func(b *testing.B) {
			e, _ := newEngine(b, detect.Config{}, sbDetectors("scan", "baseline")...)
			learned := sbLearnNormal(new(sbFeed).at(t0))
			e.Learn(true)
			for _, ev := range learned.evs {
				e.Event(ev)
			}
			e.Learn(false)
			f := sbLearnNormal(new(sbFeed).at(learned.ts.Add(time.Minute)))
			if probes {
				for p := 1; p <= 30; p++ {
					f.flow(sbRefused("10.1.0.66:40000", sbHostPort("10.1.0.", 10, p)))
				}
			}
			evs := f.evs
			span := evs[len(evs)-1].Time.Sub(evs[0].Time) + time.Minute
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				ev := evs[i%len(evs)]
				if i%len(evs) == 0 && i > 0 {
					for _, x := range evs {
						x.Time = x.Time.Add(span)
					}
				}
				e.Event(ev)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/event")
		})
	}
}

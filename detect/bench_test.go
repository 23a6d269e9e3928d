package detect_test

import (
	"testing"
	"time"

	"github.com/medtap/medtap/detect"
	"github.com/medtap/medtap/dicom/ul"
	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/dicomflow"
)

// steadyEvents is the event stream of bulk imaging, the bulk of a
// hospital's events: associations of a modality storing ten images to a
// PACS, each association a flow with its start and end events.
func steadyEvents() []*flow.Event {
	var d dev
	d.ts = t0
	scp := ap("10.0.1.10:104")
	for n := range 4 {
		cli := client("10.0.5.21", n)
		k, _ := flow.MakeKey(flow.TCP, cli, scp)
		d.ts = d.ts.Add(time.Second)
		d.events = append(d.events, &flow.Event{Time: d.ts, Key: k, Src: cli, Dst: scp, Protocol: flow.ProtocolFlow, Kind: flow.KindStart,
			Detail: &flow.FlowInfo{Transport: flow.TCP, Start: d.ts}})
		d.assoc(cli, scp, "CT01", "PACS")
		for i := range 10 {
			rq := &ul.Message{Command: ul.CStoreRQ, AffectedSOPClass: []byte(sopCT), MessageID: uint16(i), HasMessageID: true,
				HasDataset: true, Remaining: -1, Completed: -1, Failed: -1, Warning: -1,
				Object: ul.Object{SOPClass: []byte(sopCT), Modality: []byte("CT"), PatientID: []byte("12345"), Manufacturer: []byte("GE MEDICAL SYSTEMS")}}
			d.dimse(cli, scp, rq, "CT01", "PACS")
			rsp := &ul.Message{Command: ul.CStoreRSP, AffectedSOPClass: []byte(sopCT), RespondedTo: uint16(i), HasRespondedTo: true,
				HasStatus: true, Remaining: -1, Completed: -1, Failed: -1, Warning: -1}
			d.dimse(scp, cli, rsp, "CT01", "PACS")
		}
		d.add(dicomflow.Name, dicomflow.KindReleaseRQ, cli, scp, nil)
		d.add(dicomflow.Name, dicomflow.KindReleaseRP, scp, cli, nil)
		d.ts = d.ts.Add(time.Second)
		d.events = append(d.events, &flow.Event{Time: d.ts, Key: k, Src: cli, Dst: scp, Protocol: flow.ProtocolFlow, Kind: flow.KindEnd,
			Detail: &flow.FlowInfo{Transport: flow.TCP, Reason: "fin", Packets: [2]uint64{60, 40}, Bytes: [2]uint64{5 << 20, 2000}, Start: d.ts}})
	}
	return d.events
}

// BenchmarkEngine is the default detector set over steadyEvents, with
// and without a baseline loaded (the baseline rules then run too), in
// events per second.
func BenchmarkEngine(b *testing.B) {
	evs := steadyEvents()
	for _, learned := range []bool{false, true} {
		name := "signatures"
		if learned {
			name = "with-baseline"
		}
		b.Run(name, func(b *testing.B) {
			e, _ := newEngine(b, detect.Config{})
			if learned {
				e.Learn(true)
				for _, ev := range evs {
					e.Event(ev)
				}
				e.Learn(false)
			}
			for _, ev := range evs { // warm
				e.Event(ev)
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				e.Event(evs[i])
				if i++; i == len(evs) {
					i = 0
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// TestEngineSteadyAllocs: the default set allocates nothing per event on
// the steady stream.
func TestEngineSteadyAllocs(t *testing.T) {
	evs := steadyEvents()
	e, _ := newEngine(t, detect.Config{})
	e.Learn(true)
	for _, ev := range evs {
		e.Event(ev)
	}
	e.Learn(false)
	for _, ev := range evs {
		e.Event(ev)
	}
	i := 0
	if n := testing.AllocsPerRun(10*len(evs), func() {
		e.Event(evs[i%len(evs)])
		i++
	}); n != 0 {
		t.Errorf("%v allocations per event", n)
	}
}

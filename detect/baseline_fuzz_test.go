package detect_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/medtap/medtap/detect"
)

// sbFuzzCaps are the small caps FuzzUnmarshalBaseline loads within.
var sbFuzzCaps = map[string]detect.RuleConfig{
	"baseline.new-device":  {Params: map[string]float64{"max-devices": 8}},
	"baseline.new-peer":    {Params: map[string]float64{"max-peers": 8}},
	"baseline.new-service": {Params: map[string]float64{"max-services": 4}},
	"hl7.new-sender":       {Params: map[string]float64{"max-senders": 2}},
	"dicom.new-ae":         {Params: map[string]float64{"max-pairs": 2}},
}

// FuzzUnmarshalBaseline loads baselines into a detector with small caps:
// loading never panics, never holds more than a cap, a loaded baseline
// saves and loads again to the same baseline, and events run after it.
// Seeds: the baseline of the normal network of the tests, and bits of it.
func FuzzUnmarshalBaseline(f *testing.F) {
	e, _ := newEngine(f, detect.Config{}, sbDetectors("baseline")...)
	learned := sbLearnNormal(new(sbFeed).at(t0))
	e.Learn(true)
	for _, ev := range learned.evs {
		e.Event(ev)
	}
	seed, err := e.Detectors()[0].(detect.Baseliner).MarshalBaseline()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`{"version":1,"learned":true,"devices":[{"addr":"::ffff:10.0.0.1","hours":4294967295,"bytes":{"mean":-1,"peak":1e308,"intervals":1}}],"peers":[["x","y"]],"services":[{"addr":"10.0.0.1","transport":"sctp","port":0}],"hl7_senders":[{"app":"","facility":"","sources":["10.0.0.1","10.0.0.1","10.0.0.2","10.0.0.3","10.0.0.4","10.0.0.5"]}],"ae_pairs":[["A","B"],["A","B"]]}`))
	f.Add([]byte(`{"version":1}`))
	f.Add([]byte(`{"version":1,"first":"2026-01-02T00:00:00Z","last":"2026-01-01T00:00:00Z"}`))
	det := new(sbFeed).at(learned.ts.Add(time.Hour))
	det.conn(sbNewIP+":40000", sbPACS+":104", "dicom", 100, 100)
	det.conn(sbWS+":40000", sbCT+":104", "dicom", 100, 100)
	det.hl7(sbLIS+":41000", sbRIS+":2575", "LAB2", "HOSP")
	det.assoc(sbCT+":40001", sbPACS+":104", "CT1", "ARCHIVE")
	caps := map[string]uint64{"devices": 8, "peers": 8, "services": 4, "senders": 2, "ae_pairs": 2, "raised_keys": 8}
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := detect.NewEngine(detect.Config{Rules: sbFuzzCaps}, nil, sbDetectors("baseline"))
		if err != nil {
			t.Fatal(err)
		}
		d := e.Detectors()[0]
		b := d.(detect.Baseliner)
		if b.UnmarshalBaseline(data) != nil {
			return
		}
		check := func(when string) {
			for k, v := range d.(detect.Counter).Counts() {
				if max, ok := caps[k]; ok && v > max {
					t.Fatalf("%s: %s %d over its cap %d", when, k, v, max)
				}
			}
		}
		check("loaded")
		out, err := b.MarshalBaseline()
		if err != nil {
			t.Fatal(err)
		}
		if err := b.UnmarshalBaseline(out); err != nil {
			t.Fatalf("a saved baseline does not load: %v\n%s", err, out)
		}
		again, _ := b.MarshalBaseline()
		if !bytes.Equal(out, again) {
			t.Fatalf("saved, loaded and saved again:\n%s\n%s", out, again)
		}
		for _, ev := range det.evs {
			e.Event(ev)
		}
		e.Flush()
		check("after events")
	})
}

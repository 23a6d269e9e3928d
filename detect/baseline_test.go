package detect_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/medtap/medtap/detect"
	"github.com/medtap/medtap/dicom/ul"
	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/dicomflow"
	"github.com/medtap/medtap/flow/hl7flow"
)

// sbFeed is a sequence of synthetic events, in time order.
type sbFeed struct {
	ts  time.Time
	evs []*flow.Event
}

func (f *sbFeed) at(ts time.Time) *sbFeed { f.ts = ts; return f }

func (f *sbFeed) wait(d time.Duration) *sbFeed { f.ts = f.ts.Add(d); return f }

// conn adds a complete TCP connection client -> server with data.
func (f *sbFeed) conn(client, server, app string, up, down uint64) *sbFeed {
	fl := sbData(client, server, up, down)
	fl.app = app
	f.evs = append(f.evs, fl.events(f.ts)...)
	f.ts = f.ts.Add(time.Millisecond)
	return f
}

func (f *sbFeed) flow(fl sbFlow) *sbFeed {
	f.evs = append(f.evs, fl.events(f.ts)...)
	f.ts = f.ts.Add(time.Millisecond)
	return f
}

func (f *sbFeed) ev(src, dst, proto string, kind flow.Kind, d flow.Detail) *sbFeed {
	f.evs = append(f.evs, &flow.Event{Time: f.ts, Src: ap(src), Dst: ap(dst), Protocol: proto, Kind: kind, Detail: d})
	f.ts = f.ts.Add(time.Millisecond)
	return f
}

// assoc adds an association request and its acceptance.
func (f *sbFeed) assoc(req, acc, calling, called string) *sbFeed {
	a := &ul.Associate{CallingAE: []byte(calling), CalledAE: []byte(called)}
	f.ev(req, acc, dicomflow.Name, dicomflow.KindAssociateRQ, &dicomflow.Associate{Associate: a})
	return f.ev(acc, req, dicomflow.Name, dicomflow.KindAssociateAC, &dicomflow.Associate{Associate: a})
}

func (f *sbFeed) dimse(src, dst string, cmd ul.Command) *sbFeed {
	return f.ev(src, dst, dicomflow.Name, dicomflow.KindDIMSE, &dicomflow.DIMSE{Message: &ul.Message{Command: cmd}})
}

func (f *sbFeed) hl7(src, dst, app, fac string) *sbFeed {
	return f.ev(src, dst, hl7flow.Name, hl7flow.KindMessage, &hl7flow.Message{SendingApp: []byte(app), SendingFacility: []byte(fac)})
}

// The network learned by most baseline tests.
const (
	sbWS    = "10.1.0.30" // a workstation
	sbPACS  = "10.1.0.10" // the PACS, DICOM on 104
	sbCT    = "10.1.0.20" // a CT
	sbLIS   = "10.1.0.40" // a lab system sending HL7 to the RIS on 2575
	sbRIS   = "10.1.0.41" //
	sbNewIP = "10.1.0.99" // never seen
)

func sbLearnNormal(f *sbFeed) *sbFeed {
	for i := range 10 { // ten minutes of normal traffic
		f.conn(sbWS+":40000", sbPACS+":104", "dicom", 2000, 3e5)
		f.assoc(sbWS+":40000", sbPACS+":104", "WS1", "PACS")
		f.dimse(sbWS+":40000", sbPACS+":104", ul.CFindRQ)
		f.conn(sbCT+":40001", sbPACS+":104", "dicom", 5e5, 1000)
		f.assoc(sbCT+":40001", sbPACS+":104", "CT1", "PACS")
		for range 5 {
			f.dimse(sbCT+":40001", sbPACS+":104", ul.CStoreRQ)
		}
		f.conn(sbLIS+":41000", sbRIS+":2575", "hl7", 3000, 300)
		for range 5 {
			f.hl7(sbLIS+":41000", sbRIS+":2575", "LAB", "HOSP")
		}
		f.conn(sbPACS+":42000", sbCT+":104", "dicom", 1000, 1000) // the PACS echoes the CT
		f.flow(sbFlow{client: sbWS + ":5353", server: "224.0.0.251:5353", transport: flow.UDP, reason: "idle", packets: [2]uint64{1, 0}, bytes: [2]uint64{40, 0}})
		if i < 9 {
			f.wait(time.Minute)
		}
	}
	return f
}

func TestBaselineRules(t *testing.T) {
	for _, tc := range []struct {
		name   string
		detect func(f *sbFeed)
		want   []string // "rule severity src dst", in order
		params map[string]map[string]float64
	}{
		{"normal traffic again", func(f *sbFeed) { sbLearnNormal(f) }, nil, nil},
		{"a new client", func(f *sbFeed) {
			for range 3 {
				f.conn(sbNewIP+":40000", sbPACS+":104", "dicom", 100, 100)
			}
		}, []string{"baseline.new-device medium 10.1.0.99:0 invalid AddrPort"}, nil},
		{"a new server", func(f *sbFeed) {
			f.conn(sbWS+":40000", sbNewIP+":22", "", 100, 100)
		}, []string{"baseline.new-peer medium 10.1.0.30:40000 10.1.0.99:22", "baseline.new-device medium 10.1.0.99:0 invalid AddrPort"}, nil},
		{"a new server that does not answer", func(f *sbFeed) { // an attempt at lateral movement still
			f.flow(sbSilent(sbWS+":40000", sbNewIP+":22"))
		}, []string{"baseline.new-peer medium 10.1.0.30:40000 10.1.0.99:22"}, nil},
		{"an external client", func(f *sbFeed) {
			f.conn("8.8.8.8:40000", sbPACS+":443", "", 100, 100)
		}, []string{"baseline.new-service medium 8.8.8.8:40000 10.1.0.10:443"}, nil}, // but not a device
		{"an external client, every address a device", func(f *sbFeed) {
			f.conn("8.8.8.8:40000", sbPACS+":443", "", 100, 100)
		}, []string{"baseline.new-device medium 8.8.8.8:0 invalid AddrPort", "baseline.new-service medium 8.8.8.8:40000 10.1.0.10:443"},
			map[string]map[string]float64{"baseline.new-device": {"internal-only": 0}}},
		{"a new peer", func(f *sbFeed) {
			f.conn(sbWS+":40000", sbCT+":104", "dicom", 100, 100)
			f.conn(sbWS+":40001", sbCT+":104", "dicom", 100, 100)
		}, []string{"baseline.new-peer medium 10.1.0.30:40000 10.1.0.20:104"}, nil},
		{"a new peer when learned peers were dropped at the cap", func(f *sbFeed) {
			f.conn(sbWS+":40000", sbCT+":104", "dicom", 100, 100)
		}, nil, map[string]map[string]float64{"baseline.new-peer": {"max-peers": 3}}},
		{"a new service when learned services were dropped at the cap", func(f *sbFeed) {
			f.conn(sbWS+":40000", sbPACS+":22", "", 100, 100)
		}, nil, map[string]map[string]float64{"baseline.new-service": {"max-services": 2}}},
		{"a new peer the other way round", func(f *sbFeed) {
			f.conn(sbPACS+":40000", sbWS+":104", "dicom", 100, 100)
		}, []string{"baseline.new-peer medium 10.1.0.10:40000 10.1.0.30:104", "baseline.new-service medium 10.1.0.10:40000 10.1.0.30:104"}, nil},
		{"a peer seen from the middle of a connection", func(f *sbFeed) {
			f.flow(sbFlow{client: sbWS + ":40000", server: sbCT + ":104", reason: "eof", packets: [2]uint64{3, 3}, bytes: [2]uint64{10, 10}, app: "dicom"})
		}, nil, nil},
		{"a new service", func(f *sbFeed) {
			f.conn(sbWS+":40000", sbPACS+":22", "", 100, 100)
			f.conn(sbWS+":40001", sbPACS+":22", "", 100, 100)
		}, []string{"baseline.new-service medium 10.1.0.30:40000 10.1.0.10:22"}, nil},
		{"a new protocol on a known port", func(f *sbFeed) {
			f.conn(sbWS+":40000", sbPACS+":104", "http", 100, 100)
		}, []string{"baseline.new-service low 10.1.0.30:40000 10.1.0.10:104"}, nil},
		{"an unidentified flow on a known port", func(f *sbFeed) {
			f.conn(sbWS+":40000", sbPACS+":104", "", 0, 0)
		}, nil, nil},
		{"a dynamic port", func(f *sbFeed) {
			f.conn(sbWS+":40000", sbPACS+":50021", "", 100, 100)
		}, nil, nil},
		{"a refused port", func(f *sbFeed) {
			f.flow(sbRefused(sbWS+":40000", sbPACS+":23"))
		}, nil, nil},
		{"HL7: known sender", func(f *sbFeed) {
			f.hl7(sbLIS+":41000", sbRIS+":2575", "LAB", "HOSP")
		}, nil, nil},
		{"HL7: new sender", func(f *sbFeed) {
			f.hl7(sbLIS+":41000", sbRIS+":2575", "LAB2", "HOSP")
			f.hl7(sbLIS+":41000", sbRIS+":2575", "LAB2", "HOSP")
		}, []string{"hl7.new-sender medium 10.1.0.40:41000 10.1.0.41:2575"}, nil},
		{"HL7: known sender from a new address", func(f *sbFeed) {
			f.hl7(sbWS+":41000", sbRIS+":2575", "LAB", "HOSP")
		}, []string{"hl7.new-sender medium 10.1.0.30:41000 10.1.0.41:2575"}, nil},
		{"DICOM: known AE pair", func(f *sbFeed) {
			f.assoc(sbCT+":40001", sbPACS+":104", "CT1", "PACS")
		}, nil, nil},
		{"DICOM: new AE pair", func(f *sbFeed) {
			f.assoc(sbCT+":40001", sbPACS+":104", "CT1", "ARCHIVE")
			f.assoc(sbCT+":40002", sbPACS+":104", "CT1", "ARCHIVE")
		}, []string{"dicom.new-ae medium 10.1.0.20:40001 10.1.0.10:104"}, nil},
		{"DICOM: new AE pair rejected", func(f *sbFeed) {
			a := &ul.Associate{CallingAE: []byte("GUESS"), CalledAE: []byte("PACS")}
			f.ev(sbCT+":40001", sbPACS+":104", dicomflow.Name, dicomflow.KindAssociateRQ, &dicomflow.Associate{Associate: a})
		}, nil, nil},
		{"volume: bytes", func(f *sbFeed) {
			f.conn(sbWS+":40000", sbPACS+":104", "dicom", 2000, 5e6)
			f.conn(sbWS+":40000", sbPACS+":104", "dicom", 2000, 5e6)
		}, []string{"baseline.volume medium 10.1.0.30:0 invalid AddrPort", "baseline.volume medium 10.1.0.10:0 invalid AddrPort"}, nil},
		{"volume: within the learned peak", func(f *sbFeed) {
			f.conn(sbCT+":40000", sbPACS+":104", "dicom", 5e5, 1000)
		}, nil, nil},
		{"volume: above the mean, under the minimum", func(f *sbFeed) {
			f.conn(sbLIS+":40000", sbRIS+":2575", "hl7", 9e5, 1000)
		}, nil, nil},
		{"volume: a long flow at its mean rate", func(f *sbFeed) {
			fl := sbData(sbWS+":40000", sbPACS+":104", 2000, 5e6)
			fl.app, fl.dur = "dicom", time.Hour
			f.flow(fl)
		}, nil, nil},
		{"volume: DIMSE requests", func(f *sbFeed) {
			for range 60 {
				f.dimse(sbCT+":40001", sbPACS+":104", ul.CStoreRQ)
				f.dimse(sbPACS+":104", sbCT+":40001", ul.CStoreRSP)
			}
		}, []string{"baseline.volume medium 10.1.0.20:0 invalid AddrPort"}, nil},
		{"rate: associations", func(f *sbFeed) {
			for range 25 {
				f.assoc(sbWS+":40000", sbPACS+":104", "WS1", "PACS")
			}
		}, []string{"baseline.rate medium 10.1.0.30:0 invalid AddrPort"}, nil},
		{"rate: HL7 messages", func(f *sbFeed) {
			for range 60 {
				f.hl7(sbLIS+":41000", sbRIS+":2575", "LAB", "HOSP")
			}
		}, []string{"baseline.rate medium 10.1.0.40:0 invalid AddrPort"}, nil},
		{"rate: below the minimum", func(f *sbFeed) {
			for range 15 {
				f.assoc(sbWS+":40000", sbPACS+":104", "WS1", "PACS")
			}
		}, nil, nil},
		{"off-hours: under a day of learning", func(f *sbFeed) {
			f.wait(12 * time.Hour)
			f.conn(sbWS+":40000", sbPACS+":104", "dicom", 100, 100)
		}, nil, nil},
		{"rule off", func(f *sbFeed) {
			f.conn(sbNewIP+":40000", sbPACS+":104", "dicom", 100, 100)
		}, nil, map[string]map[string]float64{"baseline.new-device": nil}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := detect.Config{Rules: map[string]detect.RuleConfig{}}
			for id, ps := range tc.params {
				cfg.Rules[id] = detect.RuleConfig{Params: ps, Disabled: ps == nil}
			}
			e, c := newEngine(t, cfg, sbDetectors("baseline")...)
			f := sbLearnNormal(new(sbFeed).at(t0))
			e.Learn(true)
			for _, ev := range f.evs {
				e.Event(ev)
			}
			e.Learn(false)
			if len(c.alerts) != 0 {
				t.Fatalf("alerts while learning: %+v", c.alerts)
			}
			d := new(sbFeed).at(f.ts.Add(time.Minute))
			tc.detect(d)
			for _, ev := range d.evs {
				e.Event(ev)
			}
			e.Flush()
			var got []string
			for _, a := range c.alerts {
				got = append(got, fmt.Sprintf("%s %s %v %v", a.ID, a.Severity, a.Src, a.Dst))
				if a.Summary == "" {
					t.Errorf("%s: no summary", a.ID)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("alerts:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
				for _, a := range c.alerts {
					t.Logf("%s: %s %v", a.ID, a.Summary, a.Evidence)
				}
			}
		})
	}
}

// TestBaselineNothingLearned: without learning the baseline rules raise
// nothing.
func TestBaselineNothingLearned(t *testing.T) {
	e, c := newEngine(t, detect.Config{}, sbDetectors("baseline")...)
	for _, ev := range sbLearnNormal(new(sbFeed).at(t0)).evs {
		e.Event(ev)
	}
	e.Flush()
	if len(c.alerts) != 0 {
		t.Errorf("alerts %+v", c.alerts)
	}
}

// TestBaselineOffHours learns two days of a workstation active from 8 to
// 17 h UTC.
func TestBaselineOffHours(t *testing.T) {
	e, c := newEngine(t, detect.Config{}, sbDetectors("baseline")...)
	day := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	f := new(sbFeed)
	for d := range 2 {
		for h := 8; h <= 17; h++ {
			f.at(day.Add(time.Duration(24*d+h) * time.Hour))
			f.conn(sbWS+":40000", sbPACS+":104", "dicom", 100, 100)
			if d == 0 {
				f.conn(sbPACS+":40000", sbCT+":104", "dicom", 100, 100)
			}
		}
	}
	f.at(day.Add(48 * time.Hour))
	f.conn(sbPACS+":40000", sbCT+":104", "dicom", 100, 100) // learning spans 40 h
	e.Learn(true)
	for _, ev := range f.evs {
		e.Event(ev)
	}
	e.Learn(false)
	f.evs = nil
	for _, at := range []int{12, 18, 7, 3, 3} { // 18 and 7 are next to learned hours
		f.at(day.Add(time.Duration(48+at) * time.Hour).Add(30 * time.Minute))
		f.conn(sbWS+":40000", sbPACS+":104", "dicom", 100, 100)
		f.conn(sbPACS+":40000", sbCT+":104", "dicom", 100, 100) // 11 learned flows: too few to judge
	}
	for _, ev := range f.evs {
		e.Event(ev)
	}
	e.Flush()
	if len(c.alerts) != 1 || c.alerts[0].ID != "baseline.off-hours" || c.alerts[0].Src.Addr().String() != sbWS ||
		c.alerts[0].Field("hour_utc") != "3" || c.alerts[0].Field("learned_hours_utc") != "8-17" {
		t.Fatalf("alerts %+v", c.alerts)
	}
}

// TestBaselineSaveLoad learns in one engine, saves the baseline and
// detects in another that loaded it: what it raises is what the first
// engine raises, and the baseline reads back as it was written.
func TestBaselineSaveLoad(t *testing.T) {
	learned := sbLearnNormal(new(sbFeed).at(t0))
	det := new(sbFeed).at(learned.ts.Add(time.Hour))
	det.conn(sbNewIP+":40000", sbPACS+":104", "dicom", 100, 100)
	det.conn(sbWS+":40000", sbCT+":104", "dicom", 100, 100)
	det.conn(sbWS+":40000", sbPACS+":22", "", 100, 100)
	det.hl7(sbLIS+":41000", sbRIS+":2575", "LAB2", "HOSP")
	det.assoc(sbCT+":40001", sbPACS+":104", "CT1", "ARCHIVE")
	for range 60 {
		det.hl7(sbLIS+":41000", sbRIS+":2575", "LAB", "HOSP")
	}
	run := func(e *detect.Engine, c *collect) []string {
		for _, ev := range det.evs {
			e.Event(ev)
		}
		e.Flush()
		var got []string
		for _, a := range c.alerts {
			got = append(got, a.ID+" "+a.Src.String())
		}
		return got
	}

	e1, c1 := newEngine(t, detect.Config{}, sbDetectors("baseline")...)
	e1.Learn(true)
	for _, ev := range learned.evs {
		e1.Event(ev)
	}
	var buf bytes.Buffer
	if _, err := e1.WriteBaseline(&buf); err != nil {
		t.Fatal(err)
	}
	e1.Learn(false)
	want := run(e1, c1)
	if len(want) != 6 {
		t.Errorf("first engine raised %q", want)
	}

	e2, c2 := newEngine(t, detect.Config{}, sbDetectors("baseline")...)
	if err := e2.ReadBaseline(bytes.NewReader(buf.Bytes()), 0); err != nil {
		t.Fatal(err)
	}
	var buf2 bytes.Buffer
	if _, err := e2.WriteBaseline(&buf2); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), buf2.Bytes()) {
		t.Errorf("baseline changed on a round trip:\n%s\n%s", buf.Bytes(), buf2.Bytes())
	}
	if got := run(e2, c2); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("loaded baseline raised\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var doc struct {
		Detectors map[string]json.RawMessage
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil || doc.Detectors["baseline"] == nil {
		t.Fatalf("baseline file %s: %v", buf.Bytes(), err)
	}
	for _, s := range []string{`"addr":"10.1.0.10"`, `["10.1.0.30","10.1.0.10"]`, `"port":104,"apps":["dicom"]`, `"app":"LAB","facility":"HOSP","sources":["10.1.0.40"]`, `["CT1","PACS"]`} {
		if !bytes.Contains(doc.Detectors["baseline"], []byte(s)) {
			t.Errorf("baseline has no %s: %s", s, doc.Detectors["baseline"])
		}
	}
}

func TestBaselineLoadErrors(t *testing.T) {
	e, _ := newEngine(t, detect.Config{}, sbDetectors("baseline")...)
	for _, bad := range []string{
		`{"format":"medtap-baseline","version":1,"detectors":{"baseline":{"version":2}}}`,
		`{"format":"medtap-baseline","version":1,"detectors":{"baseline":[1]}}`,
	} {
		if err := e.ReadBaseline(strings.NewReader(bad), 0); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

// TestBaselineBudget: past max-per-minute new devices in a minute, one
// alert with no addresses counts the rest.
func TestBaselineBudget(t *testing.T) {
	e, c := newEngine(t, detect.Config{}, sbDetectors("baseline")...)
	f := sbLearnNormal(new(sbFeed).at(t0))
	e.Learn(true)
	for _, ev := range f.evs {
		e.Event(ev)
	}
	e.Learn(false)
	d := new(sbFeed).at(f.ts.Add(time.Hour))
	for i := range 150 {
		d.conn(fmt.Sprintf("10.2.0.%d:40000", i), sbPACS+":104", "dicom", 100, 100)
	}
	for _, ev := range d.evs {
		e.Event(ev)
	}
	e.Flush()
	n, rest := 0, 0
	for _, a := range c.alerts {
		if a.ID != "baseline.new-device" {
			t.Fatalf("%s: %s", a.ID, a.Summary)
		}
		if a.Src.IsValid() {
			n++
		} else {
			rest += a.Count
		}
	}
	if n != 100 || rest != 50 {
		t.Errorf("%d alerts one by one and %d counted, want 100 and 50", n, rest)
	}
}

// TestBaselineLearnPeriod: a learning period of packet time (Config.Learn)
// learns as the explicit phase does.
func TestBaselineLearnPeriod(t *testing.T) {
	e, c := newEngine(t, detect.Config{Learn: 10 * time.Minute}, sbDetectors("baseline")...)
	f := sbLearnNormal(new(sbFeed).at(t0)) // nine minutes
	f.at(t0.Add(11 * time.Minute))
	sbLearnNormal(f) // the same, after learning
	f.conn(sbNewIP+":40000", sbPACS+":104", "dicom", 100, 100)
	for _, ev := range f.evs {
		e.Event(ev)
	}
	e.Flush()
	if len(c.alerts) != 1 || c.alerts[0].ID != "baseline.new-device" || c.alerts[0].Time.Before(t0.Add(20*time.Minute)) {
		t.Errorf("alerts %+v", c.alerts)
	}
}

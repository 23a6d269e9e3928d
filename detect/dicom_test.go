package detect_test

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/medtap/medtap/detect"
	"github.com/medtap/medtap/dicom"
	"github.com/medtap/medtap/dicom/ul"
	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/dicomflow"
	"github.com/medtap/medtap/flow/hl7flow"
	"github.com/medtap/medtap/flow/httpflow"
	"github.com/medtap/medtap/hl7"
	"github.com/medtap/medtap/netproto/http"
)

// Addresses of the synthetic DICOM traffic.
const (
	pacs     = "10.0.1.10:104"
	modality = "10.0.5.21"
	ws       = "10.0.6.31"
	attacker = "10.99.0.66"
	viewer   = "10.0.1.20:11114"
)

const (
	sopPatientFind = "1.2.840.10008.5.1.4.1.2.1.1"
	sopStudyFind   = "1.2.840.10008.5.1.4.1.2.2.1"
	sopStudyMove   = "1.2.840.10008.5.1.4.1.2.2.2"
	sopWorklist    = "1.2.840.10008.5.1.4.31"
	sopCT          = "1.2.840.10008.5.1.4.1.1.2"
)

// dev builds the events of a scenario at one-second steps from t0.
type dev struct {
	ts     time.Time
	events []*flow.Event
}

func (d *dev) add(proto string, kind flow.Kind, src, dst netip.AddrPort, detail flow.Detail) {
	d.ts = d.ts.Add(time.Second)
	k, _ := flow.MakeKey(flow.TCP, src, dst)
	d.events = append(d.events, &flow.Event{Time: d.ts, Key: k, Src: src, Dst: dst, Protocol: proto, Kind: kind, Detail: detail})
}

// client returns the address-port of host's n-th connection.
func client(host string, n int) netip.AddrPort { return ap(fmt.Sprintf("%s:%d", host, 40000+n)) }

func (d *dev) rq(cli, scp netip.AddrPort, calling, called string) {
	d.add(dicomflow.Name, dicomflow.KindAssociateRQ, cli, scp, &dicomflow.Associate{Associate: &ul.Associate{
		Type: ul.TypeAssociateRQ, CallingAE: []byte(calling), CalledAE: []byte(called)}})
}

func (d *dev) ac(cli, scp netip.AddrPort, calling, called string) {
	d.add(dicomflow.Name, dicomflow.KindAssociateAC, scp, cli, &dicomflow.Associate{Associate: &ul.Associate{
		Type: ul.TypeAssociateAC, CallingAE: []byte(calling), CalledAE: []byte(called)}})
}

func (d *dev) rj(cli, scp netip.AddrPort, reason ul.RejectReason) {
	d.add(dicomflow.Name, dicomflow.KindAssociateRJ, scp, cli, &dicomflow.Reject{Reject: ul.Reject{
		Result: ul.RejectedPermanent, Source: ul.RejectServiceUser, Reason: reason}})
}

// assoc is an accepted association.
func (d *dev) assoc(cli, scp netip.AddrPort, calling, called string) {
	d.rq(cli, scp, calling, called)
	d.ac(cli, scp, calling, called)
}

func (d *dev) dimse(src, dst netip.AddrPort, m *ul.Message, calling, called string) {
	d.add(dicomflow.Name, dicomflow.KindDIMSE, src, dst, &dicomflow.DIMSE{Message: m, CallingAE: []byte(calling), CalledAE: []byte(called)})
}

// q builds a query identifier from "tag=value" pairs of keywords
// (PatientName, PatientID, StudyDate, AccessionNumber, ...).
func q(keys ...string) []ul.Element {
	tags := map[string]dicom.Tag{"PatientName": 0x00100010, "PatientID": 0x00100020, "PatientBirthDate": 0x00100030,
		"StudyDate": 0x00080020, "AccessionNumber": 0x00080050, "StudyInstanceUID": 0x0020000D, "Modality": 0x00080060,
		"SpecificCharacterSet": 0x00080005, "ScheduledProcedureStepSequence": 0x00400100}
	var es []ul.Element
	for _, kv := range keys {
		k, v, _ := strings.Cut(kv, "=")
		e := ul.Element{Tag: tags[k], Value: []byte(v)}
		if strings.HasSuffix(k, "Sequence") {
			e.VR = dicom.SQ
		}
		es = append(es, e)
	}
	return es
}

func find(sop, level string, id uint16, query []ul.Element) *ul.Message {
	return &ul.Message{Command: ul.CFindRQ, AffectedSOPClass: []byte(sop), MessageID: id, HasMessageID: true,
		QueryLevel: []byte(level), Query: query, HasDataset: true, Remaining: -1, Completed: -1, Failed: -1, Warning: -1}
}

func pending(id uint16, query []ul.Element) *ul.Message {
	return &ul.Message{Command: ul.CFindRSP, RespondedTo: id, HasRespondedTo: true, Status: 0xFF00, HasStatus: true, Query: query,
		Remaining: -1, Completed: -1, Failed: -1, Warning: -1}
}

func moveRQ(id uint16, dest string) *ul.Message {
	return &ul.Message{Command: ul.CMoveRQ, AffectedSOPClass: []byte(sopStudyMove), MessageID: id, HasMessageID: true,
		MoveDestination: []byte(dest), QueryLevel: []byte("STUDY"), Query: q("StudyInstanceUID=1.2.3"),
		Remaining: -1, Completed: -1, Failed: -1, Warning: -1}
}

func moveRSP(id uint16, status ul.Status) *ul.Message {
	return &ul.Message{Command: ul.CMoveRSP, AffectedSOPClass: []byte(sopStudyMove), RespondedTo: id, HasRespondedTo: true,
		Status: status, HasStatus: true, Remaining: -1, Completed: 0, Failed: 0, Warning: 0}
}

func store(o ul.Object) *ul.Message {
	o.SOPClass = []byte(sopCT)
	return &ul.Message{Command: ul.CStoreRQ, AffectedSOPClass: []byte(sopCT), MessageID: 1, HasMessageID: true, HasDataset: true,
		Object: o, Remaining: -1, Completed: -1, Failed: -1, Warning: -1}
}

// normalDay is traffic that must raise nothing above low: modalities
// storing, a workstation querying a patient's studies and today's studies,
// retrieving to itself and to a viewer that took part in an accepted
// association before, a modality asking for its worklist with universal
// keys, and one association rejected for a mistyped called AE title.
func normalDay(d *dev) {
	scp := ap(pacs)
	d.assoc(ap(viewer), scp, "VIEWER", "PACS") // the viewer has talked to the PACS before
	for i := range 3 {
		d.assoc(client(modality, i), scp, "CT_SCANNER", "PACS")
		d.dimse(client(modality, i), scp, store(ul.Object{PatientID: []byte("PID42"), HasPatientName: true}), "CT_SCANNER", "PACS")
	}
	w := client(ws, 1)
	d.assoc(w, scp, "RADWS", "PACS")
	d.dimse(w, scp, find(sopStudyFind, "STUDY", 1, q("PatientID=PID42", "StudyDate=", "StudyInstanceUID=")), "RADWS", "PACS")
	d.dimse(scp, w, pending(1, q("PatientID=PID42", "StudyDate=20261129")), "RADWS", "PACS")
	d.dimse(w, scp, find(sopStudyFind, "STUDY", 2, q("PatientName=", "StudyDate=20261206", "AccessionNumber=")), "RADWS", "PACS")
	d.dimse(w, scp, moveRQ(3, "RADWS"), "RADWS", "PACS")
	d.dimse(scp, w, moveRSP(3, 0), "RADWS", "PACS")
	d.dimse(w, scp, moveRQ(4, "VIEWER"), "RADWS", "PACS")
	d.dimse(scp, w, moveRSP(4, 0), "RADWS", "PACS")
	m := client(modality, 9)
	d.assoc(m, scp, "CT_SCANNER", "PACS")
	d.dimse(m, scp, find(sopWorklist, "", 1, q("PatientName=", "PatientID=", "ScheduledProcedureStepSequence=")), "CT_SCANNER", "PACS")
	u := client("10.0.5.43", 1)
	d.rq(u, scp, "US_CART3", "WRONG_AE")
	d.rj(u, scp, ul.ReasonCalledAETitleNotRecognized)
}

// TestDICOMRules checks every rule of the DICOM detector on synthetic
// events: what fires, at which severity, between whom, and that normal
// traffic around it raises nothing above low.
func TestDICOMRules(t *testing.T) {
	scp := ap(pacs)
	tests := []struct {
		name     string
		scenario func(d *dev)
		want     string // alertText of the dicom. and phi. alerts
	}{
		{"normal", normalDay, "" +
			"dicom.association-rejected low 10.0.5.43->10.0.1.10:104 x1\n" +
			"phi.cleartext info 10.0.5.21->10.0.1.10:104 x1\n" + // once per flow: three flows, the first emitted at once
			"phi.cleartext info 10.0.5.21->10.0.1.10:104 x2\n" + // and the two others counted
			"phi.cleartext info 10.0.6.31->10.0.1.10:104 x1"}, // the workstation's flow, its query and the answers
		{"ae-bruteforce", func(d *dev) {
			for i, called := range []string{"PACS1", "ARCHIVE", "DCM4CHEE", "ORTHANC", "STORESCP", "PACS"} {
				c := client(attacker, i)
				d.rq(c, scp, "ECHOSCU", called)
				if called == "PACS" {
					d.ac(c, scp, "ECHOSCU", called)
				} else {
					d.rj(c, scp, ul.ReasonCalledAETitleNotRecognized)
				}
			}
		}, "" +
			"dicom.ae-bruteforce high 10.99.0.66->10.0.1.10:104 x1\n" +
			"dicom.any-ae-accepted low 10.99.0.66->10.0.1.10:104 x1\n" + // ECHOSCU accepted in the end
			"dicom.association-rejected low 10.99.0.66->10.0.1.10:104 x1\n" +
			"dicom.association-rejected low 10.99.0.66->10.0.1.10:104 x4"},
		{"ae-bruteforce-slow", func(d *dev) { // one guess every two minutes: under five in the window
			for i := range 6 {
				c := client(attacker, i)
				d.ts = d.ts.Add(2 * time.Minute)
				d.rq(c, scp, "SCU", fmt.Sprintf("AE%d", i))
				d.rj(c, scp, ul.ReasonCalledAETitleNotRecognized)
			}
		}, "dicom.association-rejected low 10.99.0.66->10.0.1.10:104 x1\ndicom.association-rejected low 10.99.0.66->10.0.1.10:104 x5"},
		{"retries-one-title", func(d *dev) { // a modality retrying with its one wrong title
			for i := range 8 {
				c := client(modality, i)
				d.rq(c, scp, "CT_SCANNER", "PACS")
				d.rj(c, scp, ul.ReasonCallingAETitleNotRecognized)
			}
		}, "dicom.association-rejected low 10.0.5.21->10.0.1.10:104 x1\ndicom.association-rejected low 10.0.5.21->10.0.1.10:104 x7"},
		{"query-sweep-patient-level", func(d *dev) {
			c := client(attacker, 1)
			d.assoc(c, scp, "SCANNER", "PACS")
			d.dimse(c, scp, find(sopPatientFind, "PATIENT", 1, q("PatientName=*", "PatientID=", "PatientBirthDate=")), "SCANNER", "PACS")
		}, "dicom.query-sweep high 10.99.0.66->10.0.1.10:104 x1"},
		{"query-sweep-study-level", func(d *dev) {
			c := client(attacker, 1)
			d.assoc(c, scp, "SCANNER", "PACS")
			d.dimse(c, scp, find(sopStudyFind, "STUDY", 1, q("SpecificCharacterSet=ISO_IR 100", "PatientName=**", "StudyDate=")), "SCANNER", "PACS")
		}, "dicom.query-sweep high 10.99.0.66->10.0.1.10:104 x1"},
		{"query-narrowed", func(d *dev) { // a patient's name prefix narrows: no sweep, but PHI
			c := client(ws, 1)
			d.assoc(c, scp, "RADWS", "PACS")
			d.dimse(c, scp, find(sopPatientFind, "PATIENT", 1, q("PatientName=DOE^*", "PatientID=")), "RADWS", "PACS")
		}, "phi.cleartext info 10.0.6.31->10.0.1.10:104 x1"},
		{"query-enumeration", func(d *dev) { // names by prefix, A* to Y*, one association each
			for i := range 25 {
				c := client(attacker, i)
				d.assoc(c, scp, "SCANNER", "PACS")
				d.dimse(c, scp, find(sopPatientFind, "PATIENT", 1, q("PatientName="+string(rune('A'+i))+"*", "PatientID=")), "SCANNER", "PACS")
			}
		}, "" +
			"dicom.query-sweep high 10.99.0.66->10.0.1.10:104 x1\n" + // at the 20th
			"dicom.query-sweep high 10.99.0.66->10.0.1.10:104 x5\n" +
			"phi.cleartext info 10.99.0.66->10.0.1.10:104 x1\n" +
			"phi.cleartext info 10.99.0.66->10.0.1.10:104 x24"},
		{"a-few-name-searches", func(d *dev) { // a radiologist looking up patients by name
			c := client(ws, 1)
			d.assoc(c, scp, "RADWS", "PACS")
			for i, name := range []string{"SMITH*", "DOE^J*", "M?LLER", "GARCIA*", "NGUYEN*"} {
				d.dimse(c, scp, find(sopPatientFind, "PATIENT", uint16(i+1), q("PatientName="+name, "PatientID=")), "RADWS", "PACS")
			}
		}, "phi.cleartext info 10.0.6.31->10.0.1.10:104 x1"},
		{"ae-bruteforce-unanswered", func(d *dev) { // the SCP closes the connection without answering
			for i := range 5 {
				c := client(attacker, i)
				d.rq(c, scp, fmt.Sprintf("SCU%d", i), "PACS")
				d.add(flow.ProtocolFlow, flow.KindEnd, c, scp, &flow.FlowInfo{Transport: flow.TCP, Protocol: dicomflow.Name, Reason: "rst"})
			}
		}, "dicom.ae-bruteforce high 10.99.0.66->10.0.1.10:104 x1"},
		{"query-sweep-pending", func(d *dev) {
			c := client(ws, 1)
			d.assoc(c, scp, "RADWS", "PACS")
			d.dimse(c, scp, find(sopStudyFind, "STUDY", 7, q("StudyDate=20200101-20261231", "PatientName=")), "RADWS", "PACS")
			for range 150 {
				d.dimse(scp, c, pending(7, q("StudyDate=20261129")), "RADWS", "PACS")
			}
		}, "dicom.query-sweep high 10.0.6.31->10.0.1.10:104 x1"},
		{"move-refused", func(d *dev) {
			c := client(attacker, 1)
			d.assoc(c, scp, "SCANNER", "PACS")
			for i, dest := range []string{"EVIL", "EXFIL"} {
				d.dimse(c, scp, moveRQ(uint16(i+1), dest), "SCANNER", "PACS")
				d.dimse(scp, c, moveRSP(uint16(i+1), 0xA801), "SCANNER", "PACS")
			}
		}, "" +
			"dicom.move-unknown-destination high 10.99.0.66->10.0.1.10:104 x1\n" +
			"dicom.move-unknown-destination high 10.99.0.66->10.0.1.10:104 x1\n" + // the second refusal, counted
			"dicom.move-unknown-destination low 10.99.0.66->10.0.1.10:104 x1\n" +
			"dicom.move-unknown-destination low 10.99.0.66->10.0.1.10:104 x1"},
		{"move-failed", func(d *dev) { // unable to process: high only for a destination never seen
			c := client(ws, 1)
			d.assoc(ap(viewer), scp, "VIEWER", "PACS")
			d.assoc(c, scp, "RADWS", "PACS")
			d.dimse(c, scp, moveRQ(1, "VIEWER"), "RADWS", "PACS")
			d.dimse(scp, c, moveRSP(1, 0xC000), "RADWS", "PACS")
			d.dimse(c, scp, moveRQ(2, "NEWAE"), "RADWS", "PACS")
			d.dimse(scp, c, moveRSP(2, 0xC000), "RADWS", "PACS")
		}, "" +
			"dicom.move-unknown-destination high 10.0.6.31->10.0.1.10:104 x1\n" +
			"dicom.move-unknown-destination low 10.0.6.31->10.0.1.10:104 x1"},
		{"executable-preamble", func(d *dev) {
			c := client(modality, 1)
			d.assoc(c, scp, "CT_SCANNER", "PACS")
			d.dimse(c, scp, store(ul.Object{Part10: true, Preamble: dicom.PreamblePE}), "CT_SCANNER", "PACS")
		}, "dicom.executable-content critical 10.0.5.21->10.0.1.10:104 x1"},
		{"executable-element", func(d *dev) {
			c := client(modality, 1)
			d.assoc(c, scp, "CT_SCANNER", "PACS")
			d.dimse(c, scp, store(ul.Object{Executable: dicom.PreambleELF, ExecutableTag: 0x00091010}), "CT_SCANNER", "PACS")
		}, "dicom.executable-content critical 10.0.5.21->10.0.1.10:104 x1"},
		{"tiff-preamble", func(d *dev) { // PS3.10 allows a TIFF preamble
			c := client(modality, 1)
			d.assoc(c, scp, "CT_SCANNER", "PACS")
			d.dimse(c, scp, store(ul.Object{Part10: true, Preamble: dicom.PreambleTIFF}), "CT_SCANNER", "PACS")
		}, ""},
		{"executable-http", func(d *dev) {
			d.add(httpflow.Name, httpflow.KindRequest, client(ws, 1), ap("10.0.1.10:8042"), &httpflow.Message{Msg: http.Message{
				Kind: http.KindRequest, Method: []byte("POST"), Target: []byte("/dicom-web/studies"), BodyMagic: http.MagicDICOM, PreambleExecutable: true}})
			d.add(httpflow.Name, httpflow.KindRequest, client(ws, 2), ap("10.0.1.10:8042"), &httpflow.Message{Msg: http.Message{
				Kind: http.KindRequest, Method: []byte("POST"), Target: []byte("/dicom-web/studies"), BodyMagic: http.MagicDICOM}})
		}, "dicom.executable-content critical 10.0.6.31->10.0.1.10:8042 x1"},
		{"any-ae-titles", func(d *dev) {
			for i, calling := range []string{"A1", "B2", "C3", "D4"} {
				d.assoc(client(attacker, i), scp, calling, "PACS")
			}
		}, "dicom.any-ae-accepted medium 10.99.0.66->10.0.1.10:104 x1\ndicom.any-ae-accepted medium 10.99.0.66->10.0.1.10:104 x1"}, // at the third and fourth titles
		{"any-ae-toolkit", func(d *dev) {
			d.assoc(client(attacker, 1), scp, "ECHOSCU", "ANY-SCP")
		}, "dicom.any-ae-accepted low 10.99.0.66->10.0.1.10:104 x1"},
		{"malformed", func(d *dev) {
			c := client(attacker, 1)
			for range 3 {
				d.add(dicomflow.Name, flow.KindError, c, scp, &flow.DecodeErrorDetail{Offset: 6, Err: errors.New("ul: bad PDU")})
			}
			d.add(dicomflow.Name, dicomflow.KindAbort, scp, c, &dicomflow.Abort{Abort: ul.Abort{Source: ul.AbortServiceProvider, Reason: ul.AbortUnexpectedPDU}})
			d.add(dicomflow.Name, dicomflow.KindAbort, c, scp, &dicomflow.Abort{Abort: ul.Abort{Source: ul.AbortServiceUser}}) // an ordinary abort
		}, "dicom.malformed low 10.99.0.66->10.0.1.10:104 x1\ndicom.malformed low 10.99.0.66->10.0.1.10:104 x3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &dev{ts: t0}
			tt.scenario(d)
			e, c := newEngine(t, detect.Config{})
			for _, ev := range d.events {
				e.Event(ev)
			}
			e.Flush()
			if got := alertText(c.alerts, "dicom.", "phi."); got != tt.want {
				t.Errorf("alerts:\n%s\nwant:\n%s", got, tt.want)
			}
			for _, a := range c.alerts {
				if a.Summary == "" {
					t.Errorf("%s: no summary", a.ID)
				}
			}
		})
	}
}

// TestDICOMEvidence checks the evidence of the main rules: the AE titles
// tried, the patient keys of a sweep, the destination of a refused move.
func TestDICOMEvidence(t *testing.T) {
	scp := ap(pacs)
	d := &dev{ts: t0}
	for i, called := range []string{"PACS1", "ARCHIVE", "DCM4CHEE", "ORTHANC", "STORESCP"} {
		d.rq(client(attacker, i), scp, "ECHOSCU", called)
		d.rj(client(attacker, i), scp, ul.ReasonCalledAETitleNotRecognized)
	}
	c := client(attacker, 9)
	d.assoc(c, scp, "SCANNER", "PACS")
	d.dimse(c, scp, find(sopPatientFind, "PATIENT", 1, q("PatientName=*", "PatientID=")), "SCANNER", "PACS")
	d.dimse(c, scp, moveRQ(2, "EVIL"), "SCANNER", "PACS")
	d.dimse(scp, c, moveRSP(2, 0xA801), "SCANNER", "PACS")
	e, col := newEngine(t, detect.Config{})
	for _, ev := range d.events {
		e.Event(ev)
	}
	byID := map[string]detect.Alert{}
	for _, a := range col.alerts {
		if _, dup := byID[a.ID]; !dup || a.Severity == detect.High {
			byID[a.ID] = a
		}
	}
	for _, tc := range []struct{ id, key, want string }{
		{"dicom.ae-bruteforce", "called_aes", "PACS1,ARCHIVE,DCM4CHEE,ORTHANC,STORESCP"},
		{"dicom.ae-bruteforce", "refused", "5"},
		{"dicom.association-rejected", "reason", "called-ae-title-not-recognized"},
		{"dicom.association-rejected", "called_ae", "PACS1"},
		{"dicom.query-sweep", "patient_keys", "PatientName=*,PatientID="},
		{"dicom.query-sweep", "level", "PATIENT"},
		{"dicom.move-unknown-destination", "move_destination", "EVIL"},
		{"dicom.move-unknown-destination", "status", "0xA801"},
	} {
		a, ok := byID[tc.id]
		if !ok {
			t.Errorf("%s: not raised", tc.id)
			continue
		}
		if got := a.Field(tc.key); got != tc.want {
			t.Errorf("%s %s = %q, want %q", tc.id, tc.key, got, tc.want)
		}
	}
	if a := byID["dicom.ae-bruteforce"]; a.Technique != "T0859 Valid Accounts" || a.Severity != detect.High {
		t.Errorf("ae-bruteforce %s %q", a.Severity, a.Technique)
	}
}

// TestDICOMParams checks that thresholds are read from the configuration.
func TestDICOMParams(t *testing.T) {
	scp := ap(pacs)
	d := &dev{ts: t0}
	c := client(ws, 1)
	d.assoc(c, scp, "RADWS", "PACS")
	d.dimse(c, scp, find(sopStudyFind, "STUDY", 7, q("StudyDate=2026")), "RADWS", "PACS")
	for range 20 {
		d.dimse(scp, c, pending(7, nil), "RADWS", "PACS")
	}
	for _, tc := range []struct {
		min  float64
		want int
	}{{100, 0}, {20, 1}, {5, 1}} {
		cfg := detect.Config{Rules: map[string]detect.RuleConfig{"dicom.query-sweep": {Params: map[string]float64{"min-pending": tc.min}}}}
		e, col := newEngine(t, cfg)
		for _, ev := range d.events {
			e.Event(ev)
		}
		e.Flush()
		n := 0
		for _, a := range col.alerts {
			if a.ID == "dicom.query-sweep" {
				n += a.Count
			}
		}
		if n != tc.want {
			t.Errorf("min-pending %v: %d sweeps, want %d", tc.min, n, tc.want)
		}
	}
}

// TestDICOMBaseline checks that a C-MOVE to a destination outside a loaded
// baseline is high, one inside it raises nothing, and that the baseline
// written holds the peers of accepted associations.
func TestDICOMBaseline(t *testing.T) {
	scp := ap(pacs)
	learn := &dev{ts: t0}
	learn.assoc(ap(viewer), scp, "VIEWER", "PACS")
	e, _ := newEngine(t, detect.Config{})
	e.Learn(true)
	for _, ev := range learn.events {
		e.Event(ev)
	}
	var buf strings.Builder
	if _, err := e.WriteBaseline(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `{"known_aes":["PACS","VIEWER"]}`) {
		t.Errorf("baseline %s", buf.String())
	}
	d := &dev{ts: t0.Add(time.Hour)}
	c := client(ws, 1)
	d.assoc(c, scp, "RADWS", "PACS")
	d.dimse(c, scp, moveRQ(1, "VIEWER"), "RADWS", "PACS")
	d.dimse(c, scp, moveRQ(2, "OUTSIDE"), "RADWS", "PACS")
	e2, col := newEngine(t, detect.Config{})
	if err := e2.ReadBaseline(strings.NewReader(buf.String()), 0); err != nil {
		t.Fatal(err)
	}
	for _, ev := range d.events {
		e2.Event(ev)
	}
	e2.Flush()
	if got, want := alertText(col.alerts, "dicom.move"), "dicom.move-unknown-destination high 10.0.6.31->10.0.1.10:104 x1"; got != want {
		t.Errorf("alerts:\n%s\nwant:\n%s", got, want)
	}
}

// TestPHIHL7 checks phi.cleartext on HL7 messages: one with a PID segment
// raises it once per flow, one without does not.
func TestPHIHL7(t *testing.T) {
	msg := func(s string) *hl7flow.Message {
		var m hl7.Message
		if err := m.Parse([]byte(s)); err != nil {
			t.Fatal(err)
		}
		return &hl7flow.Message{Message: &m, MessageType: []byte("ADT^A01")}
	}
	withPID := msg("MSH|^~\\&|REG|GH|ENG|GH|20261129060000||ADT^A01|1|P|2.5.1\rPID|1||PID42^^^GH||DOE^JOHN\r")
	noPID := msg("MSH|^~\\&|LAB|GH|ENG|GH|20261129060000||MFN^M01|2|P|2.5.1\rMFI|LAB\r")
	emptyPID := msg("MSH|^~\\&|REG|GH|ENG|GH|20261129060000||ADT^A01|3|P|2.5.1\rPID|1\r")
	d := &dev{ts: t0}
	srv := ap("10.0.2.10:2575")
	for i := range 3 {
		d.add(hl7flow.Name, hl7flow.KindMessage, client("10.0.2.21", 1), srv, withPID) // one flow
		d.add(hl7flow.Name, hl7flow.KindMessage, client("10.0.2.22", i), srv, noPID)
		d.add(hl7flow.Name, hl7flow.KindMessage, client("10.0.2.23", i), srv, emptyPID)
	}
	e, col := newEngine(t, detect.Config{})
	for _, ev := range d.events {
		e.Event(ev)
	}
	e.Flush()
	if got, want := alertText(col.alerts, "phi."), "phi.cleartext info 10.0.2.21->10.0.2.10:2575 x1"; got != want {
		t.Errorf("alerts:\n%s\nwant:\n%s", got, want)
	}
	if len(col.alerts) > 0 && (col.alerts[0].Field("message_type") != "ADT^A01" || strings.Contains(fmt.Sprint(col.alerts[0]), "DOE")) {
		t.Errorf("evidence %+v", col.alerts[0].Evidence)
	}
}

// TestDICOMAllocs checks that the DICOM and PHI detectors allocate nothing
// per event in steady state: associations, queries, stores and rejections
// whose alerts are repeats within the window.
func TestDICOMAllocs(t *testing.T) {
	d := &dev{ts: t0}
	normalDay(d)
	scp := ap(pacs)
	c := client(attacker, 1)
	d.assoc(c, scp, "SCANNER", "PACS")
	d.dimse(c, scp, find(sopPatientFind, "PATIENT", 1, q("PatientName=*")), "SCANNER", "PACS")
	d.dimse(scp, c, pending(1, q("PatientName=DOE^JOHN")), "SCANNER", "PACS")
	d.dimse(c, scp, moveRQ(2, "EVIL"), "SCANNER", "PACS")
	d.dimse(scp, c, moveRSP(2, 0xA801), "SCANNER", "PACS")
	d.add(dicomflow.Name, flow.KindError, c, scp, &flow.DecodeErrorDetail{Offset: 6, Err: errors.New("ul: bad PDU")})
	e, _ := newEngine(t, detect.Config{})
	for _, ev := range d.events { // warm up: tables filled, alerts emitted once
		e.Event(ev)
	}
	i := 0
	if n := testing.AllocsPerRun(1000, func() {
		ev := d.events[i%len(d.events)]
		ev.Time = ev.Time.Add(time.Millisecond)
		e.Event(ev)
		i++
	}); n != 0 {
		t.Errorf("%v allocs per event", n)
	}
}

// BenchmarkDICOMDetector measures the default detectors (with the engine)
// on DICOM events: "mix" is normalDay (associations, queries, stores,
// retrieves, a rejection), "store" a modality's C-STOREs in one
// association, the bulk of DICOM traffic.
func BenchmarkDICOMDetector(b *testing.B) {
	mix := &dev{ts: t0}
	normalDay(mix)
	st := &dev{ts: t0}
	c := client(modality, 1)
	st.assoc(c, ap(pacs), "CT_SCANNER", "PACS")
	for range 100 {
		st.dimse(c, ap(pacs), store(ul.Object{PatientID: []byte("PID42"), HasPatientName: true, Modality: []byte("CT")}), "CT_SCANNER", "PACS")
		st.dimse(ap(pacs), c, &ul.Message{Command: ul.CStoreRSP, Status: 0, HasStatus: true}, "CT_SCANNER", "PACS")
	}
	for _, bc := range []struct {
		name   string
		events []*flow.Event
	}{{"mix", mix.events}, {"store", st.events}} {
		b.Run(bc.name, func(b *testing.B) {
			e, err := detect.NewEngine(detect.Config{}, nil, detect.Default())
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				e.Event(bc.events[i%len(bc.events)])
			}
		})
	}
}

package detect

import (
	"github.com/medtap/medtap/dicom/ul"
	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/dicomflow"
	"github.com/medtap/medtap/flow/hl7flow"
)

func init() { register(func() Detector { return newPHIDetector() }) }

const rulePHICleartext = "phi.cleartext"

// phiMaxFlows bounds the flows remembered as having raised phi.cleartext.
const phiMaxFlows = 16384

// phiDetector raises phi.cleartext once per flow that carries patient
// identifiers unencrypted: DICOM (a C-STORE of an object with a Patient ID
// or Patient's Name; a query, retrieve or C-FIND response with a patient
// key holding a value, not only wildcards) and HL7 v2 (a message with a
// PID segment naming or identifying a patient). The values never reach
// the alert.
type phiDetector struct {
	seen *Table[flow.Key, struct{}]
	last flow.Key // the flow that raised last: its next messages skip the table
	has  bool
}

func newPHIDetector() *phiDetector { return &phiDetector{} }

func (*phiDetector) Name() string { return "phi" }

// Protocols implements [Subscriber].
func (*phiDetector) Protocols() []string { return []string{dicomflow.Name, hl7flow.Name} }

func (*phiDetector) Rules() []Rule {
	return []Rule{{
		ID: rulePHICleartext, Severity: Info, Technique: "T0842 Network Sniffing",
		Doc: "patient identifiers in clear text, once per flow: a DICOM C-STORE of an object with a Patient ID or " +
			"Patient's Name, a DICOM query or C-FIND response with a patient key holding a value, an HL7 message with " +
			"a PID segment naming or identifying a patient",
	}}
}

func (d *phiDetector) Configure(Params) error {
	d.seen = NewTable[flow.Key, struct{}](phiMaxFlows)
	return nil
}

func (d *phiDetector) Event(c *Context, e *flow.Event) {
	var proto, what string
	switch e.Kind {
	case dicomflow.KindDIMSE:
		dm, ok := e.Detail.(*dicomflow.DIMSE)
		if !ok || dm.Message == nil {
			return
		}
		if what = dicomPHI(dm.Message); what == "" {
			return
		}
		proto = "dicom"
	case hl7flow.KindMessage:
		m, ok := e.Detail.(*hl7flow.Message)
		if !ok || m.Message == nil {
			return
		}
		pid, ok := m.Message.SegmentByName("PID", 1)
		if !ok || pid.Field(3).IsEmpty() && pid.Field(5).IsEmpty() {
			return
		}
		proto, what = "hl7", "PID segment"
	default:
		return
	}
	if d.has && e.Key == d.last {
		return
	}
	d.last, d.has = e.Key, true
	if _, isNew := d.seen.Put(e.Key); !isNew {
		return
	}
	if a := c.Alert(rulePHICleartext, e.Key, e.Src, e.Dst); a != nil {
		a.Summary = "patient identifiers in clear text (" + proto + " " + what + ")"
		a.Evidence = append(a.Evidence, Field{"protocol", proto}, Field{"carrier", what})
		if hm, ok := e.Detail.(*hl7flow.Message); ok {
			a.Evidence = append(a.Evidence, Field{"message_type", string(hm.MessageType)})
		}
	}
}

// dicomPHI says what in a DIMSE message carries patient identifiers ("" for
// nothing): a stored object's Patient ID or Patient's Name, or a patient
// key of a query or its responses with a value.
func dicomPHI(m *ul.Message) string {
	switch m.Command {
	case ul.CStoreRQ:
		if len(m.Object.PatientID) > 0 || m.Object.HasPatientName {
			return "C-STORE-RQ"
		}
	case ul.CFindRQ, ul.CGetRQ, ul.CMoveRQ, ul.CFindRSP:
		for i := range m.Query {
			if q := &m.Query[i]; patientKey(q.Tag) && !universal(q.Value) {
				return m.Command.String()
			}
		}
	}
	return ""
}

// Package poct1aflow is the flow adapter for POCT1-A2 XML between
// point-of-care devices and data managers: importing it registers protocol
// "poct1a" with package flow. It has no assigned port; the content decides.
package poct1aflow

import (
	"bytes"

	"github.com/medtap/medtap/flow"

	"github.com/medtap/medtap/legacy/poct1a"
)

// Name is the protocol's name in events and [flow.Config.Protocols].
const Name = "poct1a"

// The kinds of event the adapter emits, with their Detail.
const (
	KindHello       flow.Kind = "hello"        // HEL.R01, the device identity and capabilities: [*Message]
	KindMessage     flow.Kind = "message"      // every other message: [*Message]
	KindObservation flow.Kind = "observation"  // OBS: [*Observation]
	KindNote        flow.Kind = "note"         // NTE: [*Note]
	KindReagent     flow.Kind = "reagent"      // RGT: [*Reagent]
	KindControl     flow.Kind = "control"      // CTC, QC or calibration material: [*Control]
	KindDeviceEvent flow.Kind = "device-event" // EVT of EVS.R01: [*DeviceEvent]
	// Malformed documents are reported as [flow.KindError].
)

func init() {
	flow.Register(flow.Protocol{
		Name:      Name,
		Transport: flow.TCP,
		Match:     poct1a.Sniff,
		New:       func() flow.Decoder { return new(decoder) },
	})
}

// poctText decodes entities of POCT1-A values for JSON into a buffer it
// reuses, so that rendering allocates nothing once the buffer has grown.
// Malformed references are written as sent.
type poctText struct {
	buf []byte
	phi *flow.PHI // the engine's, for patient IDs
}

func (t *poctText) decode(v []byte) []byte {
	if bytes.IndexByte(v, '&') < 0 {
		return v
	}
	t.buf = poct1a.AppendUnescape(t.buf[:0], v)
	return t.buf
}

// str appends `,"key":"v"` with v decoded, or nothing if v is empty.
func (t *poctText) str(dst []byte, key string, v []byte) []byte {
	if len(v) == 0 {
		return dst
	}
	return flow.AppendBytes(dst, key, t.decode(v))
}

// patient appends `,"key":v` with v decoded and written under the
// engine's PHI policy, or nothing if v is empty.
func (t *poctText) patient(dst []byte, key string, v []byte) []byte {
	if len(v) == 0 {
		return dst
	}
	return t.phi.Append(dst, key, t.decode(v))
}

// list appends `,"key":["a","b"]`, or nothing if l is empty.
func (t *poctText) list(dst []byte, key string, l *poct1a.List) []byte {
	if l.Len() == 0 {
		return dst
	}
	dst = flow.AppendKey(dst, key)
	for i := range l.Len() {
		if i == 0 {
			dst = append(dst, '[')
		} else {
			dst = append(dst, ',')
		}
		dst = flow.AppendQuotedBytes(dst, t.decode(l.At(i)))
	}
	return append(dst, ']')
}

func appendPOCTCount(dst []byte, key string, n int) []byte {
	if n == 0 {
		return dst
	}
	return flow.AppendInt(dst, key, int64(n))
}

// Message is the Detail of "hello" (HEL.R01, with the device identity
// and capabilities) and "message" events (every other message). Views are
// valid only during the event. Values are written with entities decoded.
type Message struct {
	Message *poct1a.Message
	txt     poctText
}

// AppendJSON implements [flow.Detail].
func (d *Message) AppendJSON(dst []byte) []byte {
	m, t := d.Message, &d.txt
	dst = flow.AppendBytes(dst, "message_type", m.Type)
	dst = t.str(dst, "control_id", m.ControlID)
	dst = t.str(dst, "version", m.Version)
	dst = t.str(dst, "created", m.Created)
	dst = t.str(dst, "device_id", m.DeviceID)
	dst = t.str(dst, "vendor_id", m.VendorID)
	dst = t.str(dst, "model_id", m.ModelID)
	dst = t.str(dst, "serial_id", m.SerialID)
	dst = t.str(dst, "manufacturer", m.Manufacturer)
	dst = t.str(dst, "hw_version", m.HWVersion)
	dst = t.str(dst, "sw_version", m.SWVersion)
	dst = t.str(dst, "device_name", m.DeviceName)
	dst = t.str(dst, "app_timeout", m.AppTimeout)
	dst = t.str(dst, "connection_profile", m.ConnectionProfile)
	dst = t.list(dst, "topics_supported", &m.Topics)
	dst = t.list(dst, "directives_supported", &m.Directives)
	dst = t.str(dst, "max_message_size", m.MaxMessageSize)
	dst = t.str(dst, "ack_type", m.AckType)
	dst = t.str(dst, "ack_control_id", m.AckControlID)
	dst = t.str(dst, "ack_note", m.AckNote)
	dst = t.str(dst, "topic", m.Topic)
	dst = t.str(dst, "directive", m.Directive)
	if m.Params.Len() > 0 {
		dst = flow.AppendKey(dst, "params")
		for i := range m.Params.Len() {
			p := m.Params.At(i)
			if i == 0 {
				dst = append(dst, '{')
			} else {
				dst = append(dst, ',')
			}
			dst = flow.AppendQuotedBytes(dst, p.Name)
			dst = append(dst, ':')
			dst = flow.AppendQuotedBytes(dst, t.decode(p.Value))
		}
		dst = append(dst, '}')
	}
	dst = t.str(dst, "new_observations", m.NewObservations)
	dst = t.str(dst, "new_events", m.NewEvents)
	dst = t.str(dst, "condition", m.Condition)
	dst = t.str(dst, "request", m.Request)
	dst = t.str(dst, "reason", m.Reason)
	dst = appendPOCTCount(dst, "observations", m.Observations)
	dst = appendPOCTCount(dst, "notes", m.Notes)
	dst = appendPOCTCount(dst, "reagents", m.Reagents)
	dst = appendPOCTCount(dst, "controls", m.Controls)
	dst = appendPOCTCount(dst, "events", m.Events)
	if d := m.Topics.Dropped + m.Directives.Dropped + m.Params.Dropped; d > 0 {
		dst = flow.AppendInt(dst, "dropped", int64(d))
	}
	if m.Truncated {
		dst = flow.AppendBool(dst, "truncated", true)
	}
	return dst
}

// Identify implements [flow.Identifier]: "vendor model" of a hello.
func (d *Message) Identify(k flow.Kind, buf []byte, yield func(flow.Identity)) {
	if k != KindHello || d.Message == nil {
		return
	}
	m := d.Message
	yield(flow.Identity{Source: true, Kind: "poct", Name: bytes.TrimSpace(append(append(append(buf[:0], m.VendorID...), ' '), m.ModelID...))})
}

// Observation is the Detail of "observation" events.
type Observation struct {
	Observation *poct1a.Observation
	txt         poctText
}

// AppendJSON implements [flow.Detail].
func (d *Observation) AppendJSON(dst []byte) []byte {
	o, t := d.Observation, &d.txt
	dst = flow.AppendBytes(dst, "observation_id", t.decode(o.ID))
	dst = t.str(dst, "coding", o.IDSystem)
	if o.Value != nil || o.Qualitative == nil {
		dst = flow.AppendBytes(dst, "value", t.decode(o.Value))
	}
	dst = t.str(dst, "unit", o.Unit)
	dst = t.str(dst, "qualitative", o.Qualitative)
	dst = t.str(dst, "method", o.Method)
	dst = t.str(dst, "interpretation", o.Interpretation)
	dst = t.str(dst, "time", o.Time)
	dst = t.str(dst, "role", o.Role)
	dst = t.patient(dst, "patient_id", o.PatientID)
	dst = t.str(dst, "operator_id", o.OperatorID)
	dst = t.str(dst, "control_lot", o.ControlLot)
	dst = t.str(dst, "control_level", o.ControlLevel)
	if o.Truncated {
		dst = flow.AppendBool(dst, "truncated", true)
	}
	return dst
}

// Note is the Detail of "note" events (NTE): the note text, the
// character data (entities decoded) and what it annotates.
type Note struct {
	Note *poct1a.Note
	txt  poctText
}

// AppendJSON implements [flow.Detail].
func (d *Note) AppendJSON(dst []byte) []byte {
	n, t := d.Note, &d.txt
	dst = flow.AppendBytes(dst, "text", t.decode(n.Text))
	dst = t.str(dst, "body", n.Body)
	if n.Scope != "" {
		dst = flow.AppendString(dst, "scope", n.Scope)
	}
	dst = t.str(dst, "observation_id", n.ObservationID)
	if n.Truncated {
		dst = flow.AppendBool(dst, "truncated", true)
	}
	return dst
}

// Reagent is the Detail of "reagent" events (RGT).
type Reagent struct {
	Reagent *poct1a.Reagent
	txt     poctText
}

// AppendJSON implements [flow.Detail].
func (d *Reagent) AppendJSON(dst []byte) []byte {
	r, t := d.Reagent, &d.txt
	dst = flow.AppendBytes(dst, "name", t.decode(r.Name))
	dst = t.str(dst, "body", r.Body)
	dst = t.str(dst, "lot", r.Lot)
	dst = t.str(dst, "expiration", r.Expiration)
	dst = t.str(dst, "role", r.Role)
	dst = t.str(dst, "time", r.Time)
	dst = t.patient(dst, "patient_id", r.PatientID)
	if r.Truncated {
		dst = flow.AppendBool(dst, "truncated", true)
	}
	return dst
}

// Control is the Detail of "control" events: the QC or calibration
// material (CTC) of an OBS.R02 message.
type Control struct {
	Control *poct1a.Control
	txt     poctText
}

// AppendJSON implements [flow.Detail].
func (d *Control) AppendJSON(dst []byte) []byte {
	c, t := d.Control, &d.txt
	dst = flow.AppendBytes(dst, "name", t.decode(c.Name))
	dst = t.str(dst, "lot", c.Lot)
	dst = t.str(dst, "expiration", c.Expiration)
	dst = t.str(dst, "level", c.Level)
	dst = t.str(dst, "role", c.Role)
	dst = t.str(dst, "time", c.Time)
	dst = t.str(dst, "operator_id", c.OperatorID)
	dst = flow.AppendInt(dst, "observations", int64(c.Observations))
	if c.Truncated {
		dst = flow.AppendBool(dst, "truncated", true)
	}
	return dst
}

// DeviceEvent is the Detail of "device_event" events (EVT of EVS.R01).
type DeviceEvent struct {
	Event *poct1a.Event
	txt   poctText
}

// AppendJSON implements [flow.Detail].
func (d *DeviceEvent) AppendJSON(dst []byte) []byte {
	e, t := d.Event, &d.txt
	dst = flow.AppendBytes(dst, "description", t.decode(e.Description))
	dst = t.str(dst, "body", e.Body)
	dst = t.str(dst, "time", e.Time)
	dst = t.str(dst, "severity", e.Severity)
	if e.Truncated {
		dst = flow.AppendBool(dst, "truncated", true)
	}
	return dst
}

type decoder struct {
	dec  [2]poct1a.Decoder
	msg  Message
	obs  Observation
	note Note
	rgt  Reagent
	ctl  Control
	evt  DeviceEvent
}

func (p *decoder) Data(c *flow.Context, dir flow.Dir, data []byte) {
	phi := c.PHI()
	p.obs.txt.phi, p.rgt.txt.phi = phi, phi
	d := &p.dec[dir&1]
	d.MaxMessage = c.MaxMessageBytes() // 0: poct1a's default
	d.Feed(data)
	for {
		it, err := d.Next()
		if err == poct1a.ErrNeedMore {
			return
		}
		if err != nil {
			c.DecodeError(dir, err)
		}
		switch it.Kind {
		case poct1a.KindMessage:
			p.msg.Message = it.Message
			kind := KindMessage
			if string(it.Message.Type) == "HEL.R01" {
				kind = KindHello
			}
			c.Emit(dir, kind, &p.msg)
			p.msg.Message = nil
		case poct1a.KindObservation:
			p.obs.Observation = it.Observation
			c.Emit(dir, KindObservation, &p.obs)
			p.obs.Observation = nil
		case poct1a.KindNote:
			p.note.Note = it.Note
			c.Emit(dir, KindNote, &p.note)
			p.note.Note = nil
		case poct1a.KindReagent:
			p.rgt.Reagent = it.Reagent
			c.Emit(dir, KindReagent, &p.rgt)
			p.rgt.Reagent = nil
		case poct1a.KindControl:
			p.ctl.Control = it.Control
			c.Emit(dir, KindControl, &p.ctl)
			p.ctl.Control = nil
		case poct1a.KindEvent:
			p.evt.Event = it.Event
			c.Emit(dir, KindDeviceEvent, &p.evt)
			p.evt.Event = nil
		}
	}
}

func (p *decoder) Gap(c *flow.Context, dir flow.Dir, n int) { p.dec[dir&1].Gap(n) }

func (p *decoder) Close(c *flow.Context) {}

// Buffered implements [flow.BufferedDecoder].
func (p *decoder) Buffered() int { return p.dec[0].Buffered() + p.dec[1].Buffered() }

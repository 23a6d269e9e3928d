package flow

import (
	"bytes"

	"github.com/medtap/medtap/legacy/poct1a"
)

// POCT1-A2 XML between point-of-care devices and data managers. It has no
// assigned port; the content decides.
func init() {
	Register(Protocol{
		Name:      "poct1a",
		Transport: TCP,
		Match:     matchPOCT1A,
		New:       func() Decoder { return new(poct1aDecoder) },
	})
}

// matchPOCT1A looks for a POCT1-A root element, `<XXX.R01`, at the start of
// the data, after an optional byte order mark and XML declaration.
func matchPOCT1A(dir Dir, data []byte) bool {
	b := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	b = bytes.TrimLeft(b, " \t\r\n")
	if bytes.HasPrefix(b, []byte("<?xml")) {
		i := bytes.Index(b, []byte("?>"))
		if i < 0 {
			return false
		}
		b = bytes.TrimLeft(b[i+2:], " \t\r\n")
	}
	// <ABC.R01 or <ABC.R02 ...
	if len(b) < 9 || b[0] != '<' || b[4] != '.' || b[5] != 'R' {
		return false
	}
	for _, c := range b[1:4] {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return b[6] >= '0' && b[6] <= '9' && b[7] >= '0' && b[7] <= '9' && (b[8] == '>' || b[8] == ' ' || b[8] == '/')
}

// POCT1AMessage is the Detail of "hello" (HEL.R01, with the device identity)
// and "message" events (every other message). Views are valid only during
// the event.
type POCT1AMessage struct {
	Message *poct1a.Message
}

// AppendJSON implements [Detail].
func (d *POCT1AMessage) AppendJSON(dst []byte) []byte {
	m := d.Message
	dst = AppendBytes(dst, "message_type", m.Type)
	dst = appendNonEmpty(dst, "control_id", m.ControlID)
	dst = appendNonEmpty(dst, "version", m.Version)
	dst = appendNonEmpty(dst, "created", m.Created)
	dst = appendNonEmpty(dst, "device_id", m.DeviceID)
	dst = appendNonEmpty(dst, "vendor_id", m.VendorID)
	dst = appendNonEmpty(dst, "model_id", m.ModelID)
	dst = appendNonEmpty(dst, "serial_id", m.SerialID)
	dst = appendNonEmpty(dst, "manufacturer", m.Manufacturer)
	dst = appendNonEmpty(dst, "hw_version", m.HWVersion)
	dst = appendNonEmpty(dst, "sw_version", m.SWVersion)
	dst = appendNonEmpty(dst, "device_name", m.DeviceName)
	dst = appendNonEmpty(dst, "ack_type", m.AckType)
	dst = appendNonEmpty(dst, "ack_control_id", m.AckControlID)
	dst = appendNonEmpty(dst, "topic", m.Topic)
	dst = appendNonEmpty(dst, "directive", m.Directive)
	dst = appendNonEmpty(dst, "new_observations", m.NewObservations)
	if m.Observations > 0 {
		dst = AppendInt(dst, "observations", int64(m.Observations))
	}
	if m.Truncated {
		dst = AppendBool(dst, "truncated", true)
	}
	return dst
}

// POCT1AObservation is the Detail of "observation" events.
type POCT1AObservation struct {
	Observation *poct1a.Observation
}

// AppendJSON implements [Detail].
func (d *POCT1AObservation) AppendJSON(dst []byte) []byte {
	o := d.Observation
	dst = AppendBytes(dst, "observation_id", o.ID)
	dst = appendNonEmpty(dst, "coding", o.IDSystem)
	dst = AppendBytes(dst, "value", o.Value)
	dst = appendNonEmpty(dst, "unit", o.Unit)
	dst = appendNonEmpty(dst, "method", o.Method)
	dst = appendNonEmpty(dst, "interpretation", o.Interpretation)
	dst = appendNonEmpty(dst, "time", o.Time)
	dst = appendNonEmpty(dst, "patient_id", o.PatientID)
	dst = appendNonEmpty(dst, "operator_id", o.OperatorID)
	return dst
}

type poct1aDecoder struct {
	dec [2]poct1a.Decoder
	msg POCT1AMessage
	obs POCT1AObservation
}

func (p *poct1aDecoder) Data(c *Context, dir Dir, data []byte) {
	d := &p.dec[dir&1]
	d.Feed(data)
	for {
		it, err := d.Next()
		if err == poct1a.ErrNeedMore {
			return
		}
		if err != nil {
			off := int64(-1)
			if e, ok := err.(*poct1a.Error); ok {
				off = e.Offset
			}
			c.DecodeError(dir, off, err)
		}
		switch it.Kind {
		case poct1a.KindMessage:
			p.msg.Message = it.Message
			kind := "message"
			if string(it.Message.Type) == "HEL.R01" {
				kind = "hello"
			}
			c.Emit(dir, kind, &p.msg)
			p.msg.Message = nil
		case poct1a.KindObservation:
			p.obs.Observation = it.Observation
			c.Emit(dir, "observation", &p.obs)
			p.obs.Observation = nil
		}
	}
}

func (p *poct1aDecoder) Gap(c *Context, dir Dir, n int) { p.dec[dir&1].Gap(n) }

func (p *poct1aDecoder) Close(c *Context) {}

// Package intellivueflow is the flow adapter for Philips IntelliVue Data
// Export over UDP: importing it registers protocol "intellivue" with
// package flow. Association and data export run on port 24105, connect
// indications are broadcast to port 24005; the content decides first.
//
// Patient demographics are protected health information: events say which
// ones a monitor holds, never their values.
package intellivueflow

import (
	"bytes"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/legacy/intellivue"
)

// Name is the protocol's name in events and [flow.Config.Protocols].
const Name = "intellivue"

// The kinds of event the adapter emits, with their Detail.
const (
	KindConnectIndication flow.Kind = "connect-indication" // a monitor announcing itself: [*Monitor]
	KindAssociateRQ       flow.Kind = "associate-rq"       // [*Association], or none without user information
	KindAssociateAC       flow.Kind = "associate-ac"       // [*Association], or none without user information
	KindAssociateRJ       flow.Kind = "associate-rj"       // no detail
	KindReleaseRQ         flow.Kind = "release-rq"         // no detail
	KindReleaseRP         flow.Kind = "release-rp"         // no detail
	KindAbort             flow.Kind = "abort"              // no detail
	KindMDSCreate         flow.Kind = "mds-create"         // the monitor's identity after association: [*Monitor]
	KindPollRequest       flow.Kind = "poll-request"       // [*Poll]
	KindPollResult        flow.Kind = "poll-result"        // [*Poll]
	KindGetRequest        flow.Kind = "get-request"        // [*Operation]
	KindGetResult         flow.Kind = "get-result"         // [*Operation]
	KindSetRequest        flow.Kind = "set-request"        // a client changing a monitor setting: [*Operation]
	KindSetResult         flow.Kind = "set-result"         // [*Operation]
	KindRemoteError       flow.Kind = "remote-error"       // [*Operation]
	KindOperation         flow.Kind = "operation"          // any other remote operation: [*Operation]
	// Malformed datagrams are reported as [flow.KindError].
)

// sessionKinds maps the session-level message kinds to event kinds.
var sessionKinds = [...]flow.Kind{
	intellivue.KindConnectIndication: KindConnectIndication,
	intellivue.KindAssocRequest:      KindAssociateRQ,
	intellivue.KindAssocResponse:     KindAssociateAC,
	intellivue.KindRefuse:            KindAssociateRJ,
	intellivue.KindReleaseRequest:    KindReleaseRQ,
	intellivue.KindReleaseResponse:   KindReleaseRP,
	intellivue.KindAbort:             KindAbort,
}

func init() {
	flow.Register(flow.Protocol{
		Name:      Name,
		Transport: flow.UDP,
		Ports:     []uint16{intellivue.DataExportPort, intellivue.ConnectIndicationPort},
		Match:     intellivue.Sniff,
		New:       func() flow.Decoder { return new(decoder) },
	})
}

// Monitor is the Detail of "connect-indication" and "mds-create"
// events: what the monitor says about itself. Views are valid only during
// the event.
type Monitor struct {
	Identity intellivue.Identity
	bed      [64]byte
}

// AppendJSON implements [flow.Detail].
func (d *Monitor) AppendJSON(dst []byte) []byte {
	id := &d.Identity
	dst = flow.AppendNonEmpty(dst, "manufacturer", id.Manufacturer)
	dst = flow.AppendNonEmpty(dst, "model", id.Model)
	dst = flow.AppendNonEmpty(dst, "serial", id.Serial)
	dst = flow.AppendNonEmpty(dst, "part_number", id.PartNumber)
	dst = flow.AppendNonEmpty(dst, "sw_revision", id.SWRevision)
	dst = flow.AppendNonEmpty(dst, "hw_revision", id.HWRevision)
	dst = flow.AppendNonEmpty(dst, "fw_revision", id.FWRevision)
	dst = flow.AppendNonEmpty(dst, "protocol_revision", id.ProtocolRevision)
	if len(id.SystemID) > 0 {
		dst = appendHex(dst, "system_id", id.SystemID)
	}
	if len(id.BedLabel) > 0 {
		dst = flow.AppendNonEmpty(dst, "bed_label", intellivue.AppendUTF16(d.bed[:0], id.BedLabel))
	}
	if len(id.MAC) == 6 {
		dst = appendHex(dst, "mac", id.MAC)
	}
	if len(id.IP) == 4 {
		dst = flow.AppendKey(dst, "ip")
		dst = append(dst, '"')
		for i, b := range id.IP {
			if i > 0 {
				dst = append(dst, '.')
			}
			dst = appendUint8(dst, b)
		}
		dst = append(dst, '"')
	}
	return dst
}

// Identify implements [flow.Identifier]: "manufacturer model".
func (d *Monitor) Identify(k flow.Kind, buf []byte, yield func(flow.Identity)) {
	id := &d.Identity
	yield(flow.Identity{Source: true, Kind: "intellivue", Name: bytes.TrimSpace(append(append(append(buf[:0], id.Manufacturer...), ' '), id.Model...))})
}

func appendUint8(dst []byte, b byte) []byte {
	if b >= 100 {
		dst = append(dst, '0'+b/100)
	}
	if b >= 10 {
		dst = append(dst, '0'+b/10%10)
	}
	return append(dst, '0'+b%10)
}

func appendHex(dst []byte, key string, b []byte) []byte {
	const digits = "0123456789abcdef"
	dst = flow.AppendKey(dst, key)
	dst = append(dst, '"')
	for _, c := range b {
		dst = append(dst, digits[c>>4], digits[c&15])
	}
	return append(dst, '"')
}

// Poll is the Detail of "poll-request" and "poll-result" events.
type Poll struct {
	InvokeID    uint16
	Number      uint16
	Extended    bool
	Object      intellivue.ObjectClass // polled object class: 6 numerics, 9 waves, 54 alarms, ...
	LinkedState intellivue.LinkedState // linked results: 1 first, 2 more, 3 last; 0 for a plain result
	Result      bool
	Summary     intellivue.PollSummary // results only
	// Patient demographics results: what the monitor holds. Names, IDs,
	// birth dates and sex are protected health information, so, as for
	// DICOM objects, only their presence is kept; the admission state is
	// not identifying and is kept.
	Patient intellivue.PatientSummary
	// Alarm results: entries of high priority (physiological or
	// technical) and entries the monitor flags as new. The alarm strings
	// are left out: they carry measured values.
	Alarms intellivue.AlarmCounts
}

// AppendJSON implements [flow.Detail].
func (p *Poll) AppendJSON(dst []byte) []byte {
	dst = flow.AppendInt(dst, "invoke_id", int64(p.InvokeID))
	dst = flow.AppendInt(dst, "poll_number", int64(p.Number))
	dst = flow.AppendBool(dst, "extended", p.Extended)
	if name := p.Object.Name(); name != "" {
		dst = flow.AppendString(dst, "object", name)
	} else {
		dst = flow.AppendInt(dst, "object", int64(p.Object))
	}
	if !p.Result {
		return dst
	}
	if p.LinkedState != 0 {
		dst = flow.AppendInt(dst, "linked", int64(p.LinkedState))
	}
	s := &p.Summary
	dst = flow.AppendInt(dst, "observations", int64(s.Observations))
	dst = flow.AppendInt(dst, "numerics", int64(s.Numerics))
	dst = flow.AppendInt(dst, "waves", int64(s.Waves))
	dst = flow.AppendInt(dst, "alarms", int64(s.Alarms))
	if p.Object == intellivue.MOCAlarm {
		dst = flow.AppendInt(dst, "alarms_high", int64(p.Alarms.High))
		dst = flow.AppendInt(dst, "alarms_new", int64(p.Alarms.New))
	}
	if pt := &p.Patient; pt.Objects > 0 {
		dst = flow.AppendBool(dst, "patient_name_present", pt.HasName)
		dst = flow.AppendBool(dst, "patient_id_present", pt.HasID)
		dst = flow.AppendBool(dst, "patient_dob_present", pt.HasDOB)
		dst = flow.AppendBool(dst, "patient_sex_present", pt.HasSex)
		if pt.HasState {
			if name := pt.State.Name(); name != "" {
				dst = flow.AppendString(dst, "patient_state", name)
			} else {
				dst = flow.AppendInt(dst, "patient_state", int64(pt.State))
			}
		}
	}
	return dst
}

// Operation is the Detail of KindRemoteError, "set-request",
// "get-request" and "operation" events (other remote operations).
type Operation struct {
	RO         intellivue.ROType
	InvokeID   uint16
	Command    intellivue.Command
	Error      intellivue.ErrorValue
	EventType  intellivue.EventType
	ActionType intellivue.ActionType
	// GET and SET requests and results: the number of attributes asked
	// for, set or returned (-1 when not a GET or SET), and the first
	// 16 of their IDs.
	Attributes int
	AttrIDs    []intellivue.AttrID
	ids        [maxAttrIDs]intellivue.AttrID
}

// maxAttrIDs is how many attribute IDs a GET or SET event lists.
const maxAttrIDs = 16

// AppendJSON implements [flow.Detail].
func (o *Operation) AppendJSON(dst []byte) []byte {
	dst = flow.AppendInt(dst, "ro", int64(o.RO))
	dst = flow.AppendInt(dst, "invoke_id", int64(o.InvokeID))
	if o.RO == intellivue.ROError {
		return flow.AppendInt(dst, "error", int64(o.Error))
	}
	dst = flow.AppendInt(dst, "command", int64(o.Command))
	if o.EventType != 0 {
		dst = flow.AppendInt(dst, "event_type", int64(o.EventType))
	}
	if o.ActionType != 0 {
		dst = flow.AppendInt(dst, "action_type", int64(o.ActionType))
	}
	if o.Attributes < 0 {
		return dst
	}
	dst = flow.AppendInt(dst, "attributes", int64(o.Attributes))
	if len(o.AttrIDs) > 0 {
		dst = flow.AppendKey(dst, "attribute_ids")
		dst = append(dst, '[')
		for i, id := range o.AttrIDs {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendHexQuoted(dst, uint32(id), 4)
		}
		dst = append(dst, ']')
	}
	return dst
}

// Association is the Detail of "associate-rq" and "associate-ac"
// events: the MDSE user information the two sides exchange, with the poll
// profile the client asks for and the monitor grants.
type Association struct {
	Info intellivue.UserInfo
}

// AppendJSON implements [flow.Detail].
func (a *Association) AppendJSON(dst []byte) []byte {
	u := &a.Info
	dst = appendHex32(dst, "protocol_version", uint32(u.ProtocolVersion))
	dst = appendHex32(dst, "nomenclature_version", uint32(u.NomenclatureVersion))
	if name := u.SystemType.Name(); name != "" {
		dst = flow.AppendString(dst, "system_type", name)
	} else {
		dst = appendHex32(dst, "system_type", uint32(u.SystemType))
	}
	if name := u.StartupMode.Name(); name != "" {
		dst = flow.AppendString(dst, "startup", name)
	} else {
		dst = appendHex32(dst, "startup", uint32(u.StartupMode))
	}
	if !u.HasPoll {
		return dst
	}
	p := &u.Poll
	dst = flow.AppendInt(dst, "min_poll_period", int64(p.MinPollPeriod))
	dst = flow.AppendInt(dst, "max_mtu_rx", int64(p.MaxMTURx))
	dst = flow.AppendInt(dst, "max_mtu_tx", int64(p.MaxMTUTx))
	dst = flow.AppendInt(dst, "max_bw_tx", int64(p.MaxBWTx))
	dst = appendHex32(dst, "poll_options", uint32(p.Options))
	if p.HasExt {
		dst = appendHex32(dst, "poll_ext_options", uint32(p.ExtOptions))
	}
	return dst
}

// appendHex32 appends a bit field as a JSON string "0x" and eight digits.
func appendHex32(dst []byte, key string, v uint32) []byte {
	return appendHexQuoted(flow.AppendKey(dst, key), v, 8)
}

// appendHexQuoted appends the low n hex digits of v as a JSON string with
// a "0x" prefix.
func appendHexQuoted(dst []byte, v uint32, n int) []byte {
	const digits = "0123456789abcdef"
	dst = append(dst, '"', '0', 'x')
	for s := 4 * (n - 1); s >= 0; s -= 4 {
		dst = append(dst, digits[v>>uint(s)&15])
	}
	return append(dst, '"')
}

type decoder struct {
	assoc Association
	id    Monitor
	poll  Poll
	op    Operation
}

func (d *decoder) Data(c *flow.Context, dir flow.Dir, data []byte) {
	m, err := intellivue.Parse(data)
	if err != nil {
		d.decodeError(c, dir, err)
		return
	}
	switch m.Kind {
	case intellivue.KindConnectIndication:
		d.identity(c, dir, &m, KindConnectIndication)
		return
	case intellivue.KindDataExport:
	case intellivue.KindAssocRequest, intellivue.KindAssocResponse:
		d.association(c, dir, &m)
		return
	default:
		c.Emit(dir, sessionKind(m.Kind), nil)
		return
	}
	switch {
	case m.RO == intellivue.ROInvoke && m.EventType == intellivue.NotiMDSCreate:
		d.identity(c, dir, &m, KindMDSCreate)
	case m.RO == intellivue.ROInvoke && m.Command == intellivue.CmdConfirmedAction:
		p, err := m.PollRequest()
		if err != nil {
			d.operation(c, dir, &m, KindOperation)
			return
		}
		d.poll = Poll{InvokeID: m.InvokeID, Number: p.Number, Extended: p.Extended, Object: p.ObjCode}
		c.Emit(dir, KindPollRequest, &d.poll)
	case (m.RO == intellivue.ROResult || m.RO == intellivue.ROLinkedResult) && m.Command == intellivue.CmdConfirmedAction:
		p, err := m.PollReply()
		if err != nil {
			d.operation(c, dir, &m, KindOperation)
			return
		}
		s, err := p.Summary()
		if err != nil {
			d.decodeError(c, dir, err)
		}
		d.poll = Poll{InvokeID: m.InvokeID, Number: p.Number, Extended: p.Extended, Object: p.ObjCode,
			LinkedState: m.LinkedState, Result: true, Summary: s}
		switch p.ObjCode {
		case intellivue.MOCDemog:
			if d.poll.Patient, err = p.PatientSummary(); err != nil {
				d.decodeError(c, dir, err)
			}
		case intellivue.MOCAlarm:
			if d.poll.Alarms, err = p.AlarmCounts(); err != nil {
				d.decodeError(c, dir, err)
			}
		}
		c.Emit(dir, KindPollResult, &d.poll)
	case m.RO == intellivue.ROError:
		d.operation(c, dir, &m, KindRemoteError)
	case m.RO == intellivue.ROResult && m.EventType == intellivue.NotiMDSCreate:
		// The client's acknowledgement of the MDS create event.
	case m.RO == intellivue.ROInvoke && (m.Command == intellivue.CmdSet || m.Command == intellivue.CmdConfirmedSet):
		// A client changing a monitor setting: worth a detector's attention.
		d.getSet(c, dir, &m, KindSetRequest)
	case m.RO == intellivue.ROInvoke && m.Command == intellivue.CmdGet:
		d.getSet(c, dir, &m, KindGetRequest)
	case (m.RO == intellivue.ROResult || m.RO == intellivue.ROLinkedResult) && m.Command == intellivue.CmdGet:
		d.getSet(c, dir, &m, KindGetResult)
	case (m.RO == intellivue.ROResult || m.RO == intellivue.ROLinkedResult) && m.Command == intellivue.CmdConfirmedSet:
		d.getSet(c, dir, &m, KindSetResult)
	default:
		d.operation(c, dir, &m, KindOperation)
	}
}

func (d *decoder) decodeError(c *flow.Context, dir flow.Dir, err error) {
	c.DecodeError(dir, err)
}

func (d *decoder) identity(c *flow.Context, dir flow.Dir, m *intellivue.Message, kind flow.Kind) {
	id, err := m.Identity()
	if err != nil {
		d.decodeError(c, dir, err)
		return
	}
	d.id.Identity = id
	c.Emit(dir, kind, &d.id)
	d.id.Identity = intellivue.Identity{}
}

// association reports an association request or response with its user
// information; without one (or with a malformed one) the event has no
// detail and the error is reported.
func (d *decoder) association(c *flow.Context, dir flow.Dir, m *intellivue.Message) {
	u, err := m.UserInfo()
	if err != nil {
		d.decodeError(c, dir, err)
		c.Emit(dir, sessionKind(m.Kind), nil)
		return
	}
	d.assoc.Info = u
	c.Emit(dir, sessionKind(m.Kind), &d.assoc)
	d.assoc.Info = intellivue.UserInfo{}
}

func (d *decoder) operation(c *flow.Context, dir flow.Dir, m *intellivue.Message, kind flow.Kind) {
	d.op = Operation{RO: m.RO, InvokeID: m.InvokeID, Command: m.Command, Error: m.ErrorValue,
		EventType: m.EventType, ActionType: m.ActionType, Attributes: -1}
	c.Emit(dir, kind, &d.op)
}

// getSet reports a GET or SET request or result with the attributes it
// names; a malformed list is reported and the event carries what was read.
func (d *decoder) getSet(c *flow.Context, dir flow.Dir, m *intellivue.Message, kind flow.Kind) {
	o := &d.op
	*o = Operation{RO: m.RO, InvokeID: m.InvokeID, Command: m.Command}
	n, err := m.AttributeIDs(o.ids[:])
	o.Attributes = n
	o.AttrIDs = o.ids[:min(n, len(o.ids))]
	if err != nil {
		d.decodeError(c, dir, err)
	}
	c.Emit(dir, kind, o)
}

func (d *decoder) Gap(c *flow.Context, dir flow.Dir, n int) {}

func (d *decoder) Close(c *flow.Context) {}

// sessionKind returns the event kind of a session-level message.
func sessionKind(k intellivue.Kind) flow.Kind {
	if int(k) < len(sessionKinds) && sessionKinds[k] != "" {
		return sessionKinds[k]
	}
	return flow.Kind(k.String())
}

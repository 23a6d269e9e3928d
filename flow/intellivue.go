package flow

import "github.com/medtap/medtap/legacy/intellivue"

// Philips IntelliVue Data Export over UDP: association and data export on
// port 24105, connect indications broadcast to port 24005.
func init() {
	Register(Protocol{
		Name:      "intellivue",
		Transport: UDP,
		Ports:     []uint16{intellivue.DataExportPort, intellivue.ConnectIndicationPort},
		Match:     matchIntelliVue,
		New:       func() Decoder { return new(intellivueDecoder) },
	})
}

// matchIntelliVue recognises a data export message (SPpdu session 0xE100 and
// a remote operation type) or a connect indication.
func matchIntelliVue(dir Dir, data []byte) bool {
	if len(data) >= 6 && data[0] == 0xE1 && data[1] == 0x00 && data[4] == 0 {
		switch data[5] {
		case intellivue.ROInvoke, intellivue.ROResult, intellivue.ROError, intellivue.ROLinkedResult:
			m, err := intellivue.Parse(data)
			return err == nil && m.Kind == intellivue.KindDataExport
		}
		return false
	}
	if len(data) >= 6 && data[0] == 0 && data[1] == 0 {
		m, err := intellivue.Parse(data)
		return err == nil && m.Kind == intellivue.KindConnectIndication
	}
	return false
}

// IntelliVueIdentity is the Detail of "connect-indication" and "mds-create"
// events: what the monitor says about itself. Views are valid only during
// the event.
type IntelliVueIdentity struct {
	Identity intellivue.Identity
	bed      [64]byte
}

// AppendJSON implements [Detail].
func (d *IntelliVueIdentity) AppendJSON(dst []byte) []byte {
	id := &d.Identity
	dst = appendNonEmpty(dst, "manufacturer", id.Manufacturer)
	dst = appendNonEmpty(dst, "model", id.Model)
	dst = appendNonEmpty(dst, "serial", id.Serial)
	dst = appendNonEmpty(dst, "part_number", id.PartNumber)
	dst = appendNonEmpty(dst, "sw_revision", id.SWRevision)
	dst = appendNonEmpty(dst, "hw_revision", id.HWRevision)
	dst = appendNonEmpty(dst, "fw_revision", id.FWRevision)
	dst = appendNonEmpty(dst, "protocol_revision", id.ProtocolRevision)
	if len(id.SystemID) > 0 {
		dst = appendHex(dst, "system_id", id.SystemID)
	}
	if len(id.BedLabel) > 0 {
		dst = appendNonEmpty(dst, "bed_label", intellivue.AppendUTF16(d.bed[:0], id.BedLabel))
	}
	if len(id.MAC) == 6 {
		dst = appendHex(dst, "mac", id.MAC)
	}
	if len(id.IP) == 4 {
		dst = appendKey(dst, "ip")
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
	dst = appendKey(dst, key)
	dst = append(dst, '"')
	for _, c := range b {
		dst = append(dst, digits[c>>4], digits[c&15])
	}
	return append(dst, '"')
}

// IntelliVuePoll is the Detail of "poll-request" and "poll-result" events.
type IntelliVuePoll struct {
	InvokeID    uint16
	Number      uint16
	Extended    bool
	Object      uint16 // polled object class: 6 numerics, 9 waves, 54 alarms, ...
	LinkedState uint8  // linked results: 1 first, 2 more, 3 last; 0 for a plain result
	Result      bool
	Summary     intellivue.PollSummary // results only
	// Patient demographics results: what the monitor holds. Names, IDs,
	// birth dates and sex are protected health information, so, as for
	// DICOM objects, only their presence is kept; the admission state is
	// not identifying and is kept.
	Patient IntelliVuePatient
	// Alarm results: entries of high priority (physiological or
	// technical) and entries the monitor flags as new. The alarm strings
	// are left out: they carry measured values.
	AlarmsHigh, AlarmsNew int
}

// IntelliVuePatient says which demographics a poll result carried.
type IntelliVuePatient struct {
	Objects            int // demographics objects in the result
	Name, ID, DOB, Sex bool
	HasState           bool
	State              uint16 // intellivue.PatientAdmitted, ...
}

func intellivuePatientState(s uint16) string {
	switch s {
	case intellivue.PatientEmpty:
		return "empty"
	case intellivue.PatientPreAdmitted:
		return "pre-admitted"
	case intellivue.PatientAdmitted:
		return "admitted"
	case intellivue.PatientDischarged:
		return "discharged"
	}
	return ""
}

func intellivueObject(code uint16) string {
	switch code {
	case intellivue.MOCNumeric:
		return "numerics"
	case intellivue.MOCWave:
		return "waves"
	case intellivue.MOCAlarm:
		return "alarms"
	case intellivue.MOCDemog:
		return "patient"
	case intellivue.MOCMDS:
		return "mds"
	}
	return ""
}

// AppendJSON implements [Detail].
func (p *IntelliVuePoll) AppendJSON(dst []byte) []byte {
	dst = AppendInt(dst, "invoke_id", int64(p.InvokeID))
	dst = AppendInt(dst, "poll_number", int64(p.Number))
	dst = AppendBool(dst, "extended", p.Extended)
	if name := intellivueObject(p.Object); name != "" {
		dst = AppendString(dst, "object", name)
	} else {
		dst = AppendInt(dst, "object", int64(p.Object))
	}
	if !p.Result {
		return dst
	}
	if p.LinkedState != 0 {
		dst = AppendInt(dst, "linked", int64(p.LinkedState))
	}
	s := &p.Summary
	dst = AppendInt(dst, "observations", int64(s.Observations))
	dst = AppendInt(dst, "numerics", int64(s.Numerics))
	dst = AppendInt(dst, "waves", int64(s.Waves))
	dst = AppendInt(dst, "alarms", int64(s.Alarms))
	if p.Object == intellivue.MOCAlarm {
		dst = AppendInt(dst, "alarms_high", int64(p.AlarmsHigh))
		dst = AppendInt(dst, "alarms_new", int64(p.AlarmsNew))
	}
	if pt := &p.Patient; pt.Objects > 0 {
		dst = AppendBool(dst, "patient_name_present", pt.Name)
		dst = AppendBool(dst, "patient_id_present", pt.ID)
		dst = AppendBool(dst, "patient_dob_present", pt.DOB)
		dst = AppendBool(dst, "patient_sex_present", pt.Sex)
		if pt.HasState {
			if name := intellivuePatientState(pt.State); name != "" {
				dst = AppendString(dst, "patient_state", name)
			} else {
				dst = AppendInt(dst, "patient_state", int64(pt.State))
			}
		}
	}
	return dst
}

// IntelliVueOperation is the Detail of "remote-error", "set-request",
// "get-request" and "operation" events (other remote operations).
type IntelliVueOperation struct {
	RO, InvokeID, Command, Error uint16
	EventType, ActionType        uint16
	// GET and SET requests and results: the number of attributes asked
	// for, set or returned (-1 when not a GET or SET), and the first
	// IntelliVueMaxAttrIDs of their IDs.
	Attributes int
	AttrIDs    []uint16
	ids        [IntelliVueMaxAttrIDs]uint16
}

// IntelliVueMaxAttrIDs is how many attribute IDs a GET or SET event lists.
const IntelliVueMaxAttrIDs = 16

// AppendJSON implements [Detail].
func (o *IntelliVueOperation) AppendJSON(dst []byte) []byte {
	dst = AppendInt(dst, "ro", int64(o.RO))
	dst = AppendInt(dst, "invoke_id", int64(o.InvokeID))
	if o.RO == intellivue.ROError {
		return AppendInt(dst, "error", int64(o.Error))
	}
	dst = AppendInt(dst, "command", int64(o.Command))
	if o.EventType != 0 {
		dst = AppendInt(dst, "event_type", int64(o.EventType))
	}
	if o.ActionType != 0 {
		dst = AppendInt(dst, "action_type", int64(o.ActionType))
	}
	if o.Attributes < 0 {
		return dst
	}
	dst = AppendInt(dst, "attributes", int64(o.Attributes))
	if len(o.AttrIDs) > 0 {
		dst = appendKey(dst, "attribute_ids")
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

// IntelliVueAssociation is the Detail of "associate-rq" and "associate-ac"
// events: the MDSE user information the two sides exchange, with the poll
// profile the client asks for and the monitor grants.
type IntelliVueAssociation struct {
	Info intellivue.UserInfo
}

// AppendJSON implements [Detail].
func (a *IntelliVueAssociation) AppendJSON(dst []byte) []byte {
	u := &a.Info
	dst = appendHex32(dst, "protocol_version", u.ProtocolVersion)
	dst = appendHex32(dst, "nomenclature_version", u.NomenclatureVersion)
	switch u.SystemType {
	case intellivue.SystemClient:
		dst = AppendString(dst, "system_type", "client")
	case intellivue.SystemServer:
		dst = AppendString(dst, "system_type", "server")
	default:
		dst = appendHex32(dst, "system_type", u.SystemType)
	}
	switch u.StartupMode {
	case intellivue.StartupHot:
		dst = AppendString(dst, "startup", "hot")
	case intellivue.StartupWarm:
		dst = AppendString(dst, "startup", "warm")
	case intellivue.StartupCold:
		dst = AppendString(dst, "startup", "cold")
	default:
		dst = appendHex32(dst, "startup", u.StartupMode)
	}
	if !u.HasPoll {
		return dst
	}
	p := &u.Poll
	dst = AppendInt(dst, "min_poll_period", int64(p.MinPollPeriod))
	dst = AppendInt(dst, "max_mtu_rx", int64(p.MaxMTURx))
	dst = AppendInt(dst, "max_mtu_tx", int64(p.MaxMTUTx))
	dst = AppendInt(dst, "max_bw_tx", int64(p.MaxBWTx))
	dst = appendHex32(dst, "poll_options", p.Options)
	if p.HasExt {
		dst = appendHex32(dst, "poll_ext_options", p.ExtOptions)
	}
	return dst
}

// appendHex32 appends a bit field as a JSON string "0x" and eight digits.
func appendHex32(dst []byte, key string, v uint32) []byte {
	return appendHexQuoted(appendKey(dst, key), v, 8)
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

type intellivueDecoder struct {
	assoc IntelliVueAssociation
	id    IntelliVueIdentity
	poll  IntelliVuePoll
	op    IntelliVueOperation
}

func (d *intellivueDecoder) Data(c *Context, dir Dir, data []byte) {
	m, err := intellivue.Parse(data)
	if err != nil {
		off := int64(-1)
		if e, ok := err.(*intellivue.Error); ok {
			off = int64(e.Offset)
		}
		c.DecodeError(dir, off, err)
		return
	}
	switch m.Kind {
	case intellivue.KindConnectIndication:
		d.identity(c, dir, &m, "connect-indication")
		return
	case intellivue.KindDataExport:
	case intellivue.KindAssocRequest, intellivue.KindAssocResponse:
		d.association(c, dir, &m)
		return
	default:
		c.Emit(dir, m.Kind.String(), nil)
		return
	}
	switch {
	case m.RO == intellivue.ROInvoke && m.EventType == intellivue.NotiMDSCreate:
		d.identity(c, dir, &m, "mds-create")
	case m.RO == intellivue.ROInvoke && m.Command == intellivue.CmdConfirmedAction:
		p, err := m.PollRequest()
		if err != nil {
			d.operation(c, dir, &m, "operation")
			return
		}
		d.poll = IntelliVuePoll{InvokeID: m.InvokeID, Number: p.Number, Extended: p.Extended, Object: p.ObjCode}
		c.Emit(dir, "poll-request", &d.poll)
	case (m.RO == intellivue.ROResult || m.RO == intellivue.ROLinkedResult) && m.Command == intellivue.CmdConfirmedAction:
		p, err := m.PollReply()
		if err != nil {
			d.operation(c, dir, &m, "operation")
			return
		}
		s, err := p.Summary()
		if err != nil {
			d.decodeError(c, dir, err)
		}
		d.poll = IntelliVuePoll{InvokeID: m.InvokeID, Number: p.Number, Extended: p.Extended, Object: p.ObjCode,
			LinkedState: m.LinkedState, Result: true, Summary: s}
		switch p.ObjCode {
		case intellivue.MOCDemog:
			d.patient(c, dir, &p)
		case intellivue.MOCAlarm:
			d.alarms(c, dir, &p)
		}
		c.Emit(dir, "poll-result", &d.poll)
	case m.RO == intellivue.ROError:
		d.operation(c, dir, &m, "remote-error")
	case m.RO == intellivue.ROResult && m.EventType == intellivue.NotiMDSCreate:
		// The client's acknowledgement of the MDS create event.
	case m.RO == intellivue.ROInvoke && (m.Command == intellivue.CmdSet || m.Command == intellivue.CmdConfirmedSet):
		// A client changing a monitor setting: worth a detector's attention.
		d.getSet(c, dir, &m, "set-request")
	case m.RO == intellivue.ROInvoke && m.Command == intellivue.CmdGet:
		d.getSet(c, dir, &m, "get-request")
	case (m.RO == intellivue.ROResult || m.RO == intellivue.ROLinkedResult) && m.Command == intellivue.CmdGet:
		d.getSet(c, dir, &m, "get-result")
	case (m.RO == intellivue.ROResult || m.RO == intellivue.ROLinkedResult) && m.Command == intellivue.CmdConfirmedSet:
		d.getSet(c, dir, &m, "set-result")
	default:
		d.operation(c, dir, &m, "operation")
	}
}

// alarms counts the high priority and new entries of an alarm result.
func (d *intellivueDecoder) alarms(c *Context, dir Dir, p *intellivue.PollReply) {
	it := p.Observations()
	for o, ok := it.Next(); ok; o, ok = it.Next() {
		for a, ok := o.Attrs.Next(); ok; a, ok = o.Attrs.Next() {
			al := a.Alarms()
			for e, ok := al.Next(); ok; e, ok = al.Next() {
				if e.Type == intellivue.AlertHighPhysio || e.Type == intellivue.AlertHighTech {
					d.poll.AlarmsHigh++
				}
				if e.State&intellivue.AlertNew != 0 {
					d.poll.AlarmsNew++
				}
			}
			if err := al.Err(); err != nil {
				d.decodeError(c, dir, err)
				return
			}
		}
	}
}

// patient notes which demographics a result holds, never their values.
func (d *intellivueDecoder) patient(c *Context, dir Dir, p *intellivue.PollReply) {
	pt := &d.poll.Patient
	it := p.Observations()
	for o, ok := it.Next(); ok; o, ok = it.Next() {
		dm, err := o.Demographics()
		if err != nil {
			d.decodeError(c, dir, err)
			return
		}
		pt.Objects++
		pt.Name = pt.Name || len(dm.GivenName) > 0 || len(dm.FamilyName) > 0
		pt.ID = pt.ID || len(dm.PatientID) > 0
		pt.DOB = pt.DOB || len(dm.DOB) > 0
		pt.Sex = pt.Sex || dm.HasSex
		if dm.HasState {
			pt.HasState, pt.State = true, dm.State
		}
	}
}

func (d *intellivueDecoder) decodeError(c *Context, dir Dir, err error) {
	off := int64(-1)
	if e, ok := err.(*intellivue.Error); ok {
		off = int64(e.Offset)
	}
	c.DecodeError(dir, off, err)
}

func (d *intellivueDecoder) identity(c *Context, dir Dir, m *intellivue.Message, kind string) {
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
func (d *intellivueDecoder) association(c *Context, dir Dir, m *intellivue.Message) {
	u, err := m.UserInfo()
	if err != nil {
		d.decodeError(c, dir, err)
		c.Emit(dir, m.Kind.String(), nil)
		return
	}
	d.assoc.Info = u
	c.Emit(dir, m.Kind.String(), &d.assoc)
	d.assoc.Info = intellivue.UserInfo{}
}

func (d *intellivueDecoder) operation(c *Context, dir Dir, m *intellivue.Message, kind string) {
	d.op = IntelliVueOperation{RO: m.RO, InvokeID: m.InvokeID, Command: m.Command, Error: m.ErrorValue,
		EventType: m.EventType, ActionType: m.ActionType, Attributes: -1}
	c.Emit(dir, kind, &d.op)
}

// getSet reports a GET or SET request or result with the attributes it
// names; a malformed list is reported and the event carries what was read.
func (d *intellivueDecoder) getSet(c *Context, dir Dir, m *intellivue.Message, kind string) {
	o := &d.op
	*o = IntelliVueOperation{RO: m.RO, InvokeID: m.InvokeID, Command: m.Command}
	o.AttrIDs = o.ids[:0]
	add := func(id uint16) {
		o.Attributes++
		if len(o.AttrIDs) < len(o.ids) {
			o.AttrIDs = append(o.AttrIDs, id)
		}
	}
	var err error
	switch {
	case m.RO != intellivue.ROInvoke:
		var it intellivue.AttrIter
		if it, err = m.ResultAttributes(); err == nil {
			for a, ok := it.Next(); ok; a, ok = it.Next() {
				add(a.ID)
			}
			err = it.Err()
		}
	case m.Command == intellivue.CmdGet:
		var g intellivue.GetRequest
		if g, err = m.GetRequest(); err == nil {
			for id, ok := g.IDs.Next(); ok; id, ok = g.IDs.Next() {
				add(id)
			}
			err = g.IDs.Err()
		}
	default:
		var s intellivue.SetRequest
		if s, err = m.SetRequest(); err == nil {
			for mod, ok := s.Mods.Next(); ok; mod, ok = s.Mods.Next() {
				add(mod.ID)
			}
			err = s.Mods.Err()
		}
	}
	if err != nil {
		d.decodeError(c, dir, err)
	}
	c.Emit(dir, kind, o)
}

func (d *intellivueDecoder) Gap(c *Context, dir Dir, n int) {}

func (d *intellivueDecoder) Close(c *Context) {}

package intellivue

// PollRequest is the argument of a single (NOM_ACT_POLL_MDIB_DATA) or
// extended (NOM_ACT_POLL_MDIB_DATA_EXT) poll action.
type PollRequest struct {
	Extended     bool
	Number       uint16      // poll number
	ObjPartition uint16      // polled object type: partition and code,
	ObjCode      ObjectClass // e.g. MOCNumeric, MOCWave, MOCAlarm
	AttrGroup    uint16      // polled attribute group, 0 for all
	ExtAttrs     AttrIter
}

// PollRequest decodes the argument of a poll action invoke.
func (m *Message) PollRequest() (PollRequest, error) {
	var p PollRequest
	if m.RO != ROInvoke || m.Command != CmdConfirmedAction ||
		(m.ActionType != ActPollMDIBData && m.ActionType != ActPollMDIBDataExt) {
		return p, ErrNotPoll
	}
	r := m.bodyReader()
	p.Extended = m.ActionType == ActPollMDIBDataExt
	p.Number = r.u16()
	p.ObjPartition = r.u16()
	p.ObjCode = ObjectClass(r.u16())
	p.AttrGroup = r.u16()
	if p.Extended && r.err == nil && r.off < len(r.b) {
		p.ExtAttrs = attrList(&r)
	}
	return p, r.err
}

// PollReply is the result of a poll action, or one part of a linked result.
type PollReply struct {
	Extended     bool
	Number       uint16
	Sequence     uint16 // extended replies only
	RelTime      uint32 // relative time stamp, 1/8 ms
	AbsTime      []byte // 8 bytes of BCD date and time
	ObjPartition uint16
	ObjCode      ObjectClass // polled object class
	AttrGroup    uint16
	Contexts     int // number of SingleContextPoll entries
	list         reader
}

// PollReply decodes the result of a poll action (RORS or ROLRS).
func (m *Message) PollReply() (PollReply, error) {
	var p PollReply
	if (m.RO != ROResult && m.RO != ROLinkedResult) || m.Command != CmdConfirmedAction ||
		(m.ActionType != ActPollMDIBData && m.ActionType != ActPollMDIBDataExt) {
		return p, ErrNotPoll
	}
	r := m.bodyReader()
	p.Extended = m.ActionType == ActPollMDIBDataExt
	p.Number = r.u16()
	if p.Extended {
		p.Sequence = r.u16()
	}
	p.RelTime = r.u32()
	p.AbsTime = r.bytes(8)
	p.ObjPartition = r.u16()
	p.ObjCode = ObjectClass(r.u16())
	p.AttrGroup = r.u16()
	p.Contexts = int(r.u16())
	p.list = r.sub(int(r.u16()))
	return p, r.err
}

// Observation is one polled object: its context, handle and attributes.
type Observation struct {
	Context uint16
	Handle  uint16
	Attrs   AttrIter
}

// ObservationIter walks the observations of a [PollReply]:
//
//	it := p.Observations()
//	for it.Next() {
//		o := it.Observation()
//		for o.Attrs.Next() {
//			a := o.Attrs.Attr()
//			...
//		}
//	}
//	if err := it.Err(); err != nil { ... }
type ObservationIter struct {
	list     reader
	contexts int
	ctx      uint16
	inCtx    reader
	left     int
	cur      Observation
}

// Observations returns an iterator over the reply's observations.
func (p *PollReply) Observations() ObservationIter {
	return ObservationIter{list: p.list, contexts: p.Contexts}
}

// Next advances to the next observation, which [ObservationIter.Observation]
// then returns. It returns false at the end or on malformed input (see Err).
func (it *ObservationIter) Next() bool {
	it.cur = Observation{}
	for it.left <= 0 {
		if it.contexts <= 0 || it.list.err != nil {
			return false
		}
		it.contexts--
		it.ctx = it.list.u16()
		it.left = int(it.list.u16())
		it.inCtx = it.list.sub(int(it.list.u16()))
		if it.list.err != nil {
			return false
		}
	}
	it.left--
	o := Observation{Context: it.ctx, Handle: it.inCtx.u16()}
	o.Attrs = attrList(&it.inCtx)
	if it.inCtx.err != nil {
		it.list.err = it.inCtx.err
		return false
	}
	it.cur = o
	return true
}

// Observation returns the observation Next advanced to. Its attribute
// iterator starts at the first attribute each time Observation is called.
func (it *ObservationIter) Observation() Observation { return it.cur }

// Err returns the error that stopped the iteration, if any, with the offset
// in the datagram.
func (it *ObservationIter) Err() error { return it.list.err }

// PollSummary counts what a poll reply carries.
type PollSummary struct {
	Observations int
	Numerics     int // numeric values, compound ones counted one by one
	Waves        int // sample arrays
	Alarms       int // entries of alarm lists
}

// Summary walks the whole reply and counts its contents. It returns the
// first error in the list of observations or in an attribute list, with
// what it counted before; it does not read the entries of the lists it
// counts (see [PollReply.AlarmCounts]).
func (p *PollReply) Summary() (PollSummary, error) {
	var s PollSummary
	it := p.Observations()
	for it.Next() {
		s.Observations++
		o := it.Observation()
		for o.Attrs.Next() {
			a := o.Attrs.Attr()
			switch a.ID {
			case AttrNumeric, AttrNumericCompound:
				s.Numerics += NumericCount(a)
			case AttrWave:
				s.Waves++
			case AttrWaveCompound:
				s.Waves += NumericCount(a)
			case AttrAlarmListPhys, AttrAlarmListTech:
				s.Alarms += AlarmCount(a)
			}
		}
		if err := o.Attrs.Err(); err != nil {
			return s, err
		}
	}
	return s, it.Err()
}

// AlarmCounts counts the entries of an alarm poll result that need
// attention first, without their alarm strings (which carry measured
// values).
type AlarmCounts struct {
	High int // entries of high priority, physiological or technical ([AlertType.High])
	New  int // entries the monitor flags as new ([AlertNew])
}

// AlarmCounts reads every entry of the reply's alarm lists and counts the
// high priority and new ones. It returns the first error inside an alarm
// list, with the entries counted before it. It checks only the alarm
// lists: where the list of observations or an observation's attribute
// list is malformed, it counts what it can read and leaves the error to
// [PollReply.Summary] (a malformed attribute list ends that observation,
// and the count goes on with the next one).
func (p *PollReply) AlarmCounts() (AlarmCounts, error) {
	var c AlarmCounts
	it := p.Observations()
	for it.Next() {
		o := it.Observation()
		for o.Attrs.Next() {
			al := o.Attrs.Attr().Alarms()
			for al.Next() {
				e := al.Alarm()
				if e.Type.High() {
					c.High++
				}
				if e.State&AlertNew != 0 {
					c.New++
				}
			}
			if err := al.Err(); err != nil {
				return c, err
			}
		}
	}
	return c, nil
}

// PatientSummary says which patient demographics a poll result carries,
// never their values: names, IDs, birth dates and sex are protected health
// information. The admission state does not identify the patient and is
// kept.
type PatientSummary struct {
	Objects  int  // observations whose demographics were read
	HasName  bool // a given or family name
	HasID    bool // a patient ID
	HasDOB   bool // a date of birth
	HasSex   bool
	HasState bool
	State    PatientState // of the last observation that has one, if HasState
}

// PatientSummary reads the demographics of every observation of the reply
// ([Observation.Demographics]) and notes which are present. It stops at the
// first observation whose demographics cannot be read and returns that
// error with what the observations before it carry. An error in the list
// of observations ends the walk and is left to [PollReply.Summary].
func (p *PollReply) PatientSummary() (PatientSummary, error) {
	var s PatientSummary
	it := p.Observations()
	for it.Next() {
		d, err := it.Observation().Demographics()
		if err != nil {
			return s, err
		}
		s.Objects++
		s.HasName = s.HasName || len(d.GivenName) > 0 || len(d.FamilyName) > 0
		s.HasID = s.HasID || len(d.PatientID) > 0
		s.HasDOB = s.HasDOB || len(d.DOB) > 0
		s.HasSex = s.HasSex || d.HasSex
		if d.HasState {
			s.HasState, s.State = true, d.State
		}
	}
	return s, nil
}

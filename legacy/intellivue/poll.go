package intellivue

// PollRequest is the argument of a single (NOM_ACT_POLL_MDIB_DATA) or
// extended (NOM_ACT_POLL_MDIB_DATA_EXT) poll action.
type PollRequest struct {
	Extended     bool
	Number       uint16 // poll number
	ObjPartition uint16 // polled object type: partition and code,
	ObjCode      uint16 // e.g. MOCNumeric, MOCWave, MOCAlarm
	AttrGroup    uint16 // polled attribute group, 0 for all
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
	p.ObjCode = r.u16()
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
	ObjCode      uint16
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
	p.ObjCode = r.u16()
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

// ObservationIter walks the observations of a [PollReply].
type ObservationIter struct {
	list     reader
	contexts int
	ctx      uint16
	inCtx    reader
	left     int
}

// Observations returns an iterator over the reply's observations.
func (p *PollReply) Observations() ObservationIter {
	return ObservationIter{list: p.list, contexts: p.Contexts}
}

// Next returns the next observation, or false at the end or on malformed
// input (see Err).
func (it *ObservationIter) Next() (Observation, bool) {
	for it.left <= 0 {
		if it.contexts <= 0 || it.list.err != nil {
			return Observation{}, false
		}
		it.contexts--
		it.ctx = it.list.u16()
		it.left = int(it.list.u16())
		it.inCtx = it.list.sub(int(it.list.u16()))
		if it.list.err != nil {
			return Observation{}, false
		}
	}
	it.left--
	o := Observation{Context: it.ctx, Handle: it.inCtx.u16()}
	o.Attrs = attrList(&it.inCtx)
	if it.inCtx.err != nil {
		it.list.err = it.inCtx.err
		return Observation{}, false
	}
	return o, true
}

// Err returns the error that stopped the iteration, if any.
func (it *ObservationIter) Err() error { return it.list.err }

// PollSummary counts what a poll reply carries.
type PollSummary struct {
	Observations int
	Numerics     int // numeric values, compound ones counted one by one
	Waves        int // sample arrays
	Alarms       int // entries of alarm lists
}

// Summary walks the whole reply and counts its contents.
func (p *PollReply) Summary() (PollSummary, error) {
	var s PollSummary
	it := p.Observations()
	for o, ok := it.Next(); ok; o, ok = it.Next() {
		s.Observations++
		for a, ok := o.Attrs.Next(); ok; a, ok = o.Attrs.Next() {
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

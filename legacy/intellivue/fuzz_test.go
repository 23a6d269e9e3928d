package intellivue

import "testing"

// walk calls every accessor on a parsed message, as a passive decoder does.
func walk(b []byte) int {
	m, err := Parse(b)
	if err != nil {
		return 0
	}
	n := 1
	if u, err := m.UserInfo(); err == nil {
		n += int(u.Poll.MaxMTURx)
		for _, ok := u.Options.Next(); ok; _, ok = u.Options.Next() {
			n++
		}
	}
	if id, err := m.Identity(); err == nil {
		n += len(id.Model) + len(id.SWRevision)
	}
	if p, err := m.PollRequest(); err == nil {
		n += int(p.Number)
		for _, ok := p.ExtAttrs.Next(); ok; _, ok = p.ExtAttrs.Next() {
			n++
		}
	}
	if p, err := m.PollReply(); err == nil {
		s, _ := p.Summary()
		n += s.Numerics + s.Alarms + s.Waves
		it := p.Observations()
		for o, ok := it.Next(); ok; o, ok = it.Next() {
			if d, err := o.Demographics(); err == nil {
				n += len(d.GivenName) + len(d.PatientID) + int(d.Sex)
			}
			for a, ok := o.Attrs.Next(); ok; a, ok = o.Attrs.Next() {
				if a.ID == AttrNumeric {
					if v, err := ParseNumeric(a.Value); err == nil {
						n += int(v.Unit)
					}
				}
				al := a.Alarms()
				for v, ok := al.Next(); ok; v, ok = al.Next() {
					n += len(v.Text) + int(v.Code)
				}
				if c, ok, _ := a.AlertCondition(); ok {
					n += int(c.MaxPhysio)
				}
				nu := a.Numerics()
				for v, ok := nu.Next(); ok; v, ok = nu.Next() {
					p, u := v.Name()
					n += len(p) + len(u) + int(v.Special)
				}
			}
		}
	}
	return n
}

func simMessages() [][]byte {
	return [][]byte{
		connectIndication(), session(SPDUConnect, assocUserData(true)), session(SPDUAccept, assocUserData(false)), session(SPDUAbort, nil),
		mdsCreate(1), mdsCreateResult(1), pollRequest(2, 1, MOCNumeric, false), pollRequest(3, 2, MOCWave, true),
		pollReply(2, 1, MOCNumeric, false, 0, 0, numericObservations()...),
		pollReply(3, 2, MOCWave, true, LinkedFirst, 1, waveObservations()...),
		pollReply(4, 3, MOCAlarm, true, 0, 0, alarmObservations()...), roError(5, 9),
		pollReply(6, 5, MOCDemog, false, 0, 0, demographicsObservations()...),
	}
}

// FuzzParse parses arbitrary datagrams and walks every accessor: no panic,
// and truncating a valid message never yields more than the whole one.
func FuzzParse(f *testing.F) {
	for _, m := range simMessages() {
		f.Add(m)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		walk(b)
		for _, n := range []int{len(b) / 2, len(b) - 1} {
			if n >= 0 {
				walk(b[:n])
			}
		}
	})
}

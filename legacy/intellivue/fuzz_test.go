package intellivue

import "testing"

// walk calls every accessor on a parsed message, as a passive decoder does.
func walk(b []byte) int {
	n := 0
	if Sniff(b) {
		n++
	}
	m, err := Parse(b)
	if err != nil {
		return n
	}
	n++
	if u, err := m.UserInfo(); err == nil {
		n += int(u.Poll.MaxMTURx)
		for u.Options.Next() {
			n++
		}
	}
	if id, err := m.Identity(); err == nil {
		n += len(id.Model) + len(id.SWRevision)
	}
	var ids [4]AttrID
	if k, err := m.AttributeIDs(ids[:]); err == nil {
		n += k + int(ids[0])
	}
	if g, err := m.GetRequest(); err == nil {
		for g.IDs.Next() {
			n += int(g.IDs.ID())
		}
	}
	if s, err := m.SetRequest(); err == nil {
		for s.Mods.Next() {
			mod := s.Mods.Mod()
			n += int(mod.Op) + len(mod.Value)
		}
	}
	if it, err := m.ResultAttributes(); err == nil {
		for it.Next() {
			n += len(it.Attr().Value)
		}
	}
	if p, err := m.PollRequest(); err == nil {
		n += int(p.Number)
		for p.ExtAttrs.Next() {
			n++
		}
	}
	if p, err := m.PollReply(); err == nil {
		s, _ := p.Summary()
		n += s.Numerics + s.Alarms + s.Waves + len(p.ObjCode.Name())
		c, _ := p.AlarmCounts()
		n += c.High + c.New
		ps, _ := p.PatientSummary()
		n += ps.Objects + len(ps.State.Name())
		it := p.Observations()
		for it.Next() {
			o := it.Observation()
			if d, err := o.Demographics(); err == nil {
				n += len(d.GivenName) + len(d.PatientID) + int(d.Sex)
			}
			for o.Attrs.Next() {
				a := o.Attrs.Attr()
				if a.ID == AttrNumeric {
					if v, err := ParseNumeric(a.Value); err == nil {
						n += int(v.Unit)
					}
				}
				al := a.Alarms()
				for al.Next() {
					v := al.Alarm()
					n += len(v.Text) + int(v.Code)
				}
				if c, ok, _ := a.AlertCondition(); ok {
					n += int(c.MaxPhysio)
				}
				switch a.ID {
				case AttrSampleSpec:
					if sp, err := ParseSampleSpec(a); err == nil {
						n += int(sp.SampleSize)
					}
				case AttrScaleRange:
					if sc, err := ParseScaleRange(a); err == nil {
						n += int(sc.Value(7))
					}
				}
				wv := a.Waves()
				for wv.Next() {
					w := wv.Wave()
					v, _ := SampleSpec{SampleSize: 16, SignificantBits: 12}.Sample(w.Samples, 3)
					n += len(w.Samples) + int(v)
				}
				nu := a.Numerics()
				for nu.Next() {
					v := nu.Numeric()
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
		getRequest(7, AttrModel, AttrSystemID), getResult(7, CmdGet, identityAttrs()...),
		setRequest(8, ava{attrPollNuPrioList, prioList()}), getResult(8, CmdConfirmedSet, ava{attrPollNuPrioList, prioList()}),
	}
}

// FuzzParse parses arbitrary datagrams and their truncations and walks
// every accessor: no panic, no endless loop, and the same result from the
// same bytes at another address (no state kept between calls, no read
// outside the datagram that a copy would change).
func FuzzParse(f *testing.F) {
	for _, m := range simMessages() {
		f.Add(m)
	}
	for _, m := range [][]byte{aare, setPriority, getAll} { // the hand-written vectors of the table tests
		f.Add(m)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, n := range []int{len(b), len(b) / 2, len(b) - 1} {
			if n < 0 {
				continue
			}
			c := append(make([]byte, 0, n), b[:n]...)
			if got, want := walk(c), walk(b[:n]); got != want {
				t.Fatalf("walk of %d bytes: %d, then %d on a copy", n, want, got)
			}
		}
	})
}

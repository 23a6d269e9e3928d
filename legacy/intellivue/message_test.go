package intellivue

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
)

// isErrAt reports whether err is an [*Error] wrapping want at offset off.
func isErrAt(err, want error, off int64) bool {
	var e *Error
	return errors.As(err, &e) && errors.Is(e, want) && e.Offset == off
}

// describe renders a message and what its accessors decode in one line.
func describe(b []byte) string {
	m, err := Parse(b)
	if err != nil {
		return "error: " + err.Error()
	}
	var s strings.Builder
	fmt.Fprintf(&s, "%s", m.Kind)
	switch m.Kind {
	case KindConnectIndication, KindDataExport:
	default:
		fmt.Fprintf(&s, " spdu=%#x userdata=%d", uint8(m.SPDU), len(m.UserData))
		if u, err := m.UserInfo(); err == nil {
			fmt.Fprintf(&s, " protocol=%#x nomenclature=%#x system=%#x startup=%#x", uint32(u.ProtocolVersion), uint32(u.NomenclatureVersion), uint32(u.SystemType), uint32(u.StartupMode))
			if u.HasPoll {
				p := u.Poll
				fmt.Fprintf(&s, " poll[period=%d mtu=%d/%d bw=%#x options=%#x ext=%v/%#x]", p.MinPollPeriod, p.MaxMTURx, p.MaxMTUTx, p.MaxBWTx, uint32(p.Options), p.HasExt, uint32(p.ExtOptions))
			}
		} else if !errors.Is(err, ErrNoUserInfo) || m.Kind == KindAssocRequest || m.Kind == KindAssocResponse {
			fmt.Fprintf(&s, " userinfo-error=%v", err)
		}
		return s.String()
	}
	if m.Kind == KindDataExport {
		fmt.Fprintf(&s, " ro=%d invoke=%d", m.RO, m.InvokeID)
	}
	switch m.RO {
	case ROError:
		fmt.Fprintf(&s, " error=%d", m.ErrorValue)
		return s.String()
	case ROLinkedResult:
		fmt.Fprintf(&s, " linked=%d/%d", m.LinkedState, m.LinkedCount)
	}
	fmt.Fprintf(&s, " cmd=%d obj=%#x", m.Command, uint16(m.ObjClass))
	if m.EventType != 0 {
		fmt.Fprintf(&s, " event=%#x", uint16(m.EventType))
	}
	if m.ActionType != 0 {
		fmt.Fprintf(&s, " action=%#x", uint16(m.ActionType))
	}
	if id, err := m.Identity(); err == nil {
		fmt.Fprintf(&s, " manufacturer=%q model=%q sysid=%x serial=%q sw=%q protocol=%q bed=%q mac=%x ip=%v",
			id.Manufacturer, id.Model, id.SystemID, id.Serial, id.SWRevision, id.ProtocolRevision, AppendUTF16(nil, id.BedLabel), id.MAC, id.IP)
	}
	if g, err := m.GetRequest(); err == nil {
		fmt.Fprintf(&s, " get scope=%d ids=[", g.Scope)
		for g.IDs.Next() {
			id := g.IDs.ID()
			fmt.Fprintf(&s, " %#x", uint16(id))
		}
		fmt.Fprintf(&s, " ] err=%v", g.IDs.Err())
	}
	if r, err := m.SetRequest(); err == nil {
		fmt.Fprintf(&s, " set scope=%d mods=[", r.Scope)
		for r.Mods.Next() {
			mod := r.Mods.Mod()
			fmt.Fprintf(&s, " op=%d %#x=%x", mod.Op, uint16(mod.ID), mod.Value)
		}
		fmt.Fprintf(&s, " ] err=%v", r.Mods.Err())
	}
	if it, err := m.ResultAttributes(); err == nil {
		s.WriteString(" result-attrs=[")
		for it.Next() {
			a := it.Attr()
			fmt.Fprintf(&s, " %#x/%d", uint16(a.ID), len(a.Value))
		}
		fmt.Fprintf(&s, " ] err=%v", it.Err())
	}
	if p, err := m.PollRequest(); err == nil {
		fmt.Fprintf(&s, " poll-request ext=%v number=%d obj=%d group=%d", p.Extended, p.Number, p.ObjCode, p.AttrGroup)
	}
	if p, err := m.PollReply(); err == nil {
		sum, err := p.Summary()
		fmt.Fprintf(&s, " poll-reply ext=%v number=%d obj=%d contexts=%d %+v err=%v", p.Extended, p.Number, p.ObjCode, p.Contexts, sum, err)
		it := p.Observations()
		for it.Next() {
			o := it.Observation()
			if p.ObjCode == MOCDemog {
				d, err := o.Demographics()
				fmt.Fprintf(&s, " patient[given=%q family=%q id=%q dob=%x sex=%d type=%d state=%d err=%v]",
					AppendUTF16(nil, d.GivenName), AppendUTF16(nil, d.FamilyName), AppendUTF16(nil, d.PatientID), d.DOB, d.Sex, d.Type, d.State, err)
			}
			for o.Attrs.Next() {
				a := o.Attrs.Attr()
				if c, ok, err := a.AlertCondition(); ok || err != nil {
					fmt.Fprintf(&s, " alert-condition[%+v %v]", c, err)
				}
				al := a.Alarms()
				for al.Next() {
					v := al.Alarm()
					fmt.Fprintf(&s, " alarm[source=%s code=%#x type=%d state=%#x info=%#x text=%#x prio=%d flags=%#x %q]",
						v.Source.Label(), v.Code, v.Type, uint16(v.State), uint16(v.InfoID), v.TextID, v.Priority, v.Flags, AppendUTF16(nil, v.Text))
				}
				if err := al.Err(); err != nil {
					fmt.Fprintf(&s, " alarm-error=%v", err)
				}
				if a.ID == AttrSampleSpec {
					sp, err := ParseSampleSpec(a)
					fmt.Fprintf(&s, " sa-spec[%+v %v]", sp, err)
				}
				if a.ID == AttrScaleRange {
					sc, err := ParseScaleRange(a)
					fmt.Fprintf(&s, " scale[%g..%g for %d..%d %v]", sc.LowerAbs, sc.UpperAbs, sc.LowerScaled, sc.UpperScaled, err)
				}
				wv := a.Waves()
				for wv.Next() {
					w := wv.Wave()
					spec := SampleSpec{SampleSize: 16, SignificantBits: 12}
					first, _ := spec.Sample(w.Samples, 0)
					last, _ := spec.Sample(w.Samples, spec.Len(w.Samples)-1)
					fmt.Fprintf(&s, " [%#x wave %s state=%#x samples=%d first=%d last=%d]", o.Handle, w.PhysioID.Label(), uint16(w.State), spec.Len(w.Samples), first, last)
				}
				if err := wv.Err(); err != nil {
					fmt.Fprintf(&s, " wave-error=%v", err)
				}
				it := a.Numerics()
				for it.Next() {
					n := it.Numeric()
					fmt.Fprintf(&s, " [%#x %s=%g%s", o.Handle, n.PhysioID.Label(), n.Value, n.Unit.Symbol())
					if n.Special != SpecialNone {
						fmt.Fprintf(&s, " %s", n.Special)
					}
					if n.State != 0 {
						fmt.Fprintf(&s, " state=%#x", uint16(n.State))
					}
					s.WriteString("]")
				}
				if err := it.Err(); err != nil {
					fmt.Fprintf(&s, " numeric-error=%v", err)
				}
			}
		}
	}
	return s.String()
}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"connect indication", connectIndication(), `connect-indication cmd=0 obj=0x23 event=0xd17 manufacturer="Philips" model="MX800" sysid=0009fb123456 serial="DE12345678" sw="M.00.03" protocol="3.0" bed="ICU-7" mac=0009fb123456 ip=[127 0 0 1]`},
		{"association request", session(SPDUConnect, assocUserData(true)), "associate-rq spdu=0xd userdata=236 protocol=0x80000000 nomenclature=0x40000000 system=0x80000000 startup=0x20000000 poll[period=4000 mtu=1456/1456 bw=0xffffffff options=0x60000000 ext=true/0x8c000000]"},
		{"association response", session(SPDUAccept, assocUserData(false)), "associate-ac spdu=0xe userdata=185 protocol=0x80000000 nomenclature=0x40000000 system=0x800000 startup=0x20000000 poll[period=4000 mtu=1456/1456 bw=0xffffffff options=0x60000000 ext=true/0x8c000000]"},
		{"refuse", session(SPDURefuse, []byte{0x32, 0x01, 0x00}), "associate-rj spdu=0xc userdata=3"},
		{"release request", session(SPDUFinish, []byte{0x15, 0x01, 0x00}), "release-rq spdu=0x9 userdata=3"},
		{"release response", session(SPDUDisconnect, nil), "release-rp spdu=0xa userdata=0"},
		{"abort", session(SPDUAbort, make([]byte, 300)), "abort spdu=0x19 userdata=300"},
		{"MDS create", mdsCreate(1), `data-export ro=1 invoke=1 cmd=1 obj=0x21 event=0xd06 manufacturer="Philips" model="MX800" sysid=0009fb123456 serial="DE12345678" sw="M.00.03" protocol="3.0" bed="ICU-7" mac=0009fb123456 ip=[127 0 0 1]`},
		{"MDS create result", mdsCreateResult(1), "data-export ro=2 invoke=1 cmd=1 obj=0x21 event=0xd06"},
		{"poll request", pollRequest(2, 1, MOCNumeric, false), "data-export ro=1 invoke=2 cmd=7 obj=0x21 action=0xc16 poll-request ext=false number=1 obj=6 group=0"},
		{"extended poll request", pollRequest(3, 2, MOCWave, true), "data-export ro=1 invoke=3 cmd=7 obj=0x21 action=0xf13b poll-request ext=true number=2 obj=9 group=0"},
		{"poll reply", pollReply(2, 1, MOCNumeric, false, 0, 0, numericObservations()...),
			"data-export ro=2 invoke=2 cmd=7 obj=0x21 action=0xc16 poll-reply ext=false number=1 obj=6 contexts=1 {Observations:6 Numerics:8 Waves:0 Alarms:0} err=<nil> [0x101 HR=72bpm] [0x102 SpO2=97.5%] [0x103 NBPs=120mmHg] [0x103 NBPd=80mmHg] [0x103 NBPm=93mmHg] [0x104 Temp=37.2°C] [0x105 RR=16rpm] [0x106 etCO2=NaNmmHg NaN state=0x2000]"},
		{"linked poll reply", pollReply(3, 2, MOCWave, true, LinkedFirst, 1, waveObservations()...),
			"data-export ro=5 invoke=3 linked=1/1 cmd=7 obj=0x21 action=0xf13b poll-reply ext=true number=2 obj=9 contexts=1 {Observations:2 Numerics:0 Waves:2 Alarms:0} err=<nil> sa-spec[{ArraySize:32 SampleSize:16 SignificantBits:12 Flags:32768} <nil>] scale[-40..40 for 0..4095 <nil>] [0x201 wave II state=0x0 samples=32 first=0 last=3968] [0x202 wave II state=0x0 samples=32 first=0 last=3968]"},
		{"alarm reply", pollReply(4, 3, MOCAlarm, true, 0, 0, alarmObservations()...),
			"data-export ro=2 invoke=4 cmd=7 obj=0x21 action=0xf13b poll-reply ext=true number=3 obj=54 contexts=1 {Observations:1 Numerics:0 Waves:0 Alarms:2} err=<nil> alert-condition[{State:0x0 ChangeCount:5 MaxPhysio:HI_PRI_P_AL MaxTech:NO_ALERT MaxAudible:HI_PRI_P_AL} <nil>] alarm[source=HR code=0xf0b2 type=1024 state=0x8 info=0x204 text=0x24182 prio=2 flags=0x4000 \"**HR 150 > 120\"] alarm[source=HR code=0xf0b4 type=512 state=0x2000 info=0x201 text=0x24182 prio=2 flags=0x4000 \"\"]"},
		{"demographics reply", pollReply(6, 5, MOCDemog, false, 0, 0, demographicsObservations()...),
			`data-export ro=2 invoke=6 cmd=7 obj=0x21 action=0xc16 poll-reply ext=false number=5 obj=42 contexts=1 {Observations:1 Numerics:0 Waves:0 Alarms:0} err=<nil> patient[given="Jane" family="Doe" id="MRN0042" dob=1980022900000000 sex=2 type=1 state=2 err=<nil>]`},
		{"remote operation error", roError(5, 9), "data-export ro=3 invoke=5 error=9"},
		{"GET", getRequest(7, AttrModel, AttrSystemID), "data-export ro=1 invoke=7 cmd=3 obj=0x21 get scope=0 ids=[ 0x928 0x984 ] err=<nil>"},
		{"GET all", getRequest(7), "data-export ro=1 invoke=7 cmd=3 obj=0x21 get scope=0 ids=[ ] err=<nil>"},
		{"GET result", getResult(7, CmdGet, identityAttrs()[1:3]...), "data-export ro=2 invoke=7 cmd=3 obj=0x21 result-attrs=[ 0x928/18 0x984/8 ] err=<nil>"},
		{"confirmed SET", setRequest(8, ava{attrPollNuPrioList, prioList()}), "data-export ro=1 invoke=8 cmd=5 obj=0x21 set scope=0 mods=[ op=0 0xf239=000200080002418200024bb8 ] err=<nil>"},
		{"SET result", getResult(8, CmdConfirmedSet, ava{attrPollNuPrioList, prioList()}), "data-export ro=2 invoke=8 cmd=5 obj=0x21 result-attrs=[ 0xf239/12 ] err=<nil>"},
		{"empty", nil, "error: intellivue: truncated message at offset 0"},
		{"not intellivue", []byte("GET / HTTP/1.1\r\n"), "error: intellivue: not an IntelliVue data export message at offset 0"},
		{"length beyond the datagram", mdsCreate(1)[:40], "error: intellivue: length field exceeds the message at offset 8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := describe(tt.in); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestFloat(t *testing.T) {
	for _, tt := range []struct {
		raw  uint32
		want float64
	}{
		{0x00000048, 72}, {0xFF0003CF, 97.5}, {0x02000001, 100}, {0x00FFFFFF, -1}, {0xFEFFFF9C, -1},
	} {
		if got := Float(tt.raw); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("Float(%#x) = %g, want %g", tt.raw, got, tt.want)
		}
	}
	if !math.IsNaN(Float(0x007FFFFF)) || !math.IsInf(Float(0x007FFFFE), 1) {
		t.Error("special values")
	}
}

func TestErrorsTyped(t *testing.T) {
	_, err := Parse(mdsCreate(1)[:40])
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrLength) {
		t.Fatalf("%#v", err)
	}
}

package intellivue_test

import (
	"fmt"

	"github.com/medtap/medtap/legacy/intellivue"
)

// A poll result as a monitor sends it: one context holding one numeric
// observation (heart rate, 72 beats per minute).
var pollResult = []byte{
	0xe1, 0x00, 0x00, 0x02, // SPpdu: session 0xE100, presentation context 2
	0x00, 0x02, 0x00, 0x42, // ROapdus: RORS, length
	0x00, 0x07, 0x00, 0x07, 0x00, 0x3c, // invoke 7, CMD_CONFIRMED_ACTION, length
	0x00, 0x21, 0x00, 0x00, 0x00, 0x00, // managed object: MDS
	0x0c, 0x16, 0x00, 0x32, // NOM_ACT_POLL_MDIB_DATA, length
	0x00, 0x01, // poll number
	0x00, 0x00, 0x10, 0x00, // relative time
	0x20, 0x24, 0x06, 0x27, 0x13, 0x54, 0x07, 0x00, // absolute time
	0x00, 0x01, 0x00, 0x06, 0x00, 0x00, // polled object: numerics, all groups
	0x00, 0x01, 0x00, 0x1a, // one context, length
	0x00, 0x00, 0x00, 0x01, 0x00, 0x14, // context 0: one observation, length
	0x01, 0x01, 0x00, 0x01, 0x00, 0x0e, // handle 0x101, one attribute, length
	0x09, 0x50, 0x00, 0x0a, // NOM_ATTR_NU_VAL_OBS, length
	0x41, 0x82, 0x00, 0x00, 0x0a, 0xa0, 0x00, 0x00, 0x00, 0x48, // HR, valid, bpm, 72
}

func ExampleMessage_PollReply() {
	m, err := intellivue.Parse(pollResult)
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := m.PollReply()
	if err != nil {
		fmt.Println(err)
		return
	}
	it := p.Observations()
	for it.Next() {
		o := it.Observation()
		for o.Attrs.Next() {
			a := o.Attrs.Attr()
			if a.ID == intellivue.AttrNumeric {
				n, _ := intellivue.ParseNumeric(a.Value)
				fmt.Printf("object %#x: %v = %g (%v)\n", o.Handle, n.PhysioID, n.Value, n.Unit)
			}
		}
	}
	// Output: object 0x101: NOM_ECG_CARD_BEAT_RATE = 72 (NOM_DIM_BEAT_PER_MIN)
}

func ExampleAttr_Numerics() {
	m, _ := intellivue.Parse(pollResult)
	p, _ := m.PollReply()
	it := p.Observations()
	for it.Next() {
		o := it.Observation()
		for o.Attrs.Next() {
			a := o.Attrs.Attr()
			nu := a.Numerics() // one value, or each value of a compound
			for nu.Next() {
				n := nu.Numeric()
				fmt.Printf("%s (%s) = %g %s\n", n.PhysioID.Label(), n.PhysioID, n.Value, n.Unit.Symbol())
			}
		}
	}
	// Output: HR (NOM_ECG_CARD_BEAT_RATE) = 72 bpm
}

// An association response reduced to the user information a monitor
// returns: the poll profile it grants.
var assocResponse = []byte{
	0x0e, 0x44, // AC SPDU, length 68
	0xc1, 0x42, // presentation header, length 66
	0xbe, 0x80, 0x28, 0x80, 0x81, 0x3c, // user information EXTERNAL, octet-aligned, ASN length 60
	0x80, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, // MDDL_VERSION1, NOMEN_VERSION
	0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, // functional units, SYST_SERVER
	0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // COLD_START, empty option list
	0x00, 0x01, 0x00, 0x20, 0x00, 0x01, 0x00, 0x1c, // one profile: NOM_POLL_PROFILE_SUPPORT, length 28
	0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0f, 0xa0, // revision 0, min poll period 4000 (500 ms)
	0x00, 0x00, 0x05, 0xb0, 0x00, 0x00, 0x05, 0xb0, // max MTU rx and tx 1456
	0xff, 0xff, 0xff, 0xff, 0x60, 0x00, 0x00, 0x00, // max bandwidth: no limit; dynamic create and delete
	0x00, 0x00, 0x00, 0x00, // no optional packages
}

func ExampleMessage_UserInfo() {
	m, err := intellivue.Parse(assocResponse)
	if err != nil {
		fmt.Println(err)
		return
	}
	u, err := m.UserInfo()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Kind, u.SystemType == intellivue.SystemServer, u.StartupMode == intellivue.StartupCold)
	if u.HasPoll {
		fmt.Printf("poll every %g ms or slower, MTU %d\n", float64(u.Poll.MinPollPeriod)/8, u.Poll.MaxMTURx)
	}
	// Output:
	// associate-ac true true
	// poll every 500 ms or slower, MTU 1456
}

func ExampleSniff() {
	fmt.Println(intellivue.Sniff(pollResult), intellivue.Sniff([]byte("GET / HTTP/1.1\r\n")))
	// Output: true false
}

// A GET of the monitor's model and system ID.
var getModel = []byte{
	0xe1, 0x00, 0x00, 0x02, // SPpdu: session 0xE100, presentation context 2
	0x00, 0x01, 0x00, 0x18, // ROapdus: ROIV, length 24
	0x00, 0x07, 0x00, 0x03, 0x00, 0x12, // invoke 7, CMD_GET, length 18
	0x00, 0x21, 0x00, 0x00, 0x00, 0x00, // managed object: MDS
	0x00, 0x00, 0x00, 0x00, // scope
	0x00, 0x02, 0x00, 0x04, // AttributeIdList: count 2, length 4
	0x09, 0x28, 0x09, 0x84, // NOM_ATTR_ID_MODEL, NOM_ATTR_SYS_ID
}

func ExampleMessage_AttributeIDs() {
	m, err := intellivue.Parse(getModel)
	if err != nil {
		fmt.Println(err)
		return
	}
	var ids [16]intellivue.AttrID
	n, err := m.AttributeIDs(ids[:])
	fmt.Println(m.Command, n, ids[:min(n, len(ids))], err)
	// Output: CMD_GET 2 [NOM_ATTR_ID_MODEL NOM_ATTR_SYS_ID] <nil>
}

// An alarm poll result: one alert monitor whose physiological alarm list
// holds a new high priority heart rate alarm.
var alarmResult = []byte{
	0xe1, 0x00, 0x00, 0x02, // SPpdu
	0x00, 0x02, 0x00, 0x58, // ROapdus: RORS, length 88
	0x00, 0x04, 0x00, 0x07, 0x00, 0x52, // invoke 4, CMD_CONFIRMED_ACTION, length 82
	0x00, 0x21, 0x00, 0x00, 0x00, 0x00, // managed object: MDS
	0x0c, 0x16, 0x00, 0x48, // NOM_ACT_POLL_MDIB_DATA, length 72
	0x00, 0x03, 0x0a, 0x0b, 0x0c, 0x0d, // poll number 3, relative time
	0x20, 0x24, 0x06, 0x27, 0x13, 0x54, 0x07, 0x00, // absolute time
	0x00, 0x01, 0x00, 0x36, 0x00, 0x00, // polled object: NOM_MOC_VMO_AL_MON, all groups
	0x00, 0x01, 0x00, 0x30, // one context, length 48
	0x00, 0x00, 0x00, 0x01, 0x00, 0x2a, // context 0: one observation, length 42
	0x00, 0x01, 0x00, 0x01, 0x00, 0x24, // handle 1, one attribute, length 36
	0x09, 0x02, 0x00, 0x20, // NOM_ATTR_AL_MON_P_AL_LIST, length 32
	0x00, 0x01, 0x00, 0x1c, // one entry, length 28
	0x41, 0x82, 0xf0, 0xb2, // al_source: heart rate, al_code
	0x04, 0x00, 0x00, 0x08, // HI_PRI_P_AL, AL_NEW_ALERT
	0x00, 0x06, 0x00, 0x00, 0x01, 0x01, // object: the HR numeric
	0x02, 0x01, 0x00, 0x0a, // GEN_ALMON_INFO, length 10
	0x00, 0x01, 0x00, 0x02, 0x41, 0x82, 0x00, 0x02, 0x40, 0x00, // instance, label, priority, flags
}

func ExamplePollReply_AlarmCounts() {
	m, _ := intellivue.Parse(alarmResult)
	p, err := m.PollReply()
	if err != nil {
		fmt.Println(err)
		return
	}
	s, _ := p.Summary()
	c, err := p.AlarmCounts()
	fmt.Printf("%s: %d alarms, %d of high priority, %d new, %v\n", p.ObjCode.Name(), s.Alarms, c.High, c.New, err)
	// Output: alarms: 1 alarms, 1 of high priority, 1 new, <nil>
}

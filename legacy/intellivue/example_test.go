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
	for o, ok := it.Next(); ok; o, ok = it.Next() {
		for a, ok := o.Attrs.Next(); ok; a, ok = o.Attrs.Next() {
			if a.ID == intellivue.AttrNumeric {
				n, _ := intellivue.ParseNumeric(a.Value)
				fmt.Printf("object %#x: physio %#x = %g (unit %#x)\n", o.Handle, n.PhysioID, n.Value, n.Unit)
			}
		}
	}
	// Output: object 0x101: physio 0x4182 = 72 (unit 0xaa0)
}

package snmp_test

import (
	"fmt"

	"github.com/medtap/medtap/netproto/snmp"
)

func ExampleParse() {
	// An SNMPv2c response with sysName.0 = "pacs-gw".
	msg := []byte{
		0x30, 0x29, 0x02, 0x01, 0x01, 0x04, 0x06, 'p', 'u', 'b', 'l', 'i', 'c',
		0xa2, 0x1c, 0x02, 0x02, 0x04, 0xd2, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00,
		0x30, 0x10, 0x30, 0x0e, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x05, 0x00,
		0x04, 0x02, 'g', 'w',
	}
	var m snmp.Message
	if err := snmp.Parse(msg, &m); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Version, m.PDU.Type, m.PDU.RequestID, "default community:", snmp.DefaultCommunity(m.Community))
	it := m.PDU.VarBinds()
	for it.Next() {
		vb := it.VarBind()
		fmt.Printf("%s = %s: %s\n", vb.Name, vb.Value.Type, vb.Value.AppendTo(nil))
	}
	// Output:
	// v2c response 1234 default community: true
	// 1.3.6.1.2.1.1.5.0 = OCTET STRING: gw
}

func ExampleOID_Arcs() {
	o := snmp.MustParseOID("1.3.6.1.4.1.19816.1")
	it := o.Arcs()
	for i := 0; it.Next(); i++ {
		if i > 0 {
			fmt.Print("|")
		}
		fmt.Print(it.Arc())
	}
	n, _ := o.Enterprise()
	fmt.Printf("\n%d: %s\n", n, snmp.EnterpriseName(n))
	// Output:
	// 1|3|6|1|4|1|19816|1
	// 19816: Philips Medizin Systeme Boeblingen GmbH
}

func ExampleWalker() {
	var w snmp.Walker
	w.Reset([]byte{0x30, 0x06, 0x02, 0x01, 0x00, 0x04, 0x01, 'c'})
	for w.Next() {
		e := w.Element()
		fmt.Printf("%d %#02x at %d, %d bytes\n", w.Depth(), e.Tag, e.Offset, len(e.Value))
	}
	fmt.Println(w.Err())
	// Output:
	// 0 0x30 at 0, 6 bytes
	// 1 0x02 at 2, 1 bytes
	// 1 0x04 at 5, 1 bytes
	// <nil>
}

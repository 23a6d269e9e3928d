package lldp_test

import (
	"fmt"

	"github.com/medtap/medtap/netproto/lldp"
)

func ExampleParse() {
	// The LLDPDU of an infusion pump: chassis id (MAC), port id (MAC),
	// TTL, system name, a management address and two LLDP-MED inventory
	// TLVs.
	pdu := []byte{
		0x02, 0x07, 0x04, 0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc,
		0x04, 0x07, 0x03, 0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc,
		0x06, 0x02, 0x00, 0x78,
		0x0a, 0x07, 'p', 'u', 'm', 'p', '-', '0', '7',
		0x10, 0x0c, 0x05, 0x01, 10, 216, 0, 11, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00,
		0xfe, 0x0b, 0x00, 0x12, 0xbb, 0x09, 'C', 'o', 'n', 't', 'o', 's', 'o',
		0xfe, 0x0a, 0x00, 0x12, 0xbb, 0x0a, 'I', 'P', '-', '3', '0', '0',
		0x00, 0x00,
	}
	var a lldp.Advertisement
	if err := lldp.Parse(pdu, &a); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s %s ttl=%d\n", a.ChassisSubtype, a.AppendChassisID(nil), a.TTL)
	fmt.Printf("%s at %v: %s %s\n", a.SystemName, a.MgmtIP(), a.Manufacturer, a.Model)
	// Output:
	// mac 00:1b:21:aa:bb:cc ttl=120
	// pump-07 at 10.216.0.11: Contoso IP-300
}

func ExampleReader() {
	pdu := []byte{0x02, 0x03, 0x07, 'a', 'b', 0x04, 0x03, 0x07, 'p', '1', 0x06, 0x02, 0x00, 0x00, 0x00, 0x00}
	var r lldp.Reader
	r.Reset(pdu)
	for r.Next() {
		t := r.TLV()
		fmt.Println(t.Type, t.Offset, len(t.Value))
	}
	fmt.Println(r.Err())
	// Output:
	// chassis-id 0 3
	// port-id 5 3
	// ttl 10 2
	// <nil>
}

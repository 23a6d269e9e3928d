package fingerprint_test

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/medtap/medtap/fingerprint"
	"github.com/medtap/medtap/flow"
)

// A workstation seen with an IPv4 and an IPv6 address of its MAC is one
// device; the hosts behind a router, whose MAC comes with many addresses,
// are a device each.
func ExampleInventory_Devices() {
	inv := fingerprint.NewInventory(fingerprint.Config{})
	ts := time.Date(2026, 12, 4, 8, 0, 0, 0, time.UTC)
	flowEnd := func(cli, srv string, cliMAC, srvMAC byte) {
		ts = ts.Add(time.Second)
		inv.Event(&flow.Event{Time: ts, Protocol: flow.ProtocolFlow, Kind: flow.KindEnd,
			Src: netip.MustParseAddrPort(cli), Dst: netip.MustParseAddrPort(srv),
			SrcMAC: flow.MAC{2, 0, 0, 0, 0, cliMAC}, DstMAC: flow.MAC{2, 0, 0, 0, 0, srvMAC},
			Detail: &flow.FlowInfo{Transport: flow.TCP, Protocol: "dicom", Start: ts}})
	}
	flowEnd("10.0.0.5:40000", "10.0.0.1:104", 5, 1)
	flowEnd("[2001:db8::5]:40001", "[2001:db8::1]:104", 5, 1)
	for i := 1; i <= 4; i++ {
		flowEnd(fmt.Sprintf("10.9.0.%d:40000", i), "10.0.0.1:104", 0xfe, 1)
	}
	for _, d := range inv.Devices() {
		fmt.Println(d.Addr, d.Addrs, d.MAC, d.Router, d.FlowsOut)
	}
	// Output:
	// 10.0.0.1 [10.0.0.1 2001:db8::1] 02:00:00:00:00:01 00:00:00:00:00:00 0
	// 10.9.0.1 [] 00:00:00:00:00:00 02:00:00:00:00:fe 1
	// 10.9.0.2 [] 00:00:00:00:00:00 02:00:00:00:00:fe 1
	// 10.9.0.3 [] 00:00:00:00:00:00 02:00:00:00:00:fe 1
	// 10.9.0.4 [] 00:00:00:00:00:00 02:00:00:00:00:fe 1
	// 2001:db8::5 [10.0.0.5 2001:db8::5] 02:00:00:00:00:05 00:00:00:00:00:00 2
}

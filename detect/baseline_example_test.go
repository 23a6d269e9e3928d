package detect_test

import (
	"bytes"
	"fmt"
	"net/netip"
	"time"

	"github.com/medtap/medtap/detect"
	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/netproto/tcpsig"
)

// A baseline learned by one engine and loaded by another: a workstation
// that talked to the PACS while learning raises nothing when it does
// again; an address never seen does.
func ExampleEngine_ReadBaseline_newDevice() {
	conn := func(e *detect.Engine, ts time.Time, client, server string) {
		c, s := netip.MustParseAddrPort(client), netip.MustParseAddrPort(server)
		sig := tcpsig.Signature{Version: 4}
		e.Event(&flow.Event{Time: ts, Src: c, Dst: s, Protocol: flow.ProtocolFlow, Kind: flow.KindStart,
			Detail: &flow.FlowInfo{Transport: flow.TCP, SYN: sig, Start: ts}})
		e.Event(&flow.Event{Time: ts, Src: c, Dst: s, Protocol: flow.ProtocolFlow, Kind: flow.KindEnd,
			Detail: &flow.FlowInfo{Transport: flow.TCP, SYNACK: sig, Reason: "fin", Start: ts, Protocol: "dicom",
				Packets: [2]uint64{6, 6}, Bytes: [2]uint64{400, 900}}})
	}
	ts := time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC)

	learner, _ := detect.NewEngine(detect.Config{}, nil, nil)
	learner.Learn(true)
	conn(learner, ts, "10.1.0.30:40000", "10.1.0.10:104")
	var baseline bytes.Buffer
	learner.WriteBaseline(&baseline)

	sink := detect.AlertFunc(func(a *detect.Alert) { fmt.Println(a.ID, a.Severity, a.Src.Addr(), a.Summary) })
	e, _ := detect.NewEngine(detect.Config{}, sink, nil)
	if err := e.ReadBaseline(&baseline, 0); err != nil {
		fmt.Println(err)
		return
	}
	conn(e, ts.Add(time.Hour), "10.1.0.30:40001", "10.1.0.10:104")
	conn(e, ts.Add(time.Hour), "10.1.0.99:40000", "10.1.0.10:104")
	// Output:
	// baseline.new-device medium 10.1.0.99 new device 10.1.0.99 opened a flow to 10.1.0.10:104
}

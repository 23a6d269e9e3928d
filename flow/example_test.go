package flow_test

import (
	"bytes"
	"fmt"
	"log"

	"github.com/medtap/medtap/bench/synth"
	"github.com/medtap/medtap/flow"
)

func Example() {
	// A capture in memory: one DICOM C-STORE association (any io.Reader
	// holding pcap or pcapng works, compressed or not).
	capture := synth.DICOMStore(1, 4096, 16384).Pcap()

	r, err := flow.NewReader(bytes.NewReader(capture))
	if err != nil {
		log.Fatal(err)
	}
	sink := flow.SinkFunc(func(e *flow.Event) {
		// e and everything it points to is valid only during this call.
		if fi, ok := e.Detail.(*flow.FlowInfo); ok {
			fmt.Println(e.Kind, e.Src, "->", e.Dst, fi.Reason, fi.Bytes)
		}
	})
	e := flow.NewEngine(flow.Config{MaxFlows: 10000}, sink)
	if err := e.Run(r); err != nil {
		log.Fatal(err)
	}
	st := e.Stats()
	fmt.Println("packets:", st.Packets, "flows:", st.Flows)
	// Output:
	// start 10.30.1.1:50000 -> 10.30.0.10:104  [0 0]
	// end 10.30.1.1:50000 -> 10.30.0.10:104 fin [4678 337]
	// packets: 15 flows: 1
}

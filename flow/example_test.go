package flow_test

import (
	"bytes"
	"fmt"
	"log"

	"github.com/medtap/medtap/capture"
	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/dicomflow"
	"github.com/medtap/medtap/internal/synth"
)

func Example() {
	// A capture in memory: one DICOM C-STORE association (any io.Reader
	// holding pcap or pcapng works, compressed or not).
	r, err := capture.NewReader(bytes.NewReader(synth.DICOMStore(1, 4096, 16384).Pcap()), nil)
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	sink := flow.SinkFunc(func(e *flow.Event) {
		// e and everything it points to is valid only during this call.
		switch d := e.Detail.(type) {
		case *flow.FlowInfo:
			fmt.Println(e.Kind, e.Src, "->", e.Dst, d.Reason, d.Bytes)
		case *dicomflow.Associate:
			if e.Kind == dicomflow.KindAssociateRQ {
				fmt.Printf("%s %s calls %s\n", e.Kind, d.Associate.CallingAE, d.Associate.CalledAE)
			}
		case *dicomflow.DIMSE:
			fmt.Println(e.Kind, d.Message.Command)
		}
	})
	// Importing dicomflow registered the "dicom" protocol.
	e, err := flow.NewEngine(flow.Config{Protocols: []string{dicomflow.Name}}, sink)
	if err != nil {
		log.Fatal(err)
	}
	if err := e.Run(r); err != nil {
		log.Fatal(err)
	}
	st := e.Stats()
	fmt.Println("packets:", st.Packets, "flows:", st.Flows)
	// Output:
	// start 10.30.1.1:50000 -> 10.30.0.10:104  [0 0]
	// associate-rq CT_SCANNER_01 calls PACS
	// dimse C-STORE-RQ
	// dimse C-STORE-RSP
	// end 10.30.1.1:50000 -> 10.30.0.10:104 fin [4678 337]
	// packets: 15 flows: 1
}

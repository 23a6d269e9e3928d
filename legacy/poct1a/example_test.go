package poct1a_test

import (
	"fmt"

	"github.com/medtap/medtap/legacy/poct1a"
)

func ExampleDecoder() {
	stream := []byte(`<?xml version="1.0" encoding="UTF-8"?>` +
		`<OBS.R02><HDR><HDR.control_id V="18"/></HDR><SVC><SVC.role_cd V="LQC"/>` +
		`<CTC><CTC.lot_number V="QC-2211"/><CTC.level_cd V="2"/>` +
		`<OBS><OBS.observation_id V="Glu"/><OBS.value V="98" U="mg/dL"/>` +
		`<NTE><NTE.text V="Dr &amp; nurse told"/></NTE></OBS></CTC></SVC></OBS.R02>`)
	var d poct1a.Decoder // the zero value is ready; set d.MaxMessage to change the limit
	d.Feed(stream)       // any chunking gives the same items
	for {
		it, err := d.Next()
		if err == poct1a.ErrNeedMore {
			break
		}
		if err != nil {
			fmt.Println(err)
			continue
		}
		switch it.Kind {
		case poct1a.KindNote:
			text := poct1a.AppendUnescape(nil, it.Note.Text)
			fmt.Printf("note on %s %s: %s\n", it.Note.Scope, it.Note.ObservationID, text)
		case poct1a.KindObservation:
			o := it.Observation
			fmt.Printf("%s %s = %s %s (QC lot %s level %s)\n", o.Role, o.ID, o.Value, o.Unit, o.ControlLot, o.ControlLevel)
		case poct1a.KindControl:
			fmt.Printf("control lot %s: %d observations\n", it.Control.Lot, it.Control.Observations)
		case poct1a.KindMessage:
			fmt.Printf("message %s control %s\n", it.Message.Type, it.Message.ControlID)
		}
	}
	// Output:
	// note on OBS Glu: Dr & nurse told
	// LQC Glu = 98 mg/dL (QC lot QC-2211 level 2)
	// control lot QC-2211: 1 observations
	// message OBS.R02 control 18
}

func ExampleAppendText() {
	buf := make([]byte, 0, 64)
	buf, err := poct1a.AppendText(buf, []byte("K &lt; 3.5 &#x2192; &#8595;"))
	fmt.Printf("%s %v\n", buf, err)
	_, err = poct1a.AppendText(buf[:0], []byte("Na &nbsp; 140"))
	fmt.Println(err)
	// Output:
	// K < 3.5 → ↓ <nil>
	// poct1a: malformed entity or character reference at offset 3
}

func ExampleSniff() {
	for _, first := range []string{
		`<?xml version="1.0" encoding="UTF-8"?><HEL.R01><HDR>`,
		`<p:OBS.R01 xmlns:p="urn:x">`,
		`<?xml version="1.0"?><soap:Envelope>`,
	} {
		fmt.Println(poct1a.Sniff([]byte(first)))
	}
	// Output:
	// true
	// true
	// false
}

package fuzz

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/medtap/medtap/detect"
	"github.com/medtap/medtap/fingerprint"
	"github.com/medtap/medtap/flow"
)

// FuzzDetect runs the pipeline's packets through the inventory and the
// default detectors, learning over the first half of the input when its
// first byte is odd: no panic, alerts that are valid JSON, the same alerts
// twice over, and the de-duplication table within its cap.
func FuzzDetect(f *testing.F) {
	f.Add(append([]byte{1}, record(0, []byte("\x01\x00\x00\x00\x00\x10"))...))
	msg := "\x0bMSH|^~\\&|ADT|HOSP|LAB|HOSP|20260101120000||ORU^R01|MSG0001|P|2.5\rPID|1||123^^^HOSP^MR||DOE^JANE\rOBX|1|ST|X||<script>alert(1)</script>||||||C\r\x1c\r"
	f.Add(append([]byte{0}, record(1, []byte(msg))...))
	f.Add(append([]byte{1}, append(record(6, []byte("USER admin\r\n")), record(6, []byte("PASS admin\r\n"))...)...))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		learn := data[0]&1 == 1
		data = data[1:]
		var runs [2][]string
		for run := range 2 {
			inv := fingerprint.NewInventory(fingerprint.Config{MaxDevices: 4})
			det, err := detect.NewEngine(detect.Config{MaxAlertKeys: 8, Devices: inv}, detect.AlertFunc(func(a *detect.Alert) {
				line := a.AppendJSON(nil)
				if !json.Valid(line) {
					t.Fatalf("alert not valid JSON: %s", line)
				}
				runs[run] = append(runs[run], string(line))
			}), nil)
			if err != nil {
				t.Fatal(err)
			}
			e, err := flow.NewEngine(flow.Config{MaxFlows: 8, MaxBufferedBytes: 1 << 16, MaxFlowBufferedBytes: 1 << 14},
				flow.SinkFunc(func(ev *flow.Event) { inv.Event(ev); det.Event(ev) }))
			if err != nil {
				t.Fatal(err)
			}
			if learn {
				det.Learn(true)
				replay(data[:len(data)/2], e)
				det.Learn(false)
				replay(data[len(data)/2:], e)
			} else {
				replay(data, e)
			}
			e.Flush()
			det.Flush()
			if st := det.Stats(); st.AlertKeys > 8 {
				t.Fatalf("%d alert keys, cap 8", st.AlertKeys)
			}
		}
		if !slices.Equal(runs[0], runs[1]) {
			t.Fatalf("same input, different alerts:\n%q\n%q", runs[0], runs[1])
		}
	})
}

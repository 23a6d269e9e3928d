package poct1aflow

import (
	"encoding/json"
	"net/netip"
	"strings"
	"testing"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/flowtest"
	"github.com/medtap/medtap/internal/pkttest"
)

// TestPOCT1AUTF16 checks that a UTF-16 POCT1-A flow is identified and
// reported as one decoding error at offset 0, with no other event.
func TestPOCT1AUTF16(t *testing.T) {
	dev := netip.MustParseAddrPort("10.0.0.5:40000")
	mgr := netip.MustParseAddrPort("10.0.0.6:7000")
	sink := &flowtest.JSONSink{Protocol: "poct1a"}
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{"poct1a"}}, sink)
	msg := []byte(pkttest.UTF16(true, true, `<?xml version="1.0" encoding="UTF-16"?><HEL.R01><HDR><HDR.control_id V="1"/></HDR></HEL.R01>`))
	for _, p := range [][]byte{
		pkttest.RawTCP(dev, mgr, 99, flow.FlagSYN, nil),
		pkttest.RawTCP(dev, mgr, 100, flow.FlagACK|flow.FlagPSH, msg[:100]),
		pkttest.RawTCP(dev, mgr, 200, flow.FlagACK|flow.FlagPSH, msg[100:]),
	} {
		if err := e.Packet(pkttest.T0, flow.LinkRaw, p); err != nil {
			t.Fatal(err)
		}
	}
	e.Flush()
	if len(sink.Lines) != 1 || !strings.HasPrefix(sink.Lines[0], "error ") || !strings.Contains(sink.Lines[0], "UTF-16") || !strings.Contains(sink.Lines[0], `"offset":0`) {
		t.Errorf("events: %q, want one error at offset 0", sink.Lines)
	}
}

// TestPOCT1ALoopbackCapture decodes the capture of legacy/poct1a's loopback
// test: a device and a data manager going through HEL, DST, OBS, EOT and a
// directive, each acknowledged.
func TestPOCT1ALoopbackCapture(t *testing.T) {
	sink := &flowtest.JSONSink{Protocol: "poct1a"}
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{"poct1a"}, PHI: flow.PHIKeep}, sink)
	flowtest.RunFile(t, e, "../../legacy/poct1a/testdata/poct1a-loopback.pcap")
	var got []string
	for _, l := range sink.Lines {
		kind, rest, _ := strings.Cut(l, " ")
		src, detail, _ := strings.Cut(rest, " ")
		who := "device"
		if strings.HasSuffix(src, ":41395") {
			who = "manager"
		}
		got = append(got, who+" "+kind+" "+detail)
	}
	want := []string{
		`device hello {,"message_type":"HEL.R01","control_id":"1","version":"POCT1","created":"2024-06-27T13:54:01+01:00","device_id":"00:11:22:33:44:55","vendor_id":"ACME","model_id":"BG-300","serial_id":"SN-0042","manufacturer":"ACME Diagnostics & Co","hw_version":"3.1","sw_version":"4.2.7","device_name":"ED-BG-2","app_timeout":"30","connection_profile":"SA","topics_supported":["OBS","OPL"]}`,
		`manager message {,"message_type":"ACK.R01","control_id":"100","version":"POCT1","created":"2024-06-27T13:54:40+01:00","ack_type":"AA","ack_control_id":"1"}`,
		`device message {,"message_type":"DST.R01","control_id":"2","version":"POCT1","created":"2024-06-27T13:54:02+01:00","new_observations":"3"}`,
		`manager message {,"message_type":"ACK.R01","control_id":"101","version":"POCT1","created":"2024-06-27T13:54:41+01:00","ack_type":"AA","ack_control_id":"2"}`,
		`device observation {,"observation_id":"pH","coding":"ACME","value":"7.41","method":"M","interpretation":"N","time":"2024-06-27T13:50:00+01:00","role":"OBS","patient_id":"P-77"}`,
		`device observation {,"observation_id":"pCO2","coding":"ACME","value":"40.2","unit":"mm[Hg]","method":"M","interpretation":"N","time":"2024-06-27T13:50:00+01:00","role":"OBS","patient_id":"P-77"}`,
		`device observation {,"observation_id":"K","coding":"ACME","value":"5.9","unit":"mmol/L","method":"M","interpretation":"H","time":"2024-06-27T13:50:00+01:00","role":"OBS","patient_id":"P-77"}`,
		`device note {,"text":"sample <arterial>","body":"free text with </OBS.R01> inside"}`,
		`device message {,"message_type":"OBS.R01","control_id":"3","version":"POCT1","created":"2024-06-27T13:54:03+01:00","observations":3,"notes":1}`,
		`manager message {,"message_type":"ACK.R01","control_id":"102","version":"POCT1","created":"2024-06-27T13:54:42+01:00","ack_type":"AA","ack_control_id":"3"}`,
		`device message {,"message_type":"EOT.R01","control_id":"4","version":"POCT1","created":"2024-06-27T13:54:04+01:00","topic":"OBS"}`,
		`manager message {,"message_type":"ACK.R01","control_id":"103","version":"POCT1","created":"2024-06-27T13:54:43+01:00","ack_type":"AA","ack_control_id":"4"}`,
		`manager message {,"message_type":"DTV.R02","control_id":"101","version":"POCT1","created":"2024-06-27T13:54:41+01:00","directive":"START_CONTINUOUS"}`,
		`device message {,"message_type":"ACK.R01","control_id":"5","version":"POCT1","created":"2024-06-27T13:54:05+01:00","ack_type":"AA","ack_control_id":"101"}`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// poctDevice and poctManager are the two sides of a POCT1-A2 session with
// every kind of event the adapter renders: capabilities, reagents, notes, QC
// and calibration material, device events, directives with parameters.
var (
	poctDevice = `<?xml version="1.0" encoding="UTF-8"?><HEL.R01><HDR><HDR.control_id V="1"/><HDR.version_id V="POCT1"/></HDR>` +
		`<DEV><DEV.device_id V="00:06:66:00:22:A1"/><DEV.vendor_id V="NOVABIO"/><DEV.model_id V="StatStrip"/>` +
		`<DCP><DCP.application_timeout V="120"/></DCP><DSC><DSC.connection_profile_cd V="SA"/>` +
		`<DSC.topics_supported_cd V="D_EV"/><DSC.topics_supported_cd V="OP_LST"/>` +
		`<DSC.directives_supported_cd V="START_CONTINUOUS"/><DSC.directives_supported_cd V="SET_TIME"/><DSC.directives_supported_cd V="LOCK"/>` +
		`<DSC.max_message_sz V="32768"/></DSC></DEV></HEL.R01>` + "\r\n" +
		`<OBS.R01><HDR><HDR.control_id V="2"/></HDR><SVC><SVC.role_cd V="OBS"/><SVC.observation_dttm V="2024-06-27T13:50:00+01:00"/>` +
		`<PT><PT.patient_id V="P-77"/><OBS><OBS.observation_id V="Glu"/><OBS.value V="145" U="mg/dL"/>` +
		`<NTE><NTE.text V="Notified Dr &amp; nurse"/></NTE></OBS></PT>` +
		`<RGT><RGT.name V="">TY=TS</RGT.name><RGT.lot_number V="0310010249"/><RGT.expiration_date V="2026-01-31"/></RGT>` +
		`<NTE><NTE.text V="SAMPLE ID TYPE">MRN</NTE.text></NTE></SVC></OBS.R01>` + "\r\n" +
		`<OBS.R02><HDR><HDR.control_id V="3"/></HDR><SVC><SVC.role_cd V="LQC"/><SVC.observation_dttm V="2024-06-27T14:00:00+01:00"/>` +
		`<CTC><CTC.name V="Level 2"/><CTC.lot_number V="QC-2211"/><CTC.level_cd V="2"/>` +
		`<OBS><OBS.observation_id V="Glu"/><OBS.value V="98" U="mg/dL"/></OBS>` +
		`<OBS><OBS.observation_id V="QC status"/><OBS.qualitative_value V="passed"/></OBS></CTC>` +
		`<OPR><OPR.operator_id V="nurse7"/></OPR></SVC></OBS.R02>` + "\r\n" +
		`<EVS.R01><HDR><HDR.control_id V="4"/></HDR><EVT><EVT.description V="Sensor error 42">TY=SE</EVT.description>` +
		`<EVT.event_dttm V="2024-06-27T14:05:00+01:00"/><EVT.severity_cd V="C"/></EVT></EVS.R01>` + "\r\n"
	poctManager = `<DTV.R02><HDR><HDR.control_id V="100"/></HDR><DTV><DTV.command_cd V="SET_TIME"/></DTV>` +
		`<TM><TM.dttm V="2024-06-27T14:06:00+01:00"/></TM></DTV.R02>` + "\r\n" +
		`<DTV.R01><HDR><HDR.control_id V="101"/></HDR><DTV><DTV.command_cd V="LOCK"/></DTV></DTV.R01>` + "\r\n" +
		`<END.R01><HDR><HDR.control_id V="102"/></HDR><TRM><TRM.reason_cd V="NRM"/></TRM></END.R01>`
)

// TestPOCT1AEvents runs both sides of a session through the engine and
// checks the JSON of every event kind.
func TestPOCT1AEvents(t *testing.T) {
	dev := netip.MustParseAddrPort("10.0.0.5:40000")
	mgr := netip.MustParseAddrPort("10.0.0.6:7000")
	sink := &flowtest.JSONSink{Protocol: "poct1a"}
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{"poct1a"}, PHI: flow.PHIKeep}, sink)
	for _, p := range [][]byte{
		pkttest.RawTCP(dev, mgr, 99, flow.FlagSYN, nil),
		pkttest.RawTCP(mgr, dev, 499, flow.FlagSYN|flow.FlagACK, nil),
		pkttest.RawTCP(dev, mgr, 100, flow.FlagACK|flow.FlagPSH, []byte(poctDevice)),
		pkttest.RawTCP(mgr, dev, 500, flow.FlagACK|flow.FlagPSH, []byte(poctManager)),
	} {
		if err := e.Packet(pkttest.T0, flow.LinkRaw, p); err != nil {
			t.Fatal(err)
		}
	}
	e.Flush()
	var got []string
	for _, l := range sink.Lines {
		kind, rest, _ := strings.Cut(l, " ")
		_, detail, _ := strings.Cut(rest, " ")
		got = append(got, kind+" "+detail)
	}
	want := []string{
		`hello {,"message_type":"HEL.R01","control_id":"1","version":"POCT1","device_id":"00:06:66:00:22:A1","vendor_id":"NOVABIO","model_id":"StatStrip","app_timeout":"120","connection_profile":"SA","topics_supported":["D_EV","OP_LST"],"directives_supported":["START_CONTINUOUS","SET_TIME","LOCK"],"max_message_size":"32768"}`,
		`note {,"text":"Notified Dr & nurse","scope":"OBS","observation_id":"Glu"}`,
		`observation {,"observation_id":"Glu","value":"145","unit":"mg/dL","time":"2024-06-27T13:50:00+01:00","role":"OBS","patient_id":"P-77"}`,
		`reagent {,"name":"","body":"TY=TS","lot":"0310010249","expiration":"2026-01-31","role":"OBS","time":"2024-06-27T13:50:00+01:00","patient_id":"P-77"}`,
		`note {,"text":"SAMPLE ID TYPE","body":"MRN","scope":"SVC"}`,
		`message {,"message_type":"OBS.R01","control_id":"2","observations":1,"notes":2,"reagents":1}`,
		`observation {,"observation_id":"Glu","value":"98","unit":"mg/dL","time":"2024-06-27T14:00:00+01:00","role":"LQC","control_lot":"QC-2211","control_level":"2"}`,
		`observation {,"observation_id":"QC status","qualitative":"passed","time":"2024-06-27T14:00:00+01:00","role":"LQC","control_lot":"QC-2211","control_level":"2"}`,
		`control {,"name":"Level 2","lot":"QC-2211","level":"2","role":"LQC","time":"2024-06-27T14:00:00+01:00","observations":2}`,
		`message {,"message_type":"OBS.R02","control_id":"3","observations":2,"controls":1}`,
		`device-event {,"description":"Sensor error 42","body":"TY=SE","time":"2024-06-27T14:05:00+01:00","severity":"C"}`,
		`message {,"message_type":"EVS.R01","control_id":"4","events":1}`,
		`message {,"message_type":"DTV.R02","control_id":"100","directive":"SET_TIME","params":{"TM.dttm":"2024-06-27T14:06:00+01:00"}}`,
		`message {,"message_type":"DTV.R01","control_id":"101","directive":"LOCK"}`,
		`message {,"message_type":"END.R01","control_id":"102","reason":"NRM"}`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, l := range sink.Lines {
		_, rest, _ := strings.Cut(l, " {")
		var v map[string]any
		if err := json.Unmarshal([]byte("{"+strings.TrimPrefix(rest, ",")), &v); err != nil {
			t.Errorf("invalid JSON %q: %v", l, err)
		}
	}
}

// TestPOCT1AAllocs checks that decoding a steady POCT1-A flow (a message
// with observations per packet) and rendering its events allocates nothing.
func TestPOCT1AAllocs(t *testing.T) {
	if pkttest.RaceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	msg := []byte(`<OBS.R01><HDR><HDR.control_id V="3"/></HDR><SVC><PT><PT.patient_id V="P-77"/>` +
		`<OBS><OBS.observation_id V="K"/><OBS.value V="5.9" U="mmol/L"/></OBS>` +
		`<OBS><OBS.observation_id V="Na"/><OBS.value V="140" U="mmol/L"/></OBS></PT></SVC></OBS.R01>`)
	dev := netip.MustParseAddrPort("10.0.0.5:40000")
	mgr := netip.MustParseAddrPort("10.0.0.6:7000")
	sink := &flowtest.CountSink{Buf: make([]byte, 0, 4096)}
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{"poct1a"}}, sink)
	n, per := flowtest.SteadyAllocs(t, e, sink, dev, mgr, msg, 200)
	if n != 0 {
		t.Errorf("a POCT1-A message allocates %.1f times", n)
	}
	if per != 3 {
		t.Errorf("%d events per message, want 3", per)
	}
}

// TestPOCT1AAllocsEveryKind checks that a steady session carrying every
// event kind (capabilities, notes with entities, reagents, QC material,
// device events, directives with parameters) allocates nothing per event.
func TestPOCT1AAllocsEveryKind(t *testing.T) {
	if pkttest.RaceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	dev := netip.MustParseAddrPort("10.0.0.5:40000")
	mgr := netip.MustParseAddrPort("10.0.0.6:7000")
	const runs = 100
	pkts := [][]byte{pkttest.RawTCP(dev, mgr, 99, flow.FlagSYN, nil), pkttest.RawTCP(mgr, dev, 499, flow.FlagSYN|flow.FlagACK, nil)}
	seq := [2]uint32{100, 500}
	for range runs + 2 {
		pkts = append(pkts, pkttest.RawTCP(dev, mgr, seq[0], flow.FlagACK|flow.FlagPSH, []byte(poctDevice)))
		seq[0] += uint32(len(poctDevice))
		pkts = append(pkts, pkttest.RawTCP(mgr, dev, seq[1], flow.FlagACK|flow.FlagPSH, []byte(poctManager+"\r\n")))
		seq[1] += uint32(len(poctManager) + 2)
	}
	sink := &flowtest.CountSink{Buf: make([]byte, 0, 4096)}
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{"poct1a"}}, sink)
	i := 0
	feedPair := func() {
		for range 2 {
			if err := e.Packet(pkttest.T0, flow.LinkRaw, pkts[i]); err != nil {
				t.Fatal(err)
			}
			i++
		}
	}
	feedPair()
	feedPair()
	before := sink.Events
	if n := testing.AllocsPerRun(runs, feedPair); n != 0 {
		t.Errorf("a POCT1-A session round allocates %.1f times", n)
	}
	// AllocsPerRun calls the function once more than runs.
	if per := (sink.Events - before) / (runs + 1); per != 15 {
		t.Errorf("%d events per round, want 15", per)
	}
}

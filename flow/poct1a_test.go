package flow

import (
	"net/netip"
	"strings"
	"testing"
)

func TestPOCT1AMatch(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want bool
	}{
		{`<?xml version="1.0" encoding="UTF-8"?>` + "\r\n<HEL.R01><HDR>", true},
		{"\xef\xbb\xbf<ACK.R01>", true},
		{"<OBS.R02 xmlns='x'>", true},
		{"<html><body>", false},
		{`<?xml version="1.0"?><soap:Envelope>`, false},
		{"<?xml", false},
	} {
		if got := matchPOCT1A(ClientToServer, []byte(tt.in)); got != tt.want {
			t.Errorf("matchPOCT1A(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestPOCT1ALoopbackCapture decodes the capture of legacy/poct1a's loopback
// test: a device and a data manager going through HEL, DST, OBS, EOT and a
// directive, each acknowledged.
func TestPOCT1ALoopbackCapture(t *testing.T) {
	sink := &astmJSONSink{proto: "poct1a"}
	e := NewEngine(Config{Protocols: []string{"poct1a"}}, sink)
	if err := e.RunFile("../legacy/poct1a/testdata/poct1a-loopback.pcap"); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range sink.lines {
		kind, rest, _ := strings.Cut(l, " ")
		src, detail, _ := strings.Cut(rest, " ")
		who := "device"
		if strings.HasSuffix(src, ":41395") {
			who = "manager"
		}
		got = append(got, who+" "+kind+" "+detail)
	}
	want := []string{
		`device hello {,"message_type":"HEL.R01","control_id":"1","version":"POCT1","created":"2024-06-27T13:54:01+01:00","device_id":"00:11:22:33:44:55","vendor_id":"ACME","model_id":"BG-300","serial_id":"SN-0042","manufacturer":"ACME Diagnostics &amp; Co","hw_version":"3.1","sw_version":"4.2.7","device_name":"ED-BG-2"}`,
		`manager message {,"message_type":"ACK.R01","control_id":"100","version":"POCT1","created":"2024-06-27T13:54:40+01:00","ack_type":"AA","ack_control_id":"1"}`,
		`device message {,"message_type":"DST.R01","control_id":"2","version":"POCT1","created":"2024-06-27T13:54:02+01:00","new_observations":"3"}`,
		`manager message {,"message_type":"ACK.R01","control_id":"101","version":"POCT1","created":"2024-06-27T13:54:41+01:00","ack_type":"AA","ack_control_id":"2"}`,
		`device observation {,"observation_id":"pH","coding":"ACME","value":"7.41","method":"M","interpretation":"N","time":"2024-06-27T13:50:00+01:00","patient_id":"P-77"}`,
		`device observation {,"observation_id":"pCO2","coding":"ACME","value":"40.2","unit":"mm[Hg]","method":"M","interpretation":"N","time":"2024-06-27T13:50:00+01:00","patient_id":"P-77"}`,
		`device observation {,"observation_id":"K","coding":"ACME","value":"5.9","unit":"mmol/L","method":"M","interpretation":"H","time":"2024-06-27T13:50:00+01:00","patient_id":"P-77"}`,
		`device message {,"message_type":"OBS.R01","control_id":"3","version":"POCT1","created":"2024-06-27T13:54:03+01:00","observations":3}`,
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

// TestPOCT1AAllocs checks that decoding a steady POCT1-A flow (a message
// with observations per packet) and rendering its events allocates nothing.
func TestPOCT1AAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	msg := []byte(`<OBS.R01><HDR><HDR.control_id V="3"/></HDR><SVC><PT><PT.patient_id V="P-77"/>` +
		`<OBS><OBS.observation_id V="K"/><OBS.value V="5.9" U="mmol/L"/></OBS>` +
		`<OBS><OBS.observation_id V="Na"/><OBS.value V="140" U="mmol/L"/></OBS></PT></SVC></OBS.R01>`)
	dev := netip.MustParseAddrPort("10.0.0.5:40000")
	mgr := netip.MustParseAddrPort("10.0.0.6:7000")
	const runs = 200
	pkts := [][]byte{rawTCP(dev, mgr, 99, FlagSYN, nil)}
	seq := uint32(100)
	for range runs + 2 {
		pkts = append(pkts, rawTCP(dev, mgr, seq, FlagACK|FlagPSH, msg))
		seq += uint32(len(msg))
	}
	sink := &astmCountSink{buf: make([]byte, 0, 4096)}
	e := NewEngine(Config{Protocols: []string{"poct1a"}}, sink)
	i := 0
	feedOne := func() {
		if err := e.Packet(t0, LinkRaw, pkts[i]); err != nil {
			t.Fatal(err)
		}
		i++
	}
	feedOne()
	feedOne()
	before := sink.events
	if n := testing.AllocsPerRun(runs, feedOne); n != 0 {
		t.Errorf("a POCT1-A message allocates %.1f times", n)
	}
	if per := (sink.events - before) / (runs + 1); per != 3 {
		t.Errorf("%d events per message, want 3", per)
	}
}

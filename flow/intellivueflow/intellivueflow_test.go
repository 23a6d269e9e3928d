package intellivueflow

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/medtap/medtap/capture"
	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/flowtest"
	"github.com/medtap/medtap/internal/pkttest"
)

// TestIntelliVueSetRequest checks that a SET from a client is reported as
// such, and that one whose modification list overruns the command is
// reported with its offset and still emitted.
func TestIntelliVueSetRequest(t *testing.T) {
	head := []byte{
		0xe1, 0x00, 0x00, 0x02, // SPpdu
		0x00, 0x01, 0x00, 0x14, // ROIV, length
		0x00, 0x09, 0x00, 0x05, 0x00, 0x0e, // invoke 9, CMD_CONFIRMED_SET, length
		0x00, 0x21, 0x00, 0x00, 0x00, 0x00, // managed object
		0x00, 0x00, 0x00, 0x00, // scope
	}
	event := `set-request 10.0.0.1:50000 {,"ro":1,"invoke_id":9,"command":5,"attributes":0}`
	for _, tt := range []struct {
		name string
		list []byte // the modification list
		want []string
	}{
		{"empty", []byte{0x00, 0x00, 0x00, 0x00}, []string{event}},
		{"overrun", []byte{0x00, 0x01, 0x00, 0x08}, []string{ // one modification of 8 bytes, none present
			`error 10.0.0.1:50000 {,"offset":28,"error":"intellivue: length field exceeds the message at offset 28"}`,
			event,
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sink := &flowtest.JSONSink{Protocol: "intellivue"}
			e := flowtest.NewEngine(t, flow.Config{Protocols: []string{"intellivue"}}, sink)
			client := netip.MustParseAddrPort("10.0.0.1:50000")
			monitor := netip.MustParseAddrPort("10.0.0.9:24105")
			set := append(append([]byte(nil), head...), tt.list...)
			if err := e.Packet(pkttest.T0, flow.LinkRaw, pkttest.RawUDP(client, monitor, set)); err != nil {
				t.Fatal(err)
			}
			if strings.Join(sink.Lines, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("events:\n%s\nwant:\n%s", strings.Join(sink.Lines, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestIntelliVueLoopbackCapture decodes the capture of legacy/intellivue's
// loopback test: a simulated monitor and client going through connect
// indication, association, MDS create, numeric, wave and alarm polls, a
// refused action and release.
func TestIntelliVueLoopbackCapture(t *testing.T) {
	sink := &flowtest.JSONSink{Protocol: "intellivue"}
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{"intellivue"}}, sink)
	flowtest.RunFile(t, e, "../../legacy/intellivue/testdata/intellivue-loopback.pcap")
	var got []string
	for _, l := range sink.Lines {
		// Keep the kind and detail; client ports change with every recording.
		kind, rest, _ := strings.Cut(l, " ")
		_, detail, _ := strings.Cut(rest, " ")
		got = append(got, kind+" "+detail)
	}
	identity := `{,"manufacturer":"Philips","model":"MX800","serial":"DE12345678","part_number":"866471","sw_revision":"M.00.03","protocol_revision":"3.0","system_id":"0009fb123456","bed_label":"ICU-7","mac":"0009fb123456","ip":"127.0.0.1"}`
	want := []string{
		"connect-indication " + identity,
		`associate-rq {,"protocol_version":"0x80000000","nomenclature_version":"0x40000000","system_type":"client","startup":"cold","min_poll_period":4000,"max_mtu_rx":1456,"max_mtu_tx":1456,"max_bw_tx":4294967295,"poll_options":"0x60000000","poll_ext_options":"0x8c000000"}`,
		`associate-ac {,"protocol_version":"0x80000000","nomenclature_version":"0x40000000","system_type":"server","startup":"cold","min_poll_period":4000,"max_mtu_rx":1456,"max_mtu_tx":1456,"max_bw_tx":4294967295,"poll_options":"0x60000000","poll_ext_options":"0x8c000000"}`,
		"mds-create " + identity,
		`poll-request {,"invoke_id":2,"poll_number":1,"extended":false,"object":"numerics"}`,
		`poll-result {,"invoke_id":2,"poll_number":1,"extended":false,"object":"numerics","observations":6,"numerics":8,"waves":0,"alarms":0}`,
		`poll-request {,"invoke_id":3,"poll_number":2,"extended":true,"object":"waves"}`,
		`poll-result {,"invoke_id":3,"poll_number":2,"extended":true,"object":"waves","linked":1,"observations":1,"numerics":0,"waves":1,"alarms":0}`,
		`poll-result {,"invoke_id":3,"poll_number":2,"extended":true,"object":"waves","linked":3,"observations":1,"numerics":0,"waves":1,"alarms":0}`,
		`poll-request {,"invoke_id":4,"poll_number":3,"extended":true,"object":"alarms"}`,
		`poll-result {,"invoke_id":4,"poll_number":3,"extended":true,"object":"alarms","observations":1,"numerics":0,"waves":0,"alarms":2,"alarms_high":1,"alarms_new":1}`,
		`poll-request {,"invoke_id":6,"poll_number":5,"extended":false,"object":"patient"}`,
		`poll-result {,"invoke_id":6,"poll_number":5,"extended":false,"object":"patient","observations":1,"numerics":0,"waves":0,"alarms":0,"patient_name_present":true,"patient_id_present":true,"patient_dob_present":true,"patient_sex_present":true,"patient_state":"admitted"}`,
		`get-request {,"ro":1,"invoke_id":7,"command":3,"attributes":2,"attribute_ids":["0x0928","0x0984"]}`,
		`get-result {,"ro":2,"invoke_id":7,"command":3,"attributes":2,"attribute_ids":["0x0928","0x0984"]}`,
		`set-request {,"ro":1,"invoke_id":8,"command":5,"attributes":1,"attribute_ids":["0xf239"]}`,
		`set-result {,"ro":2,"invoke_id":8,"command":5,"attributes":1,"attribute_ids":["0xf239"]}`,
		`operation {,"ro":1,"invoke_id":5,"command":7,"action_type":39190}`,
		`remote-error {,"ro":3,"invoke_id":5,"error":9}`,
		"release-rq {}",
		"release-rp {}",
	}
	// The capture's patient is Jane Doe, MRN0042, born 1980-02-29, and
	// its alarm string is "**HR 150 > 120": no event may carry any of it
	// (the names and ID travel as UTF-16, so look for both encodings).
	for _, l := range sink.Lines {
		for _, phi := range []string{"Jane", "Doe", "MRN0042", "J\\u0000a", "1980", "150"} {
			if strings.Contains(l, phi) {
				t.Errorf("event carries patient data %q: %s", phi, l)
			}
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestIntelliVueAllocs checks that decoding poll results and rendering their
// events allocates nothing.
func TestIntelliVueAllocs(t *testing.T) {
	if pkttest.RaceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	result := []byte{
		0xe1, 0x00, 0x00, 0x02, 0x00, 0x02, 0x00, 0x42, 0x00, 0x07, 0x00, 0x07, 0x00, 0x3c,
		0x00, 0x21, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x16, 0x00, 0x32, 0x00, 0x01, 0x00, 0x00, 0x10, 0x00,
		0x20, 0x24, 0x06, 0x27, 0x13, 0x54, 0x07, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00,
		0x00, 0x01, 0x00, 0x1a, 0x00, 0x00, 0x00, 0x01, 0x00, 0x14, 0x01, 0x01, 0x00, 0x01, 0x00, 0x0e,
		0x09, 0x50, 0x00, 0x0a, 0x41, 0x82, 0x00, 0x00, 0x0a, 0xa0, 0x00, 0x00, 0x00, 0x48,
	}
	monitor := netip.MustParseAddrPort("10.0.0.9:24105")
	client := netip.MustParseAddrPort("10.0.0.1:50000")
	pkt := pkttest.RawUDP(monitor, client, result)
	sink := &flowtest.CountSink{Buf: make([]byte, 0, 4096)}
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{"intellivue"}}, sink)
	if err := e.Packet(pkttest.T0, flow.LinkRaw, pkt); err != nil {
		t.Fatal(err)
	}
	before := sink.Events
	if n := testing.AllocsPerRun(200, func() { e.Packet(pkttest.T0, flow.LinkRaw, pkt) }); n != 0 {
		t.Errorf("a poll result allocates %.1f times", n)
	}
	if sink.Events-before != 201 {
		t.Errorf("%d events for 201 poll results", sink.Events-before)
	}
	// A confirmed SET of the numeric priority list: the event lists its
	// attribute IDs.
	set := []byte{
		0xe1, 0x00, 0x00, 0x02, 0x00, 0x01, 0x00, 0x22, // SPpdu, ROIV, length 34
		0x00, 0x08, 0x00, 0x05, 0x00, 0x1c, // invoke 8, CMD_CONFIRMED_SET, length 28
		0x00, 0x21, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // MDS, scope
		0x00, 0x01, 0x00, 0x0e, 0x00, 0x00, 0xf2, 0x39, 0x00, 0x08, // one REPLACE of NOM_ATTR_POLL_NU_PRIO_LIST, length 8
		0x00, 0x01, 0x00, 0x04, 0x00, 0x02, 0x41, 0x82, // TextIdList: HR
	}
	pkt = pkttest.RawUDP(client, monitor, set)
	before = sink.Events
	if n := testing.AllocsPerRun(200, func() { e.Packet(pkttest.T0, flow.LinkRaw, pkt) }); n != 0 {
		t.Errorf("a SET request allocates %.1f times", n)
	}
	if sink.Events-before != 201 {
		t.Errorf("%d events for 201 SET requests", sink.Events-before)
	}
}

// TestIntelliVueCaptureAllocs replays every datagram of the loopback
// capture (association with user information, MDS create, numeric, wave,
// alarm and demographics polls, GET, SET, error, release) through a warm
// engine and checks that decoding them and rendering their events
// allocates nothing.
func TestIntelliVueCaptureAllocs(t *testing.T) {
	if pkttest.RaceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	r, err := capture.Open("../../legacy/intellivue/testdata/intellivue-loopback.pcap", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	type packet struct {
		ts   time.Time
		link flow.LinkType
		data []byte
	}
	var pkts []packet
	for {
		ts, link, data, err := r.ReadPacket()
		if err != nil {
			break
		}
		pkts = append(pkts, packet{ts, link, append([]byte(nil), data...)})
	}
	if len(pkts) < 20 {
		t.Fatalf("%d packets in the capture", len(pkts))
	}
	sink := &flowtest.CountSink{Buf: make([]byte, 0, 4096)}
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{"intellivue"}}, sink)
	replay := func() {
		for _, p := range pkts {
			e.Packet(p.ts, p.link, p.data)
		}
	}
	replay()
	before := sink.Events
	if n := testing.AllocsPerRun(50, replay); n != 0 {
		t.Errorf("replaying %d datagrams allocates %.1f times", len(pkts), n)
	}
	if got := (sink.Events - before) / 51; got < len(pkts)-2 {
		t.Errorf("%d events per replay of %d datagrams", got, len(pkts))
	}
}

package hl7flow

import (
	"fmt"
	"net/netip"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/flowtest"
	"github.com/medtap/medtap/internal/pkttest"

	"github.com/medtap/medtap/hl7"
	"github.com/medtap/medtap/internal/testutil"
	"github.com/medtap/medtap/mllp"
)

// seg is a pkttest.Seg, declared here so that tables of unkeyed literals
// pass go vet.
type seg struct {
	Dir   uint8
	Seq   uint32
	Flags uint8
	Data  string
}

func TestHL7Events(t *testing.T) {
	msg := "MSH|^~\\&|ADT1|GHH|LAB|GHH|20240101||ADT^A01^ADT_A01|MSG1|P|2.5\rPID|1||123\rPV1|1|I\r"
	var m hl7.Message
	if err := m.Parse([]byte(msg)); err != nil {
		t.Fatal(err)
	}
	ackFrame := string(mllp.AppendFrame(nil, hl7.AppendACK(nil, &m, hl7.AA, "")))
	framed := string(mllp.AppendFrame(nil, []byte(msg)))
	batch := "BHS|^~\\&\r" + strings.Replace(msg, "MSG1", "B1", 1) + strings.Replace(msg, "MSG1", "B2", 1) + "BTS|2\r"
	bad := "\x0bMSH|^~\\&|X\rpid|bad\r\x1c\r"
	segs := []seg{
		{0, 1000, flow.FlagSYN, ""},
		{1, 5000, flow.FlagSYN | flow.FlagACK, ""},
		{0, 1001, flow.FlagACK, framed[:20]}, // a frame split over two segments
		{0, 1021, flow.FlagACK, framed[20:]},
		{1, 5001, flow.FlagACK, ackFrame},
		{0, 1001 + uint32(len(framed)), flow.FlagACK, bad},
		{0, 1001 + uint32(len(framed)+len(bad)), flow.FlagACK, "junk"},
		{1, 5001 + uint32(len(ackFrame)), flow.FlagACK, "\x0b\x06\x1c\r"},
		{0, 1001 + uint32(len(framed)+len(bad)) + 4, flow.FlagACK, string(mllp.AppendFrame(nil, []byte(batch)))},
	}
	sink := flowtest.JSONSink{Protocol: Name}
	e := flowtest.NewEngine(t, flow.Config{}, &sink)
	flowtest.Feed(t, e, segs)
	e.Flush()
	want := []string{
		`message 10.0.0.1:40000 {,"message_type":"ADT^A01","control_id":"MSG1","version":"2.5","sending_app":"ADT1","sending_facility":"GHH","receiving_app":"LAB","receiving_facility":"GHH","segments":3}`,
		`ack 10.0.0.2:9999 {,"ack_code":"AA","control_id":"MSG1"}`,
		`error 10.0.0.1:40000 {,"offset":` + fmt.Sprint(len(framed)+12) + `,"error":"hl7: invalid segment name at offset 11 (segment \"pid\")"}`,
		`error 10.0.0.1:40000 {,"offset":` + fmt.Sprint(len(framed)+22) + `,"error":"mllp: bytes outside a frame at offset ` + fmt.Sprint(len(framed)+22) + `"}`,
		`ack 10.0.0.2:9999 {,"ack_code":"ACK","control_id":"","mllp_commit":true}`,
		`message 10.0.0.1:40000 {,"message_type":"ADT^A01","control_id":"B1","version":"2.5","sending_app":"ADT1","sending_facility":"GHH","receiving_app":"LAB","receiving_facility":"GHH","segments":3}`,
		`message 10.0.0.1:40000 {,"message_type":"ADT^A01","control_id":"B2","version":"2.5","sending_app":"ADT1","sending_facility":"GHH","receiving_app":"LAB","receiving_facility":"GHH","segments":3}`,
	}
	if strings.Join(sink.Lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(sink.Lines, "\n"), strings.Join(want, "\n"))
	}
	if st := e.Stats(); st.DecodeErrors != 2 {
		t.Errorf("DecodeErrors = %d, want 2", st.DecodeErrors)
	}
}

func TestHL7Gap(t *testing.T) {
	msg := string(mllp.AppendFrame(nil, []byte("MSH|^~\\&|A|B|C|D|1||ORU^R01|C1|P|2.3\rOBX|1|ED|||"+strings.Repeat("QUJD", 50)+"\r")))
	msg2 := strings.Replace(msg, "C1", "C2", 1)
	// The middle of the first frame is never captured: the engine reports a
	// gap and the decoder resynchronises on the second frame.
	n := uint32(len(msg))
	segs := []seg{
		{0, 1000, flow.FlagSYN, ""},
		{1, 5000, flow.FlagSYN | flow.FlagACK, ""},
		{0, 1001, flow.FlagACK, msg[:30]},
		{0, 1001 + 60, flow.FlagACK, msg[60:]},
		{0, 1001 + n, flow.FlagACK, msg2},
		{0, 1001 + 2*n, flow.FlagFIN | flow.FlagACK, ""},
		{1, 5001, flow.FlagFIN | flow.FlagACK, ""},
	}
	sink := flowtest.JSONSink{Protocol: Name}
	e := flowtest.NewEngine(t, flow.Config{MaxFlowBufferedBytes: 16}, &sink)
	flowtest.Feed(t, e, segs)
	e.Flush()
	got := strings.Join(sink.Lines, "\n")
	if !strings.Contains(got, `"control_id":"C2"`) || strings.Contains(got, `"control_id":"C1"`) || !strings.Contains(got, "frame cut short") {
		t.Errorf("events after a gap:\n%s", got)
	}
}

// hl7CaptureGolden is the JSON rendering of the events of each corpus
// capture (message segment counts checked against tshark by hand, device
// identifiers by TestHL7DevicesAgainstTshark).
var hl7CaptureGolden = map[string][]string{
	"tapirx-HL7-ADT-UDI-OBX.pcap": {
		"message 10.0.0.155:49242 {,\"message_type\":\"ADT^A01\",\"control_id\":\"934576120110613083617\",\"version\":\"2.3\",\"sending_app\":\"SENDING_APPLICATION\",\"sending_facility\":\"SENDING_FACILITY\",\"receiving_app\":\"RECEIVING_APPLICATION\",\"receiving_facility\":\"RECEIVING_FACILITY\",\"segments\":4,\"device_ids\":[\"Hospira Plum A+\"]}",
		"ack 10.0.0.126:6661 {,\"ack_code\":\"AA\",\"control_id\":\"934576120110613083617\"}",
	},
	"tapirx-HL7-ADT-UDI-PRT.pcap": {
		"message 10.0.0.155:49242 {,\"message_type\":\"ADT^A01\",\"control_id\":\"934576120110613083617\",\"version\":\"2.3\",\"sending_app\":\"SENDING_APPLICATION\",\"sending_facility\":\"SENDING_FACILITY\",\"receiving_app\":\"RECEIVING_APPLICATION\",\"receiving_facility\":\"RECEIVING_FACILITY\",\"segments\":4,\"udi\":\"Hospira Plum A+\"}",
		"ack 10.0.0.126:6661 {,\"ack_code\":\"AA\",\"control_id\":\"934576120110613083617\"}",
	},
	"tapirx-HL7-ADT.pcap": {
		"message 10.0.0.155:49242 {,\"message_type\":\"ADT^A01\",\"control_id\":\"934576120110613083617\",\"version\":\"2.3\",\"sending_app\":\"SENDING_APPLICATION\",\"sending_facility\":\"SENDING_FACILITY\",\"receiving_app\":\"RECEIVING_APPLICATION\",\"receiving_facility\":\"RECEIVING_FACILITY\",\"segments\":7}",
		"ack 10.0.0.126:6661 {,\"ack_code\":\"AA\",\"control_id\":\"934576120110613083617\"}",
	},
	"tapirx-HL7-ORM.pcap": {
		"message 10.0.0.155:49250 {,\"message_type\":\"ORM^O01\",\"control_id\":\"59689\",\"version\":\"2.3\",\"sending_app\":\"SendingApp\",\"sending_facility\":\"SendingFac\",\"receiving_app\":\"ReceivingApp\",\"receiving_facility\":\"ReceivingFac\",\"segments\":6}",
		"ack 10.0.0.126:6661 {,\"ack_code\":\"AA\",\"control_id\":\"59689\"}",
	},
	"tapirx-HL7-ORU.pcap": {
		"message 10.0.0.155:49252 {,\"message_type\":\"ORU^R01\",\"control_id\":\"59689\",\"version\":\"2.3\",\"sending_app\":\"SendingApp\",\"sending_facility\":\"SendingFac\",\"receiving_app\":\"ReceivingApp\",\"receiving_facility\":\"ReceivingFac\",\"segments\":19}",
		"ack 10.0.0.126:6661 {,\"ack_code\":\"AA\",\"control_id\":\"59689\"}",
	},
}

// TestHL7Captures decodes the HL7 captures of the shared corpus and checks
// every message is acknowledged, without errors, and, when tshark is
// installed, that its HL7 dissector sees the same messages in the same
// order.
func TestHL7Captures(t *testing.T) {
	dir := testutil.Corpus(t, "pcap")
	files, _ := filepath.Glob(filepath.Join(dir, "tapirx-HL7-*.pcap"))
	if len(files) == 0 {
		t.Skip("no HL7 captures in the corpus")
	}
	tshark, _ := exec.LookPath("tshark")
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			var got []string
			lines := flowtest.JSONSink{Protocol: Name}
			controls := map[string]int{}
			sink := flow.SinkFunc(func(e *flow.Event) {
				if e.Protocol != "hl7" {
					return
				}
				lines.Event(e)
				switch d := e.Detail.(type) {
				case *Message:
					got = append(got, fmt.Sprintf("%d %s", e.Src.Port(), strings.ReplaceAll(string(d.MessageType), "^", " ")))
					controls[string(d.ControlID)]++
					if d.Segments < 2 || d.Message.NumSegments() != d.Segments {
						t.Errorf("message with %d segments", d.Segments)
					}
				case *Ack:
					got = append(got, fmt.Sprintf("%d ACK", e.Src.Port()))
					if string(d.AckCode) != "AA" && string(d.AckCode) != "CA" {
						t.Errorf("ack code %q", d.AckCode)
					}
					controls[string(d.ControlID)]--
				case *flow.DecodeErrorDetail:
					t.Errorf("decode error: %v", d.Err)
				}
			})
			e := flowtest.NewEngine(t, flow.Config{}, sink)
			flowtest.RunFile(t, e, file)
			e.Flush()
			if len(got) < 2 {
				t.Fatalf("events: %q", got)
			}
			if want, ok := hl7CaptureGolden[filepath.Base(file)]; ok && strings.Join(lines.Lines, "\n") != strings.Join(want, "\n") {
				t.Errorf("events:\n%s\nwant:\n%s", strings.Join(lines.Lines, "\n"), strings.Join(want, "\n"))
			}
			for id, n := range controls {
				if n != 0 {
					t.Errorf("control ID %q: %d messages not matched by an ACK", id, n)
				}
			}
			if tshark == "" {
				t.Log("tshark not installed: skipping the comparison")
				return
			}
			out, err := exec.Command(tshark, "-n", "-r", file, "-d", "tcp.port==6661,hl7", "-Y", "hl7",
				"-T", "fields", "-e", "tcp.srcport", "-e", "hl7.message.type", "-e", "hl7.event.type").Output()
			if err != nil {
				t.Fatalf("tshark: %v", err)
			}
			var want []string
			for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				want = append(want, strings.TrimSpace(strings.ReplaceAll(line, "\t", " ")))
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("medtap:\n%s\ntshark:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// TestHL7Allocs checks that decoding messages and ACKs on an established
// flow allocates nothing, a frame split over two packets included.
func TestHL7Allocs(t *testing.T) {
	if pkttest.RaceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	msg := mllp.AppendFrame(nil, []byte("MSH|^~\\&|ADT1|GHH|LAB|GHH|20240101||ADT^A01^ADT_A01|MSG1|P|2.5\rPID|1||123\rPV1|1|I\r"))
	var m hl7.Message
	m.Parse(msg[1 : len(msg)-2])
	ackFrame := mllp.AppendFrame(nil, hl7.AppendACK(nil, &m, hl7.AA, ""))
	events := 0
	buf := make([]byte, 0, 1024)
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{"hl7"}}, flow.SinkFunc(func(ev *flow.Event) {
		if ev.Protocol == "hl7" {
			buf = ev.Detail.AppendJSON(buf[:0])
			events++
		}
	}))
	cli, srv := pkttest.Cli, netip.MustParseAddrPort("10.0.0.2:2575")
	cseq, sseq := uint32(1), uint32(1)
	e.Packet(pkttest.T0, flow.LinkRaw, pkttest.RawTCP(cli, srv, 0, flow.FlagSYN, nil))
	e.Packet(pkttest.T0, flow.LinkRaw, pkttest.RawTCP(srv, cli, 0, flow.FlagSYN|flow.FlagACK, nil))
	p1 := pkttest.RawTCP(cli, srv, 0, flow.FlagACK, msg[:30])
	p2 := pkttest.RawTCP(cli, srv, 0, flow.FlagACK, msg[30:])
	p3 := pkttest.RawTCP(srv, cli, 0, flow.FlagACK, ackFrame)
	step := func() {
		pkttest.SetSeq(p1, cseq)
		pkttest.SetSeq(p2, cseq+30)
		pkttest.SetSeq(p3, sseq)
		e.Packet(pkttest.T0, flow.LinkRaw, p1)
		e.Packet(pkttest.T0, flow.LinkRaw, p2)
		e.Packet(pkttest.T0, flow.LinkRaw, p3)
		cseq += uint32(len(msg))
		sseq += uint32(len(ackFrame))
	}
	step()
	if n := testing.AllocsPerRun(200, step); n != 0 {
		t.Fatalf("HL7 decoding allocates %.1f times per message and ACK", n)
	}
	if events < 400 {
		t.Fatalf("only %d events", events)
	}
}

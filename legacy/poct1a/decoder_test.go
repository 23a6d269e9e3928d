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
			{"hw", m.HWVersion}, {"sw", m.SWVersion}, {"name", m.DeviceName}, {"ack", m.AckType}, {"acked", m.AckControlID},
			{"topic", m.Topic}, {"directive", m.Directive}, {"new_obs", m.NewObservations}} {
			if f.v != nil {
				s += fmt.Sprintf(" %s=%q", f.k, f.v)
			}
		}
		s += fmt.Sprintf(" observations=%d", m.Observations)
		if m.Truncated {
			s += " truncated"
		}
	case KindObservation:
		o := it.Observation
		s = fmt.Sprintf("@%d observation %q (%q) = %q %q method=%q interp=%q time=%q patient=%q operator=%q", o.Offset, o.ID, o.IDSystem, o.Value, o.Unit, o.Method, o.Interpretation, o.Time, o.PatientID, o.OperatorID)
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

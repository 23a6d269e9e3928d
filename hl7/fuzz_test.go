package hl7_test

import (
	"bytes"
	"fmt"
	"github.com/medtap/medtap/internal/testutil"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unsafe"

	"github.com/medtap/medtap/hl7"
)

func addCorpusSeeds(f *testing.F) {
	f.Add([]byte(adtA01))
	f.Add([]byte("MSH#!@%$#A#B\nPID#1##A!B@C$D%E@F\r\n"))
	f.Add([]byte("BHS|^~\\&\rMSH|^~\\&|A\rBTS|1\r"))
	// Seeds from the shared corpus when present; never skip the target.
	files, _ := filepath.Glob(filepath.Join(testutil.CorpusRoot(), "hl7", "*.hl7"))
	if testutil.CorpusRoot() == "" {
		files = nil
	}
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
}

// inside reports whether sub is a view into b.
func inside(sub, b []byte) bool {
	if len(sub) == 0 {
		return true
	}
	s, e := uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(unsafe.Pointer(unsafe.SliceData(sub)))
	return e >= s && e+uintptr(len(sub)) <= s+uintptr(len(b))
}

// FuzzParse checks that parsing never panics, that every value is a view
// into the input, and that joining the pieces at every level with the
// delimiters gives back each segment's bytes. It also runs Batch.
func FuzzParse(f *testing.F) {
	addCorpusSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var m hl7.Message
		if err := m.Parse(data); err == nil {
			d := m.Delimiters()
			// The segments and the line breaks between them make up the
			// whole input: nothing is dropped or invented.
			prev := 0
			for i := range m.NumSegments() {
				off, seg := m.Offset(i), m.SegmentAt(i).Bytes()
				if off < prev || strings.Trim(string(data[prev:off]), "\r\n") != "" || !bytes.Equal(data[off:off+len(seg)], seg) {
					t.Fatalf("segment %d at %d: gap %q", i, off, data[prev:off])
				}
				prev = off + len(seg)
			}
			if strings.Trim(string(data[prev:]), "\r\n") != "" {
				t.Fatalf("bytes after the last segment: %q", data[prev:])
			}
			var re []byte
			for i := range m.NumSegments() {
				seg := m.SegmentAt(i)
				if !inside(seg.Bytes(), data) {
					t.Fatalf("segment %d outside the input", i)
				}
				re = append(re[:0], seg.Name()...)
				type leaf struct {
					f, r, c, s int
					v          string
				}
				var nested []leaf
				hdr := false
				for fc := seg.Fields(); fc.Next(); {
					fv := fc.Value()
					if fc.Index() == 1 && fv.Equal(string([]byte{d.Field})) && len(seg.Bytes()) > 3 && seg.Bytes()[3] == d.Field && (seg.Is("MSH") || seg.Is("BHS") || seg.Is("FHS")) {
						hdr = true
						nested = append(nested, leaf{1, 1, 1, 1, string(fv.Bytes())})
						continue // MSH-1 is the separator itself
					}
					re = append(re, d.Field)
					if hdr && fc.Index() == 2 {
						re = append(re, fv.Bytes()...)
						nested = append(nested, leaf{2, 1, 1, 1, string(fv.Bytes())})
						continue
					}
					if got := seg.Field(fc.Index()).Bytes(); !bytes.Equal(got, fv.Bytes()) {
						t.Fatalf("segment %d field %d: cursor %q, Field %q", i, fc.Index(), fv.Bytes(), got)
					}
					for rc := fv.Reps(); rc.Next(); {
						if rc.Index() > 1 {
							re = append(re, d.Repetition)
						}
						if got := fv.Rep(rc.Index()).Bytes(); !bytes.Equal(got, rc.Value().Bytes()) {
							t.Fatalf("Rep(%d) = %q, cursor %q", rc.Index(), got, rc.Value().Bytes())
						}
						for cc := rc.Value().Comps(); cc.Next(); {
							if got := rc.Value().Comp(cc.Index()).Bytes(); !bytes.Equal(got, cc.Value().Bytes()) {
								t.Fatalf("Comp(%d) = %q, cursor %q", cc.Index(), got, cc.Value().Bytes())
							}
							if cc.Index() > 1 {
								re = append(re, d.Component)
							}
							for sc := cc.Value().Subs(); sc.Next(); {
								if got := cc.Value().Sub(sc.Index()).Bytes(); !bytes.Equal(got, sc.Value().Bytes()) {
									t.Fatalf("Sub(%d) = %q, cursor %q", sc.Index(), got, sc.Value().Bytes())
								}
								if sc.Index() > 1 {
									re = append(re, d.Subcomponent)
								}
								v := sc.Value().Bytes()
								if !inside(v, data) {
									t.Fatalf("value outside the input")
								}
								re = append(re, v...)
								nested = append(nested, leaf{fc.Index(), rc.Index(), cc.Index(), sc.Index(), string(v)})
							}
						}
					}
				}
				if !bytes.Equal(re, seg.Bytes()) {
					t.Fatalf("segment %d: rebuilt %q, want %q", i, re, seg.Bytes())
				}
				var flat []leaf
				for lc := seg.Leaves(); lc.Next(); {
					f, r, c, s := lc.Position()
					if !inside(lc.Value().Bytes(), data) {
						t.Fatalf("leaf outside the input")
					}
					flat = append(flat, leaf{f, r, c, s, string(lc.Value().Bytes())})
				}
				if fmt.Sprint(flat) != fmt.Sprint(nested) {
					t.Fatalf("segment %d %q: Leaves\n%v\nnested cursors\n%v", i, seg.Bytes(), flat, nested)
				}
			}
			for _, p := range []string{"MSH-9-1", "PID-3(2)-1", "OBX(2)-5-1-2"} {
				v, _ := m.Get(p)
				if !inside(v.Bytes(), data) {
					t.Fatalf("%s outside the input", p)
				}
				hl7.AppendUnescaped(nil, v.Bytes(), d)
			}
			if a, _ := m.Ack(); !inside(a.Code, data) || !inside(a.ControlID, data) || !inside(a.Text, data) {
				t.Fatalf("Ack outside the input: %+v", a)
			} else {
				a.AppendText(nil)
			}
			ack := hl7.AppendACK(nil, &m, hl7.AE, "x")
			var am hl7.Message
			ctrl := m.ControlID().Bytes()
			if am.Parse(ack) == nil && !bytes.ContainsAny(ctrl, "\r\n") {
				if a, ok := am.Ack(); !ok || !am.IsAck() || a.Result() != hl7.AE || !bytes.Equal(a.ControlID, ctrl) {
					t.Fatalf("ACK %q reads back as %v %q %q", ack, ok, a.Code, a.ControlID)
				}
			}
		}
		var b hl7.Batch
		b.Reset(data)
		n := 0
		for b.Next() {
			n++
			if n > len(data) {
				t.Fatal("more messages than bytes")
			}
			for _, h := range []hl7.Segment{b.FileHeader(), b.BatchHeader()} {
				for c := h.Fields(); c.Next(); {
					if v := c.Value(); !inside(v.Bytes(), data) || !bytes.Equal(v.Bytes(), h.Field(c.Index()).Bytes()) {
						t.Fatalf("header field %d: %q vs %q", c.Index(), v.Bytes(), h.Field(c.Index()).Bytes())
					}
				}
			}
		}
	})
}

// FuzzUnescape checks that unescaping never panics and that escaping then
// unescaping gives the input back.
func FuzzUnescape(f *testing.F) {
	for _, s := range []string{`a\F\b`, `\X0D0A\`, `\.br\`, `trailing\`, `\H\x\N\`, "a|b^c&d~e\r\n", `\E\\E\`, `\C2842\`} {
		f.Add([]byte(s))
	}
	d := hl7.DefaultDelimiters
	d.Truncation = '#'
	f.Fuzz(func(t *testing.T, data []byte) {
		hl7.AppendUnescaped(nil, data, d)
		esc := hl7.AppendEscaped(nil, data, d)
		if got := hl7.AppendUnescaped(nil, esc, d); !bytes.Equal(got, data) {
			t.Fatalf("round trip: %q -> %q -> %q", data, esc, got)
		}
	})
}

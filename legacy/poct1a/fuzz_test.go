package poct1a

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// FuzzDecoder feeds arbitrary bytes whole and in chunks: the items must be
// the same, the decoder must make progress, hold no more than its tag limit
// and report what is left at the end once.
func FuzzDecoder(f *testing.F) {
	device, manager := conversation()
	for i, m := range append(device, manager...) {
		f.Add([]byte(m), uint64(i*7919+3))
	}
	for i, m := range messageTests {
		f.Add([]byte(m.xml), uint64(i*104729+11))
	}
	f.Add([]byte("<a><!-- x --><![CDATA[ y ]]><b V='1'/></a><?pi?><!DOCTYPE z>"), uint64(5))
	f.Add([]byte("\xff\xfe<\x00a\x00>\x00"), uint64(3))
	d1, d2 := &Decoder{MaxTag: 64}, &Decoder{MaxTag: 64}
	f.Fuzz(func(t *testing.T, data []byte, seed uint64) {
		whole := decodeAll(d1, data, nil)
		var chunks []int
		for s := seed; s != 0 && len(chunks) < 16; s >>= 4 {
			chunks = append(chunks, int(s&15)+1)
		}
		if len(chunks) == 0 {
			chunks = []int{1}
		}
		if got := decodeAll(d2, data, chunks); strings.Join(got, "\n") != strings.Join(whole, "\n") {
			t.Fatalf("chunks %v change the items:\n%s\nwant\n%s", chunks, strings.Join(got, "\n"), strings.Join(whole, "\n"))
		}
		// The tag buffer stays within its limit, and what is left at the end
		// is reported once.
		if n := d2.Buffered(); n > 64 {
			t.Fatalf("%d bytes buffered, more than MaxTag", n)
		}
		d2.Flush()
		for i := 0; ; i++ {
			_, err := d2.Next()
			if err == ErrNeedMore {
				break
			}
			if i == 1 || !errors.Is(err, ErrIncomplete) {
				t.Fatalf("Flush: %v", err)
			}
		}
		if d2.Buffered() != 0 {
			t.Fatalf("%d bytes buffered after the flush", d2.Buffered())
		}
	})
}

// FuzzAppendText checks that decoding references never panics, never grows
// the text, reports an offset inside it that starts a reference, and keeps
// text without references as it is.
func FuzzAppendText(f *testing.F) {
	for _, s := range []string{"a &amp; b", "&#x20AC;&#65;", "&bad; &#0;", "&#xD800;", "&", "&&;", "x &lt y;"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, s []byte) {
		out, err := AppendText(nil, s)
		if len(out) > len(s) {
			t.Fatalf("AppendText(%q) = %q grew", s, out)
		}
		if !bytes.Contains(s, []byte("&")) && (err != nil || !bytes.Equal(out, s)) {
			t.Fatalf("AppendText(%q) = %q, %v", s, out, err)
		}
		var e *Error
		if err != nil && (!errors.As(err, &e) || e.Offset < 0 || e.Offset >= int64(len(s)) || s[e.Offset] != '&') {
			t.Fatalf("AppendText(%q): bad error %v", s, err)
		}
		if u := AppendUnescape(nil, s); !bytes.Equal(u, out) {
			t.Fatalf("AppendUnescape(%q) = %q, AppendText %q", s, u, out)
		}
	})
}

//go:build !race

package mllp_test

import (
	"bytes"
	"testing"

	"github.com/medtap/medtap/mllp"
)

func TestAllocs(t *testing.T) {
	stream := []byte(frame(msg1) + "junk" + frame(msg2) + "\x0bpartial")
	var d mllp.StreamDecoder
	n := 0
	sniff := [][]byte{[]byte(frame(msg1)), []byte("PID|1\r\x1c\r" + frame(msg2)), []byte("\x0b\x06\x1c\r"), []byte("no")}
	var br bytes.Reader
	r := mllp.NewReader(&br)
	var out bytes.Buffer
	out.Grow(4096)
	w := mllp.NewWriter(&out)
	tests := map[string]func(){
		"StreamDecoder": func() {
			next := func() {
				for _, err := d.Next(); err != mllp.ErrNeedMore; _, err = d.Next() {
					n++
				}
			}
			d.Feed(stream[:10])
			next()
			d.Feed(stream[10:])
			next()
			d.Gap(-1)
			next()
			d.Feed(stream[:10])
			d.Flush()
			next()
		},
		"Sniff": func() {
			for _, s := range sniff {
				if mllp.Sniff(s) {
					n++
				}
			}
		},
		"Reader": func() {
			br.Reset(stream)
			r.Reset(&br)
			for {
				if _, err := r.ReadFrame(); err != nil {
					break
				}
			}
		},
		"Writer": func() {
			out.Reset()
			w.WriteFrame(stream[:40])
		},
	}
	for name, f := range tests {
		f()
		if a := testing.AllocsPerRun(100, f); a != 0 {
			t.Errorf("%s: %v allocs, want 0", name, a)
		}
	}
}

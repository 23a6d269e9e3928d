//go:build !race

package mllp_test

import (
	"bytes"
	"testing"

	"github.com/medtap/medtap/mllp"
)

func TestAllocs(t *testing.T) {
	stream := []byte(frame(msg1) + "junk" + frame(msg2) + "\x0bpartial")
	d := mllp.NewStreamDecoder()
	n := 0
	fn := func(p []byte, off int64, err error) { n++ }
	var br bytes.Reader
	r := mllp.NewReader(&br)
	var out bytes.Buffer
	out.Grow(4096)
	w := mllp.NewWriter(&out)
	tests := map[string]func(){
		"StreamDecoder": func() {
			d.Write(stream[:10], fn)
			d.Write(stream[10:], fn)
			d.Gap(-1, fn)
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

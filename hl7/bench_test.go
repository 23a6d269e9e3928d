package hl7_test

import (
	"testing"

	"github.com/medtap/medtap/hl7"
)

var lookups = []hl7.Path{
	hl7.MustParsePath("MSH-9"),
	hl7.MustParsePath("MSH-10"),
	hl7.MustParsePath("PID-3(2)-1"),
	hl7.MustParsePath("PID-5-1"),
	hl7.MustParsePath("OBX(2)-5-5-1"),
}

// walk parses data, visits every sub-component of every field, looks up a
// few paths and unescapes one value into buf. It returns a checksum so the
// work cannot be optimised away.
func walk(m *hl7.Message, data, buf []byte) int {
	if err := m.Parse(data); err != nil {
		panic(err)
	}
	n := 0
	for i := range m.NumSegments() {
		seg := m.SegmentAt(i)
		for fc := seg.Fields(); fc.Next(); {
			for rc := fc.Value().Reps(); rc.Next(); {
				for cc := rc.Value().Comps(); cc.Next(); {
					for sc := cc.Value().Subs(); sc.Next(); {
						n += len(sc.Value().Bytes())
					}
				}
			}
		}
	}
	for _, p := range lookups {
		n += len(m.Value(p).Bytes())
	}
	v, _ := m.Get("OBX-5")
	buf = v.AppendUnescaped(buf[:0])
	return n + len(buf)
}

func BenchmarkParse(b *testing.B) {
	data := []byte(adtA01)
	var m hl7.Message
	buf := make([]byte, 0, 1024)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		walk(&m, data, buf)
	}
}

package bench

import (
	"testing"

	"github.com/medtap/medtap/legacy/intellivue"
)

// ivuePollResult is a poll result with one numeric observation (heart rate).
var ivuePollResult = []byte{
	0xe1, 0x00, 0x00, 0x02, 0x00, 0x02, 0x00, 0x42, 0x00, 0x07, 0x00, 0x07, 0x00, 0x3c,
	0x00, 0x21, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x16, 0x00, 0x32, 0x00, 0x01, 0x00, 0x00, 0x10, 0x00,
	0x20, 0x24, 0x06, 0x27, 0x13, 0x54, 0x07, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00,
	0x00, 0x01, 0x00, 0x1a, 0x00, 0x00, 0x00, 0x01, 0x00, 0x14, 0x01, 0x01, 0x00, 0x01, 0x00, 0x0e,
	0x09, 0x50, 0x00, 0x0a, 0x41, 0x82, 0x00, 0x00, 0x0a, 0xa0, 0x00, 0x00, 0x00, 0x48,
}

// ivueDecode parses a poll result, summarises it and reads its numerics
// with their names.
func ivueDecode(b []byte) int {
	m, err := intellivue.Parse(b)
	if err != nil {
		return 0
	}
	p, err := m.PollReply()
	if err != nil {
		return 0
	}
	s, _ := p.Summary()
	n := s.Numerics
	it := p.Observations()
	for it.Next() {
		o := it.Observation()
		for o.Attrs.Next() {
			a := o.Attrs.Attr()
			nu := a.Numerics()
			for nu.Next() {
				v := nu.Numeric()
				physio, unit := v.Name()
				n += int(v.Value) + len(physio) + len(unit)
			}
		}
	}
	return n
}

// BenchmarkIntelliVue measures decoding a Data Export poll result (headers,
// summary and numerics). No other Go library decodes IntelliVue to compare.
func BenchmarkIntelliVue(b *testing.B) {
	b.Run("poll-result", func(b *testing.B) {
		b.SetBytes(int64(len(ivuePollResult)))
		b.ReportAllocs()
		for b.Loop() {
			ivueDecode(ivuePollResult)
		}
	})
}

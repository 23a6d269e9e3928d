//go:build !race

package astm

import (
	"testing"
	"time"
)

func TestParserAllocs(t *testing.T) {
	msg := sampleMessage()
	var p Parser
	if n := testing.AllocsPerRun(100, func() { parseAll(&p, msg) }); n != 0 {
		t.Errorf("parsing a message allocates %v times, want 0", n)
	}
}

func TestDecoderAllocs(t *testing.T) {
	stream := framedSample()
	d := new(Decoder)
	decodeStream(d, stream, 1460) // grow the buffer once
	for _, chunk := range []int{1, 100, 1460} {
		if n := testing.AllocsPerRun(50, func() { decodeStream(d, stream, chunk) }); n != 0 {
			t.Errorf("decoding a transfer in %d-byte chunks allocates %v times, want 0", chunk, n)
		}
	}
}

func TestSummaryAllocs(t *testing.T) {
	m, _ := ParseRecord([]byte("M|1|HISTOGRAM^RBC|0^250|1,2,3"), DefaultDelimiters)
	s, _ := ParseRecord([]byte("S|1|ENZ|C311|R1|SI|QC1|SERUM||TUBE|S-9|GLU|5.5|mmol/L|20240101080000"), DefaultDelimiters)
	l, _ := ParseRecord([]byte("L|1|N"), DefaultDelimiters)
	n := 0
	if a := testing.AllocsPerRun(100, func() {
		mf, _ := m.Manufacturer()
		sc, _ := s.Scientific()
		tm, _ := l.Terminator()
		n += len(mf.KindName()) + len(mf.Field(4)) + len(sc.Analyte) + len(tm.Meaning())
	}); a != 0 {
		t.Errorf("M, S and L summaries allocate %v times, want 0", a)
	}
	if n == 0 {
		t.Error("summaries found nothing")
	}
}

func TestSniffAllocs(t *testing.T) {
	inputs := make([][]byte, len(sniffTests))
	for i, tt := range sniffTests {
		inputs[i] = []byte(tt.in)
	}
	n := 0
	if a := testing.AllocsPerRun(100, func() {
		for _, in := range inputs {
			if Sniff(in) {
				n++
			}
		}
	}); a != 0 {
		t.Errorf("Sniff allocates %v times, want 0", a)
	}
	if n == 0 {
		t.Error("Sniff accepted nothing")
	}
}

func TestLinkAllocs(t *testing.T) {
	var l Link
	var an [2]Annotator
	stream := framedSample()
	var d [2]Decoder
	at := time.Unix(0, 0)
	run := func() {
		l.Reset()
		d[0].Reset()
		d[0].Feed(stream)
		for {
			it, err := d[0].Next()
			if err == ErrNeedMore {
				return
			}
			at = at.Add(time.Second)
			an[0].Observe(it)
			l.Observe(0, it.Kind, at)
			if it.Kind == KindFrame {
				l.Observe(1, KindACK, at.Add(16*time.Second)) // late
			}
		}
	}
	run()
	if a := testing.AllocsPerRun(20, run); a != 0 {
		t.Errorf("following the link allocates %v times, want 0", a)
	}
}

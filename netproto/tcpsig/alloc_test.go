package tcpsig

import "testing"

// sigLoop computes the signature of the Linux SYN and writes its text into
// buf, as the flow engine does for every SYN: what BenchmarkFromHeaders
// measures and TestAllocs proves allocation-free.
func sigLoop(buf []byte) []byte {
	s, err := FromHeaders(linuxSYN[:20], linuxSYN[20:], 0, 0)
	if err != nil {
		panic(err)
	}
	return s.AppendTo(buf[:0])
}

func TestAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	buf := make([]byte, 0, MaxLen)
	if n := testing.AllocsPerRun(1000, func() { buf = sigLoop(buf) }); n != 0 {
		t.Errorf("FromHeaders and AppendTo allocate %.1f times", n)
	}
	// The longest option list and every quirk.
	ip, tcp := hdr{ttl: 100, frag: 0x8000, flags: syn | flagURG | flagPSH | flagECE, win: 1,
		opts: []byte("\x1e\x02\x1e\x02\x1e\x02\x1e\x02\x1e\x02\x1e\x02\x1e\x02\x1e\x02\x1e\x02\x1e\x02\x00\x00\x00\x05\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00")}.build()
	if n := testing.AllocsPerRun(1000, func() {
		s, _ := FromHeaders(ip, tcp, 1, 0)
		buf = s.AppendTo(buf[:0])
	}); n != 0 {
		t.Errorf("a long signature allocates %.1f times", n)
	}
	if n := testing.AllocsPerRun(1000, func() { buf = (QuirkDF | QuirkOptBad).AppendTo(buf[:0]) }); n != 0 {
		t.Errorf("Quirks.AppendTo allocates %.1f times", n)
	}
}

func BenchmarkFromHeaders(b *testing.B) {
	buf := make([]byte, 0, MaxLen)
	b.SetBytes(int64(len(linuxSYN)))
	b.ReportAllocs()
	for b.Loop() {
		buf = sigLoop(buf)
	}
}

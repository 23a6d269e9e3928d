package hl7

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"reflect"
	"testing"
)

// refParse is the parser this package had before the block scanner: a
// segment splitter, then a separator search per segment. It is the
// reference the scanner is checked against.
func refParse(data []byte) (segs []span, seps []uint32, term Terminators, err error) {
	start := 0
	for start < len(data) && (data[start] == '\r' || data[start] == '\n') {
		start++
	}
	if start == len(data) {
		return nil, nil, 0, ErrEmpty
	}
	if len(data)-start < 3 || string(data[start:start+3]) != "MSH" {
		return nil, nil, 0, ErrNoMSH
	}
	d, _, ok := parseDelimiters(data[start:])
	if !ok {
		return nil, nil, 0, ErrDelimiters
	}
	var sc segScanner
	sc.init(data, start)
	for {
		s, e, ok := sc.next()
		if !ok {
			break
		}
		if !validSegment(data[s:e], d.Field) {
			if sc.prevLF && len(segs) > 0 {
				segs[len(segs)-1].end = e
				continue
			}
			return nil, nil, 0, ErrSegmentName
		}
		segs = append(segs, span{start: s, end: e})
	}
	for k := range segs {
		sp := &segs[k]
		seg := data[sp.start:sp.end]
		sp.hdr = isHeaderName(seg) && len(seg) > 3 && seg[3] == d.Field
		sp.name = segKey(seg[0], seg[1], seg[2])
		sp.f0 = int32(len(seps))
		if sp.hdr {
			seps = append(seps, 2)
		}
		seps = appendSeps(seps, seg, d.Field)
		seps = append(seps, uint32(len(seg)))
		sp.f1 = int32(len(seps))
	}
	return segs, seps, sc.term, nil
}

func checkAgainstReference(t *testing.T, data []byte) {
	t.Helper()
	var m Message
	err := m.Parse(data)
	segs, seps, term, rerr := refParse(data)
	if (err == nil) != (rerr == nil) || rerr != nil && !errors.Is(err, rerr) {
		t.Fatalf("%q: Parse error %v, reference %v", data, err, rerr)
	}
	if err != nil {
		return
	}
	if len(m.segs) != len(segs) || m.term != term {
		t.Fatalf("%q: %d segments, terminators %v; reference %d, %v", data, len(m.segs), m.term, len(segs), term)
	}
	for i, sp := range m.segs {
		r := segs[i]
		if sp.start != r.start || sp.end != r.end || sp.hdr != r.hdr || sp.name != r.name {
			t.Fatalf("%q: segment %d %+v, reference %+v", data, i, sp, r)
		}
		// The reference's offsets are relative to the segment, and a
		// header's list starts with 2; Parse's are offsets in the
		// message, and a header's starts with the offset before it.
		var want []uint32
		for k, off := range seps[r.f0:r.f1] {
			if k == 0 && r.hdr {
				want = append(want, uint32(r.start-1))
				continue
			}
			want = append(want, uint32(r.start)+off)
		}
		if got := m.seps[sp.f0:sp.f1]; !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: segment %d entries %v, want %v", data, i, got, want)
		}
	}
}

func TestParseMatchesReference(t *testing.T) {
	t.Run("kernel", testParseMatchesReference)
	if useEmitAVX2 {
		useEmitAVX2 = false
		defer func() { useEmitAVX2 = true }()
		t.Run("generic", testParseMatchesReference)
	}
}

func testParseMatchesReference(t *testing.T) {
	pieces := []string{"MSH|^~\\&|", "PID|1|", "ZZ1", "a", "b^c", "~", "&", "|", "\r", "\n", "\r\n", "\n\n", "OBX|", "X", "wrapped", "\\", "MSH", "BHS|^~\\&", "x\x00y"}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 20000 {
		var b []byte
		if i%4 != 0 {
			b = append(b, "MSH|^~\\&|"...)
		}
		n := rng.IntN(40)
		if i%50 == 0 {
			n = 400 // several blocks
		}
		for range n {
			b = append(b, pieces[rng.IntN(len(pieces))]...)
		}
		checkAgainstReference(t, b)
	}
	// Long values: a base64 run crossing many blocks, between segments.
	long := bytes.Repeat([]byte("QUJD"), 5000)
	checkAgainstReference(t, append(append([]byte("MSH|^~\\&|a\rOBX|1|ED|"), long...), "|x\r\nNTE|1\n"...))
}

func TestScanKernels(t *testing.T) {
	if !useEmitAVX2 {
		t.Skip("no AVX2 kernel on this machine: only the generic one runs")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		p := make([]byte, 64*rng.IntN(40))
		for i := range p {
			switch rng.IntN(6) {
			case 0:
				p[i] = '|'
			case 1:
				p[i] = '\r'
			case 2:
				p[i] = '\n'
			default:
				p[i] = byte(rng.Uint32())
			}
			if rng.IntN(3) == 0 {
				p[i] = 'A' // runs of empty blocks
			}
		}
		compareKernels(t, p, '|', 1+rng.IntN(20))
	}
}

func compareKernels(t *testing.T, p []byte, sep byte, nout int) {
	t.Helper()
	for off := 0; ; {
		room := emitRoom + (len(p)-off)/(1+nout%3) // sometimes too little for all
		oa, ob := make([]uint32, room), make([]uint32, room)
		ma, mb := make([]termBlock, nout), make([]termBlock, nout)
		base := uint32(off * 7)
		ca, na, ka := scanEmit(p[off:], sep, base, oa, ma)
		useEmitAVX2 = false
		cb, nb, kb := scanEmit(p[off:], sep, base, ob, mb)
		useEmitAVX2 = true
		if ca != cb || na != nb || ka != kb || !reflect.DeepEqual(oa[:na], ob[:nb]) || !reflect.DeepEqual(ma[:ka], mb[:kb]) {
			t.Fatalf("scanEmit len %d off %d: AVX2 (%d, %d, %d) %v %v, generic (%d, %d, %d) %v %v", len(p), off, ca, na, ka, oa[:na], ma[:ka], cb, nb, kb, ob[:nb], mb[:kb])
		}
		if ca == 0 {
			return
		}
		off += ca
	}
}

// FuzzScan checks the block scanner against the reference parser, the
// AVX2 kernel against the generic one, and Message.Value against the
// chain of Field, Rep, Comp and Sub.
func FuzzScan(f *testing.F) {
	f.Add([]byte("MSH|^~\\&|A|B\rPID|1||x^y&z~w\r\nOBX|1\nwrapped\r"), byte('|'), uint16(0x1234))
	f.Add(bytes.Repeat([]byte("MSH|^~\\&|\r"), 20), byte('^'), uint16(7))
	f.Fuzz(func(t *testing.T, data []byte, sep byte, seed uint16) {
		checkAgainstReference(t, data)
		if useEmitAVX2 && sep != 0 {
			compareKernels(t, append(data, make([]byte, 64-len(data)%64)...), sep, 1+int(seed%17))
		}
		var m Message
		if m.Parse(data) != nil {
			return
		}
		rng := rand.New(rand.NewPCG(uint64(seed), 0))
		for range 20 {
			si := rng.IntN(m.NumSegments())
			seg := m.SegmentAt(si)
			p := Path{SegmentRep: rng.IntN(3), Field: rng.IntN(seg.NumFields() + 2), Rep: rng.IntN(3), Comp: rng.IntN(4), Sub: rng.IntN(3)}
			copy(p.Segment[:], seg.Bytes()[:3])
			if p.Field == 0 {
				p.Field = 1
			}
			if p.Comp == 0 {
				p.Sub = 0
			}
			got := m.Value(p)
			want := Value{d: m.pd}
			if s, ok := m.SegmentByName(string(p.Segment[:]), p.SegmentRep); ok {
				want = s.Field(p.Field)
				if p.Rep > 0 {
					want = want.Rep(p.Rep)
				}
				if p.Comp > 0 {
					want = want.Comp(p.Comp)
				}
				if p.Sub > 0 {
					want = want.Sub(p.Sub)
				}
			}
			if !bytes.Equal(got.raw, want.raw) || got.level() != want.level() || len(got.raw) > 0 && &got.raw[0] != &want.raw[0] {
				t.Fatalf("%v: Value %q (level %d), chain %q (level %d)", p, got.raw, got.level(), want.raw, want.level())
			}
		}
	})
}

// TestIndexBounded checks that the index stays within the limits on
// hostile input: a frame of line breaks, or of separators.
func TestIndexBounded(t *testing.T) {
	for _, tt := range []struct {
		name string
		fill byte
		want error
	}{{"CRs", '\r', ErrTooManySegments}, {"LFs", '\n', ErrTooManySegments}, {"separators", '|', ErrTooManyFields}} {
		data := append([]byte("MSH|^~\\&"), bytes.Repeat([]byte{tt.fill}, 4<<20)...)
		var m Message
		if err := m.Parse(data); !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
		// Entries are four bytes; the limits allow 65,536 lines and
		// 1,048,576 fields, and the buffer at most doubles past them.
		if limit := 2 * (DefaultMaxFields + 2*DefaultMaxSegments + 2048); cap(m.seps) > limit {
			t.Errorf("%s: index capacity %d entries, want at most %d", tt.name, cap(m.seps), limit)
		}
	}
}

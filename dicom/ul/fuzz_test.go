package ul

import (
	"path/filepath"
	"testing"

	"github.com/medtap/medtap/dicom"
)

// FuzzPDU feeds one direction in one chunk and again in chunks whose sizes
// come from the input: both must give the same PDUs, PDV values and errors,
// without panicking, and the decoder must consume everything.
func FuzzPDU(f *testing.F) {
	f.Add(uint8(1), sampleStream())
	f.Add(uint8(7), AppendAssociate(nil, sampleRQ()))
	f.Add(uint8(3), append([]byte{0x04, 0, 0, 0, 0, 8, 0, 0, 0, 9, 1, 3}, AppendRelease(nil, TypeReleaseRQ)...))
	// PDUs too long that hide A-ASSOCIATE-RQs: after a PDU (skipped
	// whole), and first (resynchronising).
	hostile := append(AppendAssociate(nil, sampleRQ()), oversizedPData(1 << 16)[:6<<10]...)
	f.Add(uint8(5), hostile)
	f.Add(uint8(9), oversizedPData(1 << 16)[:6<<10])
	f.Add(uint8(11), oversizedRQ(1 << 16)[:6<<10])
	for _, c := range smallCaptureConns(f) {
		for d := range 2 {
			var s []byte
			for _, sg := range c.segs {
				if sg.dir == Dir(d) {
					s = append(s, sg.data...)
				}
			}
			f.Add(uint8(len(s)), s)
		}
	}
	f.Fuzz(func(t *testing.T, step uint8, s []byte) {
		s = s[:min(len(s), 8<<10)] // keep each run (and minimisation) fast
		d := Decoder{MaxPDULength: 1 << 16}
		want := trace(&d, [][]byte{s})
		if d.Offset() != int64(len(s)) {
			t.Fatalf("consumed %d of %d bytes", d.Offset(), len(s))
		}
		if cap(d.buf) > 2<<16 {
			t.Fatalf("buffer grew to %d", cap(d.buf))
		}
		want = append(want, flushTrace(t, &d)...)
		sizes := []int{int(step%17) + 1, int(step/17) + 1, 1}
		dc := Decoder{MaxPDULength: 1 << 16}
		got := trace(&dc, chunk(s, sizes...))
		got = append(got, flushTrace(t, &dc)...)
		if d := diff(want, got); d != "" {
			t.Fatalf("chunks %v: %s", sizes, d)
		}
		// Parsing every association PDU found must not panic.
		var a Associate
		var dd Decoder
		dd.Feed(s)
		for {
			it, err := dd.Next()
			if err == ErrNeedMore {
				break
			}
			if it.Kind == KindPDU {
				switch it.Type {
				case TypeAssociateRQ, TypeAssociateAC:
					_ = a.Parse(it.Type, it.Body)
					for i := range a.UserInfo.CommonExtended {
						a.UserInfo.CommonExtended[i].RelatedClasses(nil)
					}
				case TypeAssociateRJ:
					r, _ := ParseReject(it.Body)
					_ = r.Result.String() + r.Source.String() + r.ReasonString()
				case TypeAbort:
					ab, _ := ParseAbort(it.Body)
					_ = ab.Source.String() + ab.ReasonString()
				}
			}
		}
	})
}

// flushTrace flushes d and describes what Next returns then: at most one
// error.
func flushTrace(t *testing.T, d *Decoder) []string {
	d.Flush()
	var out []string
	for {
		_, err := d.Next()
		if err == ErrNeedMore {
			return out
		}
		out = append(out, "flush "+err.Error())
		if len(out) > 1 {
			t.Fatalf("more than one error after Flush: %q", out)
		}
	}
}

// encodeSegs packs segments as the FuzzAssociation input: per segment a
// direction byte, a 16-bit length and the bytes.
func encodeSegs(segs []seg) []byte {
	var b []byte
	for _, s := range segs {
		for d := s.data; len(d) > 0; {
			n := min(len(d), 0xffff)
			b = append(b, byte(s.dir), byte(n>>8), byte(n))
			b = append(b, d[:n]...)
			d = d[n:]
		}
	}
	return b
}

func decodeSegs(b []byte) []seg {
	var segs []seg
	for len(b) >= 3 {
		n := min(int(b[1])<<8|int(b[2]), len(b)-3)
		segs = append(segs, seg{Dir(b[0] & 1), b[3 : 3+n]})
		b = b[3+n:]
	}
	return segs
}

// FuzzAssociation interleaves two directions: the events must not depend on
// how each segment is cut, nothing may panic and buffers stay within limits.
func FuzzAssociation(f *testing.F) {
	f.Add(uint8(5), encodeSegs(sampleAssociation()))
	segs := sampleAssociation()
	f.Add(uint8(1), encodeSegs(append(segs[:2:2], segs[4:]...)))
	f.Add(uint8(2), encodeSegs([]seg{{0, sampleStream()}}))
	f.Add(uint8(3), encodeSegs(append([]seg{segs[0], segs[1], {0, oversizedPData(1 << 16)[:4<<10]}}, echoSegs()...)))
	f.Add(uint8(4), encodeSegs(append([]seg{{0, oversizedRQ(1 << 16)[:4<<10]}, segs[1]}, echoSegs()...)))
	for _, c := range smallCaptureConns(f) {
		f.Add(uint8(len(c.segs)), encodeSegs(c.segs))
	}
	f.Fuzz(func(t *testing.T, step uint8, b []byte) {
		segs := decodeSegs(b[:min(len(b), 16<<10)])
		newA := func() *Association {
			return &Association{MaxPDULength: 1 << 16, MaxCommandLength: 1024, MaxDatasetHeader: 512}
		}
		a := newA()
		want := runAssociation(a, segs, 1<<20)
		for i := range a.msg {
			if cap(a.msg[i].cmd) > 2048 || cap(a.msg[i].ds) > 1024 {
				t.Fatalf("buffers grew to %d, %d", cap(a.msg[i].cmd), cap(a.msg[i].ds))
			}
		}
		want = append(want, flushAssociation(a)...)
		ac := newA()
		got := runAssociation(ac, segs, int(step%13)+1)
		got = append(got, flushAssociation(ac)...)
		if d := diff(want, got); d != "" {
			t.Fatalf("step %d: %s", step%13+1, d)
		}
	})
}

// flushAssociation flushes both directions and describes the events that
// follow.
func flushAssociation(a *Association) []string {
	a.Flush(FromRequestor)
	a.Flush(FromAcceptor)
	var out []string
	for {
		ev, err := a.Next()
		if err == ErrNeedMore {
			return out
		}
		if err != nil {
			out = append(out, "flush error "+err.Error())
			continue
		}
		out = append(out, "flush "+describe(a, ev))
	}
}

// smallCaptureConns returns the connections of the real-peer captures that
// carry less than 8 KiB, as fuzz seeds.
func smallCaptureConns(tb testing.TB) []conn {
	var out []conn
	files, _ := filepath.Glob("testdata/*.pcap")
	for _, f := range files {
		for _, c := range captureConns(tb, f) {
			n := 0
			for _, s := range c.segs {
				n += len(s.data)
			}
			if n > 0 && n < 8<<10 {
				out = append(out, c)
			}
		}
	}
	return out
}

// FuzzDIMSE decodes arbitrary bytes as a command set and as the start of a
// dataset (as a C-FIND identifier and as a stored object), in every
// encoding: no panic, bounded query keys, views within the input.
func FuzzDIMSE(f *testing.F) {
	for _, s := range sampleAssociation() {
		var d Decoder
		d.Feed(s.data)
		for it, err := d.Next(); err != ErrNeedMore; it, err = d.Next() {
			if it.Kind == KindPDV {
				f.Add(it.Body, uint8(0))
			}
		}
	}
	f.Fuzz(func(t *testing.T, b []byte, sel uint8) {
		var p dicom.Parser
		var m Message
		m.reset()
		_ = m.parseCommand(&p, b)
		for _, c := range []Command{CFindRQ, CStoreRQ, CFindRSP} {
			m.reset()
			m.Command = c
			m.TransferSyntax = [][]byte{nil, []byte(uidImplicitLE), []byte(uidExplicitLE), []byte("1.2.840.10008.1.2.2"), []byte("1.2.840.10008.1.2.1.99")}[sel%5]
			m.DatasetTruncated = sel&8 != 0
			m.parseDataset(&p, b)
			if len(m.Query) > MaxQueryKeys {
				t.Fatalf("%d query keys", len(m.Query))
			}
		}
	})
}

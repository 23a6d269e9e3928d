//go:build !race

package dicom

import (
	"bytes"
	"io"
	"testing"
)

func TestParserAllocs(t *testing.T) {
	for _, name := range []string{"1.dcm", "3.dcm", "4.dcm", "5.dcm", "6.dcm"} {
		b := suyashFile(t, name)
		var p Parser
		p.Start(b)
		walkAll(&p) // first use grows the stack and the inflate buffer
		allocs := testing.AllocsPerRun(20, func() {
			p.Start(b)
			if _, err := walkAll(&p); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocs per walk, want 0", name, allocs)
		}
	}
}

func TestMaliciousLengthAllocs(t *testing.T) {
	// 200 bytes declaring a 4 GiB value: no allocation beyond the error.
	enc := ExplicitVRLittleEndian
	b := AppendString(nil, enc, tagPatientName, PN, "Doe")
	b = AppendHeader(b, enc, NewTag(0x0011, 0x1010), OB, 0xFFFFFFF0)
	b = append(b, make([]byte, 200-len(b))...)
	var p Parser
	allocs := testing.AllocsPerRun(20, func() {
		p.StartDataset(b, enc)
		if _, err := walkAll(&p); !isErr(err, ErrLength) {
			t.Fatal(err)
		}
	})
	if allocs > 1 {
		t.Errorf("%v allocs, want at most 1 (the error)", allocs)
	}
}

func TestReaderAllocs(t *testing.T) {
	for _, name := range []string{"1.dcm", "4.dcm", "5.dcm", "6.dcm"} {
		b := suyashFile(t, name)
		var br bytes.Reader
		r := NewReader(nil)
		walk := func() {
			br.Reset(b)
			r.Reset(&br)
			for {
				h, err := r.Next()
				if err == io.EOF {
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if h.Length < 1024 {
					r.Value()
				}
			}
		}
		walk()
		if n := testing.AllocsPerRun(10, walk); n != 0 {
			t.Errorf("%s: %v allocs per Reader walk, want 0", name, n)
		}
	}
}

func TestOddLength(t *testing.T) {
	enc := ExplicitVRLittleEndian
	b := AppendHeader(nil, enc, tagPatientID, LO, 3)
	b = append(b, "abc"...)
	b = AppendUint16s(b, enc, tagRows, US, 7)
	var p Parser
	p.StartDataset(b, enc)
	h, err := p.Next()
	if err != nil || !h.OddLength() {
		t.Fatalf("%+v %v", h, err)
	}
	if v, _ := p.Value(); string(v) != "abc" {
		t.Errorf("value %q", v)
	}
	if h, err := p.Next(); err != nil || h.Tag != tagRows {
		t.Errorf("after odd length: %+v %v", h, err)
	}
}

func TestLenientAllocs(t *testing.T) {
	// A whole file: nothing; a truncated one: the error that reports it.
	b := suyashFile(t, "1.dcm")
	p := Parser{Lenient: true}
	for _, tt := range []struct {
		in   []byte
		want float64
	}{{b, 0}, {b[:20000], 1}, {b[:5000], 1}} {
		p.Start(tt.in)
		walkAll(&p)
		allocs := testing.AllocsPerRun(20, func() {
			p.Start(tt.in)
			walkAll(&p)
		})
		if allocs != tt.want {
			t.Errorf("%d bytes: %v allocs per lenient walk, want %v", len(tt.in), allocs, tt.want)
		}
	}
}

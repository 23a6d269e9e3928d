package bench

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	sdicom "github.com/suyashkumar/dicom"

	"github.com/medtap/medtap/dicom"
)

// DICOM: medtap's dicom.Parser against github.com/suyashkumar/dicom v1.1.0
// (with SkipPixelData) on the six files of suyashkumar/dicom's testdata
// (1-2 PET, 3 MR, 4 CR implicit VR, 5 CT multi-frame, 6 deflated), read
// from the Go module cache.
//
//	medtap        Start and a walk over every element, with a view of every value
//	medtap-typed  the same, plus every string value trimmed and every binary
//	              numeric value decoded into a reused slice (what a tree API does)
//	suyashkumar   dicom.Parse(bytes.Reader, size, nil, dicom.SkipPixelData())

var dicomFiles = []string{"1.dcm", "2.dcm", "3.dcm", "4.dcm", "5.dcm", "6.dcm"}

var gomodcache = sync.OnceValue(func() string {
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
})

func dicomTestdata(tb testing.TB, name string) []byte {
	tb.Helper()
	dir := gomodcache()
	if dir == "" {
		tb.Skip("go env GOMODCACHE failed")
	}
	b, err := os.ReadFile(filepath.Join(dir, "github.com/suyashkumar/dicom@v1.1.0/testdata", name))
	if err != nil {
		tb.Skipf("suyashkumar/dicom testdata not in the module cache: %v", err)
	}
	return b
}

// dicomWalk reads every element of b and returns the number of headers.
func dicomWalk(p *dicom.Parser, b []byte) (int, error) {
	p.Start(b)
	n := 0
	for {
		_, err := p.Next()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		p.Value()
		n++
	}
}

type typedScratch struct {
	ints   []int64
	floats []float64
	strs   [][]byte
}

// dicomWalkTyped also decodes every value: strings split and trimmed,
// numbers converted.
func dicomWalkTyped(p *dicom.Parser, b []byte, s *typedScratch) (int, error) {
	p.Start(b)
	n := 0
	for {
		h, err := p.Next()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		n++
		v, err := p.TypedValue()
		if err != nil {
			continue
		}
		switch h.VR {
		case dicom.US, dicom.SS, dicom.UL, dicom.SL, dicom.AT, dicom.SV:
			s.ints, _ = v.AppendInts(s.ints[:0])
		case dicom.FL, dicom.FD:
			s.floats, _ = v.AppendFloats(s.floats[:0])
		default:
			if h.VR.IsString() {
				s.strs = v.AppendStrings(s.strs[:0])
			}
		}
	}
}

func BenchmarkDICOM(b *testing.B) {
	for _, name := range dicomFiles {
		data := dicomTestdata(b, name)
		b.Run("medtap/"+name, func(b *testing.B) {
			var p dicom.Parser
			dicomWalk(&p, data)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := dicomWalk(&p, data); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("medtap-typed/"+name, func(b *testing.B) {
			var p dicom.Parser
			var s typedScratch
			dicomWalkTyped(&p, data, &s)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := dicomWalkTyped(&p, data, &s); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("suyashkumar/"+name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := sdicom.Parse(bytes.NewReader(data), int64(len(data)), nil, sdicom.SkipPixelData()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

package bench

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
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
//	medtap-reader the streaming dicom.Reader over a bytes.Reader, values under
//	              4 KiB read, larger ones skipped
//	suyashkumar   dicom.Parse(bytes.Reader, size, nil, dicom.SkipPixelData())
//
// BenchmarkDICOMReader1GiB streams a synthetic 1 GiB multi-frame file
// (1024 JPEG-style fragments of 1 MiB) through dicom.Reader and reports the
// process's peak RSS (VmHWM; run it alone for a meaningful number).

var dicomFiles = []string{"1.dcm", "2.dcm", "3.dcm", "4.dcm", "5.dcm", "6.dcm"}

var dicomModCache = sync.OnceValue(func() string {
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
})

func dicomTestdata(tb testing.TB, name string) []byte {
	tb.Helper()
	dir := dicomModCache()
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

type dicomTypedScratch struct {
	ints   []int64
	floats []float64
	strs   [][]byte
}

// dicomWalkTyped also decodes every value: strings split and trimmed,
// numbers converted.
func dicomWalkTyped(p *dicom.Parser, b []byte, s *dicomTypedScratch) (int, error) {
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

// dicomReaderWalk streams data through a reused Reader, reading every
// value under 4 KiB and skipping the rest.
func dicomReaderWalk(r *dicom.Reader, br *bytes.Reader, data []byte) (int, error) {
	br.Reset(data)
	r.Reset(br)
	n := 0
	for {
		h, err := r.Next()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		if h.Length < 4096 {
			r.Value()
		}
		n++
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
			var s dicomTypedScratch
			dicomWalkTyped(&p, data, &s)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := dicomWalkTyped(&p, data, &s); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("medtap-reader/"+name, func(b *testing.B) {
			r := dicom.NewReader(nil)
			var br bytes.Reader
			dicomReaderWalk(r, &br, data)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := dicomReaderWalk(r, &br, data); err != nil {
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

// dicomFrameSource generates a Part 10 file with encapsulated pixel data of
// frames fragments of frameSize bytes, without holding it in memory.
type dicomFrameSource struct {
	pending   []byte // bytes to send before the next fragment data
	block     []byte // pattern copied into fragment data
	frames    int
	frameSize int
	left      int // bytes left in the current fragment
	tail      []byte
	scratch   []byte
}

func newDICOMFrameSource(frames, frameSize int) *dicomFrameSource {
	enc := dicom.ExplicitVRLittleEndian
	ds := dicom.AppendString(nil, enc, dicom.NewTag(0x0010, 0x0010), dicom.PN, "Synthetic^Large")
	ds = dicom.AppendString(ds, enc, dicom.NewTag(0x0028, 0x0008), dicom.IS, strconv.Itoa(frames))
	ds = dicom.AppendHeader(ds, enc, dicom.TagPixelData, dicom.OB, dicom.UndefinedLength)
	ds = dicom.AppendItem(ds, enc, 0)
	head := dicom.AppendFile(nil, &dicom.FileMeta{
		MediaStorageSOPClassUID:    "1.2.840.10008.5.1.4.1.1.7.4",
		MediaStorageSOPInstanceUID: "1.2.3.4",
		TransferSyntaxUID:          "1.2.840.10008.1.2.4.50",
	}, ds)
	block := make([]byte, 64<<10)
	for i := range block {
		block[i] = byte(i * 7)
	}
	return &dicomFrameSource{pending: head, block: block, frames: frames, frameSize: frameSize,
		tail: dicom.AppendSequenceDelimitation(nil, enc)}
}

func (s *dicomFrameSource) Read(p []byte) (int, error) {
	if len(s.pending) > 0 {
		n := copy(p, s.pending)
		s.pending = s.pending[n:]
		return n, nil
	}
	if s.left > 0 {
		n := min(len(p), s.left, len(s.block))
		copy(p[:n], s.block)
		s.left -= n
		return n, nil
	}
	if s.frames > 0 {
		s.frames--
		s.left = s.frameSize
		s.scratch = dicom.AppendItem(s.scratch[:0], dicom.ExplicitVRLittleEndian, uint32(s.frameSize))
		s.pending = s.scratch
		return s.Read(p)
	}
	if len(s.tail) > 0 {
		n := copy(p, s.tail)
		s.tail = s.tail[n:]
		return n, nil
	}
	return 0, io.EOF
}

func BenchmarkDICOMReader1GiB(b *testing.B) {
	const frames, frameSize = 1024, 1 << 20
	b.SetBytes(frames * frameSize)
	b.ReportAllocs()
	r := dicom.NewReader(nil)
	for b.Loop() {
		r.Reset(newDICOMFrameSource(frames, frameSize))
		n := 0
		for {
			h, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if h.Fragment && h.Length == frameSize {
				n++
			}
		}
		if n != frames {
			b.Fatalf("%d frames", n)
		}
	}
	b.ReportMetric(float64(dicomPeakRSS())/(1<<20), "peak-RSS-MiB")
}

// dicomPeakRSS returns VmHWM from /proc/self/status in bytes, or 0.
func dicomPeakRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				kb, _ := strconv.ParseInt(f[0], 10, 64)
				return kb << 10
			}
		}
	}
	return 0
}

package dicom

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// rewrite writes back every header and value the parser reads, in the
// encoding it read them in: for a well-formed file this reproduces the
// input byte for byte. (It assumes no UN sequences, whose contents change
// encoding.)
func rewrite(t *testing.T, b []byte) []byte {
	t.Helper()
	var p Parser
	p.Start(b)
	var out []byte
	if pre := p.Preamble(); pre != nil {
		out = append(append(out, pre...), "DICM"...)
	}
	for {
		h, err := p.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		enc := ExplicitVRLittleEndian
		if h.Tag.Group() != 2 {
			enc = p.Encoding()
		}
		out = AppendHeader(out, enc, h.Tag, h.VR, h.Length)
		if v, err := p.Value(); err == nil {
			out = append(out, v...)
		}
	}
}

func TestWriterRoundTrip(t *testing.T) {
	for _, name := range []string{"1.dcm", "3.dcm", "4.dcm", "5.dcm"} {
		t.Run(name, func(t *testing.T) {
			b := suyashFile(t, name)
			if got := rewrite(t, b); !bytes.Equal(got, b) {
				t.Errorf("rewrite differs: %d bytes, want %d (first difference at %d)", len(got), len(b), firstDiff(got, b))
			}
		})
	}
	if _, err := exec.LookPath("dcmconv"); err != nil {
		t.Skip("dcmconv not installed (apt-get install dcmtk)")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "1.dcm")
	os.WriteFile(src, suyashFile(t, "1.dcm"), 0o644)
	for _, opt := range []string{"+tb", "+ti"} {
		out := filepath.Join(dir, opt[1:]+".dcm")
		if msg, err := exec.Command("dcmconv", opt, src, out).CombinedOutput(); err != nil {
			t.Fatalf("dcmconv: %v\n%s", err, msg)
		}
		b, _ := os.ReadFile(out)
		if got := rewrite(t, b); !bytes.Equal(got, b) {
			t.Errorf("%s: rewrite differs at %d", opt, firstDiff(got, b))
		}
	}
}

func firstDiff(a, b []byte) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

package capture

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/testutil"
)

func sample(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testutil.RepoRoot(t), "examples", "medscan", "testdata", "sample.pcapng"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// count reads every packet and returns the count and the final error.
func count(t *testing.T, data []byte, o *Options) (int, error) {
	t.Helper()
	r, err := NewReader(bytes.NewReader(data), o)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	n := 0
	for {
		_, link, _, err := r.ReadPacket()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		if link != flow.LinkEthernet {
			t.Fatalf("packet %d: link %d", n, link)
		}
		n++
	}
}

func TestFormats(t *testing.T) {
	ng := sample(t)
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write(ng)
	w.Close()
	zw, _ := zstd.NewWriter(nil)
	zs := zw.EncodeAll(ng, nil)
	want, err := count(t, ng, nil)
	if err != nil || want == 0 {
		t.Fatalf("pcapng: %d packets, %v", want, err)
	}
	for name, data := range map[string][]byte{"gzip": gz.Bytes(), "zstd": zs} {
		if n, err := count(t, data, nil); n != want || err != nil {
			t.Errorf("%s: %d packets, %v; want %d", name, n, err, want)
		}
	}
	// Cut short: the packets before the cut, then an error naming the
	// packet that was cut.
	n, err := count(t, ng[:len(ng)-10], nil)
	if n != want-1 || !errors.Is(err, io.ErrUnexpectedEOF) || !strings.Contains(err.Error(), "capture: packet") {
		t.Errorf("truncated: %d packets, %v", n, err)
	}
}

func TestNotCapture(t *testing.T) {
	for _, in := range []string{"", "ab", "hello world", "\x1f\x8b"} {
		if _, err := NewReader(strings.NewReader(in), nil); err == nil {
			t.Errorf("%q: no error", in)
		} else if len(in) != 2 || in[0] != 0x1f {
			if !errors.Is(err, ErrNotCapture) {
				t.Errorf("%q: %v, want ErrNotCapture", in, err)
			}
		}
	}
}

// TestZstdWindow checks that a zstd frame asking for a window larger than
// MaxZstdWindow is refused before any memory is taken for it.
func TestZstdWindow(t *testing.T) {
	// Magic, a frame header with a window descriptor of 2^30 bytes
	// (exponent 20), and an empty last raw block.
	frame := []byte{0x28, 0xb5, 0x2f, 0xfd, 0x00, 20 << 3, 0x01, 0x00, 0x00}
	_, err := count(t, frame, nil)
	if !errors.Is(err, zstd.ErrWindowSizeExceeded) || !strings.Contains(err.Error(), "MaxZstdWindow") {
		t.Fatalf("1 GiB window with the default cap: %v, want a zstd error", err)
	}
	// Allowed, it decompresses to nothing, which is not a capture.
	if _, err := count(t, frame, &Options{MaxZstdWindow: 1 << 30}); !errors.Is(err, ErrNotCapture) {
		t.Fatalf("1 GiB window allowed: %v, want ErrNotCapture", err)
	}
}

func TestOpenRunFile(t *testing.T) {
	name := filepath.Join(testutil.RepoRoot(t), "examples", "medscan", "testdata", "sample.pcapng")
	r, err := Open(name, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	e, err := flow.NewEngine(flow.Config{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := RunFile(e, name); err != nil {
		t.Fatal(err)
	}
	want, _ := count(t, sample(t), nil)
	if st := e.Stats(); st.Packets != uint64(want) || st.Flows == 0 {
		t.Errorf("stats %+v, want %d packets", st, want)
	}
	if _, err := Open(filepath.Join(t.TempDir(), "missing.pcap"), nil); err == nil {
		t.Error("missing file: no error")
	}
}

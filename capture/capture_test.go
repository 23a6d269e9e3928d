package capture

import (
	"bytes"
	"encoding/binary"
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

// pcapngIDBs returns a little-endian pcapng section with n Ethernet
// interface description blocks and one enhanced packet block on the last.
func pcapngIDBs(n int) []byte {
	le := binary.LittleEndian
	block := func(b []byte, typ uint32, body []byte) []byte {
		l := uint32(12 + len(body))
		b = le.AppendUint32(b, typ)
		b = le.AppendUint32(b, l)
		b = append(b, body...)
		return le.AppendUint32(b, l)
	}
	shb := le.AppendUint32(nil, 0x1a2b3c4d)
	shb = append(shb, 1, 0, 0, 0)                                     // version 1.0
	shb = append(shb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff) // section length unknown
	b := block(nil, 0x0a0d0d0a, shb)
	for range n {
		b = block(b, 1, []byte{1, 0, 0, 0, 0, 0, 4, 0}) // linktype 1, snaplen 262144
	}
	frame := make([]byte, 60)
	epb := le.AppendUint32(nil, uint32(n-1))
	epb = append(epb, make([]byte, 8)...)
	epb = le.AppendUint32(epb, 60)
	epb = le.AppendUint32(epb, 60)
	epb = append(epb, frame...)
	return block(b, 6, epb)
}

func TestMaxInterfaces(t *testing.T) {
	if n, err := count(t, pcapngIDBs(10), nil); n != 1 || err != nil {
		t.Fatalf("10 interfaces: %d packets, %v", n, err)
	}
	_, err := count(t, pcapngIDBs(DefaultMaxInterfaces+1), nil)
	if !errors.Is(err, ErrTooManyInterfaces) {
		t.Fatalf("%d interfaces: %v, want ErrTooManyInterfaces", DefaultMaxInterfaces+1, err)
	}
	if n, err := count(t, pcapngIDBs(DefaultMaxInterfaces+1), &Options{MaxInterfaces: 1000}); n != 1 || err != nil {
		t.Fatalf("limit raised: %d packets, %v", n, err)
	}
	// A million interfaces in a few KB of zstd fail fast, before gopacket
	// holds them.
	zw, _ := zstd.NewWriter(nil)
	big := zw.EncodeAll(pcapngIDBs(1_000_000), nil)
	if _, err := count(t, big, nil); !errors.Is(err, ErrTooManyInterfaces) {
		t.Fatalf("a million interfaces: %v", err)
	}
	t.Logf("a million interfaces: %d bytes of zstd", len(big))
}

func TestFormatErrors(t *testing.T) {
	zw, _ := zstd.NewWriter(nil)
	zs := zw.EncodeAll(sample(t), nil)
	for _, tt := range []struct {
		name, in, want string
	}{
		{"xz", "\xfd7zXZ\x00\x00\x04", "xz-compressed data is not supported (pcap and pcapng are, plain or gzip or zstd compressed); decompress it first: xz -d"},
		{"bzip2", "BZh91AY&SY", "bzip2-compressed data is not supported"},
		{"truncated zstd", string(zs[:len(zs)/3]), "capture: zstd: "},
		{"empty zstd", string(zw.EncodeAll(nil, nil)), "the zstd stream decompresses to 0 bytes"},
	} {
		_, err := count(t, []byte(tt.in), nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
}

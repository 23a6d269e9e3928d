// Package capture reads packets: from capture files (pcap and pcapng,
// plain or compressed with gzip or zstd) and, on Linux, live from network
// interfaces. A [Reader] yields one packet at a time as a
// view valid until the next call, and is a [flow.Source], so an engine runs
// a capture with [flow.Engine.Run].
//
// Decompression is bounded: a zstd frame may ask for a window of at most
// [Options.MaxZstdWindow] bytes (default [DefaultMaxZstdWindow]), so a
// hostile file cannot make the reader allocate more.
//
// A [Live] reads packets from a network interface as they pass (Linux,
// AF_PACKET with a TPACKET_V3 ring shared with the kernel, no cgo): also a
// flow.Source, with views into the ring, kernel drop counters in
// [Live.Stats], an optional pcap-filter expression and a fanout group that
// spreads flows over several sockets, one per worker, keeping each flow
// whole on one.
package capture

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/gopacket/gopacket/pcapgo"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/medtap/medtap/flow"
)

// ErrNotCapture is returned by [NewReader] for input that is not a pcap or
// pcapng file (after decompression).
var ErrNotCapture = errors.New("capture: not a pcap or pcapng capture")

// DefaultMaxZstdWindow is the default of [Options.MaxZstdWindow]: the
// window of `zstd --long` (2^27 bytes), more than any capture compressed
// with zstd's normal levels needs.
const DefaultMaxZstdWindow = 128 << 20

// Options configure a [Reader]. The zero value, like a nil *Options,
// selects every default.
type Options struct {
	// MaxZstdWindow caps the window a zstd frame may ask for, and so the
	// memory its decoder holds. 0 selects DefaultMaxZstdWindow.
	MaxZstdWindow int
	// MaxInterfaces caps the interface description blocks of a pcapng
	// capture, each of which the reader keeps; past it reading fails with
	// ErrTooManyInterfaces. 0 selects DefaultMaxInterfaces.
	MaxInterfaces int
}

// DefaultMaxInterfaces is the default of [Options.MaxInterfaces]: more
// interfaces than any real capture records.
const DefaultMaxInterfaces = 256

// ErrTooManyInterfaces is returned when a pcapng capture describes more
// interfaces than [Options.MaxInterfaces].
var ErrTooManyInterfaces = errors.New("capture: pcapng: too many interface description blocks")

// Reader reads packets from a pcap or pcapng capture, transparently
// decompressing gzip and zstd.
type Reader struct {
	pcap   *pcapgo.Reader
	ng     *pcapgo.NgReader
	link   flow.LinkType
	links  []flow.LinkType // per pcapng interface
	zstd   *zstd.Decoder
	closer io.Closer // the decompressor, if any
	file   *os.File  // opened by Open
	count  int64
}

// NewReader detects the format of r and returns a Reader for it. o may be
// nil.
func NewReader(r io.Reader, o *Options) (*Reader, error) {
	var opt Options
	if o != nil {
		opt = *o
	}
	if opt.MaxZstdWindow <= 0 {
		opt.MaxZstdWindow = DefaultMaxZstdWindow
	}
	if opt.MaxInterfaces <= 0 {
		opt.MaxInterfaces = DefaultMaxInterfaces
	}
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(4)
	rd := &Reader{}
	src := br
	switch {
	case len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b:
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("capture: gzip: %w", err)
		}
		rd.closer = gz
		src = bufio.NewReaderSize(gz, 64<<10)
	case bytes.Equal(head, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		zd, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1),
			zstd.WithDecoderMaxWindow(uint64(opt.MaxZstdWindow)),
			zstd.WithDecoderMaxMemory(uint64(opt.MaxZstdWindow)))
		if err != nil {
			return nil, fmt.Errorf("capture: zstd: %w", err)
		}
		rd.zstd = zd
		src = bufio.NewReaderSize(zd, 64<<10)
	}
	magic, err := src.Peek(4)
	if err != nil {
		rd.Close()
		compressed := ""
		switch {
		case rd.zstd != nil:
			compressed = "zstd"
		case rd.closer != nil:
			compressed = "gzip"
		}
		switch {
		case errors.Is(err, zstd.ErrWindowSizeExceeded):
			return nil, fmt.Errorf("capture: zstd: %w: the frame needs a window larger than %d bytes (Options.MaxZstdWindow)", err, opt.MaxZstdWindow)
		case err == io.EOF && compressed != "":
			return nil, fmt.Errorf("%w: the %s stream decompresses to %d bytes", ErrNotCapture, compressed, len(magic))
		case err == io.EOF:
			return nil, fmt.Errorf("%w: %d bytes", ErrNotCapture, len(magic))
		case compressed != "":
			return nil, fmt.Errorf("capture: %s: %w", compressed, err) // a truncated or corrupt stream
		case err == io.ErrUnexpectedEOF:
			return nil, fmt.Errorf("%w: %d bytes", ErrNotCapture, len(magic))
		}
		return nil, err
	}
	switch {
	case bytes.Equal(magic, []byte{0x0a, 0x0d, 0x0d, 0x0a}):
		ng, err := pcapgo.NewNgReader(&idbLimiter{r: src, max: opt.MaxInterfaces}, pcapgo.NgReaderOptions{WantMixedLinkType: true})
		if err != nil {
			rd.Close()
			return nil, fmt.Errorf("capture: pcapng: %w", err)
		}
		rd.ng = ng
		rd.link = flow.LinkType(ng.LinkType())
		if ifc, err := ng.Interface(0); err == nil {
			rd.link = flow.LinkType(ifc.LinkType)
		}
	case isPcapMagic(magic):
		pr, err := pcapgo.NewReader(src)
		if err != nil {
			rd.Close()
			return nil, fmt.Errorf("capture: pcap: %w", err)
		}
		rd.pcap = pr
		rd.link = flow.LinkType(pr.LinkType())
	default:
		rd.Close()
		head, _ := src.Peek(8)
		if name, hint := knownFormat(head); name != "" {
			if hint != "" {
				hint = "; " + hint
			}
			return nil, fmt.Errorf("%w: %s is not supported (pcap and pcapng are, plain or gzip or zstd compressed)%s", ErrNotCapture, name, hint)
		}
		return nil, fmt.Errorf("%w (starts % x)", ErrNotCapture, magic)
	}
	return rd, nil
}

// Open opens the named capture file; [Reader.Close] closes it.
func Open(name string, o *Options) (*Reader, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	r, err := NewReader(f, o)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	r.file = f
	return r, nil
}

// knownFormat names the format of a file that is not a capture medtap
// reads, from its first bytes, with a hint on what to do; or returns "".
func knownFormat(b []byte) (name, hint string) {
	for _, f := range [...]struct{ magic, name, hint string }{
		{"\xfd7zXZ\x00", "xz-compressed data", "decompress it first: xz -d"},
		{"BZh", "bzip2-compressed data", "decompress it first: bunzip2"},
		{"\x04\x22\x4d\x18", "lz4-compressed data", "decompress it first: lz4 -d"},
		{"PK\x03\x04", "a zip archive", "extract the capture first"},
		{"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "extract the capture first"},
		{"snoop\x00\x00\x00", "a Solaris snoop capture", "convert it: editcap -F pcapng"},
		{"\x7fELF", "an ELF executable", ""},
		{"MZ", "a Windows executable", ""},
	} {
		if bytes.HasPrefix(b, []byte(f.magic)) {
			return f.name, f.hint
		}
	}
	return "", ""
}

func isPcapMagic(m []byte) bool {
	switch [4]byte(m) {
	case [4]byte{0xd4, 0xc3, 0xb2, 0xa1}, [4]byte{0xa1, 0xb2, 0xc3, 0xd4},
		[4]byte{0x4d, 0x3c, 0xb2, 0xa1}, [4]byte{0xa1, 0xb2, 0x3c, 0x4d}:
		return true
	}
	return false
}

// ReadPacket returns the next packet. data is valid until the next call.
// At the end of the capture it returns io.EOF; a capture cut short returns
// an error wrapping io.ErrUnexpectedEOF.
func (r *Reader) ReadPacket() (ts time.Time, link flow.LinkType, data []byte, err error) {
	if r.ng != nil {
		data, ci, err := r.ng.ZeroCopyReadPacketData()
		if err != nil {
			return time.Time{}, 0, nil, r.wrap(err)
		}
		r.count++
		return ci.Timestamp, r.ngLink(ci.InterfaceIndex), data, nil
	}
	data, ci, err := r.pcap.ZeroCopyReadPacketData()
	if err != nil {
		return time.Time{}, 0, nil, r.wrap(err)
	}
	r.count++
	return ci.Timestamp, r.link, data, nil
}

// ngLink returns the link type of pcapng interface i, cached.
func (r *Reader) ngLink(i int) flow.LinkType {
	if i >= 0 && i < len(r.links) {
		return r.links[i]
	}
	for len(r.links) < r.ng.NInterfaces() {
		ifc, err := r.ng.Interface(len(r.links))
		if err != nil {
			break
		}
		r.links = append(r.links, flow.LinkType(ifc.LinkType))
	}
	if i >= 0 && i < len(r.links) {
		return r.links[i]
	}
	return r.link
}

func (r *Reader) wrap(err error) error {
	if err == io.EOF {
		return io.EOF
	}
	return fmt.Errorf("capture: packet %d: %w", r.count+1, err)
}

// LinkType returns the link type of the capture (of its first interface for
// pcapng).
func (r *Reader) LinkType() flow.LinkType { return r.link }

// Packets returns the number of packets read so far.
func (r *Reader) Packets() int64 { return r.count }

// Close releases the decompressor, if any, and closes the file if the
// Reader was made by [Open]. It does not close the io.Reader given to
// [NewReader].
func (r *Reader) Close() error {
	if r.zstd != nil {
		r.zstd.Close()
	}
	var err error
	if r.closer != nil {
		err = r.closer.Close()
	}
	if r.file != nil {
		if e := r.file.Close(); err == nil {
			err = e
		}
		r.file = nil
	}
	return err
}

// RunFile runs the named capture file through e with [flow.Engine.Run]
// (which flushes e at the end), with default Options.
func RunFile(e *flow.Engine, name string) error {
	r, err := Open(name, nil)
	if err != nil {
		return err
	}
	defer r.Close()
	if err := e.Run(r); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// idbLimiter passes a pcapng stream through, walking its block headers as
// they go by, and fails once more than max interface description blocks
// have passed: gopacket's reader keeps every interface, so a small hostile
// file of IDBs alone could make it allocate without bound.
type idbLimiter struct {
	r    io.Reader
	max  int
	idbs int
	skip int64    // bytes of the current block still to pass
	hdr  [12]byte // a block header being collected: type, length, and for a section header its byte-order magic
	hn   int
	big  bool  // the section's byte order
	done bool  // stopped walking: a malformed block, left to the reader to report
	err  error // ErrTooManyInterfaces, once reached
}

func (l *idbLimiter) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(p)
	for b := p[:n]; len(b) > 0 && !l.done; {
		if l.skip > 0 {
			d := int(min(l.skip, int64(len(b))))
			l.skip -= int64(d)
			b = b[d:]
			continue
		}
		need := 8
		if l.hn >= 4 && [4]byte(l.hdr[:4]) == [4]byte{0x0a, 0x0d, 0x0d, 0x0a} {
			need = 12 // a section header: its byte order follows the length
		}
		c := copy(l.hdr[l.hn:need], b)
		l.hn += c
		b = b[c:]
		if l.hn < need {
			continue
		}
		if need == 12 {
			switch [4]byte(l.hdr[8:12]) {
			case [4]byte{0x1a, 0x2b, 0x3c, 0x4d}:
				l.big = true
			case [4]byte{0x4d, 0x3c, 0x2b, 0x1a}:
				l.big = false
			default:
				l.done = true
				continue
			}
		}
		typ, length := binary.LittleEndian.Uint32(l.hdr[:4]), binary.LittleEndian.Uint32(l.hdr[4:8])
		if l.big {
			typ, length = binary.BigEndian.Uint32(l.hdr[:4]), binary.BigEndian.Uint32(l.hdr[4:8])
		}
		if length < uint32(need) || length%4 != 0 {
			l.done = true
			continue
		}
		if typ == 1 { // interface description block
			if l.idbs++; l.idbs > l.max {
				l.err = fmt.Errorf("%w (more than %d; Options.MaxInterfaces)", ErrTooManyInterfaces, l.max)
				return 0, l.err
			}
		}
		l.skip = int64(length) - int64(need)
		l.hn = 0
	}
	return n, err
}

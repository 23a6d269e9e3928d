package flow

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/gopacket/gopacket/pcapgo"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// ErrNotCapture is returned by [NewReader] for input that is not a pcap or
// pcapng file (after decompression).
var ErrNotCapture = errors.New("flow: not a pcap or pcapng capture")

// Reader reads packets from a pcap or pcapng capture, transparently
// decompressing gzip and zstd.
type Reader struct {
	pcap   *pcapgo.Reader
	ng     *pcapgo.NgReader
	link   LinkType
	links  []LinkType // per pcapng interface
	zstd   *zstd.Decoder
	closer io.Closer
	count  int64
}

// NewReader detects the format of r and returns a Reader for it.
func NewReader(r io.Reader) (*Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(4)
	rd := &Reader{}
	var src io.Reader = br
	switch {
	case len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b:
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("flow: gzip: %w", err)
		}
		rd.closer = gz
		src = bufio.NewReaderSize(gz, 64<<10)
	case bytes.Equal(head, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		zd, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(1<<30))
		if err != nil {
			return nil, fmt.Errorf("flow: zstd: %w", err)
		}
		rd.zstd = zd
		src = bufio.NewReaderSize(zd, 64<<10)
	}
	bsrc := src.(*bufio.Reader)
	magic, err := bsrc.Peek(4)
	if err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return nil, fmt.Errorf("%w: %d bytes", ErrNotCapture, len(magic))
		}
		return nil, err
	}
	switch {
	case bytes.Equal(magic, []byte{0x0a, 0x0d, 0x0d, 0x0a}):
		ng, err := pcapgo.NewNgReader(bsrc, pcapgo.NgReaderOptions{WantMixedLinkType: true})
		if err != nil {
			return nil, fmt.Errorf("flow: pcapng: %w", err)
		}
		rd.ng = ng
		rd.link = LinkType(ng.LinkType())
		if ifc, err := ng.Interface(0); err == nil {
			rd.link = LinkType(ifc.LinkType)
		}
	case isPcapMagic(magic):
		pr, err := pcapgo.NewReader(bsrc)
		if err != nil {
			return nil, fmt.Errorf("flow: pcap: %w", err)
		}
		rd.pcap = pr
		rd.link = LinkType(pr.LinkType())
	default:
		rd.Close()
		return nil, fmt.Errorf("%w (starts % x)", ErrNotCapture, magic)
	}
	return rd, nil
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
// io.ErrUnexpectedEOF.
func (r *Reader) ReadPacket() (ts time.Time, link LinkType, data []byte, err error) {
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
func (r *Reader) ngLink(i int) LinkType {
	if i >= 0 && i < len(r.links) {
		return r.links[i]
	}
	for len(r.links) < r.ng.NInterfaces() {
		ifc, err := r.ng.Interface(len(r.links))
		if err != nil {
			break
		}
		r.links = append(r.links, LinkType(ifc.LinkType))
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
	return fmt.Errorf("flow: packet %d: %w", r.count+1, err)
}

// LinkType returns the link type of the capture (of its first interface for
// pcapng).
func (r *Reader) LinkType() LinkType { return r.link }

// Close releases the decompressor, if any. It does not close the
// underlying reader.
func (r *Reader) Close() error {
	if r.zstd != nil {
		r.zstd.Close()
	}
	if r.closer != nil {
		return r.closer.Close()
	}
	return nil
}

// Run reads every packet of r into e, then flushes e so that every flow
// ends. It returns nil at the end of the capture, or the read error (the
// packets before it were processed).
func (e *Engine) Run(r *Reader) error {
	defer e.Flush()
	for {
		ts, link, data, err := r.ReadPacket()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		e.Packet(ts, link, data)
	}
}

// RunFile is [Engine.Run] on the named capture file.
func (e *Engine) RunFile(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	r, err := NewReader(f)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	defer r.Close()
	if err := e.Run(r); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

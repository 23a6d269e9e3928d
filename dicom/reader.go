package dicom

import (
	"io"

	"github.com/klauspost/compress/flate"
)

// Defaults for the Reader's limits.
const (
	DefaultMaxValue   = 1 << 20  // largest value Reader.Value buffers
	DefaultReaderSize = 64 << 10 // initial window
)

// A Reader scans a DICOM file or dataset from an io.Reader in bounded
// memory: a window of [DefaultReaderSize] bytes, grown only to hold a value
// that [Reader.Value] is asked for, up to MaxValue. Values that are not
// asked for (pixel data, other bulk data) are skipped without being kept;
// [Reader.Read] streams the current value in chunks of any size. Headers,
// offsets and errors are the same as the [Parser]'s on the same bytes.
//
// Once its window has grown to fit the input's largest buffered value, a
// Reader reused with [Reader.Reset] allocates nothing for the native
// encodings; the deflated syntax allocates its inflater's state once.
type Reader struct {
	// MaxValue limits the size of a value that Value buffers; 0 means
	// DefaultMaxValue. Larger values can be read with Read.
	MaxValue int
	// MaxDepth limits the nesting of sequences; 0 means DefaultMaxDepth.
	MaxDepth int
	// ConvertUN is as [Parser.ConvertUN].
	ConvertUN bool

	p       Parser
	src     io.Reader
	buf     []byte
	eof     bool
	started bool
	vpos    int // next byte of the current value that Read returns
	err     error

	empty int   // consecutive empty reads from src
	size  int64 // size of a seekable source: -1 unknown, -2 not seekable

	zr    io.ReadCloser
	multi multiReader
	head  []byte // deflated bytes already in the window when inflating starts

	inflateErr inflateErrReader
}

// NewReader returns a Reader over r.
func NewReader(r io.Reader) *Reader {
	d := new(Reader)
	d.Reset(r)
	return d
}

// Reset makes d read from r, keeping its buffers.
func (d *Reader) Reset(r io.Reader) {
	d.src = r
	d.buf = d.buf[:0]
	d.eof = false
	d.empty = 0
	d.size = -1
	d.started = false
	d.vpos = 0
	d.err = nil
	d.p.Reset()
}

// StartDataset makes d read a raw dataset in encoding enc from r, as
// [Parser.StartDataset].
func (d *Reader) StartDataset(r io.Reader, enc Encoding) error {
	d.Reset(r)
	d.started = true
	d.p.reset(d.buf)
	d.p.enc = enc
	d.p.stream = true
	d.p.more = true
	if enc == DeflatedExplicitVRLittleEndian {
		d.p.enc = ExplicitVRLittleEndian
		return d.startInflate()
	}
	return nil
}

func (d *Reader) maxValue() int {
	if d.MaxValue > 0 {
		return d.MaxValue
	}
	return DefaultMaxValue
}

// fill reads more input into the window after dropping the bytes before
// the parser's position. It returns io.EOF once the input has ended, and
// io.ErrNoProgress for a source that keeps returning nothing.
func (d *Reader) fill() error {
	if d.eof {
		return io.EOF
	}
	if d.started && d.p.off > 0 {
		d.advance(min(d.p.off, len(d.buf)))
	}
	if cap(d.buf) == 0 {
		d.buf = make([]byte, 0, DefaultReaderSize)
	}
	if len(d.buf) == cap(d.buf) {
		// Cannot happen: the parser only waits for a header (at most 140
		// bytes with the meta group values it keeps), and a full window
		// holds one. Double the window rather than loop.
		nb := make([]byte, len(d.buf), 2*cap(d.buf))
		copy(nb, d.buf)
		d.buf = nb
	}
	n, err := d.src.Read(d.buf[len(d.buf):cap(d.buf)])
	d.buf = d.buf[:len(d.buf)+n]
	if err == io.EOF {
		d.eof = true
		d.p.more = false
	} else if err != nil {
		return err
	}
	if n == 0 && err == nil {
		d.empty++
		if d.empty >= 100 {
			return io.ErrNoProgress
		}
	} else {
		d.empty = 0
	}
	if d.started {
		d.p.buf = d.buf
	}
	return nil
}

// advance drops the first n bytes of the window's coordinate space; n may
// exceed the window when bytes were skipped or read past it.
func (d *Reader) advance(n int) {
	if n <= 0 {
		return
	}
	if n < len(d.buf) {
		k := copy(d.buf, d.buf[n:])
		d.buf = d.buf[:k]
	} else {
		d.buf = d.buf[:0]
	}
	p := &d.p
	p.buf = d.buf
	p.off -= n
	p.valStart -= n
	p.valEnd -= n
	p.base += int64(n)
	d.vpos -= n
	for i := range p.stack {
		if p.stack[i].end >= 0 {
			p.stack[i].end -= int64(n)
		}
	}
}

// seekThreshold is the smallest skip done by seeking; tests lower it.
var seekThreshold int64 = DefaultReaderSize

// discard drops n bytes from the source: by seeking when the source is an
// io.Seeker (a file, a bytes.Reader), else by reading them through the
// window.
func (d *Reader) discard(n int64) error {
	if s, ok := d.src.(io.Seeker); ok && n >= seekThreshold && !d.eof {
		if d.size < 0 {
			cur, err1 := s.Seek(0, io.SeekCurrent)
			end, err2 := s.Seek(0, io.SeekEnd)
			_, err3 := s.Seek(cur, io.SeekStart)
			if err1 != nil || err2 != nil || err3 != nil {
				d.size = -2 // not really seekable: read instead
			} else {
				d.size = end
			}
		}
		if d.size >= 0 {
			pos, err := s.Seek(n, io.SeekCurrent)
			if err != nil {
				return err
			}
			if pos > d.size {
				s.Seek(0, io.SeekEnd)
				d.eof = true
				d.p.more = false
				return io.ErrUnexpectedEOF
			}
			d.buf = d.buf[:0]
			return nil
		}
	}
	for n > 0 {
		if d.eof {
			return io.ErrUnexpectedEOF
		}
		if cap(d.buf) == 0 {
			d.buf = make([]byte, 0, DefaultReaderSize)
		}
		m := min(int64(cap(d.buf)), n)
		k, err := d.src.Read(d.buf[:m])
		n -= int64(k)
		if err == io.EOF {
			d.eof = true
			d.p.more = false
			if n > 0 {
				return io.ErrUnexpectedEOF
			}
		} else if err != nil {
			return err
		}
	}
	d.buf = d.buf[:0]
	return nil
}

func (d *Reader) start() error {
	for len(d.buf) < 132 && !d.eof {
		if err := d.fill(); err != nil && err != io.EOF {
			return err
		}
	}
	d.p.Start(d.buf)
	d.p.stream = true
	d.p.more = !d.eof
	d.started = true
	return nil
}

// Next returns the header of the next element, item or delimiter, as
// [Parser.Next]; it skips the unread part of the previous value.
func (d *Reader) Next() (h Header, err error) {
	if d.err != nil {
		return Header{}, d.err
	}
	if !d.started {
		if err := d.start(); err != nil {
			d.err = err
			return Header{}, err
		}
	}
	d.p.MaxDepth = d.MaxDepth
	d.p.ConvertUN = d.ConvertUN
	for {
		p := &d.p
		if p.err == nil && p.off > len(d.buf) {
			excess := p.off - len(d.buf)
			d.advance(len(d.buf))
			off := p.base
			if err := d.discard(int64(excess)); err != nil {
				return Header{}, d.failIO(off, err)
			}
			d.advance(excess)
		}
		err = p.nextInto(&h) // fills the result in place
		switch err {
		case nil:
			d.vpos = p.valStart
			return h, nil
		case errMore:
			h = Header{}
			if err := d.fill(); err != nil && err != io.EOF {
				return Header{}, d.failIO(p.base+int64(len(d.buf)), err)
			}
		case errInflate:
			h = Header{}
			if err := d.startInflate(); err != nil {
				return Header{}, err
			}
		default:
			return Header{}, err
		}
	}
}

func (d *Reader) failIO(off int64, err error) error {
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		err = ErrTruncated
	}
	d.p.err = &Error{Offset: off, Tag: d.p.lastTag, Err: err}
	d.err = d.p.err
	return d.err
}

// startInflate continues with the inflated rest of the input.
func (d *Reader) startInflate() error {
	p := &d.p
	d.advance(p.off)
	// The first 5 bytes decide between raw deflate and zlib, as for the
	// Parser (zlibWrapped).
	for len(d.buf) < 5 && !d.eof {
		if err := d.fill(); err != nil && err != io.EOF {
			return d.failIO(p.base+int64(len(d.buf)), err)
		}
	}
	d.head = append(d.head[:0], d.buf...)
	d.buf = d.buf[:0]
	head := d.head
	if zlibWrapped(head) {
		head = head[2:] // offsets still count from the zlib header
	}
	d.multi = multiReader{head: head, tail: d.src}
	if d.eof {
		d.multi.tail = nil
	}
	var err error
	if d.zr == nil {
		d.zr = flate.NewReader(&d.multi)
	} else {
		err = d.zr.(flate.Resetter).Reset(&d.multi, nil)
	}
	if err != nil {
		return d.failIO(p.base, ErrDeflate)
	}
	d.inflateErr = inflateErrReader{r: d.zr}
	d.src = &d.inflateErr
	d.size = -2
	d.eof = false
	p.more = true
	p.buf = d.buf
	return nil
}

// multiReader reads head, then tail, without allocating.
type multiReader struct {
	head []byte
	tail io.Reader
}

func (m *multiReader) Read(b []byte) (int, error) {
	if len(m.head) > 0 {
		n := copy(b, m.head)
		m.head = m.head[n:]
		return n, nil
	}
	if m.tail == nil {
		return 0, io.EOF
	}
	return m.tail.Read(b)
}

func (m *multiReader) ReadByte() (byte, error) {
	if len(m.head) > 0 {
		c := m.head[0]
		m.head = m.head[1:]
		return c, nil
	}
	if m.tail == nil {
		return 0, io.EOF
	}
	var b [1]byte
	for {
		n, err := m.tail.Read(b[:])
		if n == 1 {
			return b[0], nil
		}
		if err != nil {
			return 0, err
		}
	}
}

// inflateErrReader maps corrupt-stream errors to ErrDeflate.
type inflateErrReader struct{ r io.Reader }

func (r *inflateErrReader) Read(b []byte) (int, error) {
	n, err := r.r.Read(b)
	if err != nil && err != io.EOF {
		err = ErrDeflate
	}
	return n, err
}

// Value returns the value of the element last returned by [Reader.Next],
// reading it into the window if needed. The view is valid until the next
// call to a Reader method. A value larger than MaxValue gives
// [ErrBufferTooLarge]; read it with [Reader.Read].
func (d *Reader) Value() ([]byte, error) {
	p := &d.p
	if d.err != nil {
		return nil, d.err
	}
	if !p.hasValue {
		return nil, ErrNoValue
	}
	if p.valStart >= 0 && p.valEnd <= len(d.buf) {
		return d.buf[p.valStart:p.valEnd:p.valEnd], nil
	}
	n := p.valEnd - p.valStart
	if n > d.maxValue() {
		return nil, ErrBufferTooLarge
	}
	if p.valStart < 0 || d.vpos != p.valStart {
		return nil, ErrNoValue // partly consumed by Read
	}
	d.advance(p.valStart)
	if cap(d.buf) < n {
		nb := make([]byte, len(d.buf), max(n, 2*cap(d.buf)))
		copy(nb, d.buf)
		d.buf = nb
		p.buf = nb
	}
	for len(d.buf) < n {
		if d.eof {
			return nil, d.failIO(p.base+int64(len(d.buf)), ErrTruncated)
		}
		k, err := d.src.Read(d.buf[len(d.buf):cap(d.buf)])
		d.buf = d.buf[:len(d.buf)+k]
		if err == io.EOF {
			d.eof = true
			p.more = false
		} else if err != nil {
			return nil, d.failIO(p.base+int64(len(d.buf)), err)
		}
	}
	p.buf = d.buf
	return d.buf[p.valStart:p.valEnd:p.valEnd], nil
}

// TypedValue returns [Reader.Value] with its VR and byte order.
func (d *Reader) TypedValue() (Value, error) {
	b, err := d.Value()
	if err != nil {
		return Value{}, err
	}
	return Value{Bytes: b, VR: d.p.lastVR, BigEndian: d.p.lastBig}, nil
}

// Read reads the next bytes of the value of the element last returned by
// [Reader.Next], returning io.EOF at its end: a value of any size can be
// copied in chunks without being held in memory.
func (d *Reader) Read(b []byte) (int, error) {
	p := &d.p
	if d.err != nil {
		return 0, d.err
	}
	if !p.hasValue {
		return 0, ErrNoValue
	}
	if d.vpos >= p.valEnd {
		return 0, io.EOF
	}
	if d.vpos < len(d.buf) {
		n := copy(b, d.buf[d.vpos:min(p.valEnd, len(d.buf))])
		d.vpos += n
		return n, nil
	}
	d.advance(len(d.buf))
	if d.eof {
		return 0, d.failIO(p.base, ErrTruncated)
	}
	want := min(len(b), p.valEnd-d.vpos)
	n, err := d.src.Read(b[:want])
	d.vpos += n
	d.advance(n)
	if err == io.EOF {
		d.eof = true
		p.more = false
		if d.vpos < p.valEnd {
			return n, d.failIO(p.base, ErrTruncated)
		}
	} else if err != nil {
		return n, d.failIO(p.base, err)
	}
	return n, nil
}

// Skip steps over the sequence or item whose header Next returned last, as
// [Parser.Skip], reading past its contents without keeping them.
func (d *Reader) Skip() error {
	if d.err != nil {
		return d.err
	}
	return d.p.skip(d.Next)
}

// PrivateCreator returns the private creator in force for the private
// data element t in the dataset of the header last returned by Next, as
// [Parser.PrivateCreator]. The view is valid until the next call to Next.
func (d *Reader) PrivateCreator(t Tag) []byte { return d.p.PrivateCreator(t) }

// TransferSyntax returns the transfer syntax UID of the file meta group,
// as [Parser.TransferSyntax].
func (d *Reader) TransferSyntax() []byte { return d.p.TransferSyntax() }

// CharacterSet returns the top-level Specific Character Set value, as
// [Parser.CharacterSet].
func (d *Reader) CharacterSet() []byte { return d.p.CharacterSet() }

// Encoding returns the encoding of the top-level dataset, as
// [Parser.Encoding].
func (d *Reader) Encoding() Encoding { return d.p.Encoding() }

// Preamble returns the 128-byte preamble, or nil; unlike [Parser.Preamble]
// it is only valid until the first call to Next returns.
func (d *Reader) Preamble() []byte {
	if !d.started {
		if err := d.start(); err != nil {
			d.err = err
			return nil
		}
	}
	if !d.p.preamble || d.p.base != 0 || len(d.buf) < 128 {
		return nil
	}
	return d.buf[:128:128]
}

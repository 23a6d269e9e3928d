package mllp

import (
	"bytes"
	"errors"
	"io"
)

const (
	minBuf  = 4096     // smallest buffer
	minRead = 64 << 10 // smallest read asked for once frames are large
)

// A Reader reads MLLP frames from an io.Reader. Bytes before a start block
// are skipped (see Skipped); a missing CR after the end block is tolerated.
// Once its buffer has grown to the longest frame read, reading allocates
// nothing but the error for a frame too large. Use NewReader, or Reset on
// a zero Reader.
type Reader struct {
	// MaxFrameSize caps a frame's payload; 0 means DefaultMaxFrameSize. It
	// applies from the next ReadFrame; Reset keeps it.
	MaxFrameSize int

	r       io.Reader
	buf     []byte
	start   int // first unconsumed byte
	end     int // end of valid data
	scan    int // where to continue looking for EB
	inFrame bool
	discard bool  // dropping the rest of an oversized frame
	skipCR  bool  // drop a CR at the start of the next data
	big     int   // longest payload seen: the size expected of a frame
	off     int64 // stream offset of buf[0]
	skipped int64
	err     error

	// acct, if set, is told of every change in the buffer's size and may
	// refuse growth (the Server's budget); the Reader then fails with
	// errOverBudget.
	acct func(old, new int) bool
}

// errOverBudget is the error of a Reader whose buffer may not grow.
var errOverBudget = errors.New("mllp: frame buffers over the server's budget")

// NewReader returns a Reader of r with the default MaxFrameSize.
func NewReader(r io.Reader) *Reader {
	return &Reader{r: r}
}

// Reset makes the Reader read from r, keeping MaxFrameSize and its buffer.
func (r *Reader) Reset(rd io.Reader) {
	buf, big := r.buf, r.big
	*r = Reader{MaxFrameSize: r.MaxFrameSize, r: rd, buf: buf[:cap(buf)], big: big, acct: r.acct}
}

func (r *Reader) limit() int {
	if r.MaxFrameSize > 0 {
		return r.MaxFrameSize
	}
	return DefaultMaxFrameSize
}

// Skipped returns the number of bytes skipped outside frames so far.
func (r *Reader) Skipped() int64 { return r.skipped }

// ReadFrame returns the payload of the next frame. The slice is valid until
// the next call. At a clean end of the stream it returns io.EOF; if the
// stream ends inside a frame, io.ErrUnexpectedEOF. A frame larger than the
// maximum gives a *FrameError wrapping ErrFrameTooLarge; the Reader then
// skips the rest of it, and the next call reads the following frame.
func (r *Reader) ReadFrame() ([]byte, error) {
	maxFrame := r.limit()
	for {
		if r.err != nil {
			return nil, r.err
		}
		data := r.buf[r.start:r.end]
		if r.skipCR && len(data) > 0 {
			r.skipCR = false
			if data[0] == CR {
				r.start++
				continue
			}
		}
		switch {
		case r.discard:
			if i := bytes.IndexByte(data, EB); i >= 0 {
				r.start += i + 1
				r.discard, r.skipCR = false, true
				continue
			}
			r.start = r.end
		case !r.inFrame:
			if i := bytes.IndexByte(data, SB); i >= 0 {
				r.skipped += int64(i)
				r.start += i + 1
				r.scan = r.start
				r.inFrame = true
				continue
			}
			r.skipped += int64(len(data))
			r.start = r.end
		default:
			if i := bytes.IndexByte(r.buf[r.scan:r.end], EB); i >= 0 {
				e := r.scan + i
				payload := r.buf[r.start:e:e]
				off := r.off + int64(r.start) - 1
				r.start = e + 1
				r.inFrame, r.skipCR = false, true
				if len(payload) > maxFrame {
					return nil, &FrameError{Offset: off, Err: ErrFrameTooLarge}
				}
				r.big = max(r.big, len(payload))
				return payload, nil
			}
			r.scan = r.end
			if r.end-r.start > maxFrame {
				off := r.off + int64(r.start)
				r.start = r.end
				r.inFrame, r.discard = false, true
				return nil, &FrameError{Offset: off - 1, Err: ErrFrameTooLarge}
			}
		}
		if err := r.fill(maxFrame); err != nil {
			if errors.Is(err, io.EOF) && (r.inFrame || r.discard) {
				err = io.ErrUnexpectedEOF
			}
			r.err = err
		}
	}
}

// fill reads more data. Every byte is copied out of the io.Reader once, and
// moved at most once more: the frame in progress is expected to be as long
// as the longest seen so far. If it cannot fit where it starts, it is moved
// to the front of the buffer while little of it has arrived, and the read
// stops at its expected end (asking for 64 KiB at least) whenever the next
// frame could not fit after it either: bytes read past that point would
// only be moved again. Otherwise a read asks for all the room there is, so
// that readers that cost a system call per Read are called rarely.
func (r *Reader) fill(maxFrame int) error {
	if r.start == r.end {
		r.off += int64(r.end)
		r.start, r.end, r.scan = 0, 0, 0
	}
	need := min(r.big, maxFrame) + 3 // SB payload EB CR
	if r.start > 0 && (r.end == len(r.buf) || r.start+need > len(r.buf)) {
		n := copy(r.buf, r.buf[r.start:r.end])
		r.off += int64(r.start)
		r.scan -= r.start
		r.start, r.end = 0, n
	}
	if r.end == len(r.buf) {
		size := max(2*len(r.buf), minBuf)
		if limit := maxFrame + 2; size > limit {
			size = max(limit, len(r.buf)+1)
		}
		if r.acct != nil && !r.acct(len(r.buf), size) {
			return errOverBudget
		}
		nb := make([]byte, size)
		copy(nb, r.buf[:r.end])
		r.buf = nb
	}
	want := len(r.buf)
	if e := r.start + need; e > r.end && len(r.buf)-e < need {
		want = min(want, max(e, r.end+minRead))
	}
	for tries := 0; tries < 100; tries++ {
		n, err := r.r.Read(r.buf[r.end:want])
		r.end += n
		if n > 0 {
			return nil
		}
		if err != nil {
			return err
		}
	}
	return io.ErrNoProgress
}

// inProgress reports whether a frame has begun and not ended: its start
// block was read (or the rest of a frame too large is being skipped).
func (r *Reader) inProgress() bool { return r.inFrame || r.discard }

// partial returns the bytes of the frame in progress received so far.
func (r *Reader) partial() []byte {
	if !r.inFrame {
		return nil
	}
	return r.buf[r.start:r.end]
}

// shrink replaces a buffer larger than keep by one just large enough for
// the bytes it holds beyond the last frame returned (none: no buffer), so
// that a connection does not keep the memory of its largest frame. Frames
// returned before are invalid afterwards.
func (r *Reader) shrink(keep int) {
	n := r.end - r.start
	if len(r.buf) <= keep || n > keep {
		return
	}
	var nb []byte
	if n > 0 {
		size := minBuf
		for size < n {
			size *= 2
		}
		nb = make([]byte, size)
		copy(nb, r.buf[r.start:r.end])
	}
	if r.acct != nil {
		r.acct(len(r.buf), len(nb))
	}
	r.off += int64(r.start)
	r.scan = max(r.scan-r.start, 0)
	r.buf, r.start, r.end, r.big = nb, 0, n, 0
}

// release drops the buffer, when the Reader is no longer used.
func (r *Reader) release() {
	if r.acct != nil {
		r.acct(len(r.buf), 0)
	}
	r.buf, r.start, r.end, r.scan = nil, 0, 0, 0
}

// A Writer writes MLLP frames to an io.Writer, each with one Write call.
type Writer struct {
	w   io.Writer
	buf []byte
}

// NewWriter returns a Writer to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Reset makes the Writer write to w, keeping its buffer.
func (w *Writer) Reset(wr io.Writer) { w.w = wr }

// WriteFrame writes payload as one frame.
func (w *Writer) WriteFrame(payload []byte) error {
	w.buf = AppendFrame(w.buf[:0], payload)
	_, err := w.w.Write(w.buf)
	if cap(w.buf) > 1<<20 {
		w.buf = nil // do not pin a huge buffer
	}
	return err
}

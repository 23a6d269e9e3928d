package mllp

import "bytes"

// A Frame is one frame found by a [StreamDecoder].
type Frame struct {
	// Payload is the bytes between the start and end blocks: a view of
	// the bytes fed, or of the decoder's buffer for a frame split across
	// chunks, valid until the next call of a method of the decoder.
	Payload []byte
	// Offset is the stream offset of the frame's start block.
	Offset int64
}

// A StreamDecoder finds MLLP frames in one direction of a passively
// observed TCP stream, fed in chunks of any size. It tolerates what
// captures hold: a start in the middle of a frame, lost bytes, junk between
// frames, a missing CR after the end block, frames abandoned for a new start
// block. The frames, errors and offsets are the same however the stream is
// cut into chunks.
//
// Hand it the bytes of the stream with [StreamDecoder.Feed] and take frames
// with [StreamDecoder.Next] until it returns [ErrNeedMore]:
//
//	var d mllp.StreamDecoder
//	d.Feed(chunk)
//	for {
//		f, err := d.Next()
//		if err == mllp.ErrNeedMore {
//			break
//		}
//		if err != nil {
//			// a *FrameError; the decoder goes on with the next frame
//			continue
//		}
//		use(f.Payload, f.Offset)
//	}
//
// Complete frames inside a chunk are handed out as views into the chunk;
// only a frame split across chunks is copied into an internal buffer,
// which never grows past MaxFrameSize. Once that buffer has grown,
// decoding allocates nothing, errors included.
//
// The zero StreamDecoder is ready to use, at the start of a stream.
type StreamDecoder struct {
	// MaxFrameSize caps a frame's payload; 0 means DefaultMaxFrameSize. A
	// longer frame is reported as ErrFrameTooLarge and skipped up to its
	// end block or the next start block.
	MaxFrameSize int

	// Counters, for statistics.
	Frames  int64 // complete frames delivered
	Errors  int64 // errors reported
	Skipped int64 // bytes outside frames (junk and resynchronisation)

	in       []byte // the bytes fed last; in[pos:] are not decoded yet
	pos      int
	nextEB   int    // cached index in in of the next EB at or after pos, or len(in)
	nextSB   int    // the same for SB; both are -1 when unknown
	base     int64  // stream offset of in[0]
	buf      []byte // partial frame payload
	inFrame  bool
	discard  bool // dropping an oversized frame until EB or SB
	synced   bool // a frame boundary has been seen since the start or a gap
	skipCR   bool // drop a CR at the start of the next chunk
	inJunk   bool // junk already reported since the last frame
	flush    bool // Flush was called: end the stream once in is decoded
	release  bool // buf holds the payload returned last: empty it first
	pending  bool // ferr is to be returned by the next Next
	ferr     FrameError
	off      int64 // stream offset of the next byte to arrive
	frameOff int64 // stream offset of the current frame's SB
}

// Reset returns the decoder to the start of a new stream, keeping
// MaxFrameSize and its buffer.
func (d *StreamDecoder) Reset() {
	*d = StreamDecoder{MaxFrameSize: d.MaxFrameSize, buf: d.buf[:0]}
}

// Offset returns the stream offset of the next byte expected.
func (d *StreamDecoder) Offset() int64 { return d.off }

// Buffered returns the bytes the decoder holds of a frame split across
// chunks, for callers that keep a memory budget across many streams.
func (d *StreamDecoder) Buffered() int { return len(d.buf) }

func (d *StreamDecoder) limit() int {
	if d.MaxFrameSize > 0 {
		return d.MaxFrameSize
	}
	return DefaultMaxFrameSize
}

// Feed hands the decoder the next bytes of the stream. The decoder keeps p,
// without copying it, until Next returns ErrNeedMore: the caller must not
// change p before that, and should call Next until then before feeding
// more. (Bytes of the previous chunk that Next has not reached yet are
// otherwise dropped, as if lost in a [StreamDecoder.Gap].)
func (d *StreamDecoder) Feed(p []byte) {
	d.settle()
	d.in, d.base = p, d.off
	d.nextEB, d.nextSB = -1, -1
	d.off += int64(len(p))
	if d.skipCR && len(p) > 0 {
		d.skipCR = false
		if p[0] == CR {
			d.pos = 1
		}
	}
}

// Next returns the next frame of the bytes fed, or an error: ErrNeedMore
// when they hold nothing more, else a *FrameError wrapping ErrJunk,
// ErrIncomplete or ErrFrameTooLarge, with the stream offset of the frame's
// start block or of the junk. After an error the decoder resynchronises
// and the next call goes on. The *FrameError belongs to the decoder, which
// reuses it for the next error: copy it to keep it. Every call makes
// progress.
func (d *StreamDecoder) Next() (Frame, error) {
	if d.release {
		d.release = false
		d.buf = d.buf[:0]
		if cap(d.buf) > 1<<20 {
			d.buf = nil // release a buffer grown for one huge frame
		}
	}
	if d.pending {
		d.pending = false
		return Frame{}, &d.ferr
	}
	p := d.in
	for d.pos < len(p) {
		pos := d.pos
		// The next EB and SB, each found once in a chunk however many
		// frames, errors and restarts lie between them.
		e, sb := d.next(EB, &d.nextEB), d.next(SB, &d.nextSB)
		switch {
		case d.inFrame:
			part := p[pos:min(e, sb)] // up to EB, or up to a new SB before it
			if len(d.buf)+len(part) > d.limit() {
				d.inFrame, d.discard = false, true
				d.buf = d.buf[:0]
				d.pos = pos + len(part)
				return d.fail(d.frameOff, ErrFrameTooLarge)
			}
			if sb < e {
				// A new frame starts before this one ended.
				d.inFrame = false
				d.buf = d.buf[:0]
				d.pos = sb
				return d.fail(d.frameOff, ErrIncomplete)
			}
			if e == len(p) {
				d.buf = append(d.buf, part...)
				d.pos = len(p)
				continue
			}
			payload := part
			if len(d.buf) > 0 {
				d.buf = append(d.buf, part...)
				payload = d.buf
			}
			d.pos = e + 1
			if d.pos < len(p) {
				if p[d.pos] == CR {
					d.pos++
				}
			} else {
				d.skipCR = true
			}
			d.Frames++
			d.inFrame, d.release = false, true
			return Frame{Payload: payload, Offset: d.frameOff}, nil
		case d.discard:
			switch {
			case sb < e:
				d.Skipped += int64(sb - pos)
				d.discard = false
				d.pos = sb
			case e < len(p):
				d.Skipped += int64(e + 1 - pos)
				d.discard = false
				d.synced = true
				d.pos = e + 1
				if d.pos < len(p) && p[d.pos] == CR {
					d.pos++
				} else if d.pos == len(p) {
					d.skipCR = true
				}
			default:
				d.Skipped += int64(len(p) - pos)
				d.pos = len(p)
			}
		default:
			report := false
			if junk := sb - pos; junk > 0 {
				d.Skipped += int64(junk)
				report = d.synced && !d.inJunk
				d.inJunk = true
			}
			junkOff := d.base + int64(pos)
			if sb == len(p) {
				d.pos = len(p)
			} else {
				d.pos = sb + 1
				d.inFrame, d.synced, d.inJunk = true, true, false
				d.frameOff = d.base + int64(sb)
			}
			if report {
				return d.fail(junkOff, ErrJunk)
			}
		}
	}
	// All fed bytes are decoded: p is not used any more.
	d.in, d.pos, d.nextEB, d.nextSB = nil, 0, -1, -1
	if d.flush {
		d.flush = false
		if d.end() {
			d.pending = false
			return Frame{}, &d.ferr
		}
	}
	return Frame{}, ErrNeedMore
}

// next returns the index in d.in of the first c at or after d.pos, or
// len(d.in), using and updating the cached index *at.
func (d *StreamDecoder) next(c byte, at *int) int {
	if *at < d.pos {
		*at = len(d.in)
		if i := bytes.IndexByte(d.in[d.pos:], c); i >= 0 {
			*at = d.pos + i
		}
	}
	return *at
}

// fail counts and returns an error at off.
func (d *StreamDecoder) fail(off int64, err error) (Frame, error) {
	d.Errors++
	d.ferr = FrameError{Offset: off, Err: err}
	return Frame{}, &d.ferr
}

// queue counts an error at off for the next call of Next. At most one
// waits at a time: it is queued only for a frame in progress, and every
// path that queues ends the frame.
func (d *StreamDecoder) queue(off int64, err error) {
	d.Errors++
	d.ferr = FrameError{Offset: off, Err: err}
	d.pending = true
}

// settle finishes with the bytes fed last before new bytes or a gap: what
// Next has not reached is lost, and a pending Flush ends the stream.
func (d *StreamDecoder) settle() {
	if d.pos < len(d.in) {
		d.lost()
	}
	d.in, d.pos, d.nextEB, d.nextSB = nil, 0, -1, -1
	if d.flush {
		d.flush = false
		d.end()
	}
}

// lost drops a frame in progress (queuing ErrIncomplete) and makes the
// decoder resynchronise on the next start block without reporting the
// bytes it skips.
func (d *StreamDecoder) lost() {
	if d.inFrame {
		d.queue(d.frameOff, ErrIncomplete)
	}
	d.inFrame, d.discard, d.synced, d.skipCR = false, false, false, false
	d.buf = d.buf[:0]
}

// end ends the stream, queuing ErrIncomplete for a frame in progress, and
// reports whether it did.
func (d *StreamDecoder) end() bool {
	cut := d.inFrame
	if cut {
		d.queue(d.frameOff, ErrIncomplete)
	}
	d.inFrame, d.discard = false, false
	d.buf = d.buf[:0]
	return cut
}

// Gap reports that n bytes (n < 0: an unknown number) were lost before the
// next Feed. A frame in progress is reported by the next Next as
// ErrIncomplete and the decoder resynchronises on the next start block
// without reporting the bytes it skips.
func (d *StreamDecoder) Gap(n int) {
	d.settle()
	d.lost()
	if n > 0 {
		d.off += int64(n)
	}
}

// Flush marks the end of the stream: once Next has returned the frames of
// the bytes fed, it reports a frame in progress as ErrIncomplete, then
// returns ErrNeedMore. Bytes fed after Flush continue the stream.
func (d *StreamDecoder) Flush() { d.flush = true }

package mllp

import "bytes"

// This file keeps the callback StreamDecoder that the Feed/Next decoder
// replaced, unchanged but for its names and its limit (an int instead of
// an option), as the reference the tests compare the new one with.

// RefStreamDecoder is the reference decoder: Write, Gap and Close call fn
// for every frame and error.
type RefStreamDecoder struct {
	buf      []byte // partial frame payload
	max      int
	inFrame  bool
	discard  bool // dropping an oversized frame until EB or SB
	synced   bool // a frame boundary has been seen since the start or a gap
	skipCR   bool // drop a CR at the start of the next chunk
	inJunk   bool // junk already reported since the last frame
	ferr     FrameError
	off      int64 // stream offset of the next byte to arrive
	frameOff int64 // stream offset of the current frame's SB

	// Counters, for statistics.
	Frames  int64 // complete frames delivered
	Errors  int64 // errors reported
	Skipped int64 // bytes outside frames (junk and resynchronisation)
}

// A refFrameFunc receives each frame payload found, or an error (payload nil),
// a *FrameError wrapping ErrJunk, ErrIncomplete or ErrFrameTooLarge. offset
// is the stream offset of the frame's start block, or of the problem.
// payload and err are valid only during the call.
type refFrameFunc = func(payload []byte, offset int64, err error)

// NewRefStreamDecoder returns a reference decoder at the start of a
// stream; max ≤ 0 means DefaultMaxFrameSize.
func NewRefStreamDecoder(max int) *RefStreamDecoder {
	if max <= 0 {
		max = DefaultMaxFrameSize
	}
	return &RefStreamDecoder{max: max}
}

// Offset returns the stream offset of the next byte expected.
func (d *RefStreamDecoder) Offset() int64 { return d.off }

func (d *RefStreamDecoder) report(fn refFrameFunc, off int64, err error) {
	d.Errors++
	d.ferr = FrameError{Offset: off, Err: err}
	fn(nil, off, &d.ferr)
	d.ferr = FrameError{}
}

// Write decodes the next bytes of the stream, calling fn for every
// complete frame and every error.
func (d *RefStreamDecoder) Write(p []byte, fn refFrameFunc) {
	base := d.off
	d.off += int64(len(p))
	pos := 0
	if d.skipCR && len(p) > 0 {
		d.skipCR = false
		if p[0] == CR {
			pos = 1
		}
	}
	for pos < len(p) {
		rest := p[pos:]
		switch {
		case d.inFrame:
			i := bytes.IndexByte(rest, EB)
			chunk := rest
			if i >= 0 {
				chunk = rest[:i]
			}
			s := bytes.IndexByte(chunk, SB)
			part := chunk
			if s >= 0 {
				part = chunk[:s]
			}
			if len(d.buf)+len(part) > d.max {
				d.report(fn, d.frameOff, ErrFrameTooLarge)
				d.inFrame, d.discard = false, true
				d.buf = d.buf[:0]
				pos += len(part)
				continue
			}
			if s >= 0 {
				// A new frame starts before this one ended.
				d.report(fn, d.frameOff, ErrIncomplete)
				d.inFrame = false
				d.buf = d.buf[:0]
				pos += s
				continue
			}
			if i < 0 {
				d.buf = append(d.buf, chunk...)
				pos = len(p)
				continue
			}
			payload := chunk
			if len(d.buf) > 0 {
				d.buf = append(d.buf, chunk...)
				payload = d.buf
			}
			d.deliver(fn, payload)
			pos += i + 1
			if pos < len(p) {
				if p[pos] == CR {
					pos++
				}
			} else {
				d.skipCR = true
			}
		case d.discard:
			i := bytes.IndexByte(rest, EB)
			s := bytes.IndexByte(rest, SB)
			switch {
			case s >= 0 && (i < 0 || s < i):
				d.Skipped += int64(s)
				d.discard = false
				pos += s
			case i >= 0:
				d.Skipped += int64(i + 1)
				d.discard = false
				d.synced = true
				pos += i + 1
				if pos < len(p) && p[pos] == CR {
					pos++
				} else if pos == len(p) {
					d.skipCR = true
				}
			default:
				d.Skipped += int64(len(rest))
				pos = len(p)
			}
		default:
			s := bytes.IndexByte(rest, SB)
			junk := s
			if s < 0 {
				junk = len(rest)
			}
			if junk > 0 {
				d.Skipped += int64(junk)
				if d.synced && !d.inJunk {
					d.report(fn, base+int64(pos), ErrJunk)
				}
				d.inJunk = true
			}
			if s < 0 {
				pos = len(p)
				continue
			}
			pos += s + 1
			d.inFrame, d.synced, d.inJunk = true, true, false
			d.frameOff = base + int64(pos) - 1
		}
	}
}

func (d *RefStreamDecoder) deliver(fn refFrameFunc, payload []byte) {
	d.Frames++
	d.inFrame = false
	fn(payload, d.frameOff, nil)
	d.buf = d.buf[:0]
	if cap(d.buf) > 1<<20 {
		d.buf = nil // release a buffer grown for one huge frame
	}
}

// Gap reports that n bytes (n < 0: an unknown number) were lost before the
// next Write. A frame in progress is reported as ErrIncomplete and the
// decoder resynchronises on the next start block without reporting the
// bytes it skips.
func (d *RefStreamDecoder) Gap(n int, fn refFrameFunc) {
	if d.inFrame {
		d.report(fn, d.frameOff, ErrIncomplete)
	}
	d.inFrame, d.discard, d.synced, d.skipCR = false, false, false, false
	d.buf = d.buf[:0]
	if n > 0 {
		d.off += int64(n)
	}
}

// Close ends the stream: a frame in progress is reported as ErrIncomplete.
func (d *RefStreamDecoder) Close(fn refFrameFunc) {
	if d.inFrame {
		d.report(fn, d.frameOff, ErrIncomplete)
	}
	d.inFrame, d.discard = false, false
	d.buf = d.buf[:0]
}

// Buffered returns the bytes the decoder holds of a frame split across
// chunks, for callers that keep a memory budget across many streams.
func (d *RefStreamDecoder) Buffered() int { return len(d.buf) }

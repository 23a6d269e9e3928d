package smb

import (
	"bytes"
	"strconv"
)

// DefaultMaxMessage is the default of [Decoder.MaxMessage].
const DefaultMaxMessage = 64 << 10

// StreamedPrefix is how much of a message whose content the decoder passes
// over it still returns in [Message.Data]: the header and the fixed part of
// a READ response or WRITE request, and the first bytes of the file data.
const StreamedPrefix = 128

// Kind says what an [Item] is.
type Kind uint8

// The kinds of item.
const (
	KindMessage   Kind = iota + 1 // an SMB1 or SMB2 message: Item.Message
	KindTransform                 // an encrypted or compressed SMB 3 message, skipped: Item.Transform
	KindNetBIOS                   // a NetBIOS session request, response or keep-alive: Item.NetBIOS
)

// String returns "message", "transform" or "netbios", or a form like
// "Kind(9)".
func (k Kind) String() string {
	switch k {
	case KindMessage:
		return "message"
	case KindTransform:
		return "transform"
	case KindNetBIOS:
		return "netbios"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Item is one thing a [Decoder] found in the stream.
type Item struct {
	Kind Kind
	// Offset is the stream offset of the item's first byte: the SMB
	// message, or the NetBIOS packet's 4-byte header.
	Offset    int64
	Message   Message
	Transform TransformHeader
	NetBIOS   NetBIOS
}

// Decoder states.
const (
	stFrame   = iota // at a transport frame header
	stControl        // in the body of a NetBIOS packet other than a session message
	stMessage        // at a message within a session message
	stResync         // looking for a frame header
)

// A Decoder decodes one direction of an SMB connection incrementally, on
// TCP 445 (direct hosting: each message behind a 4-byte length) or TCP 139
// (the NetBIOS session service: a session request and its response, then
// session messages): hand it bytes with [Decoder.Feed] and take items with
// [Decoder.Next] until it returns [ErrNeedMore]. Chunks may be cut
// anywhere; the items are the same however the stream is cut.
//
// Every message of a frame is returned, SMB2 compound chains (NextCommand)
// one by one. Messages are returned whole up to MaxMessage bytes; the file
// data of READ responses and WRITE requests, and anything beyond MaxMessage,
// is passed over without being buffered, the message returned with its
// first StreamedPrefix bytes and Truncated set. Encrypted and compressed SMB
// 3 messages are returned as a [TransformHeader] and passed over.
//
// Malformed input is reported once by an error with its offset: a bad
// message within a well-framed stream costs that frame, and a stream that
// makes no sense (or one whose capture starts in the middle of a frame) is
// searched for the next frame header, a session message holding an SMB
// protocol ID. [Decoder.Gap] reports lost bytes; a gap inside file data
// being passed over costs nothing.
//
// The zero value is ready to use. A Decoder allocates only to grow its
// buffer, up to MaxMessage, and to return errors.
type Decoder struct {
	// MaxMessage caps the bytes of one message the decoder buffers when
	// the message is split across chunks; longer messages are returned
	// truncated. 0 (or less) means DefaultMaxMessage.
	MaxMessage int

	in        []byte // the unread part of the chunk being decoded
	buf       []byte // bytes gathered across chunks; they precede in
	off       int64  // stream offset of the first byte not consumed (buf[0], or in[0])
	st        uint8
	skip      int   // bytes to pass over before the next item
	frameLeft int   // bytes of the current frame neither consumed nor to skip
	frameOff  int64 // stream offset of the current frame's header
	nbType    NetBIOSType
	compound  int
	synced    bool // a well-formed frame was seen since the start, or the last gap or loss of sync
	flush     bool
}

// Feed gives the decoder the next bytes of the stream. The decoder reads p
// in place: items returned by Next are views of it (or of the decoder's
// buffer), so p must stay unchanged until Next returns ErrNeedMore; it is
// not used after that. Call Next until it returns ErrNeedMore before feeding
// more: bytes of an earlier Feed not yet consumed are dropped.
func (d *Decoder) Feed(p []byte) {
	d.in = p
}

// Buffered returns the bytes of the stream the decoder holds across chunks.
// It counts what is held, not the capacity kept for reuse.
func (d *Decoder) Buffered() int { return len(d.buf) }

// Offset returns the stream offset of the next byte the decoder will read.
func (d *Decoder) Offset() int64 { return d.off }

// Reset makes the decoder ready for a new stream, keeping its buffer and
// limits.
func (d *Decoder) Reset() {
	*d = Decoder{MaxMessage: d.MaxMessage, buf: d.buf[:0]}
}

// Gap reports that n bytes (-1: an unknown number) of the stream were lost
// before the next Feed. A gap within bytes being passed over (file data) is
// absorbed; otherwise the decoder drops what it holds and looks for the
// next frame. Offsets after a gap of unknown size count only the bytes seen.
func (d *Decoder) Gap(n int) {
	d.in = nil
	if n == 0 {
		return
	}
	if n > 0 && len(d.buf) == 0 && n <= d.skip {
		d.skip -= n
		d.off += int64(n)
		return
	}
	d.off += int64(len(d.buf))
	if n > 0 {
		d.off += int64(n)
	}
	d.buf = d.buf[:0]
	d.skip, d.frameLeft = 0, 0
	d.st = stResync
	d.synced = false
}

// Flush marks the end of the stream: the following Next calls report a
// frame cut short with [ErrTruncated], then return ErrNeedMore.
func (d *Decoder) Flush() { d.flush = true }

// Next returns the next item, ErrNeedMore when the input fed so far is
// used up, or an error (an [*Error]) for malformed input, after which the
// following call goes on with the rest of the stream.
func (d *Decoder) Next() (Item, error) {
	for {
		if d.skip > 0 {
			if len(d.in) == 0 {
				return d.needMore()
			}
			k := min(d.skip, len(d.in))
			d.in = d.in[k:]
			d.off += int64(k)
			d.skip -= k
			continue
		}
		switch d.st {
		case stFrame:
			it, err, done := d.frame()
			if done {
				return it, err
			}
		case stControl:
			b, ok := d.peek(d.frameLeft)
			if !ok {
				return d.needMore()
			}
			nb, ok := parseNetBIOS(d.nbType, b)
			d.consume(len(b))
			d.st = stFrame
			if !ok {
				return Item{}, errAt(d.frameOff, ErrFrame)
			}
			d.synced = true
			return Item{Kind: KindNetBIOS, Offset: d.frameOff, NetBIOS: nb}, nil
		case stMessage:
			it, err, done := d.message()
			if done {
				return it, err
			}
		case stResync:
			if !d.resync() {
				return d.needMore()
			}
			d.st = stFrame
		}
	}
}

// frame reads a transport frame header; done is false when Next should go
// on.
func (d *Decoder) frame() (it Item, err error, done bool) {
	h, ok := d.peek(4)
	if !ok {
		it, err = d.needMore()
		return it, err, true
	}
	t, n := NetBIOSType(h[0]), int(h[1])<<16|int(h[2])<<8|int(h[3])
	d.frameOff = d.off
	switch {
	case t == NetBIOSMessage && n == 0:
		d.consume(4)
		return it, nil, false
	case t == NetBIOSMessage:
		if n < 4 {
			return d.lost(ErrFrame)
		}
		m, ok := d.peek(8)
		if !ok {
			it, err = d.needMore()
			return it, err, true
		}
		if !isSMB(m[4:]) {
			if !d.synced {
				return d.lost(ErrNotSMB)
			}
			// Framing holds: skip the frame (an SMB1 READ_RAW reply is
			// raw data).
			d.consume(4)
			d.pass(n)
			return Item{}, errAt(d.frameOff+4, ErrNotSMB), true
		}
		d.consume(4)
		d.frameLeft, d.compound = n, 0
		d.st = stMessage
		return it, nil, false
	case t >= NetBIOSRequest && t <= NetBIOSKeepAlive && h[1]&^1 == 0 && n <= maxNetBIOS:
		d.consume(4)
		d.nbType, d.frameLeft = t, n
		d.st = stControl
		return it, nil, false
	}
	return d.lost(ErrFrame)
}

// message reads the next message of the current frame.
func (d *Decoder) message() (it Item, err error, done bool) {
	start := d.off
	h, ok := d.peek(min(d.frameLeft, header2Size))
	if !ok {
		it, err = d.needMore()
		return it, err, true
	}
	if !isSMB(h) {
		return d.badMessage(ErrNotSMB, start)
	}
	extent := d.frameLeft
	switch Protocol(h[0]) {
	case Transform, Compressed:
		need := transformSize
		if Protocol(h[0]) == Compressed {
			need = compressSize
		}
		if len(h) < need {
			return d.badMessage(ErrHeader, start)
		}
		it = Item{Kind: KindTransform, Offset: start, Transform: parseTransform(h, extent)}
		d.endMessage(len(h), extent)
		return it, nil, true
	case SMB1:
		if len(h) < minMessage1 {
			return d.badMessage(ErrHeader, start)
		}
	case SMB2:
		if len(h) < header2Size {
			return d.badMessage(ErrHeader, start)
		}
		if n := uint32(h[20]) | uint32(h[21])<<8 | uint32(h[22])<<16 | uint32(h[23])<<24; n != 0 {
			if !validNext(n, d.frameLeft) {
				return d.badMessage(ErrHeader, start+20)
			}
			extent = int(n)
		}
	}
	keep := extent
	if extent > d.maxMessage() || streamed(h) {
		keep = min(extent, StreamedPrefix)
	}
	b, ok := d.peek(keep)
	if !ok {
		it, err = d.needMore()
		return it, err, true
	}
	m, err := parseHeader(b, start)
	if err != nil {
		return d.badMessage(ErrHeader, start)
	}
	m.Data, m.Length, m.Truncated, m.Compound = b, extent, keep < extent, d.compound
	d.endMessage(keep, extent)
	d.synced = true
	return Item{Kind: KindMessage, Offset: start, Message: m}, nil, true
}

// endMessage consumes the kept bytes of a message of extent bytes and
// schedules the rest to be skipped.
func (d *Decoder) endMessage(keep, extent int) {
	d.consume(keep)
	d.skip = extent - keep
	d.frameLeft -= extent
	d.compound++
	if d.frameLeft == 0 {
		d.st = stFrame
	}
}

// badMessage reports a malformed message at offset at and skips the rest of
// its frame.
func (d *Decoder) badMessage(e error, at int64) (Item, error, bool) {
	d.pass(d.frameLeft)
	d.frameLeft = 0
	d.st = stFrame
	return Item{}, errAt(at, e), true
}

// pass passes over the next n bytes of the stream: those gathered in the
// buffer, then the rest as they come.
func (d *Decoder) pass(n int) {
	k := min(n, len(d.buf))
	d.consume(k)
	d.skip = n - k
}

// lost reports malformed framing at the current offset and looks for the
// next frame.
func (d *Decoder) lost(e error) (Item, error, bool) {
	err := errAt(d.off, e)
	d.st = stResync
	d.synced = false
	return Item{}, err, true
}

func (d *Decoder) maxMessage() int {
	if d.MaxMessage > 0 {
		return d.MaxMessage
	}
	return DefaultMaxMessage
}

// needMore returns ErrNeedMore, or at the end of the stream (Flush) first
// an error for a frame left incomplete.
func (d *Decoder) needMore() (Item, error) {
	if !d.flush {
		return Item{}, ErrNeedMore
	}
	d.flush = false
	incomplete := d.skip > 0 || d.st == stControl || d.st == stMessage || (d.st == stFrame && len(d.buf) > 0)
	at := d.frameOff
	if d.st == stFrame && d.skip == 0 {
		at = d.off // a frame header cut short
	}
	d.off += int64(len(d.buf))
	d.buf = d.buf[:0]
	d.skip, d.frameLeft = 0, 0
	d.st = stFrame
	if incomplete {
		return Item{}, errAt(at, ErrTruncated)
	}
	return Item{}, ErrNeedMore
}

// peek returns the next n bytes of the stream without consuming them, or
// false when they have not all arrived; what did arrive is then kept in the
// buffer.
func (d *Decoder) peek(n int) ([]byte, bool) {
	if len(d.buf) == 0 {
		if len(d.in) >= n {
			return d.in[:n], true
		}
		d.buf = append(d.buf, d.in...)
		d.in = nil
		return nil, false
	}
	if len(d.buf) < n {
		k := min(n-len(d.buf), len(d.in))
		d.buf = append(d.buf, d.in[:k]...)
		d.in = d.in[k:]
		if len(d.buf) < n {
			return nil, false
		}
	}
	return d.buf[:n], true
}

// consume drops the next n bytes of the stream, which peek returned.
func (d *Decoder) consume(n int) {
	d.off += int64(n)
	if len(d.buf) == 0 {
		d.in = d.in[n:]
		return
	}
	d.buf = d.buf[:copy(d.buf, d.buf[n:])]
}

// isSMB reports whether b begins with an SMB protocol ID.
func isSMB(b []byte) bool {
	if len(b) < 4 || b[1] != 'S' || b[2] != 'M' || b[3] != 'B' {
		return false
	}
	switch Protocol(b[0]) {
	case SMB1, SMB2, Transform, Compressed:
		return true
	}
	return false
}

// frameStart reports whether b (at least 8 bytes) begins a session message
// that holds an SMB message.
func frameStart(b []byte) bool {
	return b[0] == 0 && int(b[1])<<16|int(b[2])<<8|int(b[3]) >= compressSize && isSMB(b[4:8])
}

// resync looks for the next frame start, dropping the bytes before it;
// it reports whether one was found (it is then the next byte of the
// stream). Up to 7 bytes that may begin one are kept across chunks.
func (d *Decoder) resync() bool {
	for len(d.buf) > 0 {
		var w [8]byte
		if copy(w[copy(w[:], d.buf):], d.in) < 8-len(d.buf) && len(d.buf) < 8 {
			d.buf = append(d.buf, d.in...)
			d.in = nil
			return false
		}
		if frameStart(w[:]) {
			return true
		}
		d.buf = d.buf[:copy(d.buf, d.buf[1:])]
		d.off++
	}
	for i := 0; ; {
		j := bytes.Index(d.in[i:], []byte("SMB"))
		if j < 0 {
			break
		}
		if c := i + j - 5; c >= 0 && c+8 <= len(d.in) && frameStart(d.in[c:]) {
			d.in = d.in[c:]
			d.off += int64(c)
			return true
		}
		i += j + 1
	}
	keep := min(len(d.in), 7)
	d.off += int64(len(d.in) - keep)
	d.buf = append(d.buf, d.in[len(d.in)-keep:]...)
	d.in = nil
	return false
}

package astm

import (
	"bytes"
	"encoding/binary"
	"strconv"
)

// The E1381 transmission control characters.
const (
	STX byte = 0x02 // start of frame
	ETX byte = 0x03 // end of the last frame of a record
	EOT byte = 0x04 // end of transmission (or receiver interrupt)
	ENQ byte = 0x05 // request to send
	ACK byte = 0x06 // positive acknowledgement
	NAK byte = 0x15 // negative acknowledgement
	ETB byte = 0x17 // end of an intermediate frame
	CR  byte = 0x0d
	LF  byte = 0x0a
)

// Default limits of a [Decoder].
const (
	DefaultMaxFrame  = 64 << 10  // bytes of text in one frame (E1381 allows 240; analysers send more)
	DefaultMaxRecord = 256 << 10 // bytes of one record joined across frames
)

// Kind says what an [Item] is.
type Kind uint8

// Item kinds.
const (
	KindENQ    Kind = iota + 1 // request to send: a transfer starts
	KindACK                    // frame or ENQ accepted
	KindNAK                    // frame or ENQ refused
	KindEOT                    // end of transfer (from the receiver: interrupt request)
	KindFrame                  // a frame; see Item.Frame
	KindRecord                 // a record carried by frames (or a line of unframed text); see Item.Record
)

var kindNames = [...]string{"", "ENQ", "ACK", "NAK", "EOT", "frame", "record"}

// String returns the kind's name ("ENQ", "frame", "record", ...), or a form
// like "Kind(9)" for an unknown value.
func (k Kind) String() string {
	if k != 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Frame describes one E1381 frame.
type Frame struct {
	Number    int    // frame number 0–7
	Final     bool   // ended by ETX (last frame of a record) rather than ETB
	Checksum  byte   // the checksum the frame carries
	Sum       byte   // the checksum computed over the frame
	Duplicate bool   // same number, checksum and length as the frame before it: a retransmission, its text is not used again
	Text      []byte // the text between the frame number and ETB/ETX, a view valid until the next call to Next or Feed
}

// Item is one thing a [Decoder] found in the stream.
type Item struct {
	Kind   Kind
	Offset int64  // stream offset of the item's first byte (for a record, an estimate: where its text starts)
	Frame  Frame  // for KindFrame
	Record Record // for KindRecord
}

const (
	modeUnknown = iota
	modeFramed
	modeRaw
)

const (
	stIdle = iota
	stNumber
	stText
	stCheck1
	stCheck2
	stRaw
	stSkipText // the rest of a frame that is too long
)

// A Decoder decodes one direction of an E1381 byte stream incrementally:
// hand it bytes with [Decoder.Feed] and take items with [Decoder.Next] until
// it returns [ErrNeedMore]. Chunks may be cut anywhere; the items are the
// same however the stream is cut. The zero value is ready to use with the
// default limits. A Decoder allocates only to grow its buffer up to the
// limits and to return errors.
//
// The Decoder buffers the text of one record at a time: a record split
// across intermediate frames (at most MaxRecord bytes) and the frame being
// read (at most MaxFrame bytes), so [Decoder.Buffered] never exceeds
// MaxRecord + MaxFrame. A caller with a byte budget for one message sets
// MaxRecord to it.
type Decoder struct {
	// MaxFrame limits the text of one frame; a longer frame is reported
	// with [ErrFrameTooLong] and skipped. 0 (or less) means
	// [DefaultMaxFrame].
	MaxFrame int
	// MaxRecord limits one record, joined across frames (or one line of
	// unframed text); a longer one is reported with [ErrRecordTooLong] and
	// skipped. 0 (or less) means [DefaultMaxRecord].
	MaxRecord int

	maxFrame, maxRecord int // the limits in force, set by Feed
	inited              bool

	in  []byte // unconsumed input
	off int64  // stream offset of in[0]

	mode, state int
	junk        bool // inside a run of junk already reported
	skipRecord  bool // discarding an oversized record up to its CR
	flushing    bool // Flush was called: report what is left once the input is consumed

	// Frame being read.
	frameOff int64
	number   int
	sum      byte
	check    byte
	final    bool

	// buf holds record text: buf[recStart:verified] is verified text not yet
	// returned as records, buf[verified:] the text of the frame being read.
	// In unframed mode, buf holds a line split across chunks.
	buf       []byte
	recStart  int
	scan      int // where to look for the next CR in buf[recStart:verified]
	verified  int
	flush     bool  // the last accepted frame was final: flush a record without CR
	textStart int   // index in buf of the last accepted frame's text
	textOff   int64 // stream offset of that text
	partOff   int64 // stream offset of buf[recStart] when it began in an earlier frame
	discard   bool  // drop buf[verified:] at the next call

	expect, last int // expected and last accepted frame numbers, -1 unknown
	// The last accepted frame, to recognise its retransmission.
	lastSum   byte
	lastFinal bool
	lastLen   int
	delims    Delimiters
}

// Reset makes the decoder ready for a new stream, keeping its limits and
// its buffer.
func (d *Decoder) Reset() {
	*d = Decoder{MaxFrame: d.MaxFrame, MaxRecord: d.MaxRecord, buf: d.buf[:0], inited: true,
		expect: -1, last: -1, delims: DefaultDelimiters}
	d.limits()
}

// limits sets the limits in force from the exported fields.
func (d *Decoder) limits() {
	d.maxFrame, d.maxRecord = d.MaxFrame, d.MaxRecord
	if d.maxFrame <= 0 {
		d.maxFrame = DefaultMaxFrame
	}
	if d.maxRecord <= 0 {
		d.maxRecord = DefaultMaxRecord
	}
}

// Delimiters returns the delimiters in force: those of the last header
// record, or [DefaultDelimiters].
func (d *Decoder) Delimiters() Delimiters { return d.delims }

// Feed gives the decoder the next bytes of the stream. Call Next until it
// returns [ErrNeedMore] before feeding more: Feed replaces what is left of
// the previous chunk. Items returned by Next may be views into p (an
// unframed record that lies whole in it); the decoder keeps no reference to
// p once Next has returned ErrNeedMore. The limits are read here: change
// MaxFrame and MaxRecord before a Feed, not between a Feed and its Next
// calls.
func (d *Decoder) Feed(p []byte) {
	if !d.inited {
		d.Reset()
	}
	d.limits()
	d.in = p
}

// Gap tells the decoder that n bytes of the stream (n < 0: an unknown number)
// were lost before the next Feed. The frame and record being read are
// dropped without an error (the caller knows of the gap) and the decoder
// resynchronises on the next frame or control character, or, in an unframed
// stream, at the next line.
func (d *Decoder) Gap(n int) {
	if !d.inited {
		d.Reset()
	}
	if n > 0 {
		d.off += int64(n)
	}
	d.in = nil
	d.dropText()
	d.expect, d.last = -1, -1
	d.junk = false
	if d.mode == modeRaw {
		d.state = stRaw
		d.skipRecord = true
	} else {
		d.state = stIdle
	}
}

// Flush tells the decoder that the stream has ended: once the input given
// to Feed is consumed, Next reports what is left, then returns
// [ErrNeedMore]. What is left is a line of unframed text without its line
// end, returned as a record, a record cut short after intermediate frames
// ([ErrIncomplete]) and a frame cut short ([ErrFrame]). Call Reset before
// decoding another stream.
func (d *Decoder) Flush() {
	if !d.inited {
		d.Reset()
	}
	d.flushing = true
}

// dropText forgets every buffered byte.
func (d *Decoder) dropText() {
	d.buf = d.buf[:0]
	d.recStart, d.scan, d.verified, d.textStart = 0, 0, 0, 0
	d.flush, d.discard, d.skipRecord = false, false, false
}

func (d *Decoder) consume(n int) {
	d.in = d.in[n:]
	d.off += int64(n)
}

func (d *Decoder) errorAt(off int64, err error) error { return &Error{Offset: off, Err: err} }

// isStart marks the bytes that end a run of junk between frames.
var isStart = [256]bool{STX: true, ENQ: true, EOT: true, ACK: true, NAK: true}

// Next returns the next item, or [ErrNeedMore] when the input is consumed.
// Other errors are not sticky: each describes, once, malformed input that
// was skipped (the returned Item may describe it, as a frame whose checksum
// does not match does), and the next call goes on. Views in the item are
// valid until the next call to Next, Feed, Gap or Reset.
func (d *Decoder) Next() (Item, error) {
	if !d.inited {
		d.Reset()
	}
	if d.discard {
		d.buf = d.buf[:d.verified]
		d.discard = false
	}
	if it, err, ok := d.nextRecord(); ok {
		return it, err
	}
	for len(d.in) > 0 {
		switch d.state {
		case stIdle:
			c := d.in[0]
			switch c {
			case ENQ, ACK, NAK, EOT:
				off := d.off
				d.consume(1)
				d.junk = false
				d.mode = modeFramed
				kind := KindACK
				switch c {
				case ENQ:
					kind = KindENQ
					d.expect, d.last = 1, -1
				case EOT:
					kind = KindEOT
					d.expect, d.last = -1, -1
				case NAK:
					kind = KindNAK
				}
				var err error
				if c == ENQ || c == EOT {
					if d.recStart < d.verified && !d.skipRecord {
						err = d.errorAt(off, ErrIncomplete)
					}
					d.dropText()
				}
				return Item{Kind: kind, Offset: off}, err
			case STX:
				d.frameOff = d.off
				d.consume(1)
				d.junk = false
				d.mode = modeFramed
				d.state = stNumber
				continue
			case CR, LF:
				d.consume(1)
				continue
			}
			if d.mode == modeUnknown && c == 'H' {
				d.mode = modeRaw
				d.state = stRaw
				continue
			}
			off := d.off
			i := 0
			for i < len(d.in) && !isStart[d.in[i]] && (d.in[i] != 'H' || d.mode != modeUnknown) {
				i++
			}
			d.consume(i)
			if !d.junk {
				d.junk = true
				return Item{}, d.errorAt(off, ErrJunk)
			}
		case stNumber:
			c := d.in[0]
			if c < '0' || c > '7' {
				d.state = stIdle
				d.junk = true
				return Item{}, d.errorAt(d.off, ErrFrame)
			}
			d.consume(1)
			d.number = int(c - '0')
			d.sum = c
			d.compact()
			d.state = stText
		case stText:
			i, sum := scanText(d.in, d.sum)
			if len(d.buf)-d.verified+i > d.maxFrame {
				// Skip the rest of the text, then the end of the frame as junk.
				d.consume(i)
				d.buf = d.buf[:d.verified]
				d.state = stSkipText
				if len(d.in) > 0 {
					d.state = stIdle
				}
				d.junk = true
				return Item{}, d.errorAt(d.frameOff, ErrFrameTooLong)
			}
			d.buf = append(d.buf, d.in[:i]...)
			d.sum = sum
			d.consume(i)
			if len(d.in) == 0 {
				continue
			}
			c := d.in[0]
			if c == ETX || c == ETB {
				d.consume(1)
				d.sum += c
				d.final = c == ETX
				d.state = stCheck1
				continue
			}
			// A frame cut short by STX, ENQ or EOT: drop it and read the
			// control character in the idle state.
			d.buf = d.buf[:d.verified]
			d.state = stIdle
			return Item{}, d.errorAt(d.frameOff, ErrFrame)
		case stCheck1, stCheck2:
			v := unhex(d.in[0])
			if v == 0xff {
				d.buf = d.buf[:d.verified]
				d.state = stIdle
				d.junk = true
				return Item{}, d.errorAt(d.off, ErrFrame)
			}
			d.consume(1)
			if d.state == stCheck1 {
				d.check = v << 4
				d.state = stCheck2
				continue
			}
			d.check |= v
			d.state = stIdle
			return d.endFrame()
		case stSkipText:
			i, _ := scanText(d.in, 0)
			d.consume(i)
			if len(d.in) > 0 {
				d.state = stIdle
			}
		case stRaw:
			if it, err, ok := d.rawLine(); ok {
				return it, err
			}
		}
	}
	if d.flushing {
		return d.flushEnd()
	}
	return Item{}, ErrNeedMore
}

// flushEnd reports, one call at a time, what is left at the end of the
// stream, in stream order, then ErrNeedMore.
func (d *Decoder) flushEnd() (Item, error) {
	if d.mode == modeRaw {
		line := d.buf
		skipping := d.skipRecord
		d.dropText()
		d.flushing = false
		if len(line) == 0 || skipping {
			return Item{}, ErrNeedMore
		}
		off := d.off - int64(len(line))
		t, err := checkRecord(line, &d.delims)
		if err != nil {
			return Item{}, d.errorAt(off, err)
		}
		return Item{Kind: KindRecord, Offset: off, Record: Record{Type: t, Data: line[:len(line):len(line)], Delims: d.delims, Offset: off}}, nil
	}
	if d.recStart < d.verified && !d.skipRecord {
		off := d.offsetOf(d.recStart)
		d.recStart, d.scan = d.verified, d.verified
		return Item{}, d.errorAt(off, ErrIncomplete)
	}
	inFrame := d.state != stIdle && d.state != stSkipText
	d.dropText()
	d.state = stIdle
	d.flushing = false
	if inFrame {
		return Item{}, d.errorAt(d.frameOff, ErrFrame)
	}
	return Item{}, ErrNeedMore
}

// compact moves the unreturned record text to the front of buf before a new
// frame's text is appended.
func (d *Decoder) compact() {
	if d.recStart == 0 {
		return
	}
	n := copy(d.buf, d.buf[d.recStart:d.verified])
	d.buf = d.buf[:n]
	d.scan -= d.recStart
	d.textStart -= d.recStart
	d.recStart = 0
	d.verified = n
}

// endFrame checks the frame just read and accepts its text.
func (d *Decoder) endFrame() (Item, error) {
	it := Item{Kind: KindFrame, Offset: d.frameOff, Frame: Frame{
		Number: d.number, Final: d.final, Checksum: d.check, Sum: d.sum,
		Text: d.buf[d.verified:len(d.buf):len(d.buf)],
	}}
	if d.check != d.sum {
		d.discard = true
		return it, d.errorAt(d.frameOff, ErrChecksum)
	}
	if d.last >= 0 && d.number == d.last && d.sum == d.lastSum && d.final == d.lastFinal && len(d.buf)-d.verified == d.lastLen {
		it.Frame.Duplicate = true
		d.discard = true
		return it, nil
	}
	var err error
	if d.expect >= 0 && d.number != d.expect {
		err = d.errorAt(d.frameOff, ErrFrameNumber)
	}
	d.last = d.number
	d.expect = (d.number + 1) % 8
	d.lastSum, d.lastFinal, d.lastLen = d.sum, d.final, len(d.buf)-d.verified
	if d.recStart < d.verified {
		d.partOff = d.offsetOf(d.recStart)
	}
	d.textStart = d.verified
	d.textOff = d.frameOff + 2
	d.verified = len(d.buf)
	d.flush = d.final
	return it, err
}

// offsetOf estimates the stream offset of buf[i].
func (d *Decoder) offsetOf(i int) int64 {
	if i >= d.textStart {
		return d.textOff + int64(i-d.textStart)
	}
	return d.partOff
}

// nextRecord returns the next record from the verified text, if any.
func (d *Decoder) nextRecord() (Item, error, bool) {
	for d.recStart < d.verified {
		i := bytes.IndexByte(d.buf[d.scan:d.verified], CR)
		var line []byte
		start := d.recStart
		if i >= 0 {
			end := d.scan + i
			line = d.buf[start:end:end]
			d.recStart = end + 1
			d.scan = d.recStart
		} else {
			d.scan = d.verified
			if !d.flush {
				if d.verified-d.recStart > d.maxRecord {
					off := d.offsetOf(start)
					skipping := d.skipRecord
					d.recStart, d.scan = d.verified, d.verified
					d.skipRecord = true
					if !skipping {
						return Item{}, d.errorAt(off, ErrRecordTooLong), true
					}
				}
				return Item{}, nil, false
			}
			line = d.buf[start:d.verified:d.verified]
			d.recStart = d.verified
		}
		if d.skipRecord {
			d.skipRecord = false
			continue
		}
		if len(line) > 0 && line[0] == LF {
			line = line[1:]
			start++
		}
		if len(line) == 0 {
			continue
		}
		off := d.offsetOf(start)
		if len(line) > d.maxRecord {
			return Item{}, d.errorAt(off, ErrRecordTooLong), true
		}
		t, err := checkRecord(line, &d.delims)
		if err != nil {
			return Item{}, d.errorAt(off, err), true
		}
		return Item{Kind: KindRecord, Offset: off, Record: Record{Type: t, Data: line, Delims: d.delims, Offset: off}}, nil, true
	}
	d.flush = false
	return Item{}, nil, false
}

// rawLine reads records without framing: lines ended by CR or LF.
func (d *Decoder) rawLine() (Item, error, bool) {
	end := -1
	for i, c := range d.in {
		if c == CR || c == LF {
			end = i
			break
		}
	}
	if end < 0 {
		if d.skipRecord {
			d.consume(len(d.in))
			return Item{}, nil, false
		}
		if len(d.buf)+len(d.in) > d.maxRecord {
			off := d.off - int64(len(d.buf))
			d.consume(len(d.in))
			d.buf = d.buf[:0]
			d.skipRecord = true
			return Item{}, d.errorAt(off, ErrRecordTooLong), true
		}
		d.buf = append(d.buf, d.in...)
		d.consume(len(d.in))
		return Item{}, nil, false
	}
	off := d.off - int64(len(d.buf))
	line := d.in[:end:end]
	skipping, tooLong := d.skipRecord, false
	if len(d.buf) > 0 || skipping {
		tooLong = !skipping && len(d.buf)+end > d.maxRecord
		if !skipping && !tooLong {
			d.buf = append(d.buf, line...)
		}
		line = d.buf
		d.discard = true // drop buf at the next call
		d.verified = 0
	}
	d.consume(end + 1)
	if skipping || tooLong {
		// Nothing is returned from buf: keep the rest of this chunk, which
		// the next call may append to buf, from being dropped with it.
		d.skipRecord = false
		d.discard = false
		d.buf = d.buf[:0]
		if tooLong {
			return Item{}, d.errorAt(off, ErrRecordTooLong), true
		}
		return Item{}, nil, false
	}
	if len(line) == 0 {
		return Item{}, nil, false
	}
	if len(line) > d.maxRecord {
		return Item{}, d.errorAt(off, ErrRecordTooLong), true
	}
	t, err := checkRecord(line, &d.delims)
	if err != nil {
		return Item{}, d.errorAt(off, err), true
	}
	return Item{Kind: KindRecord, Offset: off, Record: Record{Type: t, Data: line, Delims: d.delims, Offset: off}}, nil, true
}

// isTextEnd marks the bytes that end a frame's text: ETX and ETB, or STX, ENQ
// and EOT when the frame was cut short.
var isTextEnd = [256]bool{ETX: true, ETB: true, STX: true, ENQ: true, EOT: true}

// scanText returns the length of the text at the start of b (up to the first
// byte that ends a frame's text, or all of b) and sum plus the text's bytes,
// modulo 256. It works eight bytes at a time while no byte is below 0x18.
func scanText(b []byte, sum byte) (int, byte) {
	const (
		ones  = 0x0101010101010101
		high  = 0x8080808080808080
		lanes = 0x00ff00ff00ff00ff
	)
	i := 0
	for i+8 <= len(b) {
		x := binary.LittleEndian.Uint64(b[i:])
		if (x-0x18*ones)&^x&high != 0 {
			// Some byte is below 0x18: go byte by byte through this word.
			for end := i + 8; i < end; i++ {
				c := b[i]
				if isTextEnd[c] {
					return i, sum
				}
				sum += c
			}
			continue
		}
		// Add the bytes in four 16-bit lanes, then the lanes in the top 16
		// bits of a product (no lane exceeds 510, so nothing carries).
		y := x&lanes + (x>>8)&lanes
		sum += byte((y * 0x0001000100010001) >> 48)
		i += 8
	}
	for ; i < len(b); i++ {
		c := b[i]
		if isTextEnd[c] {
			return i, sum
		}
		sum += c
	}
	return i, sum
}

// Offset returns the stream offset of the next byte the decoder will read.
func (d *Decoder) Offset() int64 { return d.off }

// Buffered returns the bytes the decoder holds of frames and records split
// across chunks, at most MaxRecord + MaxFrame. It does not count the chunk
// given to Feed, which the decoder does not keep.
func (d *Decoder) Buffered() int { return len(d.buf) }

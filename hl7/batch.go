package hl7

// A Batch iterates over the messages of an HL7 batch (BHS … BTS) or file
// (FHS … FTS), or of plain messages one after another, in the manner of
// bufio.Scanner:
//
//	var b hl7.Batch
//	b.Reset(data)
//	for b.Next() {
//		msg := b.Message()
//		...
//	}
//	if err := b.Err(); err != nil { ... }
//
// Headers and trailers are optional, as senders often omit them, but the
// structure must nest: a segment other than a header or trailer before any
// MSH, a BHS inside an open batch, an FHS inside an open file or anything
// after FTS stops the iteration with an error, as does a BTS-1 or FTS-1
// count that disagrees with the messages or batches seen (messages without
// a BHS count as one batch). Errors are [*ParseError]s with the offset.
//
// The Message returned is reused by the next call to Next; its views point
// into data. The zero Batch is ready for Reset; a Batch reused for input
// like what it has seen allocates nothing.
type Batch struct {
	// MaxSegments and MaxFields are set on each Message before it is
	// parsed; 0 means DefaultMaxSegments and DefaultMaxFields. The index
	// of a message takes about 32 bytes a segment and 4 a field, so the
	// defaults bound it to about 7 MiB; a program holding many batches
	// at once (one per observed connection) may want lower limits. A
	// message beyond them stops the iteration with ErrTooManySegments or
	// ErrTooManyFields.
	MaxSegments, MaxFields int

	data    []byte
	sc      segScanner
	msg     Message
	pending span
	hasPend bool
	err     error

	fileHdr, batchHdr   Segment
	fileSeps, batchSeps []uint32   // their field index
	d                   Delimiters // of the latest header, for trailers

	inFile, fileDone    bool
	inBatch, implBatch  bool
	batchMsgs, fileBats int
	messages            int
}

// Reset starts iterating over data.
func (b *Batch) Reset(data []byte) {
	msg, fs, bs := b.msg, b.fileSeps, b.batchSeps
	*b = Batch{MaxSegments: b.MaxSegments, MaxFields: b.MaxFields, data: data, msg: msg, d: DefaultDelimiters, fileSeps: fs[:0], batchSeps: bs[:0]}
	b.sc.init(data, 0)
}

// Message returns the message found by the last successful Next.
func (b *Batch) Message() *Message { return &b.msg }

// Err returns the first error met, or nil at the clean end of the input.
func (b *Batch) Err() error { return b.err }

// FileHeader returns the FHS segment, if one was seen.
func (b *Batch) FileHeader() Segment { return b.fileHdr }

// BatchHeader returns the BHS segment of the current batch, if any.
func (b *Batch) BatchHeader() Segment { return b.batchHdr }

// Count returns the number of messages returned so far.
func (b *Batch) Count() int { return b.messages }

func (b *Batch) nextSeg() (span, bool) {
	if b.hasPend {
		b.hasPend = false
		return b.pending, true
	}
	s, e, ok := b.sc.next()
	return span{start: s, end: e}, ok
}

func (b *Batch) fail(off int, name []byte, err error) bool {
	b.err = perr(off, name, err)
	return false
}

// Next advances to the next message and reports whether there is one.
func (b *Batch) Next() bool {
	if b.err != nil {
		return false
	}
	msgStart, msgEnd := -1, -1
	finish := func() bool {
		b.messages++
		b.batchMsgs++
		b.msg.MaxSegments, b.msg.MaxFields = b.MaxSegments, b.MaxFields
		if err := b.msg.Parse(b.data[msgStart:msgEnd]); err != nil {
			if pe, ok := err.(*ParseError); ok {
				pe.Offset += int64(msgStart)
			}
			b.err = err
			return false
		}
		return true
	}
	for {
		s, ok := b.nextSeg()
		if !ok {
			if msgStart >= 0 {
				return finish()
			}
			return false
		}
		seg := b.data[s.start:s.end]
		if !validSegment(seg, b.d.Field) && !(len(seg) > 3 && isHeaderName(seg)) {
			if b.sc.prevLF && msgStart >= 0 && !b.hasPend {
				msgEnd = s.end // an LF inside a value; see Message.Parse
				continue
			}
			return b.fail(s.start, seg[:min(3, len(seg))], ErrSegmentName)
		}
		name := seg[:3]
		if b.fileDone {
			return b.fail(s.start, name, ErrAfterFileTrailer)
		}
		switch string(name) {
		case "MSH", "FHS", "BHS", "BTS", "FTS":
			if msgStart >= 0 {
				b.pending, b.hasPend = s, true
				return finish()
			}
		default:
			if msgStart < 0 {
				return b.fail(s.start, name, ErrOutsideMessage)
			}
			msgEnd = s.end
			continue
		}
		switch string(name) {
		case "MSH":
			if !b.inBatch && !b.implBatch {
				b.implBatch = true
				b.batchMsgs = 0
				b.fileBats++
			}
			if d, _, ok := parseDelimiters(seg); ok {
				b.d = d
			}
			msgStart, msgEnd = s.start, s.end
		case "FHS":
			if b.inFile {
				return b.fail(s.start, name, ErrNestedFile)
			}
			if b.messages > 0 || b.inBatch || b.implBatch {
				return b.fail(s.start, name, ErrOutsideMessage)
			}
			d, _, ok := parseDelimiters(seg)
			if !ok {
				return b.fail(s.start+3, name, ErrDelimiters)
			}
			b.d, b.inFile = d, true
			b.fileHdr, b.fileSeps = indexHeader(seg, d, b.fileSeps)
		case "BHS":
			if b.inBatch {
				return b.fail(s.start, name, ErrNestedBatch)
			}
			d, _, ok := parseDelimiters(seg)
			if !ok {
				return b.fail(s.start+3, name, ErrDelimiters)
			}
			b.d = d
			b.batchHdr, b.batchSeps = indexHeader(seg, d, b.batchSeps)
			b.inBatch, b.implBatch = true, false
			b.batchMsgs = 0
			b.fileBats++
		case "BTS":
			if !b.inBatch && !b.implBatch {
				b.fileBats++ // an empty batch without a header
				b.batchMsgs = 0
			}
			if n, ok := count(Segment{msg: seg, d: pack(b.d)}.Field(1)); !ok || (n >= 0 && n != b.batchMsgs) {
				return b.fail(s.start, name, ErrBatchCount)
			}
			b.inBatch, b.implBatch = false, false
			b.batchHdr = Segment{}
		case "FTS":
			if n, ok := count(Segment{msg: seg, d: pack(b.d)}.Field(1)); !ok || (n >= 0 && n != b.fileBats) {
				return b.fail(s.start, name, ErrFileCount)
			}
			b.fileDone = true
		}
	}
}

// indexHeader returns an FHS or BHS segment indexed like those of a
// Message, reusing seps.
func indexHeader(seg []byte, d Delimiters, seps []uint32) (Segment, []uint32) {
	// As Message.Parse indexes header segments: first the offset before
	// the segment (-1 wrapped), then the separators and the end.
	seps = appendSeps(append(seps[:0], ^uint32(0)), seg, d.Field)
	seps = append(seps, uint32(len(seg)))
	return Segment{msg: seg, d: pack(d), seps: seps, kind: segHeader}, seps
}

// count parses a trailer count; -1 when empty.
func count(v Value) (int, bool) {
	raw := v.Comp(1).Bytes()
	for len(raw) > 0 && raw[0] == ' ' {
		raw = raw[1:]
	}
	for len(raw) > 0 && raw[len(raw)-1] == ' ' {
		raw = raw[:len(raw)-1]
	}
	if len(raw) == 0 {
		return -1, true
	}
	n := 0
	for _, c := range raw {
		if c < '0' || c > '9' || n > 1<<30 {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

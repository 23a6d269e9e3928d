package ul

import "math"

// Kind says what a decoder [Item] holds.
type Kind uint8

// The kinds of items a [Decoder] yields.
const (
	// KindPDU is a complete PDU other than P-DATA-TF: Item.Type and
	// Item.Body hold its type and body (the bytes after the 6-byte header).
	KindPDU Kind = iota + 1
	// KindPData is the header of a P-DATA-TF PDU; its PDVs follow as
	// KindPDV items.
	KindPData
	// KindPDV is a piece of the value of one presentation data value (PDV):
	// a fragment of a command set or a dataset. A PDV's value can arrive in
	// several pieces, the first with First set and the last with Last set;
	// how it is cut depends on how the stream was cut.
	KindPDV
)

var kindNames = [...]string{KindPDU: "pdu", KindPData: "p-data", KindPDV: "pdv"}

// String returns "pdu", "p-data", "pdv", or a form like "Kind(7)" for
// another value.
func (k Kind) String() string { return nameOrValue(kindNames[:], int(k), "Kind", false) }

// Item is one thing a [Decoder] found in the stream. Body is a view valid
// until the next call to [Decoder.Next] or [Decoder.Feed].
type Item struct {
	Kind   Kind
	Type   Type   // PDU type (KindPDU, KindPData; TypePDataTF for KindPDV)
	Length uint32 // KindPDU, KindPData: PDU length; KindPDV: length of the whole PDV value
	// Offset is the stream offset of the PDU header (KindPDU, KindPData) or
	// of the first byte of Body (KindPDV).
	Offset int64
	Body   []byte

	// KindPDV only.
	ContextID uint8   // presentation context ID
	Control   Control // message control header: ControlCommand, ControlLast
	// First and Last report whether Body begins and ends the PDV value.
	First, Last bool
	// AfterGap reports that bytes of this PDV were lost before Body.
	AfterGap bool
}

// Command reports whether a PDV carries a command set fragment.
func (it *Item) Command() bool { return it.Control&ControlCommand != 0 }

// LastFragment reports whether a PDV is the last fragment of its command
// set or dataset.
func (it *Item) LastFragment() bool { return it.Control&ControlLast != 0 }

type decState uint8

const (
	stHeader    decState = iota // reading a PDU header into hdr
	stBody                      // reading a non-P-DATA PDU body
	stPDVHeader                 // reading a PDV item header into hdr
	stPDVData                   // passing PDV value bytes through
	stResync                    // looking for a plausible PDU header
	stSkip                      // skipping the pduLeft bytes left of a PDU
)

// Decoder decodes one direction of a DICOM upper layer byte stream
// incrementally: hand it bytes with [Decoder.Feed] and take items with
// [Decoder.Next] until it returns [ErrNeedMore]. Chunks may be cut anywhere;
// the PDUs and the bytes of each PDV are the same however the stream is cut.
// Report lost bytes with [Decoder.Gap] and the end of the stream with
// [Decoder.Flush].
//
// P-DATA-TF PDUs are never buffered: their PDVs pass through as views of the
// fed bytes, so a multi-megabyte image costs no copy. Other PDUs are returned
// as views of the fed bytes when a chunk holds them whole, and otherwise
// collected in a buffer that grows with the bytes received, never beyond
// MaxAssociateLength. After the first use a Decoder allocates nothing except
// to grow that buffer and to report errors.
//
// The zero value is ready to use; set the limits before the first Feed.
type Decoder struct {
	// MaxPDULength limits the length field of any PDU; 0 (or less) means
	// DefaultMaxPDULength. A longer PDU is an error and the decoder
	// resynchronises.
	MaxPDULength int
	// MaxAssociateLength limits the length of the PDUs other than
	// P-DATA-TF, which are buffered whole when a chunk does not hold them;
	// 0 (or less) means DefaultMaxAssociateLength. It never exceeds
	// MaxPDULength. An A-ASSOCIATE-RQ proposing 128 presentation contexts
	// with several transfer syntaxes each takes about 50 KiB.
	MaxAssociateLength int
	// Negotiated is the maximum P-DATA-TF length the receiver announced
	// (0: unknown or unlimited). Longer PDUs are still decoded but reported
	// with ErrNegotiated alongside their KindPData item.
	Negotiated uint32

	in  []byte
	off int64 // stream offset of in[0]

	st       decState
	hdr      [6]byte
	hn       int
	pduType  Type
	pduOff   int64
	pduLen   uint32
	pduLeft  uint32 // bytes of the current PDU body not yet consumed
	buf      []byte // body of a PDU being collected across chunks
	pdvLen   uint32
	pdvLeft  uint32
	pdvCtx   uint8
	pdvCtrl  Control
	pdvFirst bool
	gapped   bool

	// inSync reports that the decoder reached the current PDU header by
	// decoding the PDUs before it, from the start of the stream, so that
	// its length can be trusted; trusted is inSync as it was at the
	// header of the PDU being decoded.
	inSync, trusted bool

	// Resynchronisation: a window over the stream that starts with a
	// candidate header not yet decided, and the window's bytes from an
	// accepted header on, replayed as input before the rest of the fed
	// bytes. oversize: the window starts with the header of an
	// A-ASSOCIATE PDU too long to decode, to be skipped whole if what
	// follows it shows that it is one.
	win      [resyncWindow]byte
	wn       int
	rep      [2 * resyncWindow]byte
	saved    []byte
	inRep    bool
	oversize bool

	// allow holds a bit 1<<t for each PDU type t that resynchronisation
	// may find (0: all), set by an [Association] from the state of the
	// association and the direction.
	allow uint8

	flushed bool // Flush was called: report a PDU cut short once
}

// Feed gives the decoder the next bytes of the stream. The decoder reads p
// in place: items returned by Next are views of it, so p must stay
// unchanged until Next returns ErrNeedMore; it is not used after that. Call
// Next until it returns ErrNeedMore before feeding more: bytes of an
// earlier Feed not yet consumed are dropped. Parts of a PDU that the
// decoder must keep across Feed calls are copied.
func (d *Decoder) Feed(p []byte) {
	if d.inRep {
		// Bytes replayed after a resynchronisation come first.
		d.saved = p
		return
	}
	d.in = p
}

// Offset returns the stream offset of the next byte the decoder will read.
func (d *Decoder) Offset() int64 { return d.off }

// Reset makes the decoder ready for a new stream, keeping its limits and its
// buffer for reuse.
func (d *Decoder) Reset() {
	*d = Decoder{MaxPDULength: d.MaxPDULength, MaxAssociateLength: d.MaxAssociateLength, buf: d.buf[:0]}
}

func (d *Decoder) max() uint32 { return limit(d.MaxPDULength, DefaultMaxPDULength) }

func (d *Decoder) maxAssociate() uint32 {
	return min(limit(d.MaxAssociateLength, DefaultMaxAssociateLength), d.max())
}

func (d *Decoder) advance(n int) {
	d.in = d.in[n:]
	d.off += int64(n)
}

// Next returns the next item. It returns ErrNeedMore when the fed bytes are
// used up. Malformed input is reported once as an [*Error], after which the
// decoder goes on with the next PDU: a PDU too long (ErrPDULength) or a
// P-DATA-TF whose PDVs do not fit it (ErrPDVLength) is skipped whole when
// the decoder had followed the stream up to its header (or, for an
// A-ASSOCIATE-RQ or -AC, when the fields after its header show that it is
// one), and otherwise the decoder resynchronises: it looks for the next
// plausible PDU header, never inside a PDU it skips. Plausible means a
// known type, a zero reserved byte, a length that fits the type and, after
// it, what the type requires: protocol version 1, zero reserved fields,
// printable AE titles and an application context item for an
// A-ASSOCIATE-RQ or -AC, a PDV item that fits for a P-DATA-TF, zero
// reserved bytes and a known result or source for the others (an
// [Association] also allows only the types that fit the state of the
// association). Only an error [ErrNegotiated] comes with an item (the
// KindPData it is about).
func (d *Decoder) Next() (Item, error) {
	for {
		it, err := d.next()
		if err == ErrNeedMore && d.inRep {
			// The bytes replayed after a resynchronisation are used up:
			// back to the fed input.
			d.in, d.saved, d.inRep = d.saved, nil, false
			continue
		}
		if err == ErrNeedMore && d.flushed {
			d.flushed = false
			if off, ok := d.cut(); ok {
				d.st, d.hn, d.wn = stHeader, 0, 0
				d.buf = d.buf[:0]
				return Item{}, &Error{Offset: off, Err: ErrTruncated}
			}
		}
		return it, err
	}
}

// Flush tells the decoder that the stream ended. If it ended inside a PDU
// (its header, an A-ASSOCIATE or other buffered PDU, or a P-DATA-TF whose
// PDVs were not all received), the next call to Next returns, once the fed
// bytes are used up, an [*Error] wrapping [ErrTruncated] at the offset of
// that PDU's header; then Next returns ErrNeedMore. The PDV pieces received
// were returned already.
func (d *Decoder) Flush() { d.flushed = true }

// cut returns the offset of the PDU the stream ended in, if any.
func (d *Decoder) cut() (int64, bool) {
	switch d.st {
	case stHeader:
		return d.off - int64(d.hn), d.hn > 0
	case stBody, stPDVData:
		return d.pduOff, true
	case stPDVHeader:
		return d.pduOff, d.pduLeft > 0 || d.hn > 0
	}
	return 0, false // stResync, stSkip: the damage was reported
}

func (d *Decoder) next() (Item, error) {
	for {
		switch d.st {
		case stHeader:
			if d.hn == 0 && len(d.in) >= HeaderLen {
				copy(d.hdr[:], d.in[:HeaderLen])
				d.advance(HeaderLen)
				d.hn = HeaderLen
			} else {
				n := copy(d.hdr[d.hn:HeaderLen], d.in)
				d.advance(n)
				d.hn += n
				if d.hn < HeaderLen {
					return Item{}, ErrNeedMore
				}
			}
			d.hn = 0
			d.pduType, _, d.pduLen = pduHeader(d.hdr[:])
			d.pduOff = d.off - HeaderLen
			d.trusted, d.inSync = d.inSync, false
			if !d.pduType.Valid() {
				return d.fail(d.pduOff, ErrPDUType)
			}
			if d.pduLen > d.max() {
				return d.tooLong()
			}
			d.pduLeft = d.pduLen
			if d.pduType == TypePDataTF {
				d.st = stPDVHeader
				it := Item{Kind: KindPData, Type: TypePDataTF, Length: d.pduLen, Offset: d.pduOff}
				if d.Negotiated != 0 && d.pduLen > d.Negotiated {
					return it, &Error{Offset: d.pduOff + 2, Err: ErrNegotiated}
				}
				return it, nil
			}
			if d.pduLen > d.maxAssociate() {
				return d.tooLong()
			}
			d.st = stBody
			d.buf = d.buf[:0]
			if uint64(len(d.in)) >= uint64(d.pduLen) {
				body := d.in[:d.pduLen]
				d.advance(int(d.pduLen))
				d.st, d.inSync = stHeader, true
				return Item{Kind: KindPDU, Type: d.pduType, Length: d.pduLen, Offset: d.pduOff, Body: body}, nil
			}
		case stBody:
			n := min(uint64(len(d.in)), uint64(d.pduLeft))
			d.buf = append(d.buf, d.in[:n]...)
			d.advance(int(n))
			d.pduLeft -= uint32(n)
			if d.pduLeft > 0 {
				return Item{}, ErrNeedMore
			}
			d.st, d.inSync = stHeader, true
			return Item{Kind: KindPDU, Type: d.pduType, Length: d.pduLen, Offset: d.pduOff, Body: d.buf}, nil
		case stPDVHeader:
			if d.pduLeft == 0 {
				d.st, d.inSync = stHeader, true
				continue
			}
			if d.pduLeft < pdvHeaderLen {
				return d.badPDV(d.off)
			}
			if d.hn == 0 && len(d.in) >= pdvHeaderLen {
				copy(d.hdr[:], d.in[:pdvHeaderLen])
				d.advance(pdvHeaderLen)
			} else {
				n := copy(d.hdr[d.hn:pdvHeaderLen], d.in)
				d.advance(n)
				d.hn += n
				if d.hn < pdvHeaderLen {
					return Item{}, ErrNeedMore
				}
				d.hn = 0
			}
			n, ctx, ctl := pdvHeader(d.hdr[:])
			d.pduLeft -= pdvHeaderLen
			if n < 2 || n-2 > d.pduLeft {
				return d.badPDV(d.off - pdvHeaderLen)
			}
			d.pdvLen = n - 2
			d.pdvLeft = d.pdvLen
			d.pdvCtx = ctx
			d.pdvCtrl = ctl
			d.pdvFirst = true
			d.gapped = false
			d.st = stPDVData
			if d.pdvLen == 0 {
				d.st = stPDVHeader
				return Item{Kind: KindPDV, Type: TypePDataTF, Offset: d.off, Body: d.in[:0],
					ContextID: d.pdvCtx, Control: d.pdvCtrl, First: true, Last: true}, nil
			}
		case stPDVData:
			if len(d.in) == 0 {
				return Item{}, ErrNeedMore
			}
			n := min(uint64(len(d.in)), uint64(d.pdvLeft))
			it := Item{Kind: KindPDV, Type: TypePDataTF, Length: d.pdvLen, Offset: d.off, Body: d.in[:n],
				ContextID: d.pdvCtx, Control: d.pdvCtrl, First: d.pdvFirst, AfterGap: d.gapped}
			d.advance(int(n))
			d.pdvLeft -= uint32(n)
			d.pduLeft -= uint32(n)
			d.pdvFirst = false
			d.gapped = false
			if d.pdvLeft == 0 {
				it.Last = true
				d.st = stPDVHeader
			}
			return it, nil
		case stResync:
			if err := d.resync(); err != nil {
				return Item{}, err
			}
		case stSkip:
			n := min(uint64(len(d.in)), uint64(d.pduLeft))
			d.advance(int(n))
			d.pduLeft -= uint32(n)
			if d.pduLeft > 0 {
				return Item{}, ErrNeedMore
			}
			d.st, d.inSync = stHeader, true
		}
	}
}

// fail reports err at off and switches to resynchronisation.
func (d *Decoder) fail(off int64, err error) (Item, error) {
	d.st = stResync
	d.hn = 0
	d.wn = 0
	d.oversize = false
	return Item{}, &Error{Offset: off, Err: err}
}

// tooLong reports the PDU whose header was just read as too long, and
// skips it whole if its header can be trusted: the decoder followed the
// stream up to it, or it is an A-ASSOCIATE-RQ or -AC that resync checks
// as a candidate, with the fields after its header, before searching
// anywhere else.
func (d *Decoder) tooLong() (Item, error) {
	it, err := d.fail(d.pduOff+2, ErrPDULength)
	switch {
	case d.trusted:
		d.st, d.pduLeft = stSkip, d.pduLen
	case d.pduType == TypeAssociateRQ || d.pduType == TypeAssociateAC:
		d.wn = copy(d.win[:], d.hdr[:HeaderLen])
		d.oversize = true
	}
	return it, err
}

// badPDV reports a PDV item that does not fit its P-DATA-TF, at off, and
// skips the rest of the PDU if its header can be trusted.
func (d *Decoder) badPDV(off int64) (Item, error) {
	it, err := d.fail(off, ErrPDVLength)
	if d.trusted {
		d.st = stSkip // pduLeft bytes are left
	}
	return it, err
}

// resync looks for the next plausible PDU header (see plausibleAt) in
// stream order: first at the candidates in the window, bytes consumed
// before that the input they were in ended too soon to judge, then in
// place in the input. A candidate the input ends too soon to judge is
// kept in the window, with what follows it. The decision depends only on
// the stream's content and on d.allow, never on how the stream was cut.
// The window's bytes from an accepted header on are replayed as input.
func (d *Decoder) resync() error {
	max, maxA := d.max(), d.maxAssociate()
	if d.wn > 0 {
		// Judge the window's candidates with the input that follows.
		var tmp [2 * resyncWindow]byte
		n := copy(tmp[:], d.win[:d.wn])
		n += copy(tmp[n:], d.in)
		for j := range d.wn {
			var ok, decided bool
			if j == 0 && d.oversize {
				// The header of an A-ASSOCIATE PDU too long, whose
				// length is then not held to the limit.
				ok, decided = plausibleAt(tmp[:n], 0, 0, math.MaxUint32)
			} else {
				ok, decided = plausibleAt(tmp[j:n], d.allow, max, maxA)
			}
			switch {
			case !decided:
				// All the input is in tmp, and not enough.
				d.wn = copy(d.win[:], tmp[j:n])
				d.advance(len(d.in))
				return ErrNeedMore
			case ok && j == 0 && d.oversize:
				d.oversize = false
				d.st, d.pduLeft = stSkip, d.pduLen-uint32(d.wn-HeaderLen)
				d.wn = 0
				return nil
			case ok:
				d.replay(j)
				return nil
			}
			d.oversize = false
		}
		d.wn = 0
	}
	in := d.in
	allow := uint16(d.allow)
	if allow == 0 {
		allow = 0xfe // types 1 to 7
	}
	for i := 0; i < len(in); i++ {
		// Most bytes are not an allowed PDU type followed by a zero and
		// a length that fits.
		c := in[i]
		if c > 7 || allow>>c&1 == 0 || i+1 < len(in) && in[i+1] != 0 ||
			i+HeaderLen <= len(in) && !lengthFits(Type(c), be32(in[i+2:]), max, maxA) {
			continue
		}
		ok, decided := plausibleAt(in[i:], d.allow, max, maxA)
		if ok {
			d.advance(i)
			d.st = stHeader
			return nil
		}
		if !decided {
			d.wn = copy(d.win[:], in[i:])
			break
		}
	}
	d.advance(len(in))
	return ErrNeedMore
}

// replay accepts the header at d.win[j]: the window's bytes from there are
// read again, before what is left of the input, from the header state.
func (d *Decoder) replay(j int) {
	extra := d.win[j:d.wn]
	var tmp [len(d.rep)]byte
	n := copy(tmp[:], extra)
	if d.inRep {
		// What is left of replayed bytes comes next. The window is then
		// the header of a PDU too long read from them (a window that
		// grows takes all the input, ending the replay), so all fit.
		n += copy(tmp[n:], d.in)
	} else {
		d.saved, d.inRep = d.in, true
	}
	d.rep = tmp
	d.in = d.rep[:n]
	d.off -= int64(len(extra))
	d.wn = 0
	d.st = stHeader
}

// Gap tells the decoder that n bytes of the stream were lost (n < 0: an
// unknown number). Inside a PDV value with a known n that stays within it,
// decoding continues and the next piece has AfterGap set; otherwise the
// decoder drops what it holds and resynchronises at the next plausible PDU
// header.
func (d *Decoder) Gap(n int) {
	if n >= 0 {
		d.off += int64(n)
	}
	if d.st == stPDVData && n >= 0 && uint64(n) < uint64(d.pdvLeft) {
		d.pdvLeft -= uint32(n)
		d.pduLeft -= uint32(n)
		d.pdvFirst = false
		d.gapped = true
		return
	}
	if d.st == stSkip && n >= 0 && uint64(n) < uint64(d.pduLeft) {
		d.pduLeft -= uint32(n)
		return
	}
	d.st = stResync
	d.hn = 0
	d.wn = 0
	d.oversize = false
	d.inSync = false
	d.buf = d.buf[:0]
}

// Buffered returns the bytes the decoder holds of a PDU split across
// chunks: the part of an A-ASSOCIATE or other non-P-DATA-TF PDU collected so
// far (P-DATA-TF is never buffered). It counts what is held, not the
// capacity kept for reuse.
func (d *Decoder) Buffered() int {
	if d.st == stBody {
		return len(d.buf)
	}
	return 0
}

package dicom

import (
	"bytes"
	"encoding/binary"
	"io"

	"github.com/klauspost/compress/flate"
)

// UndefinedLength is the value length 0xFFFFFFFF of sequences, items and
// encapsulated pixel data whose end is marked by a delimitation item.
const UndefinedLength = 0xFFFFFFFF

// Defaults for the parser's limits.
const (
	DefaultMaxDepth    = 64
	DefaultMaxInflated = 64 << 20
)

// Header describes one data element, item or delimiter as returned by
// [Parser.Next].
type Header struct {
	Tag    Tag
	VR     VR     // 0 for items and delimiters
	Length uint32 // value length as declared; UndefinedLength for undefined
	// Offset is the byte offset of the element's tag in the input. For the
	// deflated syntax, offsets past the meta group are the offset where the
	// deflated data starts plus the position in the inflated dataset.
	Offset int64
	// Depth is the number of sequences enclosing the element: 0 at top level.
	// Item and delimitation headers have the depth of the elements inside
	// their sequence.
	Depth int
	// Item is the index, within its sequence, of the item enclosing the
	// element (or of the item itself for item headers and fragments); -1 at
	// top level.
	Item int
	// BigEndian reports whether binary values are big endian.
	BigEndian bool
	// Fragment is true for the items of encapsulated pixel data: the first
	// (Item 0) is the basic offset table, the rest are compressed fragments.
	Fragment bool
	// Truncated is set, only in [Parser.Lenient] mode, on an element, item
	// or fragment whose declared length runs past the end of the input:
	// Length keeps the declared length, and [Parser.Value] returns the
	// bytes that are there. For a sequence or item it means that its
	// contents end with the input.
	Truncated bool
}

// IsSequence reports whether h opens a sequence (including encapsulated pixel
// data): the following headers, one level deeper, are its items.
func (h *Header) IsSequence() bool {
	return h.VR == SQ || (h.Length == UndefinedLength && h.Tag != TagItem && !h.Tag.IsDelimiter())
}

// IsItem reports whether h is an item of a sequence (not a fragment).
func (h *Header) IsItem() bool { return h.Tag == TagItem && !h.Fragment }

// UndefinedLength reports whether h.Length is [UndefinedLength].
func (h *Header) UndefinedLength() bool { return h.Length == UndefinedLength }

// OddLength reports whether the declared length is odd, which the standard
// forbids but real files contain; the parser tolerates it.
func (h *Header) OddLength() bool { return h.Length != UndefinedLength && h.Length&1 == 1 }

type frameKind uint8

const (
	frameSeq   frameKind = iota + 1 // sequence: holds items
	frameItem                       // item: holds elements
	framePixel                      // encapsulated pixel data: holds fragments
)

type frame struct {
	end   int64 // absolute end offset, or -1 for undefined length
	kind  frameKind
	enc   Encoding // encoding of the contents
	items int      // number of items seen in a sequence
	item  int      // index of an item in its sequence
}

// creatorRec is one private creator in force: the value of the creator
// element tag in the dataset at nesting level (len(Parser.stack)).
type creatorRec struct {
	level int
	tag   Tag
	n     uint8 // length of name; 0 for a value too long to be in the dictionary
	name  [maxCreatorLen]byte
	dict  int16 // index of name in privateCreators, or -1
}

// maxCreatorLen is the longest private creator kept: LO values have at most
// 64 characters.
const maxCreatorLen = 64

// maxCreators bounds the private creators tracked at once, over all the
// enclosing datasets; creators past it are not tracked, and their
// elements are looked up as unknown. Real files use a few dozen at most.
const maxCreators = 128

// A Parser scans a DICOM file or dataset held in a []byte. The zero value is
// ready to use after [Parser.Start]; a Parser may be reused for any number of
// inputs and then allocates nothing (see the package documentation).
type Parser struct {
	// MaxDepth limits the nesting of sequences; 0 means DefaultMaxDepth.
	MaxDepth int
	// MaxInflated limits the size of an inflated deflated-syntax dataset; 0
	// means DefaultMaxInflated.
	MaxInflated int
	// ConvertUN reports a UN element of defined length whose tag the data
	// dictionary knows with the dictionary's VR, and reads it as an implicit
	// VR little endian sequence when that VR is SQ (dcmtk's +uc). UN of
	// undefined length is always read as such a sequence.
	ConvertUN bool
	// Lenient reads a truncated input as far as it goes, as pydicom and
	// dcmtk's dcmdump +E do. By default a value, item or sequence whose
	// declared length runs past the end of the input stops the parser with
	// an [*Error] wrapping [ErrLength] at its header, and a sequence or
	// item left open at the end of the input with [ErrUnterminated]. In
	// lenient mode Next yields every complete element, then the one cut
	// short with [Header.Truncated] set (its value view holds the bytes
	// that remain); a sequence or item that runs past the end is entered as
	// usual and closed where the input ends, without delimiters. Once the
	// input is exhausted Next reports the truncation once, as an [*Error]
	// wrapping [ErrTruncated] with the offset and tag of the first header
	// flagged Truncated (or of a header cut short, which is not yielded),
	// or wrapping [ErrUnterminated] with the end offset when the input ends
	// between elements inside a sequence or item of undefined length; the
	// calls after it return io.EOF. A deflated dataset cut short is
	// inflated as far as it goes and reported the same way. Errors that are
	// not truncation (a length past the end of its enclosing item, a stray
	// delimiter, nesting too deep) stop the parser as in the default mode.
	Lenient bool

	buf   []byte
	off   int
	base  int64 // offset of buf[0] in the reported offset space
	enc   Encoding
	stack []frame

	inMeta   bool
	preamble bool
	pre      []byte // the preamble, kept apart as buf changes for deflate
	tsLen    int
	tsBuf    [64]byte // transfer syntax UID from the meta group, padding removed
	csLen    int
	csBuf    [128]byte // last top-level Specific Character Set value

	// Private creators (gggg,00xx) of the enclosing datasets, outermost
	// first, for looking up private elements in the private dictionary.
	creators []creatorRec

	// Streaming (used by Reader): more input may follow buf, and the
	// deflated syntax is left to the Reader.
	more   bool
	stream bool

	lastTag   Tag // tag, VR and byte order of the last header, for Skip and TypedValue
	lastLevel int // len(stack) before the last element header
	lastVR    VR
	lastBig   bool
	valStart  int
	valEnd    int
	hasValue  bool
	err       error
	depthAdj  int // depth of enclosing sequences, cached: number of seq/pixel frames

	// Lenient mode: the first header flagged Truncated (or cut short),
	// reported at the end of the input, and whether the deflated data
	// ended early.
	cut        bool
	cutOff     int64
	cutTag     Tag
	inflateCut bool

	// deflate state, kept for reuse
	inflated []byte
	zr       io.ReadCloser
	br       bytes.Reader
}

// Start begins parsing b: a Part 10 file (128-byte preamble and "DICM", or
// "DICM" alone, then the file meta group) or a raw dataset without meta
// group, whose byte order and VR encoding are detected from its first
// element. b is not copied: it must not be modified while the parser is in
// use, and views returned by [Parser.Value] point into it.
func (p *Parser) Start(b []byte) error {
	p.reset(b)
	switch {
	case len(b) >= 132 && string(b[128:132]) == "DICM":
		p.preamble = true
		p.pre = b[:128:128]
		p.off = 132
		p.inMeta = true
		p.enc = ExplicitVRLittleEndian
	case len(b) >= 4 && string(b[:4]) == "DICM":
		p.off = 4
		p.inMeta = true
		p.enc = ExplicitVRLittleEndian
	default:
		p.enc = detectEncoding(b)
		p.inMeta = len(b) >= 2 && b[0] == 2 && b[1] == 0
		if p.inMeta {
			p.enc = detectEncoding(b) // meta group may be implicit in old files
		}
	}
	return nil
}

// StartDataset begins parsing b as a raw dataset (no preamble, no meta group)
// in the encoding enc, such as a DIMSE command set (implicit VR little
// endian) or a C-STORE dataset whose transfer syntax was negotiated.
func (p *Parser) StartDataset(b []byte, enc Encoding) error {
	p.reset(b)
	p.enc = enc
	if enc == DeflatedExplicitVRLittleEndian {
		return p.inflate()
	}
	return nil
}

// Reset forgets the current input and drops the parser's references to it,
// keeping its buffers for reuse.
func (p *Parser) Reset() { p.reset(nil) }

func (p *Parser) reset(b []byte) {
	p.buf = b
	p.off = 0
	p.base = 0
	p.enc = ExplicitVRLittleEndian
	p.stack = p.stack[:0]
	p.inMeta = false
	p.preamble = false
	p.pre = nil
	p.tsLen = -1
	p.csLen = 0
	p.creators = p.creators[:0]
	p.more = false
	p.stream = false
	p.lastTag, p.lastVR, p.lastBig = 0, 0, false
	p.lastLevel = 0
	p.hasValue = false
	p.err = nil
	p.depthAdj = 0
	p.cut, p.cutOff, p.cutTag, p.inflateCut = false, 0, 0, false
	p.inflated = p.inflated[:0]
}

// Preamble returns the 128-byte preamble of a Part 10 file, or nil when the
// input had none. The view is valid as long as the input.
func (p *Parser) Preamble() []byte {
	return p.pre
}

// TransferSyntax returns the transfer syntax UID named by the file meta
// group, without padding, once the parser has read it; nil for raw datasets.
// The result is valid until the next Start.
func (p *Parser) TransferSyntax() []byte {
	if p.tsLen < 0 {
		return nil
	}
	return p.tsBuf[:p.tsLen]
}

// Encoding returns the encoding of the top-level dataset: for a Part 10
// file, the meta group's explicit VR little endian until the meta group has
// been read, then that of its transfer syntax.
func (p *Parser) Encoding() Encoding { return p.enc }

// Offset returns the offset of the next byte the parser will read.
func (p *Parser) Offset() int64 { return p.base + int64(p.off) }

// detectEncoding guesses the encoding of a dataset from its first element.
func detectEncoding(b []byte) Encoding {
	if len(b) < 6 {
		return ImplicitVRLittleEndian
	}
	if isVRBytes(b[4], b[5]) {
		// Big endian if the group reads as a small number only that way
		// round, as with 00 08 for group 0008.
		if b[0] == 0 && b[1] != 0 {
			return ExplicitVRBigEndian
		}
		return ExplicitVRLittleEndian
	}
	return ImplicitVRLittleEndian
}

func isVRBytes(a, b byte) bool {
	a -= 'A'
	b -= 'A'
	return a < 26 && b < 26 && vrTable[int(a)*26+int(b)]&vrKnown != 0
}

const (
	vrKnown = 1 << iota
	vrLong
)

// vrTable holds, for each pair of upper-case letters, whether it is a known
// VR and whether explicit VR gives it a 32-bit length.
var vrTable = func() (t [26 * 26]uint8) {
	for a := byte('A'); a <= 'Z'; a++ {
		for b := byte('A'); b <= 'Z'; b++ {
			v := VR(a)<<8 | VR(b)
			var f uint8
			if v.IsKnown() {
				f |= vrKnown
			}
			if v.hasLongLength() {
				f |= vrLong
			}
			t[int(a-'A')*26+int(b-'A')] = f
		}
	}
	return t
}()

func (p *Parser) fail(off int, tag Tag, err error) error {
	p.err = &Error{Offset: p.base + int64(off), Tag: tag, Err: err}
	p.hasValue = false
	return p.err
}

// lenient reports whether input cut short is read as far as it goes: in
// lenient mode, over a whole input (the Reader's streaming mode has no
// lenient reading).
func (p *Parser) lenient() bool { return p.Lenient && !p.more && !p.stream }

// markCut records the first truncation for the report at the end of the
// input.
func (p *Parser) markCut(off int, tag Tag) {
	if !p.cut {
		p.cut, p.cutOff, p.cutTag = true, p.base+int64(off), tag
	}
}

// overrun reports whether a value of n bytes at off, which does not fit,
// is cut by the end of the input rather than running past its enclosing
// container: in lenient mode, a truncated value to yield as such.
func (p *Parser) overrun(off int, n uint32, ce int64) bool {
	end := int64(off) + int64(n)
	return p.lenient() && end > int64(len(p.buf)) && (ce < 0 || end <= ce)
}

// endCut ends a lenient walk at the end of the input: every open sequence
// and item is closed, and the truncation, if any, is reported once.
func (p *Parser) endCut() error {
	open := len(p.stack) > 0
	for len(p.stack) > 0 {
		p.pop()
	}
	p.hasValue = false
	switch {
	case p.cut:
		p.err = io.EOF
		return &Error{Offset: p.cutOff, Tag: p.cutTag, Err: ErrTruncated}
	case p.inflateCut:
		p.err = io.EOF
		return &Error{Offset: p.base + int64(len(p.buf)), Err: ErrTruncated}
	case open:
		p.err = io.EOF
		return &Error{Offset: p.base + int64(len(p.buf)), Err: ErrUnterminated}
	}
	p.err = io.EOF
	return io.EOF
}

func (p *Parser) maxDepth() int {
	if p.MaxDepth > 0 {
		return p.MaxDepth
	}
	return DefaultMaxDepth
}

// curEnc is the encoding of the data at the cursor.
func (p *Parser) curEnc() Encoding {
	if n := len(p.stack); n > 0 {
		return p.stack[n-1].enc
	}
	return p.enc
}

func (p *Parser) u16(b []byte, big bool) uint16 {
	if big {
		return binary.BigEndian.Uint16(b)
	}
	return binary.LittleEndian.Uint16(b)
}

func (p *Parser) u32(b []byte, big bool) uint32 {
	if big {
		return binary.BigEndian.Uint32(b)
	}
	return binary.LittleEndian.Uint32(b)
}

// Next returns the header of the next element, item or delimiter, moving
// past the value of the previous element if it was not read. After a
// sequence or item header, Next descends into it; call [Parser.Skip] to step
// over it instead. Next returns io.EOF at the end of the input, and an
// [*Error] for malformed input; after an error every call returns the same
// error.
func (p *Parser) Next() (h Header, err error) {
	if err = p.nextInto(&h); err != nil {
		h = Header{}
	}
	return h, err
}

// nextInto is Next writing into *h, so that the Reader can have it fill its
// own result without a copy.
func (p *Parser) nextInto(h *Header) error {
	if p.err != nil {
		return p.err
	}
	p.hasValue = false
	if p.off > len(p.buf) {
		// Only in streaming mode: a value reaches past the buffer.
		if p.more {
			return errMore
		}
		return p.fail(len(p.buf), p.lastTag, ErrTruncated)
	}
	// Leave every defined-length item and sequence that has ended.
	for n := len(p.stack); n > 0; n = len(p.stack) {
		f := &p.stack[n-1]
		if f.end < 0 || int64(p.off) < f.end {
			break
		}
		p.pop()
	}
	if p.off >= len(p.buf) {
		if p.more {
			return errMore
		}
		if len(p.stack) > 0 {
			if p.lenient() {
				return p.endCut()
			}
			return p.fail(p.off, 0, ErrUnterminated)
		}
		if p.cut || p.inflateCut {
			return p.endCut()
		}
		if p.inMeta {
			if err := p.endMeta(); err != nil {
				return err
			}
			if p.off < len(p.buf) {
				return p.nextInto(h)
			}
		}
		p.err = io.EOF
		return io.EOF
	}
	if p.inMeta && len(p.stack) == 0 {
		if len(p.buf)-p.off < 6 && p.more {
			// Streaming: the group number, and the VR bytes in case the
			// encoding must be detected after the meta group.
			return errMore
		}
		if len(p.buf)-p.off < 2 || binary.LittleEndian.Uint16(p.buf[p.off:]) != 2 {
			if err := p.endMeta(); err != nil {
				return err
			}
			if p.off >= len(p.buf) {
				p.err = io.EOF
				return io.EOF
			}
		}
	}
	enc := p.curEnc()
	big := enc.bigEndian()
	start := p.off
	ce := p.containerEnd()
	lim := len(p.buf)
	if ce >= 0 && ce < int64(lim) {
		lim = int(ce)
	}
	// short: a header cut by the end of the buffer may continue in input
	// still to come.
	short := p.more && (ce < 0 || ce > int64(len(p.buf)))
	b := p.buf[start:lim]
	if len(b) < 8 {
		if short {
			return errMore
		}
		var tag Tag
		if len(b) >= 4 {
			tag = NewTag(p.u16(b, big), p.u16(b[2:], big))
		}
		return p.cutHeader(start, tag, ce)
	}
	tag := NewTag(p.u16(b, big), p.u16(b[2:], big))
	// The header is built field by field in the result: building it
	// elsewhere and copying it costs store-forwarding stalls.
	h.Tag = tag
	h.Offset = p.base + int64(start)
	h.Depth = p.depthAdj
	h.Item = p.itemIndex()
	h.BigEndian = big
	p.lastTag, p.lastBig = tag, big
	n := len(p.stack)
	var top *frame
	if n > 0 {
		top = &p.stack[n-1]
	}

	if tag.IsDelimiter() {
		h.Length = p.u32(b[4:], big)
		p.off = start + 8
		switch tag {
		case TagItem:
			if top == nil || top.kind == frameItem {
				return p.fail(start, tag, ErrDelimiter)
			}
			h.Item = top.items
			top.items++
			if top.kind == framePixel {
				if h.Length == UndefinedLength {
					return p.fail(start, tag, ErrUndefinedLength)
				}
				if !p.fits(p.off, h.Length, ce) {
					if !p.overrun(p.off, h.Length, ce) {
						return p.fail(start, tag, ErrLength)
					}
					h.Truncated = true
					p.markCut(start, tag)
				}
				h.Fragment = true
				p.setValue(h)
				p.hasValue = true
				p.lastVR = h.VR
				return nil
			}
			end := int64(-1)
			if h.Length != UndefinedLength {
				if !p.fits(p.off, h.Length, ce) {
					if !p.overrun(p.off, h.Length, ce) {
						return p.fail(start, tag, ErrLength)
					}
					h.Truncated = true
					p.markCut(start, tag)
				}
				end = int64(p.off) + int64(h.Length)
			}
			p.push(frame{end: end, kind: frameItem, enc: top.enc, item: h.Item})
		case TagItemDelimitation:
			if top == nil || top.kind != frameItem || top.end >= 0 {
				return p.fail(start, tag, ErrDelimiter)
			}
			h.Item = top.item
			p.pop()
		case TagSequenceDelimitation:
			if top != nil && top.kind == frameItem && top.end < 0 {
				// Missing item delimiter: tolerated, as dcmtk does.
				p.pop()
				n--
				top = nil
				if n > 0 {
					top = &p.stack[n-1]
				}
			}
			if top == nil || top.kind == frameItem || top.end >= 0 {
				return p.fail(start, tag, ErrDelimiter)
			}
			h.Item = -1
			p.pop()
		default:
			return p.fail(start, tag, ErrDelimiter)
		}
		p.lastVR = h.VR
		return nil
	}
	if top != nil && top.kind != frameItem {
		return p.fail(start, tag, ErrItemExpected)
	}

	// Element header.
	p.lastLevel = n
	var hl int
	if enc.explicit() && isVRBytes(b[4], b[5]) {
		h.VR = VR(b[4])<<8 | VR(b[5])
		if vrTable[int(b[4]-'A')*26+int(b[5]-'A')]&vrLong != 0 {
			if len(b) < 12 {
				if short {
					return errMore
				}
				return p.cutHeader(start, tag, ce)
			}
			h.Length = p.u32(b[8:], big)
			hl = 12
		} else {
			h.Length = uint32(p.u16(b[6:], big))
			hl = 8
		}
	} else {
		// Implicit VR, or an explicit-VR dataset with an element whose VR
		// bytes are not a VR: read it as implicit, as dcmtk does.
		h.VR = p.implicitVR(tag)
		h.Length = p.u32(b[4:], big)
		hl = 8
	}
	seqEnc := enc // encoding of a defined-length sequence's contents
	if h.VR == UN && p.ConvertUN && h.Length != UndefinedLength {
		if vr := p.implicitVR(tag); vr != UN {
			h.VR = vr
			if vr == SQ {
				seqEnc = ImplicitVRLittleEndian // PS3.5 6.2.2
			}
		}
	}
	if p.more && (n == 0 && (tag == TagTransferSyntaxUID || tag == TagSpecificCharacterSet) || tag.IsPrivateCreator()) &&
		h.Length <= 128 && start+hl+int(h.Length) > len(p.buf) {
		// Streaming: keep these values whole in the buffer, as the parser
		// copies them.
		return errMore
	}
	p.off = start + hl

	if h.Length == UndefinedLength {
		inner := enc
		kind := frameSeq
		switch {
		case h.VR == SQ:
		case h.VR == UN:
			// UN of undefined length holds an implicit VR little endian
			// sequence (PS3.5 6.2.2); so do unknown tags in implicit VR.
			inner = ImplicitVRLittleEndian
			h.VR = SQ
			if tag == TagPixelData {
				kind, h.VR, inner = framePixel, OB, enc
			}
		case h.VR == OB || h.VR == OW || tag == TagPixelData:
			kind = framePixel
		default:
			return p.fail(start, tag, ErrUndefinedLength)
		}
		if p.depthAdj >= p.maxDepth() {
			return p.fail(start, tag, ErrDepth)
		}
		p.push(frame{end: -1, kind: kind, enc: inner})
		p.lastVR = h.VR
		return nil
	}
	if !p.fits(p.off, h.Length, ce) {
		if !p.overrun(p.off, h.Length, ce) {
			return p.fail(start, tag, ErrLength)
		}
		h.Truncated = true
		p.markCut(start, tag)
	}
	if h.VR == SQ {
		if p.depthAdj >= p.maxDepth() {
			return p.fail(start, tag, ErrDepth)
		}
		p.push(frame{end: int64(p.off) + int64(h.Length), kind: frameSeq, enc: seqEnc})
		p.lastVR = h.VR
		return nil
	}
	p.setValue(h)
	if tag.IsPrivateCreator() && p.valEnd <= len(p.buf) {
		p.addCreator(tag, p.buf[p.valStart:p.valEnd])
	}
	if n == 0 {
		switch tag {
		case TagTransferSyntaxUID:
			if p.inMeta && p.valEnd <= len(p.buf) {
				p.tsLen = copy(p.tsBuf[:], trimUID(p.buf[p.valStart:p.valEnd]))
			}
		case TagSpecificCharacterSet:
			if p.valEnd <= len(p.buf) {
				p.csLen = copy(p.csBuf[:], p.buf[p.valStart:p.valEnd])
			}
		}
	}
	p.lastVR = h.VR
	return nil
}

// setValue makes the value of h, which starts at the cursor, the current
// value and moves past it: to the end of the input for a truncated value.
func (p *Parser) setValue(h *Header) {
	p.valStart = p.off
	if h.Truncated {
		p.valEnd = len(p.buf)
	} else {
		p.valEnd = p.off + int(h.Length)
	}
	p.off = p.valEnd
	p.hasValue = true
}

// cutHeader reports a header at start cut short by the end of the data it
// is in: an error, or in lenient mode, when the end of the input cut it,
// the end of the walk.
func (p *Parser) cutHeader(start int, tag Tag, ce int64) error {
	if p.lenient() && (ce < 0 || ce > int64(len(p.buf))) {
		p.markCut(start, tag)
		p.off = len(p.buf)
		return p.endCut()
	}
	return p.fail(start, tag, ErrTruncated)
}

// endMeta switches from the meta group to the dataset's encoding.
func (p *Parser) endMeta() error {
	p.inMeta = false
	if p.tsLen < 0 {
		p.enc = detectEncoding(p.buf[p.off:])
		return nil
	}
	enc, ok := EncodingOf(p.TransferSyntax())
	if !ok {
		enc = detectEncoding(p.buf[p.off:])
	}
	p.enc = enc
	if enc == DeflatedExplicitVRLittleEndian {
		if p.stream {
			p.enc = ExplicitVRLittleEndian
			return errInflate
		}
		return p.inflate()
	}
	return nil
}

// inflate replaces the rest of the input by its inflated form. The
// standard asks for raw deflate (RFC 1951); data wrapped in a zlib header
// (RFC 1950), as some writers produce, is recognised by [zlibWrapped] and
// inflated after its header. The Reader applies the same rule, so both
// accept the same inputs.
func (p *Parser) inflate() error {
	if zlibWrapped(p.buf[p.off:]) {
		return p.inflateFrom(p.off + 2)
	}
	return p.inflateFrom(p.off)
}

// zlibWrapped reports whether deflated data b starts with a zlib header
// rather than raw deflate. A zlib header's first byte, read as raw deflate,
// opens a stored block, whose next four bytes must be a length and its
// one's complement; a valid raw stream therefore never qualifies, and a
// zlib stream qualifies unless its bytes 1-4 happen to form such a pair (a
// 1 in 65536 chance, left as raw deflate). It needs 5 bytes, or all of b
// when shorter.
func zlibWrapped(b []byte) bool {
	if !isZlibHeader(b) {
		return false
	}
	if len(b) < 5 {
		return true
	}
	return binary.LittleEndian.Uint16(b[1:]) != ^binary.LittleEndian.Uint16(b[3:])
}

func isZlibHeader(b []byte) bool {
	return len(b) >= 2 && b[0]&0x0F == 8 && b[0]>>4 <= 7 && b[1]&0x20 == 0 && (uint16(b[0])<<8|uint16(b[1]))%31 == 0
}

func (p *Parser) inflateFrom(from int) error {
	start := p.off
	p.br.Reset(p.buf[from:])
	if p.zr == nil {
		p.zr = flate.NewReader(&p.br)
	} else if err := p.zr.(flate.Resetter).Reset(&p.br, nil); err != nil {
		return p.fail(start, 0, ErrDeflate)
	}
	limit := p.MaxInflated
	if limit <= 0 {
		limit = DefaultMaxInflated
	}
	out := p.inflated[:0]
	for {
		if len(out) == cap(out) {
			if len(out) > limit {
				return p.fail(start, 0, ErrInflatedSize)
			}
			n := max(2*cap(out), 4096)
			n = min(n, limit+1)
			nb := make([]byte, len(out), n)
			copy(nb, out)
			out = nb
		}
		n, err := p.zr.Read(out[len(out):cap(out)])
		out = out[:len(out)+n]
		if len(out) > limit {
			p.inflated = out[:0]
			return p.fail(start, 0, ErrInflatedSize)
		}
		if err == io.EOF {
			break
		}
		if err == io.ErrUnexpectedEOF && p.lenient() {
			// Cut short: read what was inflated.
			p.inflateCut = true
			break
		}
		if err != nil {
			p.inflated = out[:0]
			return p.fail(start, 0, ErrDeflate)
		}
	}
	p.inflated = out
	// Offsets in the dataset count from where the deflated data starts.
	p.base += int64(p.off)
	p.buf = out
	p.off = 0
	p.enc = ExplicitVRLittleEndian
	return nil
}

func (p *Parser) push(f frame) {
	p.stack = append(p.stack, f)
	if f.kind != frameItem {
		p.depthAdj++
	}
}

func (p *Parser) pop() {
	n := len(p.stack) - 1
	if p.stack[n].kind != frameItem {
		p.depthAdj--
	}
	p.stack = p.stack[:n]
	// The creators of the dataset left end with it.
	for k := len(p.creators); k > 0 && p.creators[k-1].level > n; k-- {
		p.creators = p.creators[:k-1]
	}
}

// addCreator records the private creator value v of the creator element
// tag in the current dataset, replacing an earlier value of tag there.
func (p *Parser) addCreator(tag Tag, v []byte) {
	level := len(p.stack)
	v = trim(v, LO)
	var r *creatorRec
	for k := len(p.creators) - 1; k >= 0 && p.creators[k].level == level; k-- {
		if p.creators[k].tag == tag {
			r = &p.creators[k]
			break
		}
	}
	if r == nil {
		if len(p.creators) >= maxCreators {
			return
		}
		p.creators = append(p.creators, creatorRec{level: level, tag: tag})
		r = &p.creators[len(p.creators)-1]
	}
	r.n, r.dict = 0, -1
	if len(v) <= maxCreatorLen {
		r.n = uint8(copy(r.name[:], v))
		// Looked up once here rather than for each element of its block.
		r.dict = int16(findCreator(v))
	}
}

// creatorAt returns the private creator in force for the block of the
// private data element t in the dataset at nesting level (the current one
// or one that encloses it), or nil.
func (p *Parser) creatorAt(t Tag, level int) *creatorRec {
	ct := t.PrivateCreator()
	if ct == 0 {
		return nil
	}
	k := len(p.creators) - 1
	for k >= 0 && p.creators[k].level > level {
		k--
	}
	for ; k >= 0 && p.creators[k].level == level; k-- {
		if r := &p.creators[k]; r.tag == ct {
			return r
		}
	}
	return nil
}

// implicitVR returns the VR of tag for implicit VR data: that of the data
// dictionary, or for a private data element that of the private dictionary
// under the creator in force for its block; UN when unknown.
func (p *Parser) implicitVR(tag Tag) VR {
	if tag.IsPrivate() && tag.Element() >= 0x1000 {
		if r := p.creatorAt(tag, len(p.stack)); r != nil && r.dict >= 0 {
			if e := privateEntryOf(int(r.dict), tag); e != nil {
				return e.vr
			}
		}
		return UN
	}
	return implicitVR(tag)
}

// PrivateCreator returns the private creator value (padding removed) that
// reserves the block of the private data element t in the dataset of the
// header last returned by [Parser.Next], or nil when t is not a private data
// element or no creator is known for its block. Look the element up with
// [LookupPrivate]. The view is valid until the next call to Next.
func (p *Parser) PrivateCreator(t Tag) []byte {
	// The dataset of the last element header: after a sequence header the
	// parser is already inside the sequence.
	if r := p.creatorAt(t, p.lastLevel); r != nil {
		return r.name[:r.n]
	}
	return nil
}

// itemIndex returns the index of the innermost item, or -1.
func (p *Parser) itemIndex() int {
	if n := len(p.stack); n > 0 && p.stack[n-1].kind == frameItem {
		return p.stack[n-1].item
	}
	return -1
}

// containerEnd returns the end of the innermost defined-length container,
// or -1.
func (p *Parser) containerEnd() int64 {
	for i := len(p.stack) - 1; i >= 0; i-- {
		if e := p.stack[i].end; e >= 0 {
			return e
		}
	}
	return -1
}

const maxInt = int(^uint(0) >> 1)

// fits reports whether a value of n bytes at off stays inside the innermost
// defined-length container and, unless more input may follow, the input.
func (p *Parser) fits(off int, n uint32, ce int64) bool {
	end := int64(off) + int64(n)
	if ce >= 0 && end > ce || end > int64(maxInt) { // maxInt: 32-bit platforms
		return false
	}
	return p.more || end <= int64(len(p.buf))
}

// Value returns a view of the value of the element (or pixel data fragment)
// last returned by [Parser.Next]. The view points into the input passed to
// Start (or into the parser's inflate buffer for the deflated syntax, valid
// until the next Start); it returns [ErrNoValue] for sequences, items and
// delimiters.
func (p *Parser) Value() ([]byte, error) {
	if !p.hasValue {
		return nil, ErrNoValue
	}
	if p.valEnd > len(p.buf) {
		return nil, ErrBufferTooLarge
	}
	return p.buf[p.valStart:p.valEnd:p.valEnd], nil
}

// TypedValue returns the value of the element last returned by
// [Parser.Next] with its VR and byte order, for the typed accessors of
// [Value].
func (p *Parser) TypedValue() (Value, error) {
	b, err := p.Value()
	if err != nil {
		return Value{}, err
	}
	return Value{Bytes: b, VR: p.lastVR, BigEndian: p.lastBig}, nil
}

// Skip steps over the sequence or item whose header [Parser.Next] returned
// last, including everything nested in it. After any other header it does
// nothing, since Next skips unread values itself.
func (p *Parser) Skip() error {
	if p.err != nil {
		return p.err
	}
	return p.skip(p.Next)
}

// skip is Skip for the Parser and the Reader: a container of defined
// length is jumped over; one of undefined length is read through with next
// up to its delimiter.
func (p *Parser) skip(next func() (Header, error)) error {
	last := p.lastTag
	if p.hasValue || last == TagItemDelimitation || last == TagSequenceDelimitation || last == 0 {
		p.hasValue = false
		return nil
	}
	// The container is the top frame.
	target := len(p.stack) - 1
	if target < 0 {
		return nil
	}
	if e := p.stack[target].end; e >= 0 {
		if !p.more && e > int64(len(p.buf)) {
			e = int64(len(p.buf)) // a truncated container in lenient mode
		}
		p.off = int(e)
		for len(p.stack) > target {
			p.pop()
		}
		p.lastTag = 0
		return nil
	}
	for len(p.stack) > target {
		if _, err := next(); err != nil {
			if err == io.EOF {
				return p.fail(p.off, last, ErrUnterminated)
			}
			return err
		}
	}
	p.lastTag = 0
	return nil
}

// CharacterSet returns the value of the top-level Specific Character Set
// (0008,0005) element, once it has been read, for [AppendUTF8]. It is a
// copy of at most 128 bytes (enough for eight defined terms), valid until
// the next Start.
func (p *Parser) CharacterSet() []byte { return p.csBuf[:p.csLen] }

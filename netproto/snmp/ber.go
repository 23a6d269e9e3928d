package snmp

// BER identifier octets SNMP uses.
const (
	TagInteger     = 0x02
	TagOctetString = 0x04
	TagNull        = 0x05
	TagOID         = 0x06
	TagSequence    = 0x30
)

// Element is one BER type-length-value. Value is a view into the input.
type Element struct {
	Tag    byte // identifier octet: class (2 bits), constructed (1 bit), tag number
	Offset int  // of the identifier octet, from the start of the input
	Value  []byte
}

// Constructed reports whether the element holds other elements.
func (e Element) Constructed() bool { return e.Tag&0x20 != 0 }

// readElement reads the element at b[off:] (b is the whole input, so
// offsets count from its start), within limit (the end of the enclosing
// element). Lengths are definite, in at most four octets; tag numbers are
// below 31 (SNMP uses no others).
func readElement(b []byte, off, limit int) (e Element, next int, err error) {
	if limit-off < 2 {
		return e, off, errAt(off, ErrTruncated)
	}
	tag := b[off]
	if tag&0x1f == 0x1f {
		return e, off, errAt(off, ErrTag)
	}
	p := off + 1
	n := int(b[p])
	p++
	if n&0x80 != 0 {
		k := n & 0x7f
		if k == 0 || k > 4 {
			return e, off, errAt(off, ErrLength) // indefinite, or too long
		}
		if limit-p < k {
			return e, off, errAt(off, ErrTruncated)
		}
		n = 0
		for _, c := range b[p : p+k] {
			n = n<<8 | int(c)
		}
		p += k
	}
	if n > limit-p {
		return e, off, errAt(off, ErrTruncated)
	}
	return Element{Tag: tag, Offset: off, Value: b[p : p+n : p+n]}, p + n, nil
}

// DefaultMaxDepth is the nesting limit of a [Walker] whose MaxDepth is 0.
const DefaultMaxDepth = 16

// maxDepthCap bounds MaxDepth: the Walker keeps a fixed stack.
const maxDepthCap = 64

// Walker yields every element of a BER encoding in document order,
// descending into constructed elements, for tools that look at messages
// of any shape:
//
//	var w snmp.Walker
//	w.Reset(data)
//	for w.Next() {
//		e := w.Element() // w.Depth() says how deep
//	}
//	err := w.Err()
//
// It stops at the first malformed element ([Walker.Err] says where) and
// at constructed elements nested deeper than MaxDepth ([ErrDepth]).
// The zero value is ready for Reset; a Walker allocates nothing.
type Walker struct {
	// MaxDepth limits nesting: 0 means DefaultMaxDepth; at most 64.
	MaxDepth int

	data  []byte
	off   int
	ends  [maxDepthCap + 1]int // end of each open constructed element; ends[0] is the input's
	depth int                  // open constructed elements
	elem  Element
	edep  int // elem's depth
	err   error
}

// Reset starts walking data, keeping MaxDepth.
func (w *Walker) Reset(data []byte) {
	*w = Walker{MaxDepth: w.MaxDepth, data: data}
	w.ends[0] = len(data)
}

// Next advances to the next element and reports whether there is one.
func (w *Walker) Next() bool {
	if w.err != nil {
		return false
	}
	for w.depth > 0 && w.off == w.ends[w.depth] {
		w.depth--
	}
	if w.off == w.ends[w.depth] {
		return false
	}
	e, next, err := readElement(w.data, w.off, w.ends[w.depth])
	if err != nil {
		w.err = err
		return false
	}
	w.elem, w.edep = e, w.depth
	if !e.Constructed() {
		w.off = next
		return true
	}
	max := w.MaxDepth
	if max <= 0 {
		max = DefaultMaxDepth
	}
	if w.depth >= min(max, maxDepthCap) {
		w.err = errAt(e.Offset, ErrDepth)
		return false
	}
	w.depth++
	w.ends[w.depth] = next
	w.off = next - len(e.Value)
	return true
}

// Element returns the current element.
func (w *Walker) Element() Element { return w.elem }

// Depth returns how many constructed elements enclose the current one: 0
// at the top level.
func (w *Walker) Depth() int { return w.edep }

// Err returns the error that stopped the walk, or nil.
func (w *Walker) Err() error { return w.err }

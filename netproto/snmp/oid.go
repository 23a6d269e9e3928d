package snmp

import (
	"strconv"
)

// DefaultMaxOIDLen is the limit on the sub-identifiers of an object
// identifier that [Parser] applies when its MaxOIDLen is 0: SNMP's own
// (RFC 2578 section 3.5).
const DefaultMaxOIDLen = 128

// OID is an object identifier as a view of its BER contents (without tag
// and length): comparable with [OID.Equal] and [OID.HasPrefix] without
// decoding, printed with [OID.AppendTo], walked with [OID.Arcs]. The OIDs
// of a parsed [Message] have been checked ([CheckOID]), and are valid as
// long as the message's bytes are.
type OID struct{ b []byte }

// OIDFromBytes returns the OID whose BER contents are b (not checked).
func OIDFromBytes(b []byte) OID { return OID{b} }

// Bytes returns the BER contents of o.
func (o OID) Bytes() []byte { return o.b }

// Len returns the length of o's encoding in bytes.
func (o OID) Len() int { return len(o.b) }

// Equal reports whether o and p are the same object identifier.
func (o OID) Equal(p OID) bool { return string(o.b) == string(p.b) }

// HasPrefix reports whether the arcs of p begin o's: 1.3.6.1.2.1.1.5.0
// has the prefix 1.3.6.1.2.1.1. Because every sub-identifier's encoding
// ends with a byte below 0x80, a prefix of whole arcs is a byte prefix.
// (The first encoded sub-identifier holds the first two arcs, so an OID
// of one arc is a prefix of nothing.)
func (o OID) HasPrefix(p OID) bool {
	return len(p.b) > 0 && len(p.b) <= len(o.b) && string(o.b[:len(p.b)]) == string(p.b)
}

// Arcs returns an iterator over o's arcs:
//
//	it := o.Arcs()
//	for it.Next() {
//		arc := it.Arc()
//	}
//	err := it.Err()
func (o OID) Arcs() ArcIter { return ArcIter{b: o.b} }

// ArcIter iterates over the arcs of an OID; see [OID.Arcs]. It allocates
// nothing.
type ArcIter struct {
	b      []byte
	off    int
	arc    uint32
	second uint32 // the second arc, yielded after the first
	state  uint8  // 0: first sub-identifier not read; 1: second arc pending; 2: later arcs
	err    error
}

// Next advances to the next arc and reports whether there is one. An arc
// longer than 32 bits, not minimally encoded or cut short stops the
// iteration with an error.
func (it *ArcIter) Next() bool {
	if it.err != nil {
		return false
	}
	if it.state == 1 {
		it.arc, it.state = it.second, 2
		return true
	}
	if it.off == len(it.b) {
		if len(it.b) == 0 && it.state == 0 {
			it.err = errAt(0, ErrOID)
		}
		return false
	}
	v, next, ok := subID(it.b, it.off)
	if !ok {
		it.err = errAt(it.off, ErrOID)
		return false
	}
	it.off = next
	if it.state == 0 {
		switch {
		case v < 40:
			it.arc, it.second = 0, v
		case v < 80:
			it.arc, it.second = 1, v-40
		default:
			it.arc, it.second = 2, v-80
		}
		it.state = 1
		return true
	}
	it.arc = v
	return true
}

// Arc returns the current arc.
func (it *ArcIter) Arc() uint32 { return it.arc }

// Err returns the error that stopped iteration, or nil. Its offset counts
// from the start of the OID's contents.
func (it *ArcIter) Err() error { return it.err }

// subID decodes the base-128 sub-identifier at b[off:].
func subID(b []byte, off int) (v uint32, next int, ok bool) {
	if off < len(b) && b[off] == 0x80 {
		return 0, off, false // not minimal
	}
	var x uint64
	for i := off; i < len(b) && i-off < 5; i++ {
		x = x<<7 | uint64(b[i]&0x7f)
		if b[i]&0x80 == 0 {
			if x > 0xffffffff {
				return 0, off, false
			}
			return uint32(x), i + 1, true
		}
	}
	return 0, off, false
}

// CheckOID reports whether b is a valid OID encoding of at most maxArcs
// arcs (0: DefaultMaxOIDLen), each of at most 32 bits, minimally encoded.
// It returns the offset of the first bad sub-identifier in b, or -1.
func CheckOID(b []byte, maxArcs int) int {
	if maxArcs <= 0 {
		maxArcs = DefaultMaxOIDLen
	}
	if len(b) == 0 {
		return 0
	}
	arcs := 0
	for off := 0; off < len(b); {
		_, next, ok := subID(b, off)
		arcs++
		if off == 0 {
			arcs++ // the first sub-identifier holds two arcs
		}
		if !ok || arcs > maxArcs {
			return off
		}
		off = next
	}
	return -1
}

// AppendTo appends o in dotted form, "1.3.6.1.2.1.1.1.0"; an invalid OID
// appends what decodes and then "?".
func (o OID) AppendTo(dst []byte) []byte {
	it := o.Arcs()
	for i := 0; it.Next(); i++ {
		if i > 0 {
			dst = append(dst, '.')
		}
		dst = strconv.AppendUint(dst, uint64(it.Arc()), 10)
	}
	if it.Err() != nil {
		dst = append(dst, '?')
	}
	return dst
}

// String returns o in dotted form.
func (o OID) String() string { return string(o.AppendTo(nil)) }

// AppendOID appends the BER contents of the OID in dotted form ("1.3.6.1",
// a leading dot allowed) to dst. It fails on anything but two or more
// decimal arcs of at most 32 bits, the first 0-2 and, under 0 and 1, the
// second below 40.
func AppendOID(dst []byte, dotted string) ([]byte, error) {
	if len(dotted) > 0 && dotted[0] == '.' {
		dotted = dotted[1:]
	}
	var first uint64
	n := 0
	for len(dotted) > 0 || n == 0 {
		i := 0
		for i < len(dotted) && dotted[i] != '.' {
			i++
		}
		v, err := strconv.ParseUint(dotted[:i], 10, 32)
		if err != nil {
			return dst, errAt(0, ErrOID)
		}
		if i < len(dotted) {
			i++
			if i == len(dotted) {
				return dst, errAt(0, ErrOID) // a trailing dot
			}
		}
		dotted = dotted[i:]
		switch n {
		case 0:
			if v > 2 {
				return dst, errAt(0, ErrOID)
			}
			first = v
		case 1:
			if first < 2 && v >= 40 || first*40+v > 0xffffffff {
				return dst, errAt(0, ErrOID)
			}
			dst = appendSubID(dst, uint32(first*40+v))
		default:
			dst = appendSubID(dst, uint32(v))
		}
		n++
	}
	if n < 2 {
		return dst, errAt(0, ErrOID)
	}
	return dst, nil
}

func appendSubID(dst []byte, v uint32) []byte {
	var tmp [5]byte
	i := len(tmp) - 1
	tmp[i] = byte(v & 0x7f)
	for v >>= 7; v > 0; v >>= 7 {
		i--
		tmp[i] = byte(v&0x7f) | 0x80
	}
	return append(dst, tmp[i:]...)
}

// ParseOID parses a dotted OID ("1.3.6.1.2.1.1.5.0").
func ParseOID(dotted string) (OID, error) {
	b, err := AppendOID(nil, dotted)
	if err != nil {
		return OID{}, err
	}
	return OID{b}, nil
}

// MustParseOID is ParseOID that panics on an error, for tables of known
// OIDs.
func MustParseOID(dotted string) OID {
	o, err := ParseOID(dotted)
	if err != nil {
		panic("snmp: MustParseOID(" + strconv.Quote(dotted) + "): " + err.Error())
	}
	return o
}

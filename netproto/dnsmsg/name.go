package dnsmsg

// MaxNameLen is the longest a name may be in wire form (RFC 1035 §2.3.4),
// its labels, their length bytes and the root label together.
const MaxNameLen = 255

// DefaultMaxPointers is how many compression pointers a name may follow
// when Parser.MaxPointers is 0: more than any real compressor writes (a
// name of n labels needs at most n), few enough to bound the work a
// hostile name costs.
const DefaultMaxPointers = 32

// maxPointers is the most Parser.MaxPointers can allow: a name of 127
// labels needs 127 pointers at most, twice that is plenty.
const maxPointers = 255

// Name is a domain name in a message: a view that points into the message
// at the name's first label, valid as long as the message's bytes are. The
// parser checked it (labels, pointers, length) when it returned it, so its
// methods cannot fail. The zero Name is empty, not the root.
type Name struct {
	msg []byte
	off int
}

// IsZero reports whether n is the zero Name.
func (n Name) IsZero() bool { return n.msg == nil }

// Offset returns the offset in the message of the name's first byte.
func (n Name) Offset() int { return n.off }

// walkName checks the name at off in msg and returns the offset just after
// it in place: after its root label or its first compression pointer.
// Pointers must point past the header and before the labels that led to
// them, so that each jump goes strictly backwards and no chain can loop.
func walkName(msg []byte, off, maxPtr int) (end int, f fail) {
	if maxPtr <= 0 {
		maxPtr = DefaultMaxPointers
	}
	maxPtr = min(maxPtr, maxPointers)
	floor := off // pointers must point below this
	end = -1
	length := 0
	ptrs := 0
	for {
		if off >= len(msg) {
			return 0, fail{ErrTruncated, off}
		}
		c := int(msg[off])
		switch c & 0xC0 {
		case 0x00:
			if c == 0 {
				if end < 0 {
					end = off + 1
				}
				return end, fail{}
			}
			if off+1+c > len(msg) {
				return 0, fail{ErrTruncated, off}
			}
			if length += 1 + c; length >= MaxNameLen { // the root label takes one more
				return 0, fail{ErrNameTooLong, off}
			}
			off += 1 + c
		case 0xC0:
			if off+1 >= len(msg) {
				return 0, fail{ErrTruncated, off}
			}
			t := (c&0x3F)<<8 | int(msg[off+1])
			if ptrs++; ptrs > maxPtr || t < HeaderLen || t >= floor {
				return 0, fail{ErrPointer, off}
			}
			if end < 0 {
				end = off + 2
			}
			floor, off = t, t
		default:
			return 0, fail{ErrLabel, off}
		}
	}
}

// Labels returns an iterator over n's labels, first to last (the root
// label is not yielded).
func (n Name) Labels() Labels { return Labels{msg: n.msg, off: n.off} }

// Labels iterates over the labels of a [Name]:
//
//	for l := n.Labels(); l.Next(); {
//		label := l.Label()
//	}
type Labels struct {
	msg   []byte
	off   int // of the next label's length byte (or a pointer to it)
	label []byte
	rest  Name
	steps int
}

// Next advances to the next label and reports whether there is one.
func (l *Labels) Next() bool {
	for l.off < len(l.msg) && l.steps <= MaxNameLen+maxPointers { // checked names end before
		l.steps++
		c := int(l.msg[l.off])
		switch {
		case c == 0:
			return false
		case c&0xC0 == 0xC0:
			if l.off+1 >= len(l.msg) {
				return false
			}
			l.off = (c&0x3F)<<8 | int(l.msg[l.off+1])
		case c < 0x40 && l.off+1+c <= len(l.msg):
			l.rest = Name{l.msg, l.off}
			l.label = l.msg[l.off+1 : l.off+1+c]
			l.off += 1 + c
			return true
		default:
			return false
		}
	}
	return false
}

// Label returns the current label's bytes, unescaped: a view into the
// message.
func (l *Labels) Label() []byte { return l.label }

// Rest returns the name that starts at the current label: for the second
// label of "CT Scanner._dicom._tcp.local", "_dicom._tcp.local".
func (l *Labels) Rest() Name { return l.rest }

// AppendTo appends n in presentation format: labels joined by dots,
// without the final dot ("mtnm-ct1.local"), "." for the root. A dot or a
// backslash inside a label is escaped with a backslash and a byte below
// 0x20 or 0x7F as \DDD (RFC 1035 §5.1), so that the result reads back as
// the same labels; other bytes (spaces, UTF-8) are copied as they are.
func (n Name) AppendTo(dst []byte) []byte {
	if n.msg == nil {
		return dst
	}
	first := true
	for l := n.Labels(); l.Next(); {
		if !first {
			dst = append(dst, '.')
		}
		first = false
		dst = appendLabel(dst, l.Label())
	}
	if first {
		dst = append(dst, '.')
	}
	return dst
}

func appendLabel(dst, label []byte) []byte {
	for _, c := range label {
		switch {
		case c == '.' || c == '\\':
			dst = append(dst, '\\', c)
		case c < 0x20 || c == 0x7F:
			dst = append(dst, '\\', '0'+c/100, '0'+c/10%10, '0'+c%10)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// String returns n as AppendTo writes it. It allocates; AppendTo does not.
func (n Name) String() string { return string(n.AppendTo(nil)) }

// Equal reports whether n and o are the same name, comparing ASCII letters
// without regard to case as DNS does (RFC 4343).
func (n Name) Equal(o Name) bool {
	a, b := n.Labels(), o.Labels()
	for {
		na, nb := a.Next(), b.Next()
		if na != nb {
			return false
		}
		if !na {
			return n.IsZero() == o.IsZero()
		}
		if !equalFold(a.Label(), b.Label()) {
			return false
		}
	}
}

// EqualString reports whether n is the name s in presentation format
// without escapes ("_dicom._tcp.local"; a final dot is optional), ASCII
// case ignored.
func (n Name) EqualString(s string) bool {
	if len(s) > 0 && s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	for l := n.Labels(); l.Next(); {
		lab := l.Label()
		if len(s) < len(lab) || !equalFold(lab, s[:len(lab)]) {
			return false
		}
		s = s[len(lab):]
		if len(s) > 0 {
			if s[0] != '.' {
				return false
			}
			s = s[1:]
			if len(s) == 0 {
				return false
			}
		}
	}
	return len(s) == 0 && !n.IsZero()
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// equalFold compares a and b, ASCII letters without regard to case.
func equalFold[S ~string | ~[]byte](a []byte, b S) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}

// Service is the DNS-SD structure of a name (RFC 6763 §4.1, §7.1).
type Service struct {
	// Instance is the instance label of a service instance name ("CT
	// Scanner" in "CT Scanner._dicom._tcp.local"), unescaped: a view into
	// the message. It is nil for a service type.
	Instance []byte
	// Subtype is the subtype label of a subtype name ("_printer" in
	// "_printer._sub._http._tcp.local"), or nil.
	Subtype []byte
	// Type is the service type with its domain: "_dicom._tcp.local".
	Type Name
}

// Service reports whether n is a DNS-SD service type ("_dicom._tcp.local"),
// a service instance name ("CT Scanner._dicom._tcp.local") or a subtype
// ("_printer._sub._http._tcp.local"), and splits it. A service label
// starts with an underscore and is followed by "_tcp" or "_udp". The
// service type enumeration name "_services._dns-sd._udp.local" is none of
// them.
func (n Name) Service() (s Service, ok bool) {
	var lab [4][]byte
	var rest [4]Name
	k := 0
	for l := n.Labels(); k < len(lab) && l.Next(); k++ {
		lab[k], rest[k] = l.Label(), l.Rest()
	}
	svc := func(i int) bool {
		return i+1 < k && len(lab[i]) > 1 && lab[i][0] == '_' && (equalFold(lab[i+1], "_tcp") || equalFold(lab[i+1], "_udp"))
	}
	switch {
	case k >= 3 && equalFold(lab[0], "_services") && equalFold(lab[1], "_dns-sd") && equalFold(lab[2], "_udp"):
		return s, false
	case svc(0):
		return Service{Type: rest[0]}, true
	case svc(1):
		return Service{Instance: lab[0], Type: rest[1]}, true
	case equalFold(lab[1], "_sub") && svc(2):
		return Service{Subtype: lab[0], Type: rest[2]}, true
	}
	return s, false
}

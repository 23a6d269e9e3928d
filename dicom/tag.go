package dicom

// Tag is a DICOM attribute tag: the group number in the high 16 bits and the
// element number in the low 16 bits, so that tags sort in file order.
type Tag uint32

// NewTag returns the tag (group,element).
func NewTag(group, element uint16) Tag { return Tag(group)<<16 | Tag(element) }

// Group returns the group number of t.
func (t Tag) Group() uint16 { return uint16(t >> 16) }

// Element returns the element number of t.
func (t Tag) Element() uint16 { return uint16(t) }

// IsPrivate reports whether t belongs to an odd (private) group.
func (t Tag) IsPrivate() bool { return t.Group()&1 == 1 }

// IsPrivateCreator reports whether t is a private creator element (gggg,0010-00FF)
// of an odd group.
func (t Tag) IsPrivateCreator() bool {
	return t.IsPrivate() && t.Element() >= 0x10 && t.Element() <= 0xFF
}

// IsGroupLength reports whether t is a group length element (gggg,0000).
func (t Tag) IsGroupLength() bool { return t.Element() == 0 }

const hexDigits = "0123456789ABCDEF"

// AppendTo appends the form "(GGGG,EEEE)" of t to dst.
func (t Tag) AppendTo(dst []byte) []byte {
	dst = append(dst, '(')
	dst = appendHex16(dst, t.Group())
	dst = append(dst, ',')
	dst = appendHex16(dst, t.Element())
	return append(dst, ')')
}

// String returns t as "(GGGG,EEEE)" in upper-case hexadecimal.
func (t Tag) String() string {
	var b [11]byte
	return string(t.AppendTo(b[:0]))
}

func appendHex16(dst []byte, v uint16) []byte {
	return append(dst, hexDigits[v>>12], hexDigits[v>>8&15], hexDigits[v>>4&15], hexDigits[v&15])
}

// Tags the parser treats specially.
const (
	TagTransferSyntaxUID    Tag = 0x00020010
	TagSpecificCharacterSet Tag = 0x00080005
	TagPixelData            Tag = 0x7FE00010
	TagItem                 Tag = 0xFFFEE000
	TagItemDelimitation     Tag = 0xFFFEE00D
	TagSequenceDelimitation Tag = 0xFFFEE0DD
)

// IsDelimiter reports whether t is an item, item delimitation or sequence
// delimitation tag (group FFFE). Such headers carry no VR.
func (t Tag) IsDelimiter() bool { return t>>16 == 0xFFFE }

// VR is a value representation: its two ASCII letters packed high byte first,
// so VR('P'<<8|'N') is PN. The zero VR means "none" (items and delimiters).
type VR uint16

// The value representations of PS3.5 table 6.2-1.
const (
	AE VR = 'A'<<8 | 'E'
	AS VR = 'A'<<8 | 'S'
	AT VR = 'A'<<8 | 'T'
	CS VR = 'C'<<8 | 'S'
	DA VR = 'D'<<8 | 'A'
	DS VR = 'D'<<8 | 'S'
	DT VR = 'D'<<8 | 'T'
	FD VR = 'F'<<8 | 'D'
	FL VR = 'F'<<8 | 'L'
	IS VR = 'I'<<8 | 'S'
	LO VR = 'L'<<8 | 'O'
	LT VR = 'L'<<8 | 'T'
	OB VR = 'O'<<8 | 'B'
	OD VR = 'O'<<8 | 'D'
	OF VR = 'O'<<8 | 'F'
	OL VR = 'O'<<8 | 'L'
	OV VR = 'O'<<8 | 'V'
	OW VR = 'O'<<8 | 'W'
	PN VR = 'P'<<8 | 'N'
	SH VR = 'S'<<8 | 'H'
	SL VR = 'S'<<8 | 'L'
	SQ VR = 'S'<<8 | 'Q'
	SS VR = 'S'<<8 | 'S'
	ST VR = 'S'<<8 | 'T'
	SV VR = 'S'<<8 | 'V'
	TM VR = 'T'<<8 | 'M'
	UC VR = 'U'<<8 | 'C'
	UI VR = 'U'<<8 | 'I'
	UL VR = 'U'<<8 | 'L'
	UN VR = 'U'<<8 | 'N'
	UR VR = 'U'<<8 | 'R'
	US VR = 'U'<<8 | 'S'
	UT VR = 'U'<<8 | 'T'
	UV VR = 'U'<<8 | 'V'
)

// String returns the two letters of v, or "--" for the zero VR.
func (v VR) String() string {
	if v == 0 {
		return "--"
	}
	return string([]byte{byte(v >> 8), byte(v)})
}

// IsKnown reports whether v is one of the value representations defined by
// the standard.
func (v VR) IsKnown() bool {
	switch v {
	case AE, AS, AT, CS, DA, DS, DT, FD, FL, IS, LO, LT, OB, OD, OF, OL, OV, OW,
		PN, SH, SL, SQ, SS, ST, SV, TM, UC, UI, UL, UN, UR, US, UT, UV:
		return true
	}
	return false
}

// hasLongLength reports whether explicit VR encoding gives v two reserved
// bytes and a 32-bit length (PS3.5 7.1.2).
func (v VR) hasLongLength() bool {
	switch v {
	case OB, OD, OF, OL, OV, OW, SQ, SV, UC, UN, UR, UT, UV:
		return true
	}
	return false
}

// IsString reports whether values of v are character strings.
func (v VR) IsString() bool {
	switch v {
	case AE, AS, CS, DA, DS, DT, IS, LO, LT, PN, SH, ST, TM, UC, UI, UR, UT:
		return true
	}
	return false
}

// IsBulk reports whether v holds opaque bytes or words (OB, OD, OF, OL, OV,
// OW, UN).
func (v VR) IsBulk() bool {
	switch v {
	case OB, OD, OF, OL, OV, OW, UN:
		return true
	}
	return false
}

// ParseTag parses a tag written as "(GGGG,EEEE)", "GGGG,EEEE" or "GGGGEEEE"
// in hexadecimal (either case), or as a data dictionary keyword such as
// "PatientName".
func ParseTag(s string) (Tag, error) {
	h := s
	if len(h) == 11 && h[0] == '(' && h[10] == ')' {
		h = h[1:10]
	}
	if len(h) == 9 && h[4] == ',' {
		h = h[:4] + h[5:]
	}
	if len(h) == 8 {
		var v uint32
		ok := true
		for i := 0; i < 8; i++ {
			c := h[i]
			switch {
			case c >= '0' && c <= '9':
				c -= '0'
			case c >= 'a' && c <= 'f':
				c -= 'a' - 10
			case c >= 'A' && c <= 'F':
				c -= 'A' - 10
			default:
				ok = false
			}
			v = v<<4 | uint32(c)
		}
		if ok {
			return Tag(v), nil
		}
	}
	for i := range dictionary {
		if dictionary[i].Keyword == s {
			return dictionary[i].Tag, nil
		}
	}
	return 0, &Error{Offset: -1, Err: ErrTagSyntax}
}

// MustParseTag is like [ParseTag] but panics on error; for constants in
// programs and tests.
func MustParseTag(s string) Tag {
	t, err := ParseTag(s)
	if err != nil {
		panic(err)
	}
	return t
}

// PrivateCreator returns the tag of the private creator element that
// reserves the block of the private data element t: (gggg,00xx) for
// (gggg,xxee). It returns 0 when t is not a private data element.
func (t Tag) PrivateCreator() Tag {
	if !t.IsPrivate() || t.Element() < 0x1000 {
		return 0
	}
	return NewTag(t.Group(), t.Element()>>8)
}
